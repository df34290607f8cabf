// Demo-booking webhook for the Quillsoft sales team (Fastify on Render, POST /webhooks/calendly):
// when a prospect books a demo through Calendly, upserts the HubSpot contact and posts the booking
// to #demos. ioredis holds the HubSpot OAuth tokens, each booking (which also stops Calendly's
// redeliveries from posting twice) and a count of demos per sales rep.
import crypto from 'node:crypto';
import Fastify, { type FastifyRequest } from 'fastify';
import Redis from 'ioredis';

type Invitee = {
  uri: string;
  email: string;
  name: string;
  scheduled_event: { name: string; start_time: string; event_memberships: { user_email: string }[] };
  questions_and_answers: { question: string; answer: string }[];
};

const redis = new Redis(process.env.REDIS_URL!);
const app = Fastify({ logger: true });

app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
  (req as FastifyRequest & { rawBody?: string }).rawBody = body as string;
  try {
    done(null, JSON.parse(body as string));
  } catch (err) {
    done(err as Error, undefined);
  }
});

function signatureOk(header: string | undefined, rawBody: string): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
  const expected = crypto.createHmac('sha256', process.env.CALENDLY_SIGNING_KEY!).update(`${parts.t}.${rawBody}`).digest('hex');
  return parts.v1 !== undefined && parts.v1.length === expected.length && crypto.timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
}

async function hubspotToken(): Promise<string> {
  const cached = await redis.get('demos:hubspot:access_token');
  if (cached) return cached;
  const refreshToken = (await redis.get('demos:hubspot:refresh_token')) ?? process.env.HUBSPOT_REFRESH_TOKEN!;
  const res = await fetch('https://api.hubapi.com/oauth/v1/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: process.env.HUBSPOT_CLIENT_ID!,
      client_secret: process.env.HUBSPOT_CLIENT_SECRET!,
      refresh_token: refreshToken,
    }),
  });
  if (!res.ok) throw new Error(`HubSpot OAuth ${res.status}`);
  const tok = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
  await redis.set('demos:hubspot:access_token', tok.access_token, 'EX', tok.expires_in - 60);
  await redis.set('demos:hubspot:refresh_token', tok.refresh_token);
  return tok.access_token;
}

app.post('/webhooks/calendly', async (req, reply) => {
  const rawBody = (req as FastifyRequest & { rawBody?: string }).rawBody ?? '';
  if (!signatureOk(req.headers['calendly-webhook-signature'] as string | undefined, rawBody)) return reply.code(401).send();
  const { event, payload } = req.body as { event: string; payload: Invitee };
  if (event !== 'invitee.created') return reply.code(204).send();

  const inviteeId = payload.uri.split('/').pop();
  const isNew = await redis.set(`demos:invitee:${inviteeId}`, JSON.stringify(payload), 'EX', 14 * 86400, 'NX');
  if (!isNew) return { duplicate: true };

  const rep = payload.scheduled_event.event_memberships[0]?.user_email ?? 'unassigned';
  const [firstname, ...rest] = payload.name.split(' ');
  await fetch('https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert', {
    method: 'POST',
    headers: { Authorization: `Bearer ${await hubspotToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      inputs: [{ idProperty: 'email', id: payload.email, properties: { email: payload.email, firstname, lastname: rest.join(' '), lifecyclestage: 'salesqualifiedlead' } }],
    }),
  });
  const company = payload.questions_and_answers.find((qa) => /company/i.test(qa.question))?.answer ?? '?';
  await fetch(process.env.SLACK_DEMOS_WEBHOOK!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: `:calendar: ${payload.name} (${company}) booked ${payload.scheduled_event.name} for ${payload.scheduled_event.start_time} with ${rep}` }),
  });
  await redis.hincrby('demos:booked-by-rep', rep, 1);
  return { ok: true };
});

app.listen({ port: Number(process.env.PORT ?? 3000), host: '0.0.0.0' });
