// CI step on every push to main: translates the UI strings into the shipped languages with GPT.
import { readFile, writeFile } from 'node:fs/promises';
import OpenAI from 'openai';

const openai = new OpenAI();
const LANGUAGES = ['de', 'fr', 'es', 'ja'];

async function translate(text, language) {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    temperature: 0,
    messages: [
      { role: 'system', content: `Translate UI strings into ${language}. Keep {placeholders} unchanged. Reply with the translation only.` },
      { role: 'user', content: text },
    ],
  });
  return completion.choices[0].message.content.trim();
}

async function main() {
  const source = JSON.parse(await readFile('locales/en.json', 'utf8'));
  for (const language of LANGUAGES) {
    const translated = {};
    for (const [key, text] of Object.entries(source)) {
      translated[key] = await translate(text, language);
    }
    await writeFile(`locales/${language}.json`, JSON.stringify(translated, null, 2) + '\n');
  }
}

await main();
