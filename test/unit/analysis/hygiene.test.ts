// Hygiene findings on files that already use memory: exact codes, severities and lines, and
// quick fixes that apply cleanly and make the finding go away.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Finding } from '../../../src/analysis';
import { isSecretName } from '../../../src/analysis/hygiene';
import { collectSourceFiles } from '../../../src/cli/collectFiles';
import { analyzeFixture, analyzer, pyCompile, readFixture, REPO_ROOT, tempDir } from './helpers';

const CASES: Record<string, Array<[string, string, number]>> = {
  'uses-memory/codewords_misuse.py': [
    ['whole-body-in-memory', 'warning', 16],
    ['key-outside-namespace', 'error', 17],
    ['write-without-expiry', 'warning', 18],
    ['secret-in-memory', 'warning', 19],
    ['write-without-expiry', 'warning', 21],
  ],
  'uses-memory/redis_py_misuse.py': [
    ['write-without-expiry', 'warning', 12],
    ['write-without-expiry', 'warning', 13],
    ['whole-body-in-memory', 'warning', 13],
  ],
  'uses-memory/ioredisMisuse.ts': [
    ['whole-body-in-memory', 'warning', 9],
    ['secret-in-memory', 'warning', 10],
    ['write-without-expiry', 'warning', 11],
    ['write-without-expiry', 'warning', 12],
  ],
  'uses-memory/nodeRedisMisuse.ts': [
    ['write-without-expiry', 'warning', 8],
    ['write-without-expiry', 'warning', 9],
    ['write-without-expiry', 'warning', 10],
  ],
  'uses-memory/misuse.js': [
    ['whole-body-in-memory', 'warning', 9],
    ['secret-in-memory', 'warning', 10],
    ['write-without-expiry', 'warning', 11],
  ],
};

/** The line a quick fix leaves, for one finding per fixture: [fixture, code, line, expected text on that line]. */
const FIX_RESULTS: Array<[string, string, number, string]> = [
  ['uses-memory/codewords_misuse.py', 'key-outside-namespace', 17, 'await redis.set(f"{ns}:snapshot:last-url", url, ex=3600)'],
  ['uses-memory/codewords_misuse.py', 'write-without-expiry', 21, 'await redis.set(f"{ns}:snapshot:seen:{url}", 1, ex=7 * 86400)'],
  ['uses-memory/redis_py_misuse.py', 'whole-body-in-memory', 13, 'r.rpush("feed:bodies", hashlib.sha256(page.content).hexdigest())'],
  ['uses-memory/ioredisMisuse.ts', 'write-without-expiry', 11, "await redis.set(`wf:profile:${event.userId}:seen`, '1', 'EX', 7 * 86400);"],
  ['uses-memory/nodeRedisMisuse.ts', 'write-without-expiry', 8, "await client.set('wf:job:last-run', new Date().toISOString(), { EX: 7 * 86400 });"],
  ['uses-memory/nodeRedisMisuse.ts', 'write-without-expiry', 9, "await client.set('wf:job:lock', '1', { EX: 7 * 86400, NX: true });"],
  ['uses-memory/misuse.js', 'whole-body-in-memory', 9, "await redis.set('wf:data:body', createHash('sha256').update(JSON.stringify(resp.data)).digest('hex'), 'EX', 600);"],
];

describe('analysis: hygiene findings', () => {
  for (const [fixture, expected] of Object.entries(CASES)) {
    it(`${fixture}: ${expected.map((e) => e[0]).join(', ')}`, async () => {
      const result = await analyzeFixture(fixture);
      assert.deepEqual(
        result.findings.map((f) => [f.code, f.severity, f.range.start.line + 1]),
        expected,
      );
      assert.deepEqual(result.suggestions, [], 'a file that already uses memory gets no lens');
    });
  }

  it('messages say what to do', async () => {
    const { findings } = await analyzeFixture('uses-memory/codewords_misuse.py');
    const byCode = (code: string): Finding => findings.find((f) => f.code === code)!;
    assert.match(byCode('key-outside-namespace').message, /denied at run time with NOPERM.*under f"\{ns\}:…"/);
    assert.match(byCode('write-without-expiry').message, /no expiry.*grows forever.*ex=/);
    assert.match(byCode('secret-in-memory').message, /OPENAI_API_KEY.*secret/);
    assert.match(byCode('whole-body-in-memory').message, /whole response body.*SHA-256/);
    // A secret is named, never its value.
    assert.ok(!/sk-|xoxb-/.test(findings.map((f) => f.message).join('\n')));
  });

  it('every quick fix applies cleanly, compiles, and makes its finding go away', async function () {
    this.timeout(20000);
    const parser = await analyzer();
    const dir = tempDir('fix');
    const pythonFiles: string[] = [];
    for (const fixture of Object.keys(CASES)) {
      const { text, language } = readFixture(fixture);
      const { findings } = await analyzeFixture(fixture);
      for (const finding of findings) {
        if (!finding.fix) {
          const readBack = finding.code === 'whole-body-in-memory' && /read back/.test(finding.message);
          assert.ok(finding.code === 'secret-in-memory' || readBack, `${fixture}: ${finding.code} has a quick fix`);
          continue;
        }
        const fixed = applyEdits(text, finding.fix.edits);
        assert.ok(parser.parsesCleanly(fixed, language), `${fixture} ${finding.code}:\n${fixed}`);
        const after = parser.analyze(fixed, language, { fileName: path.basename(fixture) });
        const lineShift = fixed.split('\n').length - text.split('\n').length;
        const stillThere = after.findings.some((f) => f.code === finding.code && [finding.range.start.line, finding.range.start.line + lineShift].includes(f.range.start.line));
        assert.ok(!stillThere, `${fixture} ${finding.code} at line ${finding.range.start.line + 1} is fixed`);
        if (language === 'python') {
          const file = path.join(dir, `fix_${pythonFiles.length}.py`);
          fs.writeFileSync(file, fixed);
          pythonFiles.push(file);
        }
      }
    }
    assert.equal(pyCompile(pythonFiles), '');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [fixture, code, line, expectedLine] of FIX_RESULTS) {
    it(`quick fix for ${code} in ${fixture} writes: ${expectedLine}`, async () => {
      const { text, findings } = await analyzeFixture(fixture);
      const finding = findings.find((f) => f.code === code && f.range.start.line + 1 === line);
      assert.ok(finding?.fix, 'finding with a fix');
      const fixed = applyEdits(text, finding.fix.edits);
      assert.ok(fixed.split('\n').some((l) => l.trim() === expectedLine), fixed);
    });
  }

  it('a whole body that is read back and compared (`previous != response.text`) gets no quick fix: hashing only the write would break the comparison', async () => {
    const { findings } = await analyzeFixture('uses-memory/codewords_misuse.py');
    const body = findings.find((f) => f.code === 'whole-body-in-memory')!;
    assert.equal(body.fix, undefined);
    assert.match(body.message, /read back in this file.*no automatic fix/);
  });

  it('an EXPIRE goes right after a write that cannot carry one, with the same await', async () => {
    const { text, findings } = await analyzeFixture('uses-memory/codewords_misuse.py');
    const sadd = findings.find((f) => f.code === 'write-without-expiry' && f.range.start.line + 1 === 18)!;
    const lines = applyEdits(text, sadd.fix!.edits).split('\n');
    assert.equal(lines[17], '        await redis.sadd(f"{ns}:snapshot:urls", url)');
    assert.equal(lines[18], '        await redis.expire(f"{ns}:snapshot:urls", 7 * 86400)');
  });

  it('a key written by several HSETs is reported once (one EXPIRE is enough), each SET on its own (a SET drops the expiry)', async () => {
    const source = [
      'import redis',
      '',
      'r = redis.Redis()',
      '',
      '',
      'def remember(user_id, language, timezone):',
      '    r.hset(f"bot:prefs:{user_id}", "language", language)',
      '    r.hset(f"bot:prefs:{user_id}", "timezone", timezone)',
      '    r.set(f"bot:seen:{user_id}", 1)',
      '    r.set(f"bot:seen:{user_id}", 2)',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'python', { fileName: 'prefs.py' });
    const lines = findings.filter((f) => f.code === 'write-without-expiry').map((f) => f.range.start.line + 1);
    assert.deepEqual(lines, [7, 9, 10]);
  });

  it('the quick fix expiry follows defaultTtl', async () => {
    const { text, findings } = await analyzeFixture('uses-memory/redis_py_misuse.py', { defaultTtl: '2h' });
    const incr = findings.find((f) => f.code === 'write-without-expiry')!;
    assert.match(incr.fix!.title, /\(2h\)/);
    assert.ok(applyEdits(text, incr.fix!.edits).includes('r.expire("feed:runs", 2 * 3600)'));
  });

  it('an unparsable or "none" defaultTtl falls back to 7d for quick fixes', async () => {
    for (const defaultTtl of ['none', '-5m', 'soon', '']) {
      const { findings } = await analyzeFixture('uses-memory/redis_py_misuse.py', { defaultTtl });
      assert.match(findings[0].fix!.title, /\(7d\)/, defaultTtl);
    }
  });

  it('an inline comment silences a finding on that line (the token write in redis_py_misuse.py)', async () => {
    const { text, findings } = await analyzeFixture('uses-memory/redis_py_misuse.py');
    assert.ok(text.includes('# workflow-memory: ignore secret-in-memory'));
    assert.ok(!findings.some((f) => f.code === 'secret-in-memory'));
  });

  it('in-process state (a dict, a Map, a set) is not memory: no findings', async () => {
    for (const fixture of ['negatives/inProcess.ts', 'negatives/memo_cache.py']) {
      const { findings, suggestions } = await analyzeFixture(fixture);
      assert.deepEqual([findings, suggestions], [[], []], fixture);
    }
  });

  it('hygiene can be switched off', async () => {
    const { findings } = await analyzeFixture('uses-memory/codewords_misuse.py', { hygiene: false });
    assert.deepEqual(findings, []);
  });

  it('recognises secret names, and not look-alikes', () => {
    for (const name of ['password', 'DB_PASSWORD', 'apiKey', 'api_key', 'OPENAI_API_KEY', 'authToken', 'access_token', 'clientSecret', 'Authorization', 'private_key'])
      assert.ok(isSecretName(name), name);
    for (const name of ['max_tokens', 'token_count', 'tokens', 'next_page_token', 'pageToken', 'cursor', 'user_id', 'secret_name', 'password_hash', 'keyName'])
      assert.ok(!isSecretName(name), name);
  });
});

describe('analysis: whole bodies, told apart by where a value comes from', () => {
  it('`const { data: html } = await axios.get(…)` written whole is a whole body', async () => {
    const source = [
      "import Redis from 'ioredis';",
      "import axios from 'axios';",
      'const redis = new Redis();',
      'export async function handler(): Promise<void> {',
      "  const { data: html } = await axios.get<string>('https://example.com/menu');",
      "  await redis.set('wf:menu:page', html, 'EX', 600);",
      '}',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'typescript', { fileName: 'menu.ts' });
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['whole-body-in-memory', 6]]);
  });

  it('a secret read by key (`grant["access_token"]`) and written to memory is a secret', async () => {
    const source = [
      'import httpx',
      'import redis',
      '',
      'r = redis.Redis()',
      '',
      '',
      'def refresh() -> None:',
      '    grant = httpx.post("https://auth.example.com/oauth/token", data={"grant_type": "client_credentials"}).json()',
      '    r.set("wf:carrier:token", grant["access_token"], ex=grant["expires_in"])',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'python', { fileName: 'carrier.py' });
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['secret-in-memory', 9]]);
    assert.match(findings[0].message, /access_token/);
  });

  it('`result.text` of a call that is not HTTP (a translation) is no response body, whatever the name', async () => {
    const source = [
      "import Redis from 'ioredis';",
      "import * as deepl from 'deepl-node';",
      'const redis = new Redis();',
      "const translator = new deepl.Translator(process.env.DEEPL_KEY ?? '');",
      'export async function handler(text: string): Promise<string> {',
      "  const result = await translator.translateText(text, null, 'en-US');",
      "  await redis.set(`wf:translation:${text.length}`, result.text, 'EX', 600);",
      '  return result.text;',
      '}',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'typescript', { fileName: 'translate.ts' });
    assert.deepEqual(findings, []);
  });

  it('a webhook payload taken from the request (`JSON.stringify(payload)` with `const { payload } = req.body`) written whole is a whole request payload; its fix stores a SHA-256', async () => {
    const source = [
      "import Redis from 'ioredis';",
      "import express from 'express';",
      'const redis = new Redis();',
      'const app = express();',
      "app.post('/hooks/booking', async (req, res) => {",
      '  const { event, payload } = req.body as { event: string; payload: { uri: string } };',
      "  const id = payload.uri.split('/').pop();",
      "  const isNew = await redis.set(`wf:booking:${id}`, JSON.stringify(payload), 'EX', 86400, 'NX');",
      '  res.json({ event, isNew });',
      '});',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'typescript', { fileName: 'booking.ts' });
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['whole-body-in-memory', 8]]);
    assert.match(findings[0].message, /whole request payload \(`JSON\.stringify\(payload\)`\)/);
    assert.ok(applyEdits(source, findings[0].fix!.edits).includes("createHash('sha256').update(JSON.stringify(payload)).digest('hex')"));
  });

  it('a session cookie (`resp.cookies[".ASPXAUTH"]`) written to memory is a secret', async () => {
    const source = [
      'import httpx',
      'import redis',
      '',
      'r = redis.Redis()',
      '',
      '',
      'def sign_in(http: httpx.Client) -> None:',
      '    resp = http.post("https://portal.example.com/login", data={"user": "ops"})',
      '    r.set("wf:portal:session", resp.cookies[".ASPXAUTH"], ex=1200)',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'python', { fileName: 'portal.py' });
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['secret-in-memory', 9]]);
  });

  it('CodeWords: a key built by a local helper (`slot_key(…)`) outside `{ns}:` is denied where it is used; a helper that puts it under its own namespace parameter is fine', async () => {
    const source = [
      'from codewords_client import redis_client',
      '',
      '',
      'def slot_key(warehouse: str, appointment_id: str) -> str:',
      '    return f"dockview:{warehouse}:appt:{appointment_id}"',
      '',
      '',
      'def seen_key(namespace: str, appointment_id: str) -> str:',
      '    return f"{namespace}:dockview:seen:{appointment_id}"',
      '',
      '',
      'async def run(warehouse: str, appt_id: str) -> None:',
      '    async with redis_client() as (redis, ns):',
      '        await redis.set(slot_key(warehouse, appt_id), "1", ex=600)',
      '        await redis.set(seen_key(ns, appt_id), "1", ex=600)',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'python', { fileName: 'dock.py' });
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['key-outside-namespace', 14]]);
    assert.equal(findings[0].fix, undefined, 'changing the helper changes every caller: no automatic fix');
  });

  it('a dict built with secret keys (`tokens = {"access_token": …}`) written to memory is a secret; a model\'s `total_tokens` count is not', async () => {
    const source = [
      'import json',
      '',
      'import httpx',
      'import redis',
      '',
      'r = redis.Redis()',
      '',
      '',
      'def refresh(usage) -> None:',
      '    grant = httpx.post("https://api.example.com/oauth/token", data={"grant_type": "client_credentials"}).json()',
      '    tokens = {"access": grant["access_token"], "refresh_token": grant["refresh_token"]}',
      '    r.set("wf:shop:oauth", json.dumps(tokens), ex=3600)',
      '    r.incrby("wf:shop:model-tokens", usage.total_tokens)',
      '    r.expire("wf:shop:model-tokens", 86400)',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'python', { fileName: 'shop.py' });
    const secrets = findings.filter((f) => f.code === 'secret-in-memory');
    assert.deepEqual(secrets.map((f) => f.range.start.line + 1), [12]);
    assert.match(secrets[0].message, /`tokens \(refresh_token\)` looks like a secret/);
  });

  it('a parsed body behind a TypeScript cast (`(await res.json()) as Reviews`) written whole is a whole body; one field destructured from it is not', async () => {
    const source = [
      "import { createClient } from 'redis';",
      'const redis = createClient();',
      'export async function handler(sku: string): Promise<void> {',
      "  const res = await fetch('https://api.example.com/reviews');",
      '  const body = (await res.json()) as { reviews: string[] };',
      "  await redis.set('wf:reviews:latest', JSON.stringify(body), { EX: 600 });",
      '  const spec = await fetch(`https://api.example.com/products/${sku}`);',
      '  const { specifications } = (await spec.json()) as { specifications: Record<string, string> };',
      '  await redis.set(`wf:specs:${sku}`, JSON.stringify(specifications), { EX: 600 });',
      '}',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'typescript', { fileName: 'reviews.ts' });
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['whole-body-in-memory', 6]]);
  });

  it('a parameter named for a whole page (`remember(digest, html)`) written whole is a whole page; a digest or a small field is not', async () => {
    const source = [
      'import redis',
      '',
      'r = redis.Redis()',
      '',
      '',
      'def remember(digest: str, html: str, title: str) -> None:',
      '    r.set("wf:fuel:digest", digest, ex=86400)',
      '    r.set("wf:fuel:page", html, ex=86400)',
      '    r.set("wf:fuel:title", title, ex=86400)',
      '',
    ].join('\n');
    const { findings } = (await analyzer()).analyze(source, 'python', { fileName: 'fuel.py' });
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['whole-body-in-memory', 8]]);
    assert.match(findings[0].message, /whole page \(`html`\)/);
  });
});

describe('analysis: keys that change every run', () => {
  const SOURCE = [
    'import os',
    '',
    'import redis',
    'import requests',
    '',
    'r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)',
    '',
    '',
    'def main() -> None:',
    '    latest = requests.get("https://status.example.com/history.rss", timeout=15).text[:2000]',
    '    for address in ["oncall@example.com"]:',
    '        if r.sismember("statuswatch:emailed", f"{address}:{hash(latest)}"):',
    '            continue',
    '        requests.post("https://mail.example.com/send", json={"to": address, "text": latest}, timeout=15)',
    '        r.sadd("statuswatch:emailed", f"{address}:{hash(latest)}")',
    '        r.expire("statuswatch:emailed", 30 * 86400)',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ].join('\n');

  it('Python: a member built with hash() (salted per process) is reported where it is checked and where it is written', async () => {
    const { findings } = (await analyzer()).analyze(SOURCE, 'python', { fileName: 'statuswatch.py' });
    const perRun = findings.filter((f) => f.code === 'key-changes-every-run');
    assert.deepEqual(perRun.map((f) => [f.severity, f.range.start.line + 1]), [['warning', 12], ['warning', 15]]);
    assert.match(perRun[0].message, /`hash\(latest\)` is different in every Python process.*hashlib\.sha256/);
  });

  it('its fix replaces every hash() in the function\'s Redis calls at once, so the check and the write keep agreeing; the result compiles', async () => {
    const parser = await analyzer();
    const { findings } = parser.analyze(SOURCE, 'python', { fileName: 'statuswatch.py' });
    const fixed = applyEdits(SOURCE, findings.find((f) => f.code === 'key-changes-every-run')!.fix!.edits);
    assert.equal(fixed.match(/hashlib\.sha256\(str\(latest\)\.encode\(\)\)\.hexdigest\(\)\[:16\]/g)?.length, 2);
    assert.match(fixed, /^import os\nimport hashlib$/m);
    assert.ok(!parser.analyze(fixed, 'python', { fileName: 'statuswatch.py' }).findings.some((f) => f.code === 'key-changes-every-run'));
    const file = path.join(tempDir('perrun'), 'statuswatch.py');
    fs.writeFileSync(file, fixed);
    assert.equal(pyCompile([file]), '');
  });

  it('a local function called hash, or hashlib, is not the builtin', async () => {
    const source = SOURCE.replace('import os\n', 'import os\n\n\ndef hash(text: str) -> str:\n    return text[:32]\n');
    const { findings } = (await analyzer()).analyze(source, 'python', { fileName: 'statuswatch.py' });
    assert.ok(!findings.some((f) => f.code === 'key-changes-every-run'));
  });
});

describe('analysis: whole parsed responses, and the code the helper inserts', () => {
  const ZOOM = [
    "import Redis from 'ioredis';",
    '',
    'const redis = new Redis(process.env.REDIS_URL);',
    '',
    'export async function handler(meetingId: string): Promise<void> {',
    '  const res = await fetch(`https://api.zoom.us/v2/meetings/${meetingId}/recordings`);',
    '  const recordings = await res.json();',
    '  await redis.set(`zoom:recording:${meetingId}`, JSON.stringify(recordings), "EX", 86400);',
    '}',
    '',
  ].join('\n');

  it('`JSON.stringify(await res.json())` written whole is a whole body; its fix stores a SHA-256', async () => {
    const { findings } = (await analyzer()).analyze(ZOOM, 'typescript', { fileName: 'zoom.ts' });
    const body = findings.find((f) => f.code === 'whole-body-in-memory');
    assert.ok(body, JSON.stringify(findings.map((f) => f.code)));
    assert.equal(body.range.start.line + 1, 8);
    const fixed = applyEdits(ZOOM, body.fix!.edits);
    assert.match(fixed, /createHash\('sha256'\)\.update\(JSON\.stringify\(recordings\)\)\.digest\('hex'\)/);
    assert.match(fixed, /^import \{ createHash \} from 'node:crypto';$/m);
  });

  it('the same under a cache key is the cached answer: no finding', async () => {
    const source = ZOOM.replace('zoom:recording:', 'zoom:cache:recording:');
    const { findings } = (await analyzer()).analyze(source, 'typescript', { fileName: 'zoom.ts' });
    assert.ok(!findings.some((f) => f.code === 'whole-body-in-memory'), JSON.stringify(findings.map((f) => f.code)));
  });

  it('a client held in a TypeScript parameter property (`constructor(private readonly client: Redis)`) is Redis; a response returned by a local helper is a response', async () => {
    const parser = await analyzer();
    const fuel = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'typescript', 'h7_io_fuel_surcharge_hygiene.ts'), 'utf8');
    const fuelFindings = parser.analyze(fuel, 'typescript', { fileName: 'fuel.ts' }).findings.filter((f) => f.code === 'write-without-expiry');
    assert.deepEqual(fuelFindings.map((f) => f.range.start.line + 1), [22, 24]);
    const vet = fs.readFileSync(path.join(REPO_ROOT, 'bench', 'eval', 'python', 'h7_rp_vet_lab_results_hygiene.py'), 'utf8');
    const body = parser.analyze(vet, 'python', { fileName: 'vet.py' }).findings.find((f) => f.code === 'whole-body-in-memory');
    assert.equal(body ? body.range.start.line + 1 : undefined, 60);
  });

  it('accepting any suggestion on the fixtures, eval files and examples brings no new finding', async function () {
    this.timeout(60000);
    const parser = await analyzer();
    const { files } = collectSourceFiles(['test/fixtures', 'bench/eval', 'examples'], REPO_ROOT);
    const introduced: string[] = [];
    let accepted = 0;
    for (const file of files) {
      const original = fs.readFileSync(file.absolutePath, 'utf8');
      const options = { fileName: path.basename(file.absolutePath) };
      const result = parser.analyze(original, file.language, options);
      const before = new Set(result.findings.map((f) => `${f.code}|${f.message}`));
      for (const suggestion of result.suggestions) {
        accepted++;
        const after = parser.analyze(applyEdits(original, suggestion.edits), file.language, options);
        for (const finding of after.findings) {
          if (!before.has(`${finding.code}|${finding.message}`)) introduced.push(`${file.displayPath} ${suggestion.kind} -> ${finding.code}: ${finding.message}`);
        }
      }
    }
    assert.ok(accepted > 100, `only ${accepted} suggestions`);
    assert.deepEqual(introduced, []);
  });
});
