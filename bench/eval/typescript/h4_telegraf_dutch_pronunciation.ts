// @uitspraak_bot (Telegraf, long polling, one container on Fly.io): Dutch learners send a word or
// phrase and get it back spoken by an ElevenLabs voice. /stem <name> picks the voice; course
// groups send the same vocabulary lists every week.
import { Telegraf, session, type Context } from 'telegraf';
import { message } from 'telegraf/filters';

const VOICES: Record<string, string> = {
  daan: 'pNInz6obpgDQGcFmaJgB',
  sanne: 'EXAVITQu4vr4xnSDxMaL',
  ruben: 'TxGEqnHWrfWFTfGW9XjX',
};

interface BotContext extends Context {
  session?: { voice?: string };
}

class Speaker {
  constructor(private readonly apiKey: string) {}

  async speak(text: string, voiceId: string): Promise<Buffer> {
    const res = await fetch(`https://api.elevenlabs.io/v1/text-to-speech/${voiceId}?output_format=mp3_44100_128`, {
      method: 'POST',
      headers: { 'xi-api-key': this.apiKey, 'content-type': 'application/json', accept: 'audio/mpeg' },
      body: JSON.stringify({ text, model_id: 'eleven_multilingual_v2', voice_settings: { stability: 0.6, similarity_boost: 0.8 } }),
    });
    if (!res.ok) throw new Error(`ElevenLabs ${res.status}: ${await res.text()}`);
    return Buffer.from(await res.arrayBuffer());
  }
}

const speaker = new Speaker(process.env.ELEVENLABS_API_KEY!);
const bot = new Telegraf<BotContext>(process.env.TELEGRAM_BOT_TOKEN!);
bot.use(session());

bot.command('stem', async (ctx) => {
  const name = ctx.payload.trim().toLowerCase();
  if (!VOICES[name]) {
    return ctx.reply(`Kies een stem: ${Object.keys(VOICES).join(', ')}`);
  }
  ctx.session = { ...ctx.session, voice: name };
  await ctx.reply(`Stem ingesteld op ${name}.`);
});

bot.on(message('text'), async (ctx) => {
  const phrase = ctx.message.text.trim();
  if (phrase.startsWith('/') || phrase.length > 200) return;
  const voiceName = ctx.session?.voice ?? 'sanne';
  try {
    const audio = await speaker.speak(phrase, VOICES[voiceName]);
    await ctx.replyWithAudio({ source: audio, filename: `${phrase.slice(0, 40)}.mp3` }, { title: phrase, performer: voiceName });
  } catch (err) {
    console.error(err);
    await ctx.reply('Dat lukte niet, probeer het later opnieuw.');
  }
});

bot.launch();
process.once('SIGTERM', () => bot.stop('SIGTERM'));
