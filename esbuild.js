// Bundles the extension, the language server and the CLI; copies the tree-sitter wasm files.
// Type-checking is separate (`npm run typecheck`), as in the official esbuild sample.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the shape VS Code's $esbuild-watch problem matcher reads. */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const wasmFiles = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-typescript/tree-sitter-typescript.wasm',
  'tree-sitter-typescript/tree-sitter-tsx.wasm',
  'tree-sitter-javascript/tree-sitter-javascript.wasm',
];

/** The parsers load these at run time from dist/wasm, next to the bundles. */
const copyWasmPlugin = {
  name: 'copy-wasm',
  setup(build) {
    build.onEnd(() => {
      const target = path.join(__dirname, 'dist', 'wasm');
      fs.mkdirSync(target, { recursive: true });
      for (const file of wasmFiles) {
        fs.copyFileSync(require.resolve(file), path.join(target, path.basename(file)));
      }
    });
  },
};

const shared = {
  bundle: true,
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  platform: 'node',
  target: 'node20',
  logLevel: 'silent',
  // web-tree-sitter is ESM-first; its CJS build avoids `import.meta` being emptied by esbuild.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

const entryPoints = [
  { in: 'src/extension.ts', out: 'extension', external: ['vscode'], needsWasm: false },
  { in: 'src/server/server.ts', out: 'server', external: [], needsWasm: true },
  { in: 'src/cli/main.ts', out: 'cli', external: [], banner: { js: '#!/usr/bin/env node' }, needsWasm: true },
];

async function main() {
  const contexts = [];
  for (const entry of entryPoints) {
    if (!fs.existsSync(entry.in)) continue;
    contexts.push(
      await esbuild.context({
        ...shared,
        entryPoints: [entry.in],
        outfile: `dist/${entry.out}.js`,
        external: entry.external,
        banner: entry.banner,
        plugins: entry.needsWasm ? [problemMatcherPlugin, copyWasmPlugin] : [problemMatcherPlugin],
      }),
    );
  }
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
