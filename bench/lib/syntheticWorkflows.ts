// Big but realistic inputs for the benchmark: workflow files built from the kinds of functions
// real ones contain (fetch and act, notify per item, LLM calls, paging, reports, preferences,
// memory reads/writes, plain helpers), numbered so every function is distinct.

type Template = (n: number) => string;

const PYTHON_HEADER = `"""Synthetic workflow service for the analyzer benchmark."""

import hashlib
import os
import smtplib
from email.message import EmailMessage

import httpx
import requests
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI, Request
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Benchmark workflows")
llm = AsyncOpenAI()
`;

const PYTHON_FUNCTIONS: Template[] = [
  (n) => `

class WatchRequest${n}(BaseModel):
    url: str
    keyword: str
    webhook: str


@app.post("/watch-${n}")
async def watch_page_${n}(request: WatchRequest${n}) -> dict:
    async with httpx.AsyncClient(timeout=20) as client:
        response = await client.get(request.url)
        found = request.keyword.lower() in response.text.lower()
        if found:
            await client.post(request.webhook, json={"text": f"{request.keyword} on {request.url}"})
    logger.info("checked %s", request.url)
    return {"found": found}
`,
  (n) => `

def send_reminders_${n}(invoices: list[dict]) -> int:
    sent = 0
    with smtplib.SMTP(os.environ["SMTP_HOST"], 587) as smtp:
        for invoice in invoices:
            if invoice["status"] != "overdue":
                continue
            msg = EmailMessage()
            msg["Subject"] = f"Invoice {invoice['number']} is overdue"
            msg["To"] = invoice["email"]
            msg.set_content(f"Please pay {invoice['amount']:.2f} EUR.")
            smtp.send_message(msg)
            sent += 1
    return sent
`,
  (n) => `

@app.post("/chat-${n}")
async def chat_${n}(request: Request) -> dict:
    body = await request.json()
    completion = await llm.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "You are a helpful assistant number ${n}."},
            {"role": "user", "content": body["message"]},
        ],
    )
    return {"session": body["session_id"], "reply": completion.choices[0].message.content}
`,
  (n) => `

def export_contacts_${n}(token: str) -> list[dict]:
    contacts, after = [], None
    while True:
        params = {"limit": 100, "since": "2024-01-01"}
        if after:
            params["after"] = after
        page = requests.get("https://api.example.com/v3/contacts", params=params, headers={"Authorization": token}, timeout=30).json()
        contacts.extend(page["results"])
        after = page.get("paging", {}).get("next")
        if not after:
            return contacts
`,
  (n) => `

async def remember_digest_${n}(url: str, text: str) -> bool:
    digest = hashlib.sha256(text.encode()).hexdigest()
    async with redis_client() as (redis, ns):
        key = f"{ns}:monitor-${n}:hash:{hashlib.sha1(url.encode()).hexdigest()}"
        if await redis.get(key) == digest:
            return False
        await redis.set(key, digest, ex=30 * 86400)
    return True
`,
  (n) => `

def weekly_report_${n}(deals: list[dict]) -> str:
    open_deals = [deal for deal in deals if deal["status"] == "open"]
    total = sum(deal["value"] for deal in open_deals)
    lines = [f"Open deals: {len(open_deals)} ({total:,.0f} EUR)"]
    for deal in sorted(open_deals, key=lambda d: d["value"], reverse=True)[:10]:
        lines.append(f"- {deal['title']}: {deal['value']:,.0f} EUR ({deal['owner']})")
    return "\\n".join(lines)


def format_amount_${n}(cents: int, currency: str = "EUR") -> str:
    return f"{cents / 100:,.2f} {currency}"
`,
];

const TYPESCRIPT_HEADER = `// Synthetic workflow job for the analyzer benchmark.
import { createHash } from 'node:crypto';
import axios from 'axios';
import cron from 'node-cron';
import Redis from 'ioredis';
import nodemailer from 'nodemailer';
import OpenAI from 'openai';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
const openai = new OpenAI();
const mailer = nodemailer.createTransport({ host: process.env.SMTP_HOST, port: 587 });
`;

const TYPESCRIPT_FUNCTIONS: Template[] = [
  (n) => `
interface WatchJob${n} {
  url: string;
  keyword: string;
  webhook: string;
}

export async function watchPage${n}(job: WatchJob${n}): Promise<boolean> {
  const response = await fetch(job.url, { headers: { 'user-agent': 'bench/${n}' } });
  const html = await response.text();
  const found = html.toLowerCase().includes(job.keyword.toLowerCase());
  if (found) {
    await fetch(job.webhook, { method: 'POST', body: JSON.stringify({ text: \`\${job.keyword} on \${job.url}\` }) });
  }
  return found;
}
`,
  (n) => `
export async function notifySubscribers${n}(subscribers: { email: string; name: string }[]): Promise<number> {
  let sent = 0;
  for (const subscriber of subscribers) {
    await mailer.sendMail({
      from: 'digest@example.com',
      to: subscriber.email,
      subject: \`Hello \${subscriber.name}, here is digest ${n}\`,
      text: 'New posts this week.',
    });
    sent++;
  }
  return sent;
}
`,
  (n) => `
export async function answer${n}(sessionId: string, message: string): Promise<string> {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are assistant ${n}.' },
      { role: 'user', content: message },
    ],
    user: sessionId,
  });
  return completion.choices[0].message.content ?? '';
}
`,
  (n) => `
export async function syncOrders${n}(): Promise<number> {
  let page = 1;
  let synced = 0;
  for (;;) {
    const { data } = await axios.get('https://shop.example.com/api/orders', { params: { page, created_at_min: '2024-01-01' } });
    if (data.orders.length === 0) return synced;
    synced += data.orders.length;
    page++;
  }
}
`,
  (n) => `
export async function rememberDigest${n}(url: string, body: string): Promise<boolean> {
  const digest = createHash('sha256').update(body).digest('hex');
  const key = \`monitor-${n}:hash:\${createHash('sha1').update(url).digest('hex')}\`;
  if ((await redis.get(key)) === digest) return false;
  await redis.set(key, digest, 'EX', 30 * 86400);
  return true;
}
`,
  (n) => `
export function weeklyReport${n}(deals: { title: string; value: number; status: string }[]): string {
  const open = deals.filter((deal) => deal.status === 'open');
  const total = open.reduce((sum, deal) => sum + deal.value, 0);
  return [\`Open deals: \${open.length} (\${total.toFixed(0)} EUR)\`, ...open.slice(0, 10).map((d) => \`- \${d.title}: \${d.value}\`)].join('\\n');
}

cron.schedule('${n % 60} 8 * * 1', () => {
  void notifySubscribers${Math.max(1, n - 4)}([]);
});
`,
];

function build(header: string, templates: readonly Template[], done: (text: string, lines: number) => boolean): string {
  const parts = [header];
  let text = header;
  let lines = header.split('\n').length;
  for (let index = 0; !done(text, lines); index++) {
    const part = templates[index % templates.length](index + 1);
    parts.push(part);
    text += part;
    lines += part.split('\n').length - 1;
  }
  return parts.join('');
}

export type BenchLanguage = 'python' | 'typescript';

/** A workflow file of at least `lines` lines. */
export function workflowFileOfLines(language: BenchLanguage, lines: number): string {
  const [header, templates] = language === 'python' ? [PYTHON_HEADER, PYTHON_FUNCTIONS] : [TYPESCRIPT_HEADER, TYPESCRIPT_FUNCTIONS];
  return build(header, templates, (_text, count) => count >= lines);
}

/** A workflow file of at least `bytes` bytes (UTF-8; the templates are ASCII). */
export function workflowFileOfBytes(language: BenchLanguage, bytes: number): string {
  const [header, templates] = language === 'python' ? [PYTHON_HEADER, PYTHON_FUNCTIONS] : [TYPESCRIPT_HEADER, TYPESCRIPT_FUNCTIONS];
  return build(header, templates, (text) => text.length >= bytes);
}
