// app/routes/account.ask-the-gardener.tsx: "Ask the gardener" page of the Sow & Grow seed shop
// (Remix on Fly.io, signed-in customers only). The form posts the customer's question, their USDA
// hardiness zone (picked from a select every time) and a conversationId kept in a hidden field;
// the action answers with GPT-4o-mini and the page shows the answer under the form.
import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useNavigation } from '@remix-run/react';
import OpenAI from 'openai';
import { requireCustomerId } from '~/auth.server';

const openai = new OpenAI();
const ZONES = ['3a', '3b', '4a', '4b', '5a', '5b', '6a', '6b', '7a', '7b', '8a', '8b', '9a', '9b', '10a'];

export const meta: MetaFunction = () => [{ title: 'Ask the gardener | Sow & Grow' }];

export async function action({ request }: ActionFunctionArgs) {
  const customerId = await requireCustomerId(request);
  const form = await request.formData();
  const question = String(form.get('question') ?? '').trim();
  const zone = ZONES.includes(String(form.get('zone'))) ? String(form.get('zone')) : '7a';
  const conversationId = String(form.get('conversationId') || crypto.randomUUID());
  if (!question) return json({ error: 'Ask something first.', conversationId }, { status: 400 });

  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0.5,
    user: customerId,
    messages: [
      {
        role: 'system',
        content: `You are the Sow & Grow gardener. The customer gardens in USDA zone ${zone}. Recommend seeds we sell and give sowing dates for that zone.`,
      },
      { role: 'user', content: question },
    ],
  });
  return json({ answer: completion.choices[0].message.content ?? '', conversationId });
}

export default function AskTheGardener() {
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <main className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-semibold">Ask the gardener</h1>
      <Form method="post" className="mt-4 space-y-3">
        <input type="hidden" name="conversationId" value={data?.conversationId ?? ''} />
        <label className="block">
          Your zone
          <select name="zone" defaultValue="7a" className="ml-2 rounded border px-2 py-1">
            {ZONES.map((z) => (
              <option key={z} value={z}>{z}</option>
            ))}
          </select>
        </label>
        <textarea name="question" rows={3} className="w-full rounded border p-2" placeholder="When should I start tomatoes indoors?" />
        <button type="submit" disabled={busy} className="rounded bg-green-700 px-4 py-2 text-white">
          {busy ? 'Thinking…' : 'Ask'}
        </button>
      </Form>
      {data && 'error' in data && <p className="mt-4 text-red-700">{data.error}</p>}
      {data && 'answer' in data && <article className="prose mt-6 whitespace-pre-wrap">{data.answer}</article>}
    </main>
  );
}
