// index.ts: "Ask HR" assistant for Northway Freight's depot staff in Microsoft Teams.
// Bot Framework bot (botbuilder 4.x) on Azure App Service behind restify at /api/messages; the plan
// scales out to several instances by day and stops at night. Staff ask about leave, shifts and pay;
// the bot answers from the staff handbook with GPT-4o. Typing "language polski" (or another supported
// language) switches the language of the answers for that person.
import { readFileSync } from 'node:fs';
import * as restify from 'restify';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  TurnContext,
} from 'botbuilder';
import OpenAI from 'openai';

const HANDBOOK = readFileSync(process.env.HANDBOOK_PATH ?? 'handbook/northway-handbook.md', 'utf8');
const LANGUAGES = ['english', 'polski', 'română', 'português', 'українська'];
const openai = new OpenAI();
const answerLanguage = new Map<string, string>(); // AAD object id -> language

class AskHrBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '').trim();
      const userId = context.activity.from.aadObjectId ?? context.activity.from.id;
      const choice = /^language\s+(\S+)$/i.exec(text);
      if (choice && LANGUAGES.includes(choice[1].toLowerCase())) {
        answerLanguage.set(userId, choice[1].toLowerCase());
        await context.sendActivity(`OK, I'll answer in ${choice[1]}.`);
        return next();
      }
      await context.sendActivities([{ type: 'typing' }]);
      const reply = await this.answer(text, answerLanguage.get(userId) ?? 'english', context.activity.conversation.id);
      await context.sendActivity(reply);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) {
          await context.sendActivity('Hi! Ask me anything about leave, shifts or pay at Northway Freight.');
        }
      }
      await next();
    });
  }

  private async answer(question: string, language: string, conversationId: string): Promise<string> {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o',
      temperature: 0.3,
      user: conversationId,
      messages: [
        {
          role: 'system',
          content: `You answer Northway Freight staff questions using only this handbook. Answer in ${language}. ` +
            `If the handbook does not cover it, say so and suggest hr@northwayfreight.co.uk.\n\n${HANDBOOK}`,
        },
        { role: 'user', content: question },
      ],
    });
    return completion.choices[0].message.content ?? 'Sorry, I could not answer that. Please contact HR.';
  }
}

const auth = new ConfigurationBotFrameworkAuthentication(process.env as ConfigurationBotFrameworkAuthenticationOptions);
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
  console.error('turn failed', error);
  await context.sendActivity('Something went wrong, please try again.');
};

const bot = new AskHrBot();
const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => adapter.process(req, res, (context) => bot.run(context)));
server.listen(process.env.PORT ?? 3978, () => console.log(`Ask HR listening on ${server.url}`));
