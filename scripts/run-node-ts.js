#!/usr/bin/env node
// Runs a TypeScript entry (a bench or eval script) with plain Node: bundles it with esbuild the
// way esbuild.js bundles the product, then runs the bundle, forwarding arguments and exit status.
//   node scripts/run-node-ts.js bench/analyzer.ts [args…]
const esbuild = require('esbuild');
const { spawn } = require('child_process');
const path = require('path');

async function main() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('Usage: node scripts/run-node-ts.js <entry.ts> [args…]');
    return 2;
  }
  const root = path.resolve(__dirname, '..');
  const entryPath = path.resolve(entry);
  // Inside the repository (out/ is git-ignored), so the bundle resolves node_modules at run time
  // exactly as the tests do; one output file per entry so parallel runs of different scripts coexist.
  const outfile = path.join(root, 'out', 'run-node-ts', path.relative(root, entryPath).replace(/\.[cm]?tsx?$/, '.js'));
  const result = await esbuild.build({
    entryPoints: [entryPath],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'error',
    // Same as esbuild.js: web-tree-sitter's CJS build, so `import.meta` is not emptied.
    alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  });
  if (result.errors.length > 0) return 1;

  const child = spawn(process.execPath, ['--enable-source-maps', ...process.execArgv, outfile, ...args], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (require('os').constants.signals[signal] ?? 0) : 1)));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
