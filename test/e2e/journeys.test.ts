// The three journeys of the product, driven like a person in a real browser against code-server
// with the packaged VSIX installed, the demo's seeded Redis and a copy of examples/. Each step
// checks its effect at the source (Redis, the file on disk), not only on screen; a failing step
// leaves a screenshot in .e2e-artifacts/. WM_UPDATE_SCREENSHOTS=1 rewrites the README pictures.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Locator } from 'playwright-core';
import { E2eSession, NAMESPACE, OUTSIDE_KEY, waitFor } from './support/session';
import { pythonCompileError, syntaxErrorLines } from './support/parsing';
import { normalizeSpace, type Workbench } from './support/workbench';

const COUNTDOWN = /expires in \d+[dhms]( \d+[dhms])?/;

describe('end-to-end: the Workflow Memory journeys in a real browser', function () {
  this.timeout(10 * 60 * 1000);
  const session = new E2eSession();
  let workbench: Workbench;

  before(async function () {
    this.timeout(15 * 60 * 1000);
    await session.start();
    workbench = session.workbench;
  });

  after(async () => {
    await session.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      const file = await workbench.saveFailureScreenshot(this.currentTest.fullTitle()).catch(() => undefined);
      if (file) console.log(`      screenshot of the failure: ${path.relative(process.cwd(), file)}`);
      // Leave no prompt or menu open for the next step.
      await workbench.page.keyboard.press('Escape').catch(() => undefined);
      await workbench.page.keyboard.press('Escape').catch(() => undefined);
    }
  });

  it('1. the view shows the seeded groups and keys with expiry countdowns', async () => {
    await workbench.openMemoryView();
    for (const group of ['chatbot', 'enrich', 'monitor', 'notifier']) {
      await workbench.row(group).waitFor({ timeout: 60000 });
    }
    // A group says how many keys it holds (the monitor remembers three pages).
    assert.match(await workbench.rowText(workbench.row('monitor')), /\b3 keys\b/);

    await workbench.expandPath(['monitor', 'page-hash']);
    const pricingText = await describedRow(workbench, 'acme.example/pricing');
    assert.match(pricingText, /\bstring\b/, `a key shows its type: "${pricingText}"`);
    assert.match(pricingText, COUNTDOWN, `a key shows its expiry as a countdown: "${pricingText}"`);
    // The countdown is the one Redis holds: 30 days, less the seconds since seeding.
    const pricingTtl = await session.redis.ttl(`${NAMESPACE}:monitor:page-hash:acme.example/pricing`);
    assert.ok(pricingTtl > 29 * 86400 && pricingTtl <= 30 * 86400, `TTL in Redis: ${pricingTtl}`);
    assert.match(pricingText, /expires in (30d|29d \d+h)/);

    await workbench.expandPath(['chatbot', 'turns']);
    const turns = await describedRow(workbench, 'sess_7f3a');
    assert.match(turns, /\blist\b/);
    assert.match(turns, /expires in (1d|2[34]h|23h \d+m)/, `a conversation lives 24h: "${turns}"`);

    if (process.env.WM_UPDATE_SCREENSHOTS === '1') {
      // The picture shows a user's preferences (a hash) open beside the tree.
      await workbench.expand('prefs');
      await workbench.row('u_1042').click();
      await waitFor(async () => (await workbench.activeEditorText()).includes('formal'), 20000, 'the preferences to open');
      await workbench.row('u_1042').waitFor({ timeout: 10000 }).catch(() => undefined);
      await workbench.clearNotifications();
      await workbench.readmePicture('memory-tree');
    }

    await workbench.expand('enrich');
    const lastRun = await describedRow(workbench, 'last-run');
    assert.match(lastRun, /never expires/, `the key without expiry is flagged: "${lastRun}" (empty: its row is not in the tree)`);
    assert.strictEqual(await session.redis.ttl(`${NAMESPACE}:enrich:last-run`), -1);
  });

  it('2. a key opens in an editor tab with its value formatted', async () => {
    await workbench.openMemoryView();
    await workbench.expandPath(['enrich', 'cache', 'geocode']);
    await workbench.row('5e0d2c91').click();
    await workbench.page.locator('.tabs-container .tab.active').filter({ hasText: '5e0d2c91' }).waitFor({ timeout: 20000 });
    await waitFor(async () => (await workbench.activeEditorText()).includes('Friedrichstrasse'), 20000, 'the value to show in the editor');
    const shown = await workbench.activeEditorText();
    // Pretty-printed: one field per line, indented.
    assert.match(shown, /^\s+"lat": 52\.5096,$/m, `the JSON is pretty-printed:\n${shown}`);
    const stored = await session.redis.get(`${NAMESPACE}:enrich:cache:geocode:5e0d2c91`);
    assert.deepStrictEqual(JSON.parse(shown), JSON.parse(stored ?? 'null'), 'the tab shows exactly what Redis holds');
  });

  it('3. Set Value… through the prompts writes the key, value and expiry to Redis', async () => {
    const key = `${NAMESPACE}:monitor:page-hash:acme.example/careers`;
    const value = { hash: 'sha256:77aa0c3e', status: 200 };
    await session.redis.del(key);
    await workbench.openMemoryView();
    await workbench.contextMenu(workbench.row('monitor'), 'Set Value…');

    const answered = new Set<string>();
    for (let step = 0; step < 6 && (await promptOpens(workbench)); step++) {
      const prompt = await workbench.waitForPrompt();
      const isPick = await workbench.quickInput().locator('.quick-input-list .monaco-list-row').first().isVisible();
      const input = workbench.quickInput().locator('input.input').first();
      if (process.env.WM_E2E_VERBOSE) console.log(`      prompt ${step + 1}${isPick ? ' (pick)' : ''}: ${prompt}`);
      if (isPick) {
        assert.match(prompt, /format|json|text/i, `an unexpected choice: "${prompt}"`);
        await workbench.pick(/JSON/, 'JSON');
        answered.add('format');
      } else if (/expir|ttl/i.test(prompt)) {
        await input.fill('2h');
        await workbench.readmePicture('set-value-expiry');
        await workbench.answerPrompt('2h');
        answered.add('expiry');
      } else if (!answered.has('key')) {
        // The key is prefilled with the group's prefix.
        const prefilled = await input.inputValue();
        assert.strictEqual(prefilled, `${NAMESPACE}:monitor:`, `the key prompt is prefilled with the group: "${prompt}"`);
        await workbench.answerPrompt(key);
        answered.add('key');
      } else {
        await workbench.answerPrompt(JSON.stringify(value));
        answered.add('value');
      }
      await waitForPromptToMove(workbench, prompt);
    }
    assert.deepStrictEqual([...answered].sort(), ['expiry', 'format', 'key', 'value']);

    await waitFor(async () => (await session.redis.exists(key)) === 1, 10000, `${key} in Redis`);
    assert.strictEqual(await session.redis.type(key), 'string');
    assert.deepStrictEqual(JSON.parse((await session.redis.get(key)) ?? 'null'), value);
    const pttl = await session.redis.pttl(key);
    assert.ok(pttl > 2 * 3600_000 - 120_000 && pttl <= 2 * 3600_000, `expiry in Redis is 2h: ${pttl} ms`);

    // And the tree shows it.
    await workbench.expandPath(['monitor', 'page-hash']);
    await workbench.row('acme.example/careers').waitFor({ timeout: 20000 });
  });

  it('4. Clear Group… from the context menu deletes exactly that group, after a confirmation', async () => {
    const before = await session.namespaceKeys();
    const group = `${NAMESPACE}:notifier:`;
    const inGroup = before.filter((key) => key.startsWith(group));
    assert.strictEqual(inGroup.length, 2, `seeded notifier keys: ${inGroup.join(', ')}`);

    await workbench.openMemoryView();
    await workbench.clearNotifications();
    await workbench.contextMenu(workbench.row('notifier'), 'Clear Group…');
    await workbench.dialog().waitFor({ timeout: 15000 });
    const question = await workbench.dialogText();
    assert.ok(question.includes(group), `the confirmation names the exact prefix: "${question}"`);
    assert.match(question, /\b2 keys\b/, `the confirmation says how many keys will go: "${question}"`);
    // Nothing is deleted before the answer.
    assert.deepStrictEqual(await session.namespaceKeys(), before);
    await workbench.readmePicture('clear-confirmation');
    await workbench.clickDialogButton(/^(Delete|Clear)/);

    await waitFor(async () => (await session.namespaceKeys()).length === before.length - inGroup.length, 15000, 'the group to be deleted');
    assert.deepStrictEqual(await session.namespaceKeys(), before.filter((key) => !key.startsWith(group)),
      'every key outside the group is intact');
    assert.strictEqual(await session.redis.exists(OUTSIDE_KEY), 1, 'the key outside the namespace is intact');
    await workbench.row('notifier').waitFor({ state: 'detached', timeout: 15000 });
  });

  it('5. code lenses on a Python and a TypeScript workflow; accepting one inserts code that still parses', async () => {
    // Python, CodeWords style: remember each page's hash and skip unchanged pages.
    const python = path.join(session.workspace, 'codewords', 'website_monitor.py');
    const pythonBefore = fs.readFileSync(python, 'utf8');
    await workbench.openFile('codewords/website_monitor.py');
    const pythonLens = await lensMatching(workbench, /^Add memory: .*\(change-detection · 30d\)/);
    if (process.env.WM_UPDATE_SCREENSHOTS === '1') {
      await workbench.clearNotifications();
      await workbench.goToLine(lineOf(pythonBefore, /await http\.get\(/));
      // The code, not the tree, is the point of this picture.
      await workbench.page.keyboard.press('Control+B');
      await workbench.readmePicture('code-lens');
      await workbench.page.keyboard.press('Control+B');
    }
    await pythonLens.click();
    await workbench.save();
    const pythonAfter = await fileChange(python, pythonBefore);
    const pythonAdded = addedLines(pythonBefore, pythonAfter);
    assert.match(pythonAdded, /redis_client\(\)/, `in a CodeWords service it uses redis_client():\n${pythonAdded}`);
    assert.match(pythonAdded, /f"\{ns\}:[\w-]+:[\w-]+:\{/, `keys follow {ns}:<workflow>:<purpose>:<id>:\n${pythonAdded}`);
    assert.match(pythonAdded, /\bex=/, `every write has an expiry:\n${pythonAdded}`);
    assert.deepStrictEqual(await syntaxErrorLines(python, 'python'), [], 'the Python file still parses');
    assert.strictEqual(pythonCompileError(python), '', 'the Python file still compiles');
    if (process.env.WM_UPDATE_SCREENSHOTS === '1') {
      await workbench.goToLine(lineOf(pythonAfter, /Workflow memory:/) + 4);
      await workbench.page.keyboard.press('Control+B');
      await workbench.readmePicture('code-lens-accepted');
      await workbench.page.keyboard.press('Control+B');
    }

    // TypeScript with ioredis: remember whom the notifier told.
    const typescript = path.join(session.workspace, 'typescript', 'notifier.ts');
    const typescriptBefore = fs.readFileSync(typescript, 'utf8');
    await workbench.openFile('typescript/notifier.ts');
    const typescriptLens = await lensMatching(workbench, /^Add memory: .*\(dedupe · 30d\)/);
    await typescriptLens.click();
    await workbench.save();
    const typescriptAfter = await fileChange(typescript, typescriptBefore);
    const typescriptAdded = addedLines(typescriptBefore, typescriptAfter);
    assert.match(typescriptAdded, /\bredis\.\w+\(/, `it uses the file's existing ioredis client:\n${typescriptAdded}`);
    assert.match(typescriptAdded, /'EX'|\.expire\(|\bEX\b/, `every write has an expiry:\n${typescriptAdded}`);
    assert.deepStrictEqual(await syntaxErrorLines(typescript, 'typescript'), [], 'the TypeScript file still parses');
  });

  it('6. a memory write without expiry shows in the Problems panel', async () => {
    const chatbot = path.join(session.workspace, 'codewords', 'support_chatbot.py');
    await workbench.openFile('codewords/support_chatbot.py');
    const problems = await workbench.openProblems();
    const problem = problems.locator('.monaco-list-row').filter({ hasText: /expir/i }).first();
    await problem.waitFor({ timeout: 30000 });
    const text = normalizeSpace(await problem.innerText());
    const line = Number(/Ln (\d+)/.exec(text)?.[1] ?? (await problem.getAttribute('aria-label'))?.match(/line (\d+)/i)?.[1]);
    assert.ok(Number.isInteger(line), `the problem names its line: "${text}"`);
    // At the source: that line of the file writes to memory with no expiry.
    const written = fs.readFileSync(chatbot, 'utf8').split('\n')[line - 1] ?? '';
    assert.match(written, /redis\.set\(/, `line ${line} is the memory write: "${written}"`);
    assert.doesNotMatch(written, /\bex=/);
    if (process.env.WM_UPDATE_SCREENSHOTS === '1') {
      await workbench.clearNotifications();
      await problem.click(); // reveals the line, cursor on the squiggle
      await workbench.page.waitForTimeout(300);
      await workbench.activeEditor().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
      await workbench.goToLine(line);
      await workbench.page.keyboard.press('End');
      await workbench.page.keyboard.press('ArrowLeft');
      await workbench.showHoverAtCursor();
      await workbench.readmePicture('problems-diagnostic', { keepHover: true });
      await workbench.page.keyboard.press('Escape');
      await workbench.page.keyboard.press('Home'); // scroll back to the start of the line for later pictures
    }
  });

  it('7. losing Redis shows the error state; after a restart, Retry brings the keys back', async () => {
    await workbench.openMemoryView();
    await workbench.row('monitor').waitFor({ timeout: 15000 });
    const keysBefore = await session.namespaceKeys();
    await session.stopRedis();
    assert.strictEqual(await session.redis.ping().catch(() => 'down'), 'down', 'Redis is really stopped');

    // Refresh is hidden once the view has noticed by itself.
    await workbench.clickViewAction('Refresh', 3000).catch(() => undefined);
    const errorRow = workbench.viewContainer.locator('.monaco-list-row').filter({
      has: workbench.page.locator('.actions .action-label[aria-label^="Retry"]'),
    }).first();
    await errorRow.waitFor({ state: 'attached', timeout: 30000 });
    const errorText = await workbench.rowText(errorRow);
    assert.match(errorText, /refused|reach|unavailable|lost|down|error|connect/i, `the error says what happened: "${errorText}"`);
    if (process.env.WM_UPDATE_SCREENSHOTS === '1') {
      await errorRow.hover(); // shows its Retry action
      await workbench.readmePicture('connection-error', { keepHover: true });
    }
    await workbench.row('monitor').waitFor({ state: 'detached', timeout: 10000 });

    await session.startRedis();
    assert.deepStrictEqual(await session.namespaceKeys(), keysBefore, 'the restarted Redis holds the same keys');
    if (await errorRow.isVisible()) await workbench.clickInlineAction(errorRow, 'Retry');
    await workbench.row('monitor').waitFor({ timeout: 30000 });
    await workbench.row('chatbot').waitFor({ timeout: 5000 });
  });
});

/** A key row's text once its metadata (type, expiry) has arrived in place of the "…" placeholder. */
async function describedRow(workbench: Workbench, label: string): Promise<string> {
  const row = workbench.row(label);
  await row.waitFor({ timeout: 30000 });
  // Until then the row is re-rendered in place; the assertions after this say what is missing.
  await row.filter({ hasText: /expire/ }).waitFor({ timeout: 30000 }).catch(() => undefined);
  return workbench.rowText(row);
}

/** True once a quick input is showing (a command's next prompt), false when none comes. */
async function promptOpens(workbench: Workbench): Promise<boolean> {
  try {
    await workbench.quickInput().waitFor({ state: 'visible', timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

/** After Enter: waits until the quick input closed or shows a different question. */
async function waitForPromptToMove(workbench: Workbench, previous: string): Promise<void> {
  await waitFor(async () => !(await workbench.promptIsOpen()) || (await workbench.waitForPrompt().catch(() => '')) !== previous,
    10000, `the prompt "${previous}" to be answered (is the answer refused?)`);
}

/** The code lens whose text matches, once the language helper has shown it. */
async function lensMatching(workbench: Workbench, title: RegExp): Promise<Locator> {
  const lens = workbench.codeLenses().filter({ hasText: title }).first();
  try {
    await lens.waitFor({ timeout: 60000 });
  } catch (error) {
    const shown = (await workbench.codeLenses().allInnerTexts()).map(normalizeSpace);
    throw new Error(`No code lens matching ${title}; shown: ${JSON.stringify(shown)}`);
  }
  return lens;
}

/** Waits for the file on disk to differ from `before` (the save reached the disk) and returns it. */
async function fileChange(file: string, before: string): Promise<string> {
  await waitFor(() => fs.readFileSync(file, 'utf8') !== before, 15000, `${path.basename(file)} to be saved with the inserted code`);
  return fs.readFileSync(file, 'utf8');
}

/** The 1-based line of the first line matching `pattern`. */
function lineOf(text: string, pattern: RegExp): number {
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`no line matches ${pattern}`);
  return index + 1;
}

/** The lines of `after` that are not in `before` (the inserted code), joined. */
function addedLines(before: string, after: string): string {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((line) => !old.has(line)).join('\n');
}
