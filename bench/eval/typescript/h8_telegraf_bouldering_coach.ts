// @cruxhall_coach_bot: Telegram helper for members of Crux Hall (a bouldering gym in Bristol).
// Members ask about technique, training plans or this week's new problems; answers come from Claude.
// The grade scale a member climbs in (V or Font) is picked with an inline keyboard under /scale.
// Runs with Telegraf in webhook mode on Cloud Run (min instances 0), so the process comes and goes.
import { Telegraf, Markup } from 'telegraf';
import { message } from 'telegraf/filters';
import Anthropic from '@anthropic-ai/sdk';

type Scale = 'v' | 'font';

const bot = new Telegraf(process.env.TELEGRAM_BOT_TOKEN!);
const claude = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
const scaleByUser = new Map<number, Scale>();

const SYSTEM = (scale: Scale) => [
  'You are the coaching assistant of Crux Hall, an indoor bouldering gym with a 4.5 m wall and a Kilter board.',
  `Always give grades in the ${scale === 'v' ? 'V (Hueco)' : 'Fontainebleau'} scale.`,
  'Keep answers under 150 words. For pain or injury, tell them to see a physio and stop climbing.',
].join('\n');

bot.command('scale', (ctx) =>
  ctx.reply(
    'Which grade scale do you climb in?',
    Markup.inlineKeyboard([
      Markup.button.callback('V-scale (V0-V10)', 'scale:v'),
      Markup.button.callback('Font (4-7C)', 'scale:font'),
    ]),
  ),
);

bot.action(/^scale:(v|font)$/, async (ctx) => {
  const scale = ctx.match[1] as Scale;
  scaleByUser.set(ctx.from!.id, scale);
  await ctx.answerCbQuery(`Grades in ${scale === 'v' ? 'V' : 'Font'} from now on`);
  await ctx.editMessageReplyMarkup(undefined);
});

async function askCoach(userId: number, question: string): Promise<string> {
  const scale = scaleByUser.get(userId) ?? 'font';
  const reply = await claude.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 400,
    system: SYSTEM(scale),
    messages: [{ role: 'user', content: question }],
  });
  const block = reply.content[0];
  return block.type === 'text' ? block.text : 'Sorry, I had nothing useful to say there.';
}

bot.on(message('text'), async (ctx) => {
  if (ctx.message.text.startsWith('/')) return;
  await ctx.sendChatAction('typing');
  try {
    await ctx.reply(await askCoach(ctx.from.id, ctx.message.text), {
      reply_parameters: { message_id: ctx.message.message_id },
    });
  } catch (err) {
    console.error(`coach failed for ${ctx.from.id}`, err);
    await ctx.reply('The coach is on a rest day, try again in a minute.');
  }
});

bot.launch({
  webhook: {
    domain: process.env.WEBHOOK_DOMAIN!,
    port: Number(process.env.PORT ?? 8080),
    secretToken: process.env.TELEGRAM_WEBHOOK_SECRET,
  },
});
process.once('SIGTERM', () => bot.stop('SIGTERM'));
