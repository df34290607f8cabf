// src/__tests__/clause-bot.test.ts: Jest tests for the #ask-legal Slack bot (Bolt) that explains
// contract clauses. Runs with `jest --ci` on every pull request: the Bolt app, OpenAI and the
// Ironclad records API are all mocked, so nothing is called, sent or scheduled from here.
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { registerClauseBot } from '../clause-bot';

const mockCreate = jest.fn<(...args: unknown[]) => Promise<unknown>>();
jest.mock('openai', () => ({
  __esModule: true,
  default: jest.fn().mockImplementation(() => ({ chat: { completions: { create: mockCreate } } })),
}));

type Listener = (args: Record<string, unknown>) => Promise<void>;
const listeners: Record<string, Listener> = {};
const fakeApp = { event: jest.fn((name: string, fn: Listener) => { listeners[name] = fn; }) };
const postMessage = jest.fn(async () => ({ ok: true, ts: '1700000000.000200' }));
const fetchMock = jest.fn(async (url: string) =>
  new Response(JSON.stringify({ list: [{ id: 'rec_77', name: 'Acme MSA', properties: { governingLaw: { value: 'Delaware' } } }], page: 0, pageSize: 20, count: 1 }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  }),
);

beforeEach(() => {
  jest.clearAllMocks();
  global.fetch = fetchMock as unknown as typeof fetch;
  mockCreate.mockResolvedValue({ choices: [{ message: { content: 'Delaware law governs; disputes go to arbitration.' } }] });
  registerClauseBot(fakeApp as never, { ironcladToken: 'test-token' });
});

async function mention(text: string, thread_ts?: string, user = 'U_PARALEGAL') {
  await listeners['app_mention']({
    event: { type: 'app_mention', user, text, channel: 'C_LEGAL', ts: '1700000000.000100', thread_ts },
    client: { chat: { postMessage } },
  });
}

describe('clause bot', () => {
  it('looks the contract up in Ironclad and answers in the thread', async () => {
    await mention('<@U_BOT> which law governs the Acme MSA?');
    expect(fetchMock).toHaveBeenCalledWith(expect.stringContaining('/public/api/v1/records?'), expect.anything());
    expect(String(fetchMock.mock.calls[0][0])).toContain('filter=name%3D%22Acme+MSA%22');
    expect(postMessage).toHaveBeenCalledWith(expect.objectContaining({ channel: 'C_LEGAL', thread_ts: '1700000000.000100' }));
  });

  it('passes the earlier thread replies to the model', async () => {
    await mention('<@U_BOT> and the notice period?', '1699999999.000001');
    const [request] = mockCreate.mock.calls[0] as [{ messages: { role: string }[] }];
    expect(request.messages.filter((m) => m.role === 'user').length).toBeGreaterThan(0);
  });

  it('answers every paralegal who asks, once each', async () => {
    for (const user of ['U_ANA', 'U_BEN', 'U_CHLOE']) {
      await mention('<@U_BOT> renewal terms of the Acme MSA?', undefined, user);
    }
    expect(mockCreate).toHaveBeenCalledTimes(3);
    expect(postMessage).toHaveBeenCalledTimes(3);
  });

  it('says so when Ironclad is down instead of guessing', async () => {
    fetchMock.mockResolvedValueOnce(new Response('upstream error', { status: 502 }));
    await mention('<@U_BOT> which law governs the Acme MSA?');
    expect(mockCreate).not.toHaveBeenCalled();
    expect(postMessage).toHaveBeenCalledWith(expect.objectContaining({ text: expect.stringMatching(/Ironclad is unavailable/) }));
  });
});
