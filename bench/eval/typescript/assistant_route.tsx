// Remix route app/routes/assistant.tsx: the in-app guide. The action runs on the server per question.
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useNavigation } from '@remix-run/react';
import OpenAI from 'openai';

const openai = new OpenAI();

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const sessionId = String(form.get('sessionId'));
  const question = String(form.get('question') ?? '');
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are the in-app guide for the Acme dashboard.' },
      { role: 'user', content: question },
    ],
    user: sessionId,
  });
  return json({ answer: completion.choices[0].message.content ?? '' });
}

export default function AssistantRoute() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = navigation.state === 'submitting';
  return (
    <Form method="post" className="assistant-panel">
      <input type="hidden" name="sessionId" value="from-cookie" />
      <textarea name="question" placeholder="Ask about your dashboard…" />
      <button type="submit" disabled={pending}>
        {pending ? 'Thinking…' : 'Ask'}
      </button>
      {data?.answer && <p className="assistant-answer">{data.answer}</p>}
    </Form>
  );
}
