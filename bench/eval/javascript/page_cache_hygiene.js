// Express proxy for the marketing site's partner widget: caches partner pages in Redis.
const express = require('express');
const axios = require('axios');
const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);
const app = express();

app.get('/partners/:slug', async (req, res) => {
  const key = `partner-page:${req.params.slug}`;
  const cached = await redis.get(key);
  if (cached) return res.type('html').send(cached);

  const response = await axios.get(`https://partners.acme.dev/${encodeURIComponent(req.params.slug)}`);
  await redis.set(key, response.data, 'EX', 600);
  await redis.hset('partner-page:hits', req.params.slug, Date.now());
  res.type('html').send(response.data);
});

app.listen(3000);
