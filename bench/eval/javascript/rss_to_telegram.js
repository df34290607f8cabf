// Polls a few RSS feeds every 5 minutes and forwards each item to a Telegram channel.
const cron = require('node-cron');
const Parser = require('rss-parser');
const { Telegraf } = require('telegraf');

const bot = new Telegraf(process.env.TELEGRAM_BOT_TOKEN);
const parser = new Parser();
const CHANNEL = process.env.TELEGRAM_CHANNEL_ID;
const FEEDS = ['https://blog.cloudflare.com/rss/', 'https://aws.amazon.com/blogs/aws/feed/'];

async function forwardFeeds() {
  for (const url of FEEDS) {
    const feed = await parser.parseURL(url);
    for (const item of feed.items.slice(0, 10)) {
      await bot.telegram.sendMessage(CHANNEL, `<b>${item.title}</b>\n${item.link}`, { parse_mode: 'HTML' });
    }
  }
}

cron.schedule('*/5 * * * *', () => {
  forwardFeeds().catch((error) => console.error('forward failed', error));
});
