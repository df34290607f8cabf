// Express webhook for a GitHub App: stores installation tokens and the README it renders.
import express from 'express';
import Redis from 'ioredis';
import { App } from 'octokit';

const redis = new Redis(process.env.REDIS_URL!);
const github = new App({ appId: process.env.GITHUB_APP_ID!, privateKey: process.env.GITHUB_PRIVATE_KEY! });
const app = express();
app.use(express.json());

app.post('/github/webhook', async (req, res) => {
  const installationId: number = req.body.installation.id;
  const repo: string = req.body.repository.full_name;

  const { token } = (await github.octokit.request('POST /app/installations/{installation_id}/access_tokens', {
    installation_id: installationId,
  })).data;
  await redis.set(`ghapp:token:${installationId}`, token, 'EX', 3300);

  const readme = await fetch(`https://raw.githubusercontent.com/${repo}/HEAD/README.md`);
  await redis.set(`ghapp:readme:${repo}`, await readme.text(), 'EX', 86400);
  res.sendStatus(204);
});

app.listen(Number(process.env.PORT ?? 3000));
