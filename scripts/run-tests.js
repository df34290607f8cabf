#!/usr/bin/env node
// `npm test [-- suite...]`: installs what is missing (Debian packages, npm packages, code-server),
// builds, compiles the tests, then runs each suite in its own process, printing its output live.
// Ends with one line `N passed, N failed` and a non-zero exit status when anything failed.
// Only Node's own modules here: this runs before `npm ci` on a fresh clone.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureDebianPackages, ensureNodeModules, ensureCodeServer } = require('./lib/ensure');

const repoRoot = path.resolve(__dirname, '..');
const MINUTE = 60 * 1000;

/** In run order. `files` are the compiled tests; a suite without any reports "no tests". */
const SUITES = [
  { name: 'unit', dir: 'out/test/unit', timeoutMs: 10000, limitMs: 15 * MINUTE },
  { name: 'redis', dir: 'out/test/redis', timeoutMs: 20000, limitMs: 15 * MINUTE },
  { name: 'lsp', dir: 'out/test/lsp', timeoutMs: 30000, limitMs: 15 * MINUTE },
  { name: 'package', dir: 'out/test/package', timeoutMs: 5 * MINUTE, limitMs: 15 * MINUTE, needsCodeServer: true },
  { name: 'vscode', dir: 'out/test/vscode/suite', entry: 'out/test/vscode/runTest.js', limitMs: 30 * MINUTE, needsCodeServer: true },
  { name: 'e2e', dir: 'out/test/e2e', timeoutMs: 5 * MINUTE, limitMs: 45 * MINUTE, needsCodeServer: true },
];

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code, text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const banner = (text) => console.log(`\n${paint('1;36', `=== ${text}`)}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function findTestFiles(directory) {
  const absolute = path.join(repoRoot, directory);
  if (!fs.existsSync(absolute)) return [];
  return fs.readdirSync(absolute, { recursive: true })
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => path.join(directory, file))
    .sort();
}

/** The last `N passing / N failing / N pending` that mocha's spec reporter printed. */
function parseMochaSummary(output) {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const last = (word) => {
    const matches = [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : null;
  };
  return { passing: last('passing'), failing: last('failing'), pending: last('pending') };
}

/** Children run in their own process group so a timeout or Ctrl+C can stop everything they started. */
const runningGroups = new Set();
function stopRunningGroups(signal) {
  for (const pid of runningGroups) {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping the running suite…`);
    stopRunningGroups('SIGTERM');
    setTimeout(() => { stopRunningGroups('SIGKILL'); process.exit(130); }, 5000).unref();
  });
}

/** Runs a command, copying its output live and keeping it for parsing. */
function runLive(command, args, { limitMs, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    runningGroups.add(child.pid);
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => { output += chunk; process.stdout.write(chunk); });
    child.stderr.on('data', (chunk) => { output += chunk; process.stderr.write(chunk); });
    const timer = limitMs ? setTimeout(() => {
      timedOut = true;
      console.error(`\n${paint('31', `Stopped after ${seconds(limitMs)}: the suite took too long.`)}`);
      // SIGTERM first: the VS Code stand-in then stops the code-server and browser it started detached.
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000).unref();
    }, limitMs) : null;
    child.on('error', (error) => { output += `\n${error.message}\n`; });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      runningGroups.delete(child.pid);
      // Whatever the suite left behind in its group (a redis-server, a browser) goes with it.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ }
      resolve({ code: code ?? 1, signal, output, timedOut });
    });
  });
}

/** A preparation step: failing counts as one failure; the suites still run to show the rest. */
async function step(name, results, work) {
  banner(name);
  const started = Date.now();
  try {
    await work();
    results.push({ name, kind: 'step', ok: true, ms: Date.now() - started });
    return true;
  } catch (error) {
    console.error(paint('31', `${name} failed: ${error.message}`));
    results.push({ name, kind: 'step', ok: false, ms: Date.now() - started });
    return false;
  }
}

function runChecked(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited with status ${result.status ?? result.signal}`);
}

/** Removes compiled files whose source is gone, so a deleted test never runs from a stale out/. */
function pruneStaleOutput() {
  const outDir = path.join(repoRoot, 'out');
  if (!fs.existsSync(outDir)) return;
  for (const file of fs.readdirSync(outDir, { recursive: true })) {
    const match = /^(.*)\.js(\.map)?$/.exec(file);
    if (!match) continue;
    const source = path.join(repoRoot, match[1]);
    if (!fs.existsSync(`${source}.ts`) && !fs.existsSync(`${source}.js`)) fs.rmSync(path.join(outDir, file), { force: true });
  }
}

async function runSuite(suite) {
  banner(`suite ${suite.name}`);
  const files = findTestFiles(suite.dir);
  if (files.length === 0) {
    console.log(`no tests (no ${suite.dir}/**/*.test.js)`);
    return { name: suite.name, kind: 'suite', noTests: true, passed: 0, failed: 0, pending: 0, ms: 0 };
  }
  const started = Date.now();
  const mocha = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const args = suite.entry
    ? [suite.entry]
    : [mocha, '--reporter', 'spec', '--exit', '--timeout', String(suite.timeoutMs), ...(useColor ? ['--color'] : []), ...files];
  // Stack traces point into the TypeScript sources (not for VS Code itself: Electron may refuse NODE_OPTIONS).
  const env = suite.entry ? {} : { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps`.trim() };
  const run = await runLive(process.execPath, args, { limitMs: suite.limitMs, env });
  const summary = parseMochaSummary(run.output);
  const reported = summary.passing !== null || summary.failing !== null;
  let failed = summary.failing ?? 0;
  // Crashed before reporting, or failed after it (a hook, a leak): at least one failure.
  if ((run.code !== 0 || run.timedOut) && failed === 0) failed = 1;
  return {
    name: suite.name,
    kind: 'suite',
    passed: summary.passing ?? 0,
    failed,
    pending: summary.pending ?? 0,
    crashed: !reported && failed > 0,
    timedOut: run.timedOut,
    ms: Date.now() - started,
  };
}

function printSummary(results) {
  banner('summary');
  const width = Math.max(...results.map((result) => result.name.length)) + 2;
  for (const result of results) {
    const name = result.name.padEnd(width);
    let text;
    if (result.kind === 'step') text = result.ok ? paint('32', 'ok') : paint('31', 'FAILED (counts as 1 failed)');
    else if (result.noTests) text = paint('33', 'no tests');
    else {
      text = `${result.passed} passed, ${result.failed} failed${result.pending ? `, ${result.pending} pending` : ''}`;
      if (result.timedOut) text += ' (timed out)';
      else if (result.crashed) text += ' (crashed before reporting)';
      text = paint(result.failed ? '31' : '32', text);
    }
    console.log(`  ${name}${text}${result.ms ? `  ${seconds(result.ms)}` : ''}`);
  }
}

async function main() {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length) {
    console.error(`Unknown suite(s): ${unknown.join(', ')}. Suites: ${SUITES.map((suite) => suite.name).join(', ')}`);
    process.exit(2);
  }
  const selected = requested.length ? SUITES.filter((suite) => requested.includes(suite.name)) : SUITES;
  const results = [];

  await step('Debian packages', results, async () => ensureDebianPackages());
  const haveModules = await step('npm packages', results, async () => ensureNodeModules(repoRoot));
  if (selected.some((suite) => suite.needsCodeServer)) await step('code-server', results, async () => ensureCodeServer());
  if (haveModules) {
    await step('build (node esbuild.js)', results, async () => runChecked(process.execPath, ['esbuild.js']));
    await step('compile tests (tsc -p .)', results, async () => {
      pruneStaleOutput();
      runChecked(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
      console.log('ok');
    });
  }

  for (const suite of selected) {
    if (interrupted) break;
    results.push(await runSuite(suite));
    // The package suite leaves a minified production build in dist/; the later suites want the dev build's source maps.
    if (suite.name === 'package' && selected.some((later) => later.name === 'vscode' || later.name === 'e2e') && !interrupted) {
      await step('rebuild (node esbuild.js)', results, async () => runChecked(process.execPath, ['esbuild.js']));
    }
  }

  printSummary(results);
  const passed = results.reduce((sum, result) => sum + (result.passed ?? 0), 0);
  const failed = results.reduce((sum, result) => sum + (result.kind === 'step' ? (result.ok ? 0 : 1) : result.failed), 0)
    + (interrupted ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
