// Exact suggestions for every fixture (kind, line, proposed key, expiry), and every accepted edit
// checked: it re-parses with no ERROR/MISSING node, keeps the file's indentation, compiles as
// Python (py_compile) and type-checks as TypeScript / parses as JavaScript.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, languageFromPath, type LanguageId, type Suggestion } from '../../../src/analysis';
import { llmCall } from '../../../src/analysis/libraries';
import { analyzeFixture, analyzer, javascriptSyntaxErrors, pyCompile, readFixture, REPO_ROOT, tempDir, typeCheck } from './helpers';

type Expected = {
  workflow: boolean;
  /** [kind, 1-based line of the lens, proposed key, expiry label] */
  suggestions: Array<[string, number, string, string]>;
  /** [finding code, 1-based line] */
  findings: Array<[string, number]>;
};

/** Line numbers are 1-based, as an editor shows them. */
export const EXPECTED: Record<string, Expected> = {
  'javascript/bot.mjs': { workflow: true, suggestions: [
    ['preference', 10, "wf:bot:preferences:{ctx.from.id}", '90d'],
      ['conversation', 11, "wf:bot:conversation:{ctx.chat.id}", '24h'],
      ['cache', 15, "wf:bot:cache:{inputDigest}", '1h'],
      ['cursor', 25, "wf:bot:cursor:since", '30d'],
    ], findings: [] },
  'javascript/fourSpaces.js': { workflow: true, suggestions: [
    ['conversation', 10, "wf:four-spaces:conversation:{sessionId}", '24h'],
    ], findings: [] },
  'javascript/monitor.js': { workflow: true, suggestions: [
    ['change-detection', 8, "wf:monitor:page-hash:jobs.example.com/feed.json", '30d'],
      ['dedupe', 11, "wf:monitor:notified:{job.link}", '30d'],
      ['snapshot-diff', 13, "wf:monitor:snapshot:items", '30d'],
    ], findings: [] },
  'negatives/cli.ts': { workflow: false, suggestions: [], findings: [] },
  'negatives/csv_to_json.py': { workflow: false, suggestions: [], findings: [] },
  'negatives/guarded.ts': { workflow: true, suggestions: [], findings: [] },
  'negatives/guarded_monitor.py': { workflow: true, suggestions: [], findings: [] },
  'negatives/inProcess.ts': { workflow: false, suggestions: [], findings: [] },
  'negatives/lib.ts': { workflow: false, suggestions: [], findings: [] },
  'negatives/memo_cache.py': { workflow: false, suggestions: [], findings: [] },
  'negatives/text_utils.py': { workflow: false, suggestions: [], findings: [] },
  'python/codewords/price_monitor.py': { workflow: true, suggestions: [
    ['change-detection', 20, "{ns}:price-monitor:page-hash:{request.feed_url}", '30d'],
      ['dedupe', 23, "{ns}:price-monitor:notified:{listing['url']}", '30d'],
    ], findings: [] },
  'python/codewords/support_bot.py': { workflow: true, suggestions: [
    ['preference', 20, "{ns}:support-bot:preferences:{body.user_id}", '90d'],
      ['conversation', 21, "{ns}:support-bot:conversation:{body.session_id}", '24h'],
    ], findings: [] },
  'python/codewords/weekly_report.py': { workflow: true, suggestions: [
    ['cache', 12, "{ns}:weekly-report:cache:{input_digest}", '1h'],
      ['cursor', 23, "{ns}:weekly-report:cursor:since", '30d'],
      // The lens sits where the collection the report is built from is fetched.
      ['snapshot-diff', 25, "{ns}:weekly-report:snapshot:issues", '30d'],
    ], findings: [] },
  'python/plain/assistant.py': { workflow: true, suggestions: [
    ['preference', 16, "wf:assistant:preferences:{update.effective_user.id}", '90d'],
      ['cache', 17, "wf:assistant:cache:{input_digest}", '1h'],
      ['conversation', 19, "wf:assistant:conversation:{chat_id}", '24h'],
    ], findings: [] },
  'python/plain/issue_sync.py': { workflow: true, suggestions: [
    ['cursor', 10, "wf:issue-sync:cursor:updated-after", '30d'],
      ['snapshot-diff', 25, "wf:issue-sync:snapshot:tickets", '30d'],
    ], findings: [] },
  'python/plain/page_watch.py': { workflow: true, suggestions: [
    ['change-detection', 24, "oncall:page-watch:page-hash:{url}", '30d'],
      ['dedupe', 28, "oncall:page-watch:notified:{incident['id']}:{address}", '30d'],
    ], findings: [] },
  'python/tabs/feed_poster.py': { workflow: true, suggestions: [
    ['change-detection', 9, "wf:feed-poster:page-hash:blog.example.com/feed.json", '30d'],
      ['dedupe', 12, "wf:feed-poster:notified:{entry_fingerprint}", '30d'],
    ], findings: [] },
  'syntax-errors/broken.py': { workflow: true, suggestions: [], findings: [['write-without-expiry', 10], ['whole-body-in-memory', 10]] },
  'syntax-errors/broken.ts': { workflow: true, suggestions: [], findings: [['write-without-expiry', 7]] },
  'tsx/route.tsx': { workflow: true, suggestions: [
    ['change-detection', 12, "wf:workflow:page-hash:{repo}", '30d'],
      ['cache', 14, "wf:workflow:cache:{inputDigest}", '1h'],
    ], findings: [] },
  // The body read inline (`summarize(await response.text())`) moves into a variable the check shares;
  // `return (await res.json())` returns the page and gets nothing.
  'typescript/ioredis/inlineBody.ts': { workflow: true, suggestions: [
    ['change-detection', 19, "releases:inline-body:page-hash:releases.example.com/notes.html", '30d'],
    ], findings: [] },
  'typescript/ioredis/priceMonitor.ts': { workflow: true, suggestions: [
    ['change-detection', 17, "pricewatch:price-monitor:page-hash:{PRICE_LIST_URL}", '30d'],
      ['dedupe', 21, "pricewatch:price-monitor:notified:{drop.sku}", '30d'],
    ], findings: [] },
  'typescript/ioredis/supportBot.ts': { workflow: true, suggestions: [
    ['preference', 13, "support:support-bot:preferences:{sessionId}", '90d'],
      ['conversation', 14, "support:support-bot:conversation:{sessionId}", '24h'],
    ], findings: [] },
  'typescript/ioredis/weeklyReport.ts': { workflow: true, suggestions: [
    ['cache', 17, "wf:weekly-report:cache:{inputDigest}", '1h'],
      ['cursor', 28, "wf:weekly-report:cursor:created-after", '30d'],
      ['snapshot-diff', 29, "wf:weekly-report:snapshot:orders", '30d'],
    ], findings: [] },
  'typescript/no-redis/assistant.ts': { workflow: true, suggestions: [
    ['conversation', 12, "wf:assistant:conversation:{userId}", '24h'],
      ['cache', 18, "wf:assistant:cache:{inputDigest}", '1h'],
      ['preference', 24, "wf:assistant:preferences:{userId}", '90d'],
    ], findings: [] },
  'typescript/node-redis/pageWatch.ts': { workflow: true, suggestions: [
    ['change-detection', 15, "status:page-watch:page-hash:status.example.com/api/v2/summary.json", '30d'],
      ['dedupe', 18, "status:page-watch:notified:{incident.id}", '30d'],
      // The incidents fetched for the daily report are a snapshot site, not a watched page.
      ['snapshot-diff', 24, "status:page-watch:snapshot:history", '30d'],
      ['cursor', 34, "status:page-watch:cursor:page", '30d'],
    ], findings: [['write-without-expiry', 20]] },
  'uses-memory/codewords_misuse.py': { workflow: true, suggestions: [], findings: [['whole-body-in-memory', 16], ['key-outside-namespace', 17], ['write-without-expiry', 18], ['secret-in-memory', 19], ['write-without-expiry', 21]] },
  'uses-memory/ioredisMisuse.ts': { workflow: true, suggestions: [], findings: [['whole-body-in-memory', 9], ['secret-in-memory', 10], ['write-without-expiry', 11], ['write-without-expiry', 12]] },
  'uses-memory/misuse.js': { workflow: true, suggestions: [], findings: [['whole-body-in-memory', 9], ['secret-in-memory', 10], ['write-without-expiry', 11]] },
  'uses-memory/nodeRedisMisuse.ts': { workflow: true, suggestions: [], findings: [['write-without-expiry', 8], ['write-without-expiry', 9], ['write-without-expiry', 10]] },
  'uses-memory/redis_py_misuse.py': { workflow: true, suggestions: [], findings: [['write-without-expiry', 12], ['write-without-expiry', 13], ['whole-body-in-memory', 13]] },
  // Patterns a careful reviewer expects (one fixture per pattern; see the comment at the top of each file).
  'python/recall/review_sentiment.py': { workflow: true, suggestions: [
    // A paid sentiment endpoint (POST) whose JSON is read after a raise_for_status() check.
    ['cache', 15, "wf:review-sentiment:cache:{input_digest}", '1h'],
    // Temperature 0, the answer read out further down (`return completion.choices[0]…`).
    ['cache', 26, "wf:review-sentiment:cache:{input_digest}", '1h'],
    ], findings: [] },
  'python/recall/recipe_bot.py': { workflow: true, suggestions: [
    // `/units imperial` parsed from the message; the fixed lookup with the message's words is no watched page.
    ['preference', 27, "{ns}:recipe-bot:preferences:{chat_id}", '90d'],
    ], findings: [] },
  'python/recall/thread_helper.py': { workflow: true, suggestions: [
    ['conversation', 15, "wf:thread-helper:conversation:{thread_ts}", '24h'],
    ], findings: [] },
  'python/recall/policy_desk.py': { workflow: true, suggestions: [
    ['conversation', 19, "wf:policy-desk:conversation:{question.thread_id}", '24h'],
    ], findings: [] },
  'python/recall/open_prs_digest.py': { workflow: true, suggestions: [
    ['snapshot-diff', 13, "wf:open-prs-digest:snapshot:oldest-first", '30d'],
    ], findings: [] },
  'python/recall/charges_sync.py': { workflow: true, suggestions: [
    // `created={"gte": GO_LIVE}`: a fixed lower bound passed through an SDK argument.
    ['cursor', 17, "ledger:charges-sync:cursor:created", '30d'],
    // A page token put into the query dict before the request (`query["page_token"] = page_token`).
    ['cursor', 23, "ledger:charges-sync:cursor:page-token", '30d'],
    ], findings: [['write-without-expiry', 19]] },
  'python/recall/quote_service.py': { workflow: false, suggestions: [], findings: [] },
  'python/recall/guest_history_hygiene.py': { workflow: true, suggestions: [], findings: [['key-outside-namespace', 23], ['key-outside-namespace', 26]] },
  'typescript/recall/discordHelper.ts': { workflow: true, suggestions: [
    ['preference', 12, "wf:discord-helper:preferences:{message.author.id}", '90d'],
    ['conversation', 16, "wf:discord-helper:conversation:{message.channelId}", '24h'],
    ], findings: [] },
  'typescript/recall/geocodeLookup.ts': { workflow: true, suggestions: [
    ['cache', 7, "wf:geocode-lookup:cache:{inputDigest}", '1h'],
    ], findings: [] },
  'typescript/recall/pageWorker.ts': { workflow: true, suggestions: [
    ['change-detection', 13, "wf:page-worker:page-hash:{job.pageUrl}", '30d'],
    ], findings: [] },
  'typescript/recall/productsPaginate.ts': { workflow: true, suggestions: [
    ['cursor', 17, "wf:products-paginate:cursor:updated-at-min", '30d'],
    ], findings: [] },
  'typescript/recall/roadmapReport.ts': { workflow: true, suggestions: [
    ['snapshot-diff', 9, "wf:roadmap-report:snapshot:items", '30d'],
    ], findings: [] },
  'typescript/recall/ticketExport.ts': { workflow: true, suggestions: [
    ['cursor', 14, "wf:ticket-export:cursor:start-time", '30d'],
    ], findings: [] },
  'tsx/recall/helpAction.tsx': { workflow: true, suggestions: [
    ['conversation', 11, "wf:help-action:conversation:{visitorId}", '24h'],
    ], findings: [] },
  'javascript/recall/eventsPoller.js': { workflow: true, suggestions: [
    ['cursor', 9, "wf:events-poller:cursor:timestamp", '30d'],
    ], findings: [] },
  'javascript/recall/staleListings.cjs': { workflow: true, suggestions: [
    ['snapshot-diff', 10, "wf:stale-listings:snapshot:listings", '30d'],
    ], findings: [] },
  'javascript/recall/surveyLocale.js': { workflow: true, suggestions: [
    ['preference', 12, "wf:survey-locale:preferences:{fields.email}", '90d'],
    ], findings: [] },
};

describe('analysis: suggestions per fixture', () => {
  for (const [fixture, expected] of Object.entries(EXPECTED)) {
    it(`${fixture}: ${expected.suggestions.map((s) => s[0]).join(', ') || 'nothing to suggest'}`, async () => {
      const result = await analyzeFixture(fixture);
      assert.equal(result.isWorkflow, expected.workflow, 'isWorkflow');
      assert.deepEqual(
        result.suggestions.map((s) => [s.kind, s.range.start.line + 1, s.key, s.ttlLabel]),
        expected.suggestions,
      );
      assert.deepEqual(
        result.findings.map((f) => [f.code, f.range.start.line + 1]),
        expected.findings,
      );
    });
  }
});

describe('analysis: accepted edits', () => {
  const accepted: Array<{ fixture: string; suggestion: Suggestion; original: string; result: string }> = [];

  before(async function () {
    this.timeout(20000);
    for (const fixture of Object.keys(EXPECTED)) {
      const { suggestions, text } = await analyzeFixture(fixture);
      for (const suggestion of suggestions) accepted.push({ fixture, suggestion, original: text, result: applyEdits(text, suggestion.edits) });
    }
  });

  it('there is an accepted edit for each of the seven kinds', () => {
    const kinds = new Set(accepted.map((a) => a.suggestion.kind));
    assert.deepEqual([...kinds].sort(), ['cache', 'change-detection', 'conversation', 'cursor', 'dedupe', 'preference', 'snapshot-diff']);
  });

  it('every result re-parses with no ERROR or MISSING node', async () => {
    const parser = await analyzer();
    for (const { fixture, suggestion, result } of accepted) {
      const { language } = readFixture(fixture);
      assert.ok(parser.parsesCleanly(result, language), `${fixture} ${suggestion.kind} at line ${suggestion.range.start.line + 1}:\n${result}`);
    }
  });

  it('every write the inserted code makes has an expiry', () => {
    for (const { fixture, suggestion, original, result } of accepted) {
      const added = addedLines(original, result).join('\n');
      const writes = added.match(/\.(set|hset|hSet|rpush|rPush|sadd|sAdd)\(/g) ?? [];
      const expiries = added.match(/ex=|'EX'|"EX"|\{ EX:|\.expire\(/g) ?? [];
      assert.ok(expiries.length >= Math.min(1, writes.length), `${fixture} ${suggestion.kind}: ${added}`);
      const ttlExpression = String(suggestion.ttlSeconds % 86400 === 0 && suggestion.ttlSeconds > 86400 ? `${suggestion.ttlSeconds / 86400} * 86400` : suggestion.ttlSeconds);
      assert.ok(added.includes(ttlExpression), `${fixture} ${suggestion.kind}: expiry ${ttlExpression} missing in\n${added}`);
    }
  });

  it('inserted lines keep the file\'s indentation (tabs stay tabs, spaces stay spaces)', () => {
    for (const { fixture, suggestion, original, result } of accepted) {
      const usesTabs = /^\t/m.test(original);
      for (const line of addedLines(original, result)) {
        const indent = /^[ \t]*/.exec(line)![0];
        if (usesTabs) assert.ok(!indent.includes(' '), `${fixture} ${suggestion.kind}: space-indented line ${JSON.stringify(line)}`);
        else assert.ok(!indent.includes('\t'), `${fixture} ${suggestion.kind}: tab-indented line ${JSON.stringify(line)}`);
      }
    }
  });

  it("inserted blocks step by the file's own indentation, not by a docstring's, a doc comment's or an aligned continuation's", async () => {
    const python = [
      '"""Restock texts.',
      '',
      'Routes:',
      '  POST /run  - hourly',
      '"""',
      'import os',
      '',
      'import requests',
      'import schedule',
      '',
      '',
      'def job():',
      '    people = requests.get("https://api.example.com/waitlist", timeout=10).json()',
      '    for person in people:',
      '        requests.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": person["name"],',
      '                                                              "channel": "#stock"}, timeout=10)',
      '',
      '',
      'schedule.every().hour.do(job)',
      '',
    ].join('\n');
    const typescript = [
      '/**',
      ' * Restock texts, every hour.',
      ' */',
      "import cron from 'node-cron';",
      "import { WebClient } from '@slack/web-api';",
      '',
      'const slack = new WebClient(process.env.SLACK_TOKEN);',
      '',
      "cron.schedule('0 * * * *', async () => {",
      "    const people = (await (await fetch('https://api.example.com/waitlist')).json()) as Array<{ id: string; slackId: string }>;",
      '    for (const person of people) {',
      "        await slack.chat.postMessage({ channel: person.slackId, text: 'Back in stock' });",
      '    }',
      '});',
      '',
    ].join('\n');
    for (const [source, language] of [[python, 'python'], [typescript, 'typescript']] as const) {
      const dedupe = (await analyzer()).analyze(source, language, { fileName: 'restock' }).suggestions.find((s) => s.kind === 'dedupe');
      assert.ok(dedupe, language);
      // The lines that open and close the inserted blocks (the moved send keeps its own continuation alignment).
      const added = addedLines(source, applyEdits(source, dedupe.edits)).filter((l) => /^\s*(if\b|try\b|except\b|continue\b|raise\b|\} catch\b|throw\b|# Workflow memory|\/\/ Workflow memory)/.test(l));
      assert.ok(added.length >= 4, added.join('\n'));
      for (const addedLine of added) assert.equal(/^ */.exec(addedLine)![0].length % 4, 0, `${language}: ${JSON.stringify(addedLine)}`);
    }
  });

  it('Python results compile (python3 -m py_compile)', function () {
    this.timeout(30000);
    const dir = tempDir('py');
    const files = accepted
      .filter((a) => a.fixture.endsWith('.py'))
      .map((a, index) => {
        const file = path.join(dir, `case_${index}_${path.basename(a.fixture)}`);
        fs.writeFileSync(file, a.result);
        return file;
      });
    assert.ok(files.length >= 7);
    assert.equal(pyCompile(files), '');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('TypeScript results type-check (strict, real ioredis types, stubs for other libraries)', function () {
    this.timeout(60000);
    const dir = tempDir('ts');
    const originals: string[] = [];
    const results: string[] = [];
    accepted
      .filter((a) => /\.tsx?$/.test(a.fixture))
      .forEach((a, index) => {
        const extension = path.extname(a.fixture);
        const original = path.join(dir, `original_${index}${extension}`);
        const result = path.join(dir, `case_${index}${extension}`);
        fs.writeFileSync(original, a.original);
        fs.writeFileSync(result, `// ${a.fixture} ${a.suggestion.kind}\n${a.result}`);
        originals.push(original);
        results.push(result);
      });
    assert.ok(results.length >= 7);
    assert.deepEqual(typeCheck(originals), [], 'the fixtures themselves type-check');
    assert.deepEqual(typeCheck(results), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('JavaScript results have no syntax errors', () => {
    for (const { fixture, suggestion, result } of accepted.filter((a) => /\.(m|c)?js$/.test(a.fixture))) {
      assert.deepEqual(javascriptSyntaxErrors(result, path.basename(fixture)), [], `${fixture} ${suggestion.kind}`);
    }
  });

  it('titles, explanations and ids have the documented form', () => {
    for (const { fixture, suggestion } of accepted) {
      assert.match(suggestion.title, new RegExp(`^Add memory: .+ \\(${suggestion.kind} · ${suggestion.ttlLabel}\\)$`), fixture);
      assert.ok(suggestion.explanation.length > 40 && suggestion.explanation.length < 400, `${fixture}: ${suggestion.explanation}`);
      assert.ok(suggestion.explanation.includes(suggestion.key), `${fixture}: the explanation names the key`);
      assert.match(suggestion.id, new RegExp(`^${suggestion.kind}:[0-9a-f]{16}(#\\d+)?$`));
    }
  });
});

/** The first suggestion of `kind` in `source` (the test fails, listing the kinds found, when there is none). */
async function suggestionOf(source: string, language: LanguageId, fileName: string, kind: string): Promise<Suggestion> {
  const result = (await analyzer()).analyze(source, language, { fileName });
  const suggestion = result.suggestions.find((s) => s.kind === kind);
  assert.ok(suggestion, `a ${kind} suggestion in ${fileName}; found: ${JSON.stringify(result.suggestions.map((s) => s.kind))}`);
  return suggestion;
}

/** Lines present in `after` that were not in `before` (inserted or rewritten). */
export function addedLines(before: string, after: string): string[] {
  const original = new Set(before.split('\n'));
  return after.split('\n').filter((line) => !original.has(line));
}

describe('analysis: suggestions that would contradict each other', () => {
  it('a loop that fetches, then notifies about the content, gets change-detection and no dedupe', async () => {
    // Remembering "already told about this page" would silence every later change of the page.
    const source = [
      'import requests',
      'import schedule',
      '',
      'PAGES = ["https://example.com/pricing", "https://example.com/terms"]',
      '',
      '',
      'def check() -> None:',
      '    for url in PAGES:',
      '        page = requests.get(url, timeout=10)',
      '        requests.post("https://hooks.slack.com/services/T0/B0/X", json={"text": f"{url} changed: {page.text[:200]}"})',
      '',
      '',
      'schedule.every().hour.do(check)',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'page_watch.py' });
    assert.deepEqual(result.suggestions.map((s) => [s.kind, s.range.start.line + 1]), [['change-detection', 9]]);
  });
});

describe('analysis: proposed keys', () => {
  it('do not repeat the workflow when the file\'s keys already start with it', async () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'examples', 'typescript', 'notifier.ts'), 'utf8');
    assert.match(source, /'notifier:last-run'/, 'the example keeps its keys under notifier:');
    const result = (await analyzer()).analyze(source, 'typescript', { fileName: 'notifier.ts' });
    assert.deepEqual(result.suggestions.map((s) => [s.kind, s.key]), [['dedupe', 'notifier:notified:{order.id}']]);
  });
});

describe('analysis: change-detection on a body read inline', () => {
  it('moves `await response.text()` into a variable that the check and the original call share, read once', async () => {
    const { text: source } = readFixture('typescript/ioredis/inlineBody.ts');
    const suggestion = await suggestionOf(source, 'typescript', 'inlineBody.ts', 'change-detection');
    const after = applyEdits(source, suggestion.edits);
    assert.match(after, /^ {2}const pageText = await response\.text\(\);\n {2}\/\/ Workflow memory: skip the work below/m);
    assert.match(after, /^ {2}const summary = summarize\(pageText\);$/m);
    assert.equal(after.match(/response\.text\(\)/g)?.length, 1, 'a fetch body can be read only once');
  });
});

describe('analysis: entry points, inputs and sites beyond the fixtures', () => {
  async function analyzeSource(source: string, language: 'python' | 'typescript' | 'tsx', fileName: string) {
    return (await analyzer()).analyze(source, language, { fileName });
  }
  const kindsAndLines = (result: { suggestions: Suggestion[] }) => result.suggestions.map((s) => [s.kind, s.range.start.line + 1]);

  it('Python: a method run as `Reminders().run()` under the main guard is an entry point, and what it calls in a loop is a dedupe site', async () => {
    const source = [
      'import requests',
      '',
      '',
      'class Reminders:',
      '    def remind(self, person: dict) -> None:',
      '        requests.post("https://hooks.slack.com/services/T0/B0/X", json={"text": person["name"]}, timeout=10)',
      '',
      '    def run(self) -> None:',
      '        people = requests.get("https://hr.example.com/api/people", timeout=10).json()',
      '        for person in people:',
      '            self.remind(person)',
      '',
      '',
      'if __name__ == "__main__":',
      '    Reminders().run()',
      '',
    ].join('\n');
    const result = await analyzeSource(source, 'python', 'reminders.py');
    assert.equal(result.isWorkflow, true);
    assert.ok(kindsAndLines(result).some(([kind, line]) => kind === 'dedupe' && line === 11), JSON.stringify(kindsAndLines(result)));
  });

  it('Next.js: a server action (`\'use server\'`) runs per request', async () => {
    const source = [
      "import { redirect } from 'next/navigation';",
      '',
      'async function savePlan(formData: FormData) {',
      "  'use server';",
      "  const reply = await fetch('https://billing.example.com/api/plans', { method: 'POST', body: formData });",
      "  redirect(reply.ok ? '/done' : '/error');",
      '}',
      '',
      'export default function Page() {',
      '  return <form action={savePlan}><button>Save</button></form>;',
      '}',
      '',
    ].join('\n');
    const result = await analyzeSource(source, 'tsx', 'page.tsx');
    assert.equal(result.isWorkflow, true);
  });

  it('TypeScript: a destructured input with a default (`{ locale = \'en\' }`) is part of the cache key', async () => {
    const source = [
      "import OpenAI from 'openai';",
      "import { Hono } from 'hono';",
      '',
      'const openai = new OpenAI();',
      'const app = new Hono();',
      '',
      "app.post('/describe', async (c) => {",
      "  const { text, locale = 'en' } = await c.req.json();",
      '  const completion = await openai.chat.completions.create({',
      "    model: 'gpt-4o-mini',",
      '    temperature: 0,',
      "    messages: [{ role: 'system', content: `Answer in ${locale}.` },",
      "      { role: 'user', content: `Describe: ${text}` }],",
      '  });',
      '  return c.json({ answer: completion.choices[0].message.content, model: completion.model });',
      '});',
      '',
    ].join('\n');
    const result = await analyzeSource(source, 'typescript', 'describe.ts');
    const cache = result.suggestions.find((s) => s.kind === 'cache');
    assert.ok(cache, 'single-line template strings on several lines do not block the cache suggestion');
    const after = applyEdits(source, cache.edits);
    assert.match(after, /JSON\.stringify\(\[locale, text\]\)|JSON\.stringify\(\[text, locale\]\)/);
    // `completion.model` is read later: the whole response is cached, not only the extracted text.
    assert.match(after, /let completion = JSON\.parse/);
  });

  it('a fetched list whose items are each fetched in turn gets no change-detection (an unchanged list says nothing about the pages)', async () => {
    const source = [
      "import axios from 'axios';",
      "import cron from 'node-cron';",
      '',
      'async function syncMenu(restaurant: { menuUrl: string }): Promise<void> {',
      '  const { data: html } = await axios.get<string>(restaurant.menuUrl);',
      "  await axios.post('https://search.example.com/index', { html });",
      '}',
      '',
      'async function main(): Promise<void> {',
      "  const { data: restaurants } = await axios.get('https://partners.example.com/restaurants');",
      '  for (const restaurant of restaurants) {',
      '    await syncMenu(restaurant);',
      '  }',
      '}',
      '',
      "cron.schedule('*/30 * * * *', () => main());",
      '',
    ].join('\n');
    const result = await analyzeSource(source, 'typescript', 'menus.ts');
    assert.ok(!result.suggestions.some((s) => s.kind === 'change-detection' && s.range.start.line + 1 === 10), JSON.stringify(kindsAndLines(result)));
  });

  it('change-detection on `const { data: page } = await axios.get(…)` hashes `page`, the local the body lands in', async () => {
    const source = [
      "import axios from 'axios';",
      "import cron from 'node-cron';",
      '',
      'async function check(): Promise<void> {',
      "  const { data: page } = await axios.get('https://status.example.com/summary.json');",
      "  await axios.post('https://hooks.slack.com/services/T0/B0/X', { text: JSON.stringify(page) });",
      '}',
      '',
      "cron.schedule('*/10 * * * *', () => check());",
      '',
    ].join('\n');
    const result = await analyzeSource(source, 'typescript', 'status.ts');
    const change = result.suggestions.find((s) => s.kind === 'change-detection');
    assert.ok(change, JSON.stringify(kindsAndLines(result)));
    assert.match(applyEdits(source, change.edits), /JSON\.stringify\(page\)\)\.digest/);
  });

  it('no cursor on a page counter declared in a `for` header: one full pass per run, and the variable lives only in the loop', async () => {
    const source = [
      "import cron from 'node-cron';",
      '',
      'async function allDomains(): Promise<string[]> {',
      '  const names: string[] = [];',
      '  for (let page = 1, total = 1; page <= total; page += 1) {',
      '    const res = await fetch(`https://api.example.com/domains?page=${page}`);',
      '    const body = await res.json();',
      '    names.push(...body.data);',
      '    total = body.pagination.total_pages;',
      '  }',
      '  return names;',
      '}',
      '',
      "cron.schedule('30 7 * * 1-5', async () => { await fetch('https://hooks.example.com/x', { method: 'POST', body: (await allDomains()).join() }); });",
      '',
    ].join('\n');
    const result = await analyzeSource(source, 'typescript', 'domains.ts');
    assert.ok(!result.suggestions.some((s) => s.kind === 'cursor'), JSON.stringify(kindsAndLines(result)));
  });
});

describe('analysis: dedupe in a webhook handler', () => {
  const STRIPE_RELAY = [
    "const express = require('express');",
    "const Stripe = require('stripe');",
    "const axios = require('axios');",
    '',
    'const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);',
    'const app = express();',
    '',
    "app.post('/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => {",
    "  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);",
    "  await axios.post(process.env.DISCORD_WEBHOOK_URL, { content: `Dispute update (${event.id}): ${event.data.object.status}` });",
    '  res.sendStatus(200);',
    '});',
    '',
    'app.listen(4242);',
    '',
  ].join('\n');

  it('wraps the one send in a SET NX on the event id: a redelivered event sends once', async () => {
    const dedupe = await suggestionOf(STRIPE_RELAY, 'javascript', 'relay.js', 'dedupe');
    assert.equal(dedupe.range.start.line + 1, 10);
    assert.equal(dedupe.key, 'wf:relay:notified:{event.id}');
    const after = applyEdits(STRIPE_RELAY, dedupe.edits);
    assert.match(after, /\n {2}const eventKey = `wf:relay:notified:\$\{event\.id\}`;\n {2}if \(await memory\.set\(eventKey, '1', 'EX', 30 \* 86400, 'NX'\)\) \{\n {4}try \{\n {6}await axios\.post\(process\.env\.DISCORD_WEBHOOK_URL/);
    // A failed send gives the claim back, so the redelivery sends it.
    assert.match(after, /\} catch \(error\) \{\n {6}await memory\.del\(eventKey\);\n {6}throw error;\n {4}\}/);
    assert.deepEqual(javascriptSyntaxErrors(after, 'relay.js'), []);
  });

  it('Python: a FastAPI webhook relaying `payload["id"]` gets the same wrap, and the result compiles', async () => {
    const source = [
      'import os',
      '',
      'import httpx',
      'from fastapi import FastAPI, Request',
      '',
      'app = FastAPI()',
      '',
      '',
      '@app.post("/webhooks/orders")',
      'async def order_webhook(request: Request) -> dict:',
      '    payload = await request.json()',
      '    async with httpx.AsyncClient() as client:',
      '        await client.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": f"Order {payload[\'id\']} paid"})',
      '    return {"ok": True}',
      '',
    ].join('\n');
    const dedupe = await suggestionOf(source, 'python', 'orders.py', 'dedupe');
    const after = applyEdits(source, dedupe.edits);
    assert.match(after, /event_key = f"wf:orders:notified:\{payload\['id'\]\}"\n {8}first_delivery = await memory\.set\(event_key, 1, nx=True, ex=30 \* 86400\)\n {8}if first_delivery:\n {12}try:\n {16}await client\.post/);
    assert.match(after, /except Exception:\n {16}await memory\.delete\(event_key\)\n {16}raise/);
    const file = path.join(tempDir('webhook'), 'orders.py');
    fs.writeFileSync(file, after);
    assert.equal(pyCompile([file]), '');
  });

  it('a route that answers each request (no webhook, no event id) gets no dedupe', async () => {
    const source = STRIPE_RELAY.replace("'/stripe/webhook'", "'/ask'").replace(/ {2}const event = .*\n/, '  const event = { data: { object: req.body } };\n');
    const result = (await analyzer()).analyze(source, 'javascript', { fileName: 'ask.js' });
    assert.ok(!result.suggestions.some((s) => s.kind === 'dedupe'), JSON.stringify(result.suggestions.map((s) => s.kind)));
  });
});

describe('analysis: reports over a paged listing, and the client the code uses', () => {
  const DOMAIN_REPORT = [
    "import { createClient } from 'redis';",
    "import sgMail from '@sendgrid/mail';",
    '',
    'const redis = createClient({ url: process.env.REDIS_URL });',
    '',
    'async function allDomains(): Promise<Array<{ name: string; expires_at: string }>> {',
    '  const domains: Array<{ name: string; expires_at: string }> = [];',
    '  for (let page = 1, total = 1; page <= total; page += 1) {',
    '    const res = await fetch(`https://api.example.com/domains?page=${page}`);',
    '    const body = await res.json();',
    '    domains.push(...body.data);',
    '    total = body.pagination.total_pages;',
    '  }',
    '  return domains;',
    '}',
    '',
    'async function run(): Promise<void> {',
    '  await redis.connect();',
    "  const locked = await redis.set('domains:lock', '1', { NX: true, EX: 600 });",
    '  if (!locked) return;',
    '  const expiring = (await allDomains()).filter((d) => Date.parse(d.expires_at) - Date.now() < 60 * 86_400_000);',
    "  const rows = expiring.map((d) => `<li>${d.name}</li>`).join('');",
    "  await sgMail.send({ to: 'it@example.com', from: 'reports@example.com', subject: 'Expiring domains', html: `<ul>${rows}</ul>` });",
    '}',
    '',
    'run();',
    '',
  ].join('\n');

  it('a report over every page of a listing gets snapshot-diff, written with the client, not with `locked` (the answer of a SET)', async () => {
    const result = (await analyzer()).analyze(DOMAIN_REPORT, 'typescript', { fileName: 'domains.ts' });
    const snapshot = result.suggestions.find((s) => s.kind === 'snapshot-diff');
    assert.ok(snapshot, JSON.stringify(result.suggestions.map((s) => [s.kind, s.range.start.line + 1])));
    assert.equal(snapshot.range.start.line + 1, 21);
    const after = applyEdits(DOMAIN_REPORT, snapshot.edits);
    assert.match(after, /await redis\.get\(snapshotKey\)/);
    assert.doesNotMatch(after, /locked\.(get|set)\(/);
  });
});

describe('analysis: Slack Bolt message handlers', () => {
  it('a chat call in `app.message(async ({ message, say }) => …)` keeps the turns per channel (`message.channel`)', async () => {
    const source = [
      "import { App } from '@slack/bolt';",
      "import Anthropic from '@anthropic-ai/sdk';",
      '',
      'const app = new App({ token: process.env.SLACK_BOT_TOKEN, appToken: process.env.SLACK_APP_TOKEN, socketMode: true });',
      'const anthropic = new Anthropic();',
      '',
      'app.message(async ({ message, say }) => {',
      "  if (message.subtype !== undefined || !message.text) return;",
      "  const reply = await anthropic.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 400, messages: [{ role: 'user', content: message.text }] });",
      "  await say(reply.content.map((block) => (block.type === 'text' ? block.text : '')).join(''));",
      '});',
      '',
      '(async () => {',
      '  await app.start();',
      '})();',
      '',
    ].join('\n');
    const conversation = await suggestionOf(source, 'typescript', 'ask.ts', 'conversation');
    assert.equal(conversation.key, 'wf:ask:conversation:{message.channel}');
  });
});

describe('analysis: stores into a container bind no name', () => {
  it('`session.headers["User-Agent"] = …` leaves `session` a requests.Session, so its fetch is still a change-detection site', async () => {
    const source = [
      'import requests',
      'import schedule',
      '',
      'session = requests.Session()',
      '',
      '',
      'def job():',
      '    session.headers["User-Agent"] = "pricewatch/1.0"',
      '    page = session.get("https://shop.example.com/item/42", timeout=10)',
      '    requests.post("https://hooks.slack.com/services/T0/B0/X", json={"text": page.text[:200]}, timeout=10)',
      '',
      '',
      'schedule.every(10).minutes.do(job)',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'pricewatch.py' });
    assert.deepEqual(result.suggestions.map((s) => [s.kind, s.range.start.line + 1]), [['change-detection', 9]]);
  });
});

describe('analysis: TypeScript `await f<T>(…)`', () => {
  it('is a call of `f`, awaited (tree-sitter reads it as a call of `await f`): a generic local fetch helper is where the report\'s collection comes from', async () => {
    const source = [
      "import cron from 'node-cron';",
      "import nodemailer from 'nodemailer';",
      '',
      'type Feed = { items: Array<{ id: string; title: string }> };',
      'const mailer = nodemailer.createTransport(process.env.SMTP_URL);',
      '',
      'async function getJson<T>(url: string): Promise<T> {',
      '  const res = await fetch(url);',
      '  return (await res.json()) as T;',
      '}',
      '',
      'async function digest(): Promise<void> {',
      "  const feed = await getJson<Feed>('https://blog.example.com/feed.json');",
      "  const lines = feed.items.map((item) => `- ${item.title}`).join('\\n');",
      "  await mailer.sendMail({ to: 'team@example.com', subject: 'Blog digest', text: lines });",
      '}',
      '',
      "cron.schedule('0 8 * * *', () => digest());",
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'typescript', { fileName: 'digest.ts' });
    assert.deepEqual(result.suggestions.map((s) => [s.kind, s.range.start.line + 1]), [['snapshot-diff', 13]]);
  });
});

describe('analysis: from the precision batch', () => {
  it('Python: a start computed from `now = datetime.now(…)` is a fixed start; the code never uses a client bound only further down', async () => {
    const source = [
      'from datetime import datetime, timedelta, timezone',
      '',
      'import redis',
      'import requests',
      'from celery import Celery',
      '',
      'app = Celery("tasks")',
      '',
      '',
      '@app.task',
      'def sync() -> int:',
      '    now = datetime.now(timezone.utc)',
      '    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0)',
      '    params = {"modifiedSince": monday.strftime("%Y-%m-%dT%H:%M:%SZ")}',
      '    items = requests.get("https://api.example.com/conversations", params=params, timeout=30).json()',
      '    stats = redis.Redis()',
      '    stats.set("tasks:sync:count", len(items), ex=86400)',
      '    return len(items)',
      '',
    ].join('\n');
    const cursor = await suggestionOf(source, 'python', 'tasks.py', 'cursor');
    const after = applyEdits(source, cursor.edits);
    assert.match(after, /run_started = datetime\.now\(timezone\.utc\)\.isoformat\(\)/);
    // Saved once the work is done, so a failed run is read again next time.
    assert.match(after, /\n {4}memory\.set\(cursor_key, run_started, ex=30 \* 86400\)\n {4}return len\(items\)\n/);
    assert.match(after, /monday = datetime\.fromisoformat\(stored_modified_since\) if stored_modified_since else \(now - timedelta/);
    assert.doesNotMatch(after, /stats\.(get|set)\(cursor_key/);
  });

  it('a job status polled in `while True:` is not cached, the paid submission before it is', async () => {
    const source = [
      'import asyncio',
      'import os',
      '',
      'import httpx',
      '',
      '',
      'async def transcribe(client: httpx.AsyncClient, audio_url: str) -> str:',
      '    job = await client.post("https://api.example.com/v2/transcript", json={"audio_url": audio_url})',
      '    job.raise_for_status()',
      '    transcript_id = job.json()["id"]',
      '    while True:',
      '        status = (await client.get(f"https://api.example.com/v2/transcript/{transcript_id}")).json()',
      '        if status["status"] == "completed":',
      '            return status["text"]',
      '        await asyncio.sleep(15)',
      '',
      '',
      'async def main() -> None:',
      '    async with httpx.AsyncClient() as client:',
      '        print(await transcribe(client, os.environ["AUDIO_URL"]))',
      '',
      '',
      'if __name__ == "__main__":',
      '    asyncio.run(main())',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'transcribe.py' });
    assert.deepEqual(result.suggestions.filter((s) => s.kind === 'cache').map((s) => s.range.start.line + 1), [8]);
  });

  it('a `\'use client\'` module runs in the browser: not a workflow, however it fetches and polls', async () => {
    const source = [
      "'use client';",
      "import { useEffect, useState } from 'react';",
      '',
      'export default function Panel() {',
      '  const [data, setData] = useState(null);',
      '  useEffect(() => {',
      "    const timer = setInterval(async () => setData(await (await fetch('/api/pollen')).json()), 600000);",
      '    return () => clearInterval(timer);',
      '  }, []);',
      '  return <pre>{JSON.stringify(data)}</pre>;',
      '}',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'tsx', { fileName: 'Panel.tsx' });
    assert.equal(result.isWorkflow, false);
    assert.deepEqual(result.suggestions, []);
  });
});

describe('analysis: from the fourth batch', () => {
  it('`html = await got(url).text()` inside try is a watched page: the check goes right after the fetch', async () => {
    const source = [
      "const got = require('got');",
      '',
      'async function main() {',
      '  let html;',
      '  try {',
      "    html = await got('https://ferries.example.com/status').text();",
      '  } catch (err) {',
      '    return;',
      '  }',
      "  await got.post('https://hooks.slack.com/services/T0/B0/X', { json: { text: html.slice(0, 200) } });",
      '}',
      '',
      'main();',
      '',
    ].join('\n');
    const change = await suggestionOf(source, 'javascript', 'ferries.cjs', 'change-detection');
    assert.equal(change.range.start.line + 1, 6);
    assert.match(applyEdits(source, change.edits), /\.text\(\);\n {4}\/\/ Workflow memory: skip the work below[^\n]*\n {4}const pageDigest = createHash\('sha256'\)\.update\(html\)/);
  });

  it('`" ".join(…)` over request data builds a query, not a report: no snapshot-diff', async () => {
    const source = [
      'import httpx',
      'from fastapi import FastAPI',
      'from pydantic import BaseModel',
      '',
      'app = FastAPI()',
      '',
      '',
      'class Check(BaseModel):',
      '    brands: list[str]',
      '',
      '',
      '@app.post("/")',
      'async def check(request: Check) -> dict:',
      '    query = " ".join(f\'firm:"{brand}"\' for brand in request.brands)',
      '    async with httpx.AsyncClient() as client:',
      '        response = await client.get("https://api.example.gov/recalls.json", params={"search": query})',
      '    return {"count": len(response.json()["results"])}',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'recalls.py' });
    assert.ok(!result.suggestions.some((s) => s.kind === 'snapshot-diff'), JSON.stringify(result.suggestions.map((s) => [s.kind, s.range.start.line + 1])));
  });
});

describe('analysis: posts to social APIs are sends', () => {
  it('a Mastodon reply (`POST /api/v1/statuses`) per mention gets dedupe', async () => {
    const source = [
      'import requests',
      'import schedule',
      '',
      'INSTANCE = "https://botsin.space"',
      '',
      '',
      'def job():',
      '    mentions = requests.get(f"{INSTANCE}/api/v1/notifications", params={"types[]": "mention"}, timeout=10).json()',
      '    for mention in mentions:',
      '        requests.post(f"{INSTANCE}/api/v1/statuses", data={"status": "Thanks!", "in_reply_to_id": mention["status"]["id"]}, timeout=10)',
      '',
      '',
      'schedule.every(5).minutes.do(job)',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'bot.py' });
    assert.ok(result.suggestions.some((s) => s.kind === 'dedupe' && s.range.start.line + 1 === 10), JSON.stringify(result.suggestions.map((s) => [s.kind, s.range.start.line + 1])));
  });
});

describe('analysis: from the review of inserted code', () => {
  it('a cache key covers inputs passed as shorthand properties (`{ params: { address } }`)', async () => {
    const source = [
      "import axios from 'axios';",
      '',
      'export async function handler(address: string): Promise<unknown> {',
      "  const { data } = await axios.get('https://maps.example.com/geocode/json', { params: { address, key: process.env.MAPS_KEY } });",
      '  return data;',
      '}',
      '',
    ].join('\n');
    const cache = await suggestionOf(source, 'typescript', 'geocode.ts', 'cache');
    assert.match(applyEdits(source, cache.edits), /JSON\.stringify\(\[address\]\)/);
  });

  it('no cache suggestion when the call has no input to key by (one key would hand one answer to every caller)', async () => {
    const source = [
      "import OpenAI from 'openai';",
      'const openai = new OpenAI();',
      'export async function handler(): Promise<string> {',
      "  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'Say hi' }] });",
      "  return completion.choices[0].message.content ?? '';",
      '}',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'typescript', { fileName: 'hi.ts' });
    assert.ok(!result.suggestions.some((s) => s.kind === 'cache'), JSON.stringify(result.suggestions.map((s) => s.kind)));
  });

  it('Python: a `since` that is a string (`(now - timedelta(days=1)).isoformat()`) is restored as the stored string', async () => {
    const source = [
      'from datetime import datetime, timedelta, timezone',
      '',
      'import requests',
      'import schedule',
      '',
      '',
      'def job():',
      '    since = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()',
      '    issues = requests.get("https://api.github.com/repos/acme/app/issues", params={"since": since}, timeout=10).json()',
      '    for issue in issues:',
      '        print(issue["title"])',
      '',
      '',
      'schedule.every().hour.do(job)',
      '',
    ].join('\n');
    const cursor = await suggestionOf(source, 'python', 'issues.py', 'cursor');
    assert.match(applyEdits(source, cursor.edits), /since = stored_since or \(datetime\.now\(timezone\.utc\) - timedelta\(days=1\)\)\.isoformat\(\)/);
  });
});

describe('analysis: a client added to a one-shot script is closed when the script ends', () => {
  const SCRIPT = [
    "import OpenAI from 'openai';",
    '',
    'const openai = new OpenAI();',
    '',
    'async function main(): Promise<void> {',
    "  for (const text of ['Hello', 'Goodbye']) {",
    "    const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: `Translate to German: ${text}` }] });",
    '    console.log(completion.choices[0].message.content);',
    '  }',
    '}',
    '',
    'main().catch((error) => {',
    '  console.error(error);',
    '  process.exitCode = 1;',
    '});',
    '',
  ].join('\n');

  it('`main().catch(…)` gets `.finally(() => memory.quit())`, or the open connection would keep the process alive', async () => {
    const cache = await suggestionOf(SCRIPT, 'typescript', 'translate.ts', 'cache');
    const after = applyEdits(SCRIPT, cache.edits);
    assert.match(after, /^const memory = new Redis\(/m);
    assert.match(after, /\n\}\)\.finally\(\(\) => memory\.quit\(\)\);\n$/);
  });

  it('a long-running entry (a cron schedule) keeps its client open', async () => {
    const source = SCRIPT.replace("import OpenAI from 'openai';", "import OpenAI from 'openai';\nimport cron from 'node-cron';").replace(/main\(\)\.catch\([\s\S]*$/, "cron.schedule('0 * * * *', () => main());\n");
    const cache = await suggestionOf(source, 'typescript', 'translate.ts', 'cache');
    assert.doesNotMatch(applyEdits(source, cache.edits), /quit\(\)/);
  });
});

describe('analysis: change-detection remembers the page once the work on it is done', () => {
  it('in a loop: the unchanged path refreshes the expiry and skips; the new hash is written at the end of the iteration', async () => {
    const { text } = readFixture('../../examples/codewords/website_monitor.py');
    const change = await suggestionOf(text, 'python', 'website_monitor.py', 'change-detection');
    const after = applyEdits(text, change.edits);
    assert.match(after, /if await redis\.get\(page_key\) == page_digest:\n {20}await redis\.expire\(page_key, 30 \* 86400\)\n {20}continue\n {12}summary = /);
    assert.match(after, /posted\.append\(url\)\n {12}async with redis_client\(\) as \(redis, ns\):\n {16}await redis\.set\(page_key, page_digest, ex=30 \* 86400\)\n/);
  });
});

describe('analysis: leaving early on an unchanged page keeps the function\'s contract', () => {
  const MONITOR = [
    'import requests',
    'import schedule',
    '',
    '',
    'def page_text(url: str) -> str:',
    '    page = requests.get(url, timeout=30)',
    '    page.raise_for_status()',
    '    return page.text',
    '',
    '',
    'def job():',
    '    text = page_text("https://council.example.gov/agenda")',
    '    requests.post("https://hooks.slack.com/services/T0/B0/X", json={"text": text[:500]}, timeout=10)',
    '',
    '',
    'schedule.every().hour.do(job)',
    '',
  ].join('\n');

  it('no bare `return` in a function that returns a value (the caller would get None)', async () => {
    const result = (await analyzer()).analyze(MONITOR, 'python', { fileName: 'agenda.py' });
    // page_text() returns the page and has no "nothing to do" answer: no lens there at all.
    assert.ok(!result.suggestions.some((s) => s.kind === 'change-detection' && s.range.start.line + 1 === 6), JSON.stringify(result.suggestions.map((s) => [s.kind, s.range.start.line + 1])));
    // The same file without the return value gets one, with a bare return: the rule is what keeps it out above.
    const plain = MONITOR.replace('def page_text(url: str) -> str:', 'def page_text(url: str) -> None:').replace('    return page.text\n', '    requests.post("https://hooks.slack.com/services/T0/B0/Y", json={"text": page.text[:100]}, timeout=10)\n');
    const change = await suggestionOf(plain, 'python', 'agenda.py', 'change-detection');
    assert.match(applyEdits(plain, change.edits), /\n {8}return\n/);
  });

  it('a function that already answers "nothing to do" (`return []`) answers the same when the page is unchanged', async () => {
    const source = [
      "import cron from 'node-cron';",
      '',
      'async function recentReviews(): Promise<Array<{ id: string }>> {',
      "  const res = await fetch('https://reviews.example.com/feed.json');",
      '  if (!res.ok) return [];',
      '  const feed = await res.json();',
      '  return feed.items;',
      '}',
      '',
      "cron.schedule('0 9 * * *', async () => {",
      '  for (const review of await recentReviews()) {',
      "    await fetch('https://hooks.slack.com/services/T0/B0/X', { method: 'POST', body: JSON.stringify({ text: review.id }) });",
      '  }',
      '});',
      '',
    ].join('\n');
    const change = await suggestionOf(source, 'typescript', 'reviews.ts', 'change-detection');
    assert.match(applyEdits(source, change.edits), /=== pageDigest\) \{\n {4}await memory\.expire\(pageKey, 30 \* 86400\);\n {4}return \[\];\n {2}\}/);
  });

  it('no early exit before the cleanup that follows (a lock released)', async () => {
    const source = [
      'import redis',
      'import requests',
      '',
      'r = redis.Redis(decode_responses=True)',
      '',
      '',
      'def main() -> None:',
      '    if not r.set("pricing:lock", "1", nx=True, ex=600):',
      '        return',
      '    page = requests.get("https://shop.example.com/pricing", timeout=30)',
      '    requests.post("https://hooks.slack.com/services/T0/B0/X", json={"text": page.text[:200]}, timeout=10)',
      '    r.delete("pricing:lock")',
      '',
      '',
      'if __name__ == "__main__":',
      '    main()',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'pricing.py' });
    assert.ok(!result.suggestions.some((s) => s.kind === 'change-detection'), JSON.stringify(result.suggestions.map((s) => s.kind)));
  });
});

describe('analysis: dedupe keyed on a recipient also names the message', () => {
  const DIGEST = [
    "import cron from 'node-cron';",
    "import nodemailer from 'nodemailer';",
    '',
    'const mailer = nodemailer.createTransport(process.env.SMTP_URL);',
    "const subscribers = [{ email: 'a@example.com' }, { email: 'b@example.com' }];",
    '',
    'async function send(): Promise<void> {',
    "  const html = `<p>Week ${Math.ceil(new Date().getDate() / 7)}: ${process.env.DIGEST_TEXT}</p>`;",
    '  for (const subscriber of subscribers) {',
    "    await mailer.sendMail({ to: subscriber.email, subject: 'Weekly digest', html });",
    '  }',
    '}',
    '',
    "cron.schedule('0 8 * * 1', () => send());",
    '',
  ].join('\n');

  it('a weekly digest per subscriber is claimed per subscriber and per digest, so next week\'s still goes out', async () => {
    const dedupe = await suggestionOf(DIGEST, 'typescript', 'digest.ts', 'dedupe');
    assert.equal(dedupe.key, 'wf:digest:notified:{subscriber.email}:{messageDigest}');
    assert.match(applyEdits(DIGEST, dedupe.edits), /const messageDigest = createHash\('sha256'\)\.update\(JSON\.stringify\(\[html\]\)\)/);
  });

  it('a fixed message to each recipient gets no dedupe (it would silence every later one for the whole expiry)', async () => {
    const source = DIGEST.replace("subject: 'Weekly digest', html }", "subject: 'Stand-up in 5 minutes', text: 'See you there' }");
    const result = (await analyzer()).analyze(source, 'typescript', { fileName: 'digest.ts' });
    assert.ok(!result.suggestions.some((s) => s.kind === 'dedupe'), JSON.stringify(result.suggestions.map((s) => s.kind)));
  });
});

describe('analysis: a redis-py client that answers bytes', () => {
  const MONITOR = [
    'import os',
    '',
    'import redis',
    'import requests',
    '',
    'r = redis.Redis.from_url(os.environ["REDIS_URL"])',
    '',
    '',
    'def main() -> None:',
    '    page = requests.get("https://shop.example.com/pricing", timeout=30)',
    '    requests.post("https://hooks.slack.com/services/T0/B0/X", json={"text": page.text[:200]}, timeout=10)',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ].join('\n');

  it('change-detection compares the stored digest as str or bytes (no decode_responses=True where the client is made)', async () => {
    const change = await suggestionOf(MONITOR, 'python', 'pricing.py', 'change-detection');
    assert.match(applyEdits(MONITOR, change.edits), /if r\.get\(page_key\) in \(page_digest, page_digest\.encode\(\)\):/);
  });

  it('with decode_responses=True it compares strings', async () => {
    const source = MONITOR.replace('from_url(os.environ["REDIS_URL"])', 'from_url(os.environ["REDIS_URL"], decode_responses=True)');
    const change = await suggestionOf(source, 'python', 'pricing.py', 'change-detection');
    assert.match(applyEdits(source, change.edits), /if r\.get\(page_key\) == page_digest:/);
  });
});

describe('analysis: conversation turns', () => {
  it('store the reply as text even when the model answered with a tool call (content null would be refused next time)', async () => {
    const { text, language } = readFixture('typescript/ioredis/supportBot.ts');
    const conversation = await suggestionOf(text, language, 'supportBot.ts', 'conversation');
    assert.match(applyEdits(text, conversation.edits), /role: 'assistant', content: \w+\.choices\[0\]\.message\.content \?\? '' \}/);
  });
});

describe('analysis: keys join the workflow the file already uses', () => {
  it('CodeWords: with `f"{ns}:monitor:last-run"` in the file, new keys go under `{ns}:monitor:`', async () => {
    const { text } = readFixture('../../examples/codewords/website_monitor.py');
    const change = await suggestionOf(text, 'python', 'website_monitor.py', 'change-detection');
    assert.equal(change.key, '{ns}:monitor:page-hash:{url}');
  });
});

describe('analysis: Cloudflare Workers', () => {
  it('get no suggestion that needs a new client: a Worker has no TCP sockets or process.env for one', async () => {
    const source = [
      'export default {',
      '  async scheduled(controller: unknown, env: { HOOK_URL: string }): Promise<void> {',
      "    const feed = await (await fetch('https://quakes.example.com/day.json')).json();",
      '    for (const quake of feed.features) {',
      "      await fetch(env.HOOK_URL, { method: 'POST', body: JSON.stringify({ text: quake.properties.title }) });",
      '    }',
      '  },',
      '};',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'typescript', { fileName: 'worker.ts' });
    assert.deepEqual(result.suggestions.map((s) => s.kind), []);
  });
});

describe('analysis: a snapshot inside a loop over watches', () => {
  it('is kept per watch, not shared by every iteration', async () => {
    const source = [
      "import cron from 'node-cron';",
      "import nodemailer from 'nodemailer';",
      '',
      'const mailer = nodemailer.createTransport(process.env.SMTP_URL);',
      "const watches = [{ id: 'w1', email: 'a@example.com', url: 'https://camps.example.com/a.json' }];",
      '',
      'async function check(): Promise<void> {',
      '  for (const watch of watches) {',
      '    const sites = await (await fetch(watch.url)).json();',
      "    const list = sites.map((s: { name: string }) => `<li>${s.name}</li>`).join('');",
      "    await mailer.sendMail({ to: watch.email, subject: 'Open sites', html: `<ul>${list}</ul>` });",
      '  }',
      '}',
      '',
      "cron.schedule('*/15 * * * *', () => check());",
      '',
    ].join('\n');
    const snapshot = await suggestionOf(source, 'typescript', 'camps.ts', 'snapshot-diff');
    assert.equal(snapshot.key, 'wf:camps:snapshot:sites:{watch.email}');
  });
});

describe('analysis: snapshot-diff remembers the report once it has gone out', () => {
  const LOW_STOCK = [
    'import os',
    '',
    'import redis',
    'import requests',
    'import schedule',
    '',
    'r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)',
    '',
    '',
    'def daily_report() -> None:',
    '    low = requests.get("https://shop.example.com/api/low-stock.json", timeout=30).json()["items"]',
    '    lines = ["*Low stock*"]',
    '    for item in low:',
    '        lines.append(f"- {item[\'sku\']}: {item[\'available\']} left")',
    '    requests.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": "\\n".join(lines)}, timeout=10)',
    '    r.set("inventory:last-run", "done", ex=86400)',
    '',
    '',
    'schedule.every().day.at("08:00").do(daily_report)',
    '',
  ].join('\n');

  it('Python: with nothing new the run stops before sending (keeping the snapshot current); otherwise it saves after the work', async () => {
    const snapshot = await suggestionOf(LOW_STOCK, 'python', 'low_stock.py', 'snapshot-diff');
    const after = applyEdits(LOW_STOCK, snapshot.edits);
    const lines = after.split('\n');
    const save = '    r.set(snapshot_key, json.dumps(item_fingerprints), ex=30 * 86400)';
    const guard = lines.indexOf('    if not new_low:');
    assert.ok(guard > 0, after);
    assert.deepEqual(lines.slice(guard + 1, guard + 3), [`    ${save}`, '        return']);
    const send = lines.findIndex((l) => l.includes('requests.post('));
    assert.ok(guard < send, 'the check comes before the report is sent');
    assert.equal(lines.lastIndexOf(save), lines.indexOf('    r.set("inventory:last-run", "done", ex=86400)') + 1, `saved after the work:\n${after}`);
    assert.match(after, /for item in new_low:/);
    const file = path.join(tempDir('snapshot'), 'low_stock.py');
    fs.writeFileSync(file, after);
    assert.equal(pyCompile([file]), '');
  });

  it('keeps sending the report when another section follows the list', async () => {
    const source = LOW_STOCK.replace(
      '    requests.post(',
      '    for order in requests.get("https://shop.example.com/api/orders.json", timeout=30).json():\n        lines.append(order["id"])\n    requests.post(',
    );
    const snapshot = await suggestionOf(source, 'python', 'low_stock.py', 'snapshot-diff');
    const after = applyEdits(source, snapshot.edits);
    assert.doesNotMatch(after, /if not new_low/);
    const lines = after.split('\n');
    assert.ok(lines.findIndex((l) => l.includes('r.set(snapshot_key')) > lines.findIndex((l) => l.includes('requests.post(')), after);
  });

  it('TypeScript: the snapshot is written before the client is closed, not after', async () => {
    const source = [
      "import { WebClient } from '@slack/web-api';",
      "import { createClient } from 'redis';",
      '',
      'const slack = new WebClient(process.env.SLACK_BOT_TOKEN);',
      'const redis = createClient({ url: process.env.REDIS_URL });',
      '',
      'async function run(): Promise<void> {',
      '  await redis.connect();',
      "  const deals: { id: string; name: string }[] = await (await fetch('https://crm.example.com/api/deals')).json();",
      "  const text = deals.map((d) => `• ${d.name}`).join('\\n');",
      "  await slack.chat.postMessage({ channel: '#sales', text });",
      '  await redis.quit();',
      '}',
      '',
      'run();',
      '',
    ].join('\n');
    const snapshot = await suggestionOf(source, 'typescript', 'sales_report.ts', 'snapshot-diff');
    const after = applyEdits(source, snapshot.edits);
    const lines = after.split('\n');
    const save = lines.findIndex((l) => /await redis\.set\(snapshotKey, /.test(l));
    assert.equal(lines[save + 1], '  await redis.quit();', after);
    assert.ok(save > lines.findIndex((l) => l.includes('postMessage')), after);
    // Leaving early would skip the quit: no early exit here.
    assert.doesNotMatch(after, /newDeals\.length === 0/);
  });
});

describe('analysis: a client we add reads the Redis URL from where the file keeps it', () => {
  const CELERY = [
    'import os',
    '',
    'import requests',
    'from celery import Celery',
    '',
    'app = Celery("jobs", broker=os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0"))',
    '',
    '',
    '@app.task',
    'def check_pricing() -> None:',
    '    page = requests.get("https://example.com/pricing", timeout=10)',
    '    requests.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": page.text[:500]}, timeout=10)',
    '',
  ].join('\n');

  it('Python: a Celery broker on Redis', async () => {
    const suggestion = await suggestionOf(CELERY, 'python', 'pricing.py', 'change-detection');
    assert.match(applyEdits(CELERY, suggestion.edits), /^memory = redis\.Redis\.from_url\(os\.environ\.get\("CELERY_BROKER_URL", "redis:\/\/localhost:6379"\), decode_responses=True\)$/m);
  });

  it('Python: REDIS_URL when the broker is not Redis', async () => {
    const source = CELERY.replace('redis://localhost:6379/0', 'amqp://localhost');
    const suggestion = await suggestionOf(source, 'python', 'pricing.py', 'change-detection');
    assert.match(applyEdits(source, suggestion.edits), /from_url\(os\.environ\.get\("REDIS_URL", /);
  });

  it("TypeScript: the file's own UPSTASH_REDIS_URL", async () => {
    const source = [
      "import cron from 'node-cron';",
      '',
      'const REDIS = process.env.UPSTASH_REDIS_URL;',
      '',
      "cron.schedule('0 * * * *', async () => {",
      "  const res = await fetch('https://example.com/pricing');",
      '  const html = await res.text();',
      "  await fetch(process.env.SLACK_WEBHOOK_URL!, { method: 'POST', body: JSON.stringify({ text: html.slice(0, 500) }) });",
      '});',
      '',
    ].join('\n');
    const suggestion = await suggestionOf(source, 'typescript', 'pricing.ts', 'change-detection');
    assert.match(applyEdits(source, suggestion.edits), /^const memory = new Redis\(process\.env\.UPSTASH_REDIS_URL \?\? 'redis:\/\/localhost:6379'\);$/m);
  });
});

describe('analysis: a conversation without an id has no memory', () => {
  // `req.body.sessionId` missing would otherwise give every such visitor one shared history.
  it('JavaScript: no key, no history read and no turns written when the id is missing', async () => {
    const source = readFixture('javascript/fourSpaces.js').text;
    const conversation = await suggestionOf(source, 'javascript', 'fourSpaces.js', 'conversation');
    const after = applyEdits(source, conversation.edits);
    assert.match(after, /const historyKey = sessionId \? `wf:four-spaces:conversation:\$\{sessionId\}` : undefined;/);
    assert.match(after, /const history = historyKey \? \(await memory\.lrange\(historyKey, -20, -1\)\)\.map\(\(turn\) => JSON\.parse\(turn\)\) : \[\];/);
    assert.match(after, /\n {4}if \(historyKey\) \{\n {8}await memory\.rpush\(historyKey, [^\n]*\n {8}await memory\.ltrim\(historyKey, -20, -1\);\n {8}await memory\.expire\(historyKey, 86400\);\n {4}\}\n/);
  });

  it('Python (CodeWords): the same, with the writes inside `if history_key:`; the result compiles', async () => {
    const source = readFixture('python/codewords/support_bot.py').text;
    const conversation = await suggestionOf(source, 'python', 'support_bot.py', 'conversation');
    const after = applyEdits(source, conversation.edits);
    assert.match(after, /history_key = f"\{ns\}:support-bot:conversation:\{body\.session_id\}" if body\.session_id else None\n/);
    assert.match(after, / if history_key else \[\]\n/);
    assert.match(after, /\n( +)if history_key:\n\1 {4}async with redis_client\(\) as \(redis, ns\):\n\1 {8}await redis\.rpush\(history_key, /);
    const file = path.join(tempDir('conversation'), 'support_bot.py');
    fs.writeFileSync(file, after);
    assert.equal(pyCompile([file]), '');
  });
});

describe('analysis: a setting is stored once it passed the checks after it', () => {
  it('the slash command that rejects a bad time does not remember it', async () => {
    const source = [
      "import { App } from '@slack/bolt';",
      '',
      'const app = new App({ token: process.env.SLACK_BOT_TOKEN, signingSecret: process.env.SLACK_SIGNING_SECRET });',
      '',
      "app.command('/standup-time', async ({ command, ack, respond }) => {",
      '  await ack();',
      '  const time = command.text.trim();',
      '  if (!/^\\d{1,2}:\\d{2}$/.test(time)) {',
      "    await respond('Use HH:MM.');",
      '    return;',
      '  }',
      '  await respond(`<@${command.user_id}>, I will remind you at ${time}.`);',
      '});',
      '',
      '(async () => {',
      '  await app.start(3000);',
      '})();',
      '',
    ].join('\n');
    const preference = await suggestionOf(source, 'typescript', 'standup.ts', 'preference');
    const lines = applyEdits(source, preference.edits).split('\n');
    const store = lines.findIndex((l) => l.includes(".hset(preferencesKey, 'time', time)"));
    assert.ok(store > lines.indexOf("    await respond('Use HH:MM.');"), lines.join('\n'));
    assert.ok(store < lines.indexOf('  await respond(`<@${command.user_id}>, I will remind you at ${time}.`);'), lines.join('\n'));
  });
});

describe('analysis: a start computed by a local function of the clock is a fixed starting point', () => {
  it('Python: `since = start_of_month()` resumes from the last run, falling back to the function; the result compiles', async () => {
    const source = [
      'from datetime import datetime, timezone',
      '',
      'import requests',
      'import schedule',
      '',
      '',
      'def start_of_month() -> datetime:',
      '    now = datetime.now(timezone.utc)',
      '    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)',
      '',
      '',
      'def sync() -> None:',
      '    since = start_of_month()',
      '    entries = requests.get("https://api.track.example.com/v9/me/time_entries", params={"since": since.isoformat()}, timeout=20).json()',
      '    for entry in entries:',
      '        requests.post("https://api.airtable.example.com/v0/base/Timesheets", json={"fields": {"id": entry["id"]}}, timeout=20)',
      '',
      '',
      'schedule.every().hour.do(sync)',
      '',
    ].join('\n');
    const cursor = await suggestionOf(source, 'python', 'month_sync.py', 'cursor');
    assert.equal(cursor.key, 'wf:month-sync:cursor:since');
    const after = applyEdits(source, cursor.edits);
    assert.match(after, /\n {4}since = datetime\.fromisoformat\(stored_since\) if stored_since else start_of_month\(\)\n/);
    assert.match(after, /run_started = datetime\.now\(timezone\.utc\)\.isoformat\(\)/);
    const file = path.join(tempDir('clock-helper'), 'month_sync.py');
    fs.writeFileSync(file, after);
    assert.equal(pyCompile([file]), '');
  });

  it('TypeScript: `const since = startOfMonth()` (seconds) is stored as seconds', async () => {
    const source = [
      "import axios from 'axios';",
      '',
      "const toggl = axios.create({ baseURL: 'https://api.track.toggl.com/api/v9' });",
      '',
      'function startOfMonth(): number {',
      '  const now = new Date();',
      '  return Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000);',
      '}',
      '',
      'async function sync(): Promise<void> {',
      '  const since = startOfMonth();',
      "  const { data: entries } = await toggl.get<{ id: number }[]>('/me/time_entries', { params: { since } });",
      '  for (const entry of entries) {',
      "    await axios.post('https://api.airtable.example.com/v0/base/Timesheets', { fields: { id: entry.id } });",
      '  }',
      '}',
      '',
      'sync().catch((error) => {',
      '  console.error(error);',
      '  process.exitCode = 1;',
      '});',
      '',
    ].join('\n');
    const cursor = await suggestionOf(source, 'typescript', 'toggl_sync.ts', 'cursor');
    const after = applyEdits(source, cursor.edits);
    assert.match(after, /const since = storedSince \? Number\(storedSince\) : startOfMonth\(\);/);
    assert.match(after, /const runStarted = String\(Math\.floor\(Date\.now\(\) \/ 1000\)\);/);
  });

  it('a local function that reads stored state is not a fixed start', async () => {
    const source = [
      'import json',
      '',
      'import requests',
      'import schedule',
      '',
      '',
      'def last_seen():',
      '    return json.load(open("state.json"))["since"]',
      '',
      '',
      'def sync() -> None:',
      '    since = last_seen()',
      '    entries = requests.get("https://api.example.com/entries", params={"since": since}, timeout=20).json()',
      '    for entry in entries:',
      '        requests.post("https://hooks.example.com/notify", json={"id": entry["id"]}, timeout=20)',
      '',
      '',
      'schedule.every().hour.do(sync)',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'sync.py' });
    assert.ok(!result.suggestions.some((s) => s.kind === 'cursor'), JSON.stringify(result.suggestions.map((s) => s.kind)));
  });
});

describe('analysis: filing a record in a tracker per item is a send', () => {
  const source = (url: string, body: string) => [
    'import os',
    '',
    'import requests',
    'import schedule',
    '',
    '',
    'def file_alerts() -> None:',
    '    alerts = requests.get("https://monitor.example.com/api/alerts?state=firing", timeout=20).json()',
    '    for alert in alerts:',
    `        requests.post(${url}, json=${body}, timeout=20)`,
    '',
    '',
    'schedule.every(10).minutes.do(file_alerts)',
    '',
  ].join('\n');

  it('a GitHub issue per firing alert gets dedupe (each run would file it again)', async () => {
    const text = source('"https://api.github.com/repos/acme/infra/issues"', '{"title": alert["name"]}');
    const dedupe = await suggestionOf(text, 'python', 'alerts_to_issues.py', 'dedupe');
    assert.equal(dedupe.range.start.line + 1, 10);
  });

  it('a Linear GraphQL mutation too, but not a GraphQL query', async () => {
    const mutation = source('"https://api.linear.app/graphql"', '{"query": "mutation { issueCreate(input: $input) { success } }", "variables": {"input": {"title": alert["name"]}}}');
    await suggestionOf(mutation, 'python', 'alerts_to_linear.py', 'dedupe');
    const query = source('"https://api.linear.app/graphql"', '{"query": "query { issues(filter: $filter) { nodes { id createdAt } } }", "variables": {"filter": {"title": alert["name"]}}}');
    const result = (await analyzer()).analyze(query, 'python', { fileName: 'alerts_to_linear.py' });
    assert.ok(!result.suggestions.some((s) => s.kind === 'dedupe'), JSON.stringify(result.suggestions.map((s) => s.kind)));
  });
});

describe('analysis: node-redis variadic commands take their elements as one array', () => {
  it('a conversation pushes both turns as `rPush(key, [user, assistant])`, which type-checks against node-redis', async () => {
    const source = [
      "import express from 'express';",
      "import OpenAI from 'openai';",
      "import { createClient } from 'redis';",
      '',
      'const redis = createClient({ url: process.env.REDIS_URL });',
      'const openai = new OpenAI();',
      'const app = express();',
      '',
      "app.post('/chat', async (req, res) => {",
      '  const { sessionId, message } = req.body as { sessionId?: string; message: string };',
      "  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: message }] });",
      '  res.json({ reply: completion.choices[0].message.content });',
      '});',
      '',
      'app.listen(3000);',
      '',
    ].join('\n');
    const conversation = await suggestionOf(source, 'typescript', 'chat.ts', 'conversation');
    const after = applyEdits(source, conversation.edits);
    // A third argument would be dropped by node-redis without a word: the model's answer never stored.
    assert.match(after, /await redis\.rPush\(historyKey, \[JSON\.stringify\(\{ role: 'user', content: message \}\), JSON\.stringify\(\{ role: 'assistant', content: [^\n]*\}\)\]\);/);
    const file = path.join(tempDir('node-redis'), 'chat.ts');
    fs.writeFileSync(file, after);
    assert.deepEqual(typeCheck([file]), []);
  });
});

describe('analysis: shapes from the later eval batches (bench/eval/*/h5_* to h8_*)', () => {
  // Each case is a rule: the site and nothing else, or nothing at all.
  const CASES: Array<[string, string, Array<[string, number]>]> = [
    ['typescript/h5_nr_guarded_twitch_golive.ts', 'a SET NX claim in a helper it calls guards the send', []],
    ['python/h5_py_chargebee_dunning.py', "a helper pages from its parameter: the cursor goes where the one caller computes it; `occurred_at[after]` is a lower bound", [['cursor', 54], ['dedupe', 67]]],
    ['python/h5_rp_inspections_etag_guarded.py', 'a helper that keeps an ETag hands back only what changed; a connection pool is no fetch', []],
    ['typescript/h5_io_square_ledger_sheet.ts', '`?${params}` with `new URLSearchParams({ begin_time })` is a cursor; rows appended to a sheet are no report', [['cursor', 42]]],
    ['typescript/h5_sentry_noisy_issues_digest.ts', 'a helper that returns every page is a full listing (no page cursor); a configured list of projects is no snapshot', []],
    ['python/h5_cw_museum_whatsapp_guide.py', 'replies to the messages of the webhook being handled are not notifications', []],
    ['python/h5_py_snipeit_overdue_audits.py', 'the groups of a dict filled here are no snapshot', []],
    ['python/h5_py_woo_hs_codes_claude.py', 'a "\\n" in a prompt does not make `", ".join(…)` a report', [['cache', 37], ['dedupe', 59]]],
    ['python/h5_py_snow_day_watch.py', 'a script that emails people is a notifier even when it reads sys.argv; `Watcher(sys.argv[1] if … else …).run()` is its entry', [['change-detection', 28], ['dedupe', 50]]],
    ['typescript/h5_trail_conditions_page.tsx', 'a named `export default async function` page of the App Router runs per request; lines joined into a prompt are no report', [['cache', 27]]],
    ['typescript/h5_nr_crisp_vet_chat.ts', "Mistral's `chat.complete` is a chat model call; a setting kept in a module Map is a preference", [['preference', 53], ['conversation', 59]]],
    ['python/h5_py_funder_calls_watcher.py', 'a list handed in by a caller that loops is no snapshot (one key would be shared by every funder)', [['dedupe', 56]]],
    ['python/h6_neg_cw_bakery_caption_ideas.py', 'a helper\'s dict is what its caller reads: no early `return {"changed": False}` in it', []],
    ['python/h6_rp_rq_arxiv_reading_list.py', 'rq-scheduler `Scheduler(…).cron(…, func=job)` schedules the job', [['cache', 41], ['snapshot-diff', 62]]],
    ['python/h6_py_apscheduler_pipedrive_wins.py', '`add_job(WinsAnnouncer().run, …)` schedules the method; `since_timestamp` set from the caller\'s `since`', [['cursor', 57], ['dedupe', 60]]],
    ['typescript/h6_bullmq_etsy_review_drafts.ts', 'a worker callback calling a method of an instance made in the enclosing function reaches it', [['cache', 39], ['dedupe', 54]]],
    ['javascript/h6_agenda_buildium_open_requests.cjs', '`agenda.define` schedules its callback; a per-manager report that gets a snapshot gets no dedupe', [['snapshot-diff', 49]]],
    ['javascript/h7_whatsapp_hotel_concierge.cjs', 'a fetch whose content only lands in a module variable has no work to skip', [['conversation', 54]]],
    ['python/h7_py_trials_intel_digest.py', 'no early exit in helpers that hand their list back to the digest', [['cache', 62], ['snapshot-diff', 71]]],
    ['typescript/h7_io_fuel_surcharge_hygiene.ts', 'a stored digest read through a memory class (`memory.lastDigest()`) guards the fetch', []],
    ['python/h7_rp_tender_watch_hygiene.py', 'items a helper already filtered through a Redis set are not sent twice', []],
    ['python/h7_rp_zendesk_triage_guarded.py', 'a model call after a per-ticket SET NX claim (in the caller) runs once per ticket: no cache', []],
    ['python/h7_cw_mealprep_menu_bot.py', 'lines a helper returns into a caller\'s prompt are no report; a setting kept in a module dict is a preference', [['preference', 43]]],
    ['typescript/h7_renovate_changelog_agent.ts', '`webhooks.on(…)` of @octokit/webhooks handles deliveries; tool results pushed as chat messages are no report', [['cache', 37]]],
    ['typescript/h8_bullmq_tool_hire_overdue_texts.ts', 'a client in a class field (`private readonly sms = twilio(…)`) sends; a method that sends, called per item, is the dedupe site; a counter (`texted += 1`) is no report', [['dedupe', 64]]],
    ['python/h8_py_odoo_late_purchase_orders.py', 'groups a caller filled and handed in (`teams_card(by_buyer, …)`) are no snapshot in the helper', []],
    ['python/h8_py_boardgame_cafe_rules_bot.py', 'a discord.py `message: discord.Message` names its channel, in a helper both handlers call: the conversation is kept per channel', [['conversation', 43]]],
    ['typescript/h8_teams_hr_policy_bot.ts', "Bot Framework: the handlers an ActivityHandler registers (`this.onMessage(…)`) are entries; a language kept in a module Map is a preference, the handbook answer a conversation", [['preference', 30], ['conversation', 51]]],
    ['python/h8_cw_pharmacy_refill_texts.py', '`await asyncio.to_thread(twilio.messages.create, to=…)` is the send it runs on a thread', [['change-detection', 40], ['dedupe', 52]]],
  ];
  for (const [file, rule, expected] of CASES) {
    it(`${file}: ${rule}`, async () => {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', file), 'utf8');
      const result = (await analyzer()).analyze(text, languageFromPath(file)!, { fileName: path.basename(file) });
      assert.deepEqual(result.suggestions.map((s) => [s.kind, s.range.start.line + 1]), expected);
    });
  }

  it("dedupe keys on the item's own id, not on another thing's (`review.listing_id` is shared by a listing's reviews)", async () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'typescript', 'h6_bullmq_etsy_review_drafts.ts'), 'utf8');
    const dedupe = (await analyzer()).analyze(text, 'typescript', { fileName: 'reviews.ts' }).suggestions.find((s) => s.kind === 'dedupe');
    assert.equal(dedupe?.key, 'wf:reviews:notified:{reviewFingerprint}');
  });

  it('JavaScript: an item handed whole to a method is keyed by a fingerprint, never written into the key as "[object Object]"', async () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'typescript', 'h8_bullmq_tool_hire_overdue_texts.ts'), 'utf8');
    const dedupe = (await analyzer()).analyze(text, 'typescript', { fileName: 'overdue.ts' }).suggestions.find((s) => s.kind === 'dedupe')!;
    assert.equal(dedupe.key, 'wf:overdue:notified:{rentalFingerprint}');
    const after = applyEdits(text, dedupe.edits);
    assert.match(after, /const rentalFingerprint = rental && typeof rental === 'object'/);
    assert.ok((await analyzer()).parsesCleanly(after, 'typescript'));
  });

  it('in a loop, the claim goes inside the branch that sends (a check that sends nothing uses up no claim), and a page key names each source (`cfg["url"]`)', async () => {
    const source = [
      'import os',
      '',
      'import httpx',
      '',
      'VENDORS = {"acme": {"url": "https://acme.example.com/terms"}, "globex": {"url": "https://globex.example.com/terms"}}',
      '',
      '',
      'def main() -> None:',
      '    with httpx.Client(timeout=30) as http:',
      '        for vendor, cfg in VENDORS.items():',
      '            page = http.get(cfg["url"])',
      '            page.raise_for_status()',
      '            if "updated" not in page.text:',
      '                print(f"{vendor}: unchanged")',
      '            elif len(page.text) > 100:',
      '                http.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": f"{vendor} changed its terms"})',
      '',
      '',
      'if __name__ == "__main__":',
      '    main()',
      '',
    ].join('\n');
    const { suggestions } = (await analyzer()).analyze(source, 'python', { fileName: 'terms_watch.py' });
    assert.deepEqual(suggestions.map((s) => [s.kind, s.range.start.line + 1, s.key]), [['change-detection', 11, 'wf:terms-watch:page-hash:{cfg["url"]}']]);
    // The same loop over a list fetched once, before it: the send is a dedupe site.
    const listed = source
      .replace('        for vendor, cfg in VENDORS.items():\n            page = http.get(cfg["url"])\n            page.raise_for_status()', '        pages = http.get("https://terms.example.com/api/pages").json()\n        for page in pages:\n            vendor = page["vendor"]')
      .replace(/page\.text/g, 'page["text"]');
    const dedupe = (await analyzer()).analyze(listed, 'python', { fileName: 'terms_watch.py' }).suggestions.find((s) => s.kind === 'dedupe');
    assert.equal(dedupe ? dedupe.range.start.line + 1 : undefined, 16);
    const after = applyEdits(listed, dedupe!.edits);
    assert.match(after, /\n {12}elif len\(page\["text"\]\) > 100:\n {16}# Workflow memory: send once per [^\n]*\n( {16}page_fingerprint = [^\n]*\n)? {16}notified_key = /);
    const file = path.join(tempDir('branch-dedupe'), 'terms_watch.py');
    fs.writeFileSync(file, after);
    assert.equal(pyCompile([file]), '');
  });

  it('a `since` set where the one caller computes it, inside `try: … finally:` and after a tuple assignment (`url, params = …, {"from_date": …}`), is saved at the end of the try block, once the work is done', async () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'python', 'h8_rp_ramp_large_spend_review.py'), 'utf8');
    const cursor = (await analyzer()).analyze(text, 'python', { fileName: 'ramp.py' }).suggestions.find((s) => s.kind === 'cursor')!;
    assert.equal(cursor.range.start.line + 1, 59);
    const after = applyEdits(text, cursor.edits);
    assert.match(after, /print\(f"posted \{posted\} transactions for review"\)\n {8}r\.set\(cursor_key, run_started, ex=30 \* 86400\)\n {4}finally:/);
    const file = path.join(tempDir('try-cursor'), 'ramp.py');
    fs.writeFileSync(file, after);
    assert.equal(pyCompile([file]), '');
  });

  it('JavaScript: a `since` in seconds computed through a Date setter (`Math.floor(new Date().setUTCHours(0, 0, 0, 0) / 1000)`) is stored and restored as seconds, not as a Date', async () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'typescript', 'h7_io_signup_company_enrichment.ts'), 'utf8');
    const cursor = (await analyzer()).analyze(text, 'typescript', { fileName: 'signups.ts' }).suggestions.find((s) => s.kind === 'cursor')!;
    const after = applyEdits(text, cursor.edits);
    assert.match(after, /const runStarted = String\(Math\.floor\(Date\.now\(\) \/ 1000\)\);/);
    assert.match(after, /const startOfToday = storedCreated \? Number\(storedCreated\) : Math\.floor\(/);
  });

  it('a setting kept in a module dict is also written to a hash and read back where the dict is read; Python compiles, TypeScript type-checks', async () => {
    const parser = await analyzer();
    const python = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'python', 'h7_cw_mealprep_menu_bot.py'), 'utf8');
    const pyPreference = parser.analyze(python, 'python', { fileName: 'menu_bot.py' }).suggestions.find((s) => s.kind === 'preference')!;
    const pyAfter = applyEdits(python, pyPreference.edits);
    assert.match(pyAfter, /await redis\.hset\(preferences_key, "diet", DIETS\[chat_id\]\)\n {16}await redis\.expire\(preferences_key, 90 \* 86400\)/);
    assert.match(pyAfter, /if diet := \(DIETS\.get\(chat_id\) or remembered_diet\):/);
    const pyFile = path.join(tempDir('dict-preference'), 'menu_bot.py');
    fs.writeFileSync(pyFile, pyAfter);
    assert.equal(pyCompile([pyFile]), '');
    const source = [
      "import express from 'express';",
      "import { createClient } from 'redis';",
      '',
      'const redis = createClient({ url: process.env.REDIS_URL });',
      'const app = express();',
      'const unitsByUser = new Map<string, string>();',
      '',
      "app.post('/units', async (req, res) => {",
      '  const { userId, units } = req.body as { userId: string; units: string };',
      '  unitsByUser.set(userId, units);',
      '  res.sendStatus(204);',
      '  const shown = unitsByUser.get(userId) ?? "metric";',
      '  await fetch(`https://api.example.com/forecast?units=${shown}`);',
      '});',
      '',
      'app.listen(3000);',
      '',
    ].join('\n');
    const tsPreference = parser.analyze(source, 'typescript', { fileName: 'units.ts' }).suggestions.find((s) => s.kind === 'preference');
    assert.ok(tsPreference);
    const tsAfter = applyEdits(source, tsPreference.edits);
    assert.match(tsAfter, /await redis\.hSet\(preferencesKey, 'unit', units\);/);
    assert.match(tsAfter, /const shown = \(unitsByUser\.get\(userId\) \?\? rememberedUnit \?\? undefined\) \?\? "metric";/);
    const tsFile = path.join(tempDir('map-preference'), 'units.ts');
    fs.writeFileSync(tsFile, tsAfter);
    assert.deepEqual(typeCheck([tsFile]), []);
  });

  it("a setting one handler keeps in this process and another reads (python-telegram-bot's user_data, a module Map) goes to a hash where it is stored, and the other handler's read falls back to it; Python compiles, TypeScript type-checks", async () => {
    const parser = await analyzer();
    const python = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'python', 'h2_py_tfl_arrivals_bot.py'), 'utf8');
    const pyPreferences = parser.analyze(python, 'python', { fileName: 'tfl_bot.py' }).suggestions.filter((s) => s.kind === 'preference');
    assert.deepEqual(pyPreferences.map((s) => s.range.start.line + 1), [23]);
    assert.match(pyPreferences[0].explanation, /context\.user_data.*`next_buses` reads it back/);
    const pyAfter = applyEdits(python, pyPreferences[0].edits);
    assert.match(pyAfter, /preferences_key = f"wf:tfl-bot:preferences:\{update\.effective_user\.id\}"\n {4}await memory\.hset\(preferences_key, "home_stop", context\.user_data\["home_stop"\]\)\n {4}await memory\.expire\(preferences_key, 90 \* 86400\)/);
    assert.match(pyAfter, /remembered_home_stop = await memory\.hget\(f"wf:tfl-bot:preferences:\{update\.effective_user\.id\}", "home_stop"\)\n {4}stop = .* else \(context\.user_data\.get\("home_stop"\) or remembered_home_stop or DEFAULT_STOP\)/);
    const pyFile = path.join(tempDir('user-data-preference'), 'tfl_bot.py');
    fs.writeFileSync(pyFile, pyAfter);
    assert.equal(pyCompile([pyFile]), '');
    const source = [
      "import { App } from '@slack/bolt';",
      "import Redis from 'ioredis';",
      '',
      'const redis = new Redis(process.env.REDIS_URL!);',
      'const app = new App({ token: process.env.SLACK_BOT_TOKEN, appToken: process.env.SLACK_APP_TOKEN, socketMode: true });',
      'const projectByUser = new Map<string, string>();',
      '',
      "app.command('/site', async ({ command, ack, respond }) => {",
      '  await ack();',
      '  const projectId = command.text.trim();',
      '  projectByUser.set(command.user_id, projectId);',
      '  await respond(`Project ${projectId}`);',
      '});',
      '',
      "app.event('app_mention', async ({ event, say }) => {",
      "  const projectId = projectByUser.get(event.user ?? '');",
      "  await say(projectId ? `Project ${projectId}` : 'Pick a project first');",
      "  await redis.incr('wf:site:mentions');",
      '});',
      '',
    ].join('\n');
    const tsPreferences = parser.analyze(source, 'typescript', { fileName: 'site.ts' }).suggestions.filter((s) => s.kind === 'preference');
    assert.deepEqual(tsPreferences.map((s) => s.range.start.line + 1), [11]);
    const tsAfter = applyEdits(source, tsPreferences[0].edits);
    assert.match(tsAfter, /await redis\.hset\(preferencesKey, 'project', projectId\);/);
    assert.match(tsAfter, /const rememberedProject = await redis\.hget\(`wf:site:preferences:\$\{event\.user\}`, 'project'\);\n {2}const projectId = \(projectByUser\.get\(event\.user \?\? ''\) \?\? rememberedProject \?\? undefined\);/);
    const tsFile = path.join(tempDir('cross-handler-preference'), 'site.ts');
    fs.writeFileSync(tsFile, tsAfter);
    assert.deepEqual(typeCheck([tsFile]), []);
  });

  it('a setting read back by no other handler, or a Map of histories keyed by user, is no cross-handler preference', async () => {
    const source = [
      "import { App } from '@slack/bolt';",
      '',
      'const app = new App({ token: process.env.SLACK_BOT_TOKEN, appToken: process.env.SLACK_APP_TOKEN, socketMode: true });',
      'const projectByUser = new Map<string, string>();',
      'const historyByUser = new Map<string, string[]>();',
      '',
      "app.command('/site', async ({ command, ack, respond }) => {",
      '  await ack();',
      '  projectByUser.set(command.user_id, command.text.trim());',
      '  historyByUser.set(command.user_id, [command.text]);',
      '  await respond(`ok`);',
      '});',
      '',
      "app.event('app_mention', async ({ event, say }) => {",
      "  const lines = historyByUser.get(event.user ?? '') ?? [];",
      "  await say(lines.join(', '));",
      '});',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'typescript', { fileName: 'site.ts' });
    assert.equal(result.isWorkflow, true);
    assert.deepEqual(result.suggestions.filter((s) => s.kind === 'preference'), []);
  });

  it('OpenAI-shaped chat SDKs (Groq, Mistral) are chat model calls; a Mistral embedding is not', () => {
    assert.equal(llmCall('groq.Groq().chat.completions.create'), 'openai-chat');
    assert.equal(llmCall('groq-sdk().chat.completions.create'), 'openai-chat');
    assert.equal(llmCall('mistralai.Mistral().chat.complete'), 'openai-chat');
    assert.equal(llmCall('@mistralai/mistralai.Mistral().chat.complete'), 'openai-chat');
    assert.equal(llmCall('mistralai.Mistral().embeddings.create'), undefined);
  });

  it('a top-level script that also calls a helper (`await sleep(250)`) is still a workflow', async () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'javascript', 'h5_gig_status_pushover.mjs'), 'utf8');
    assert.equal((await analyzer()).analyze(text, 'javascript', { fileName: 'alerts.mjs' }).isWorkflow, true);
  });
});

describe('analysis: a loop dedupe gives the claim back when the send fails', () => {
  it('Python: the send moves into try/except that deletes the claim and re-raises; the result compiles', async () => {
    const source = [
      'import requests',
      'import schedule',
      '',
      '',
      'def job():',
      '    incidents = requests.get("https://status.example.com/api/incidents.json", timeout=10).json()',
      '    for incident in incidents:',
      '        requests.post("https://hooks.slack.com/services/T0/B0/X", json={"text": incident["name"]}, timeout=10)',
      '',
      '',
      'schedule.every(5).minutes.do(job)',
      '',
    ].join('\n');
    const dedupe = await suggestionOf(source, 'python', 'incidents.py', 'dedupe');
    const after = applyEdits(source, dedupe.edits);
    assert.match(after, /notified_key = f"wf:incidents:notified:\{incident\['id'\]\}"|notified_key = f"wf:incidents:notified:\{incident_fingerprint\}"/);
    assert.match(after, /\n {8}try:\n {12}requests\.post\([^\n]*\n {8}except Exception:\n {12}memory\.delete\(notified_key\)\n {12}raise\n/);
    const file = path.join(tempDir('release'), 'incidents.py');
    fs.writeFileSync(file, after);
    assert.equal(pyCompile([file]), '');
  });
});

describe('analysis: the cursor shortcut past in-process calls (logging, formatting) keeps the paged fetch', () => {
  it('Python: only the start the paged fetch reads gets a cursor; the log line and the string built from it get none', async () => {
    const source = [
      'import logging',
      'from datetime import datetime, timedelta, timezone',
      '',
      'import requests',
      '',
      'log = logging.getLogger(__name__)',
      '',
      '',
      'def sync():',
      '    since = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()',
      '    log.info("syncing orders updated after %s", since)',
      '    label = "orders since {}".format(since)',
      '    orders = requests.get("https://shop.example.com/api/orders", params={"updated_after": since}, timeout=10).json()',
      '    for order in orders:',
      '        print(label, order["id"])',
      '',
      '',
      'if __name__ == "__main__":',
      '    sync()',
      '',
    ].join('\n');
    const result = (await analyzer()).analyze(source, 'python', { fileName: 'orders_sync.py' });
    assert.deepEqual(
      result.suggestions.filter((s) => s.kind === 'cursor').map((s) => s.range.start.line + 1),
      [10],
    );
  });
});
