#!/usr/bin/env node
// `npm run package`: a production build (vsce runs the `vscode:prepublish` script, esbuild
// --production) packed with vsce into workflow-memory-<version>.vsix. The bundles carry every
// dependency, so the VSIX has no node_modules (--no-dependencies); .vscodeignore is an allow-list.
// Usage: node scripts/package.js [--out FILE]
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');

/** @returns {string} the VSIX's absolute path */
function packageExtension(outFile) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const vsix = path.resolve(outFile ?? path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`));
  fs.mkdirSync(path.dirname(vsix), { recursive: true });
  // A development build's source maps may still sit in dist/; the production build writes none.
  const dist = path.join(repoRoot, 'dist');
  if (fs.existsSync(dist)) {
    for (const file of fs.readdirSync(dist, { recursive: true })) {
      if (file.endsWith('.map')) fs.rmSync(path.join(dist, file), { force: true });
    }
  }
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [repoRoot] });
  const result = spawnSync(process.execPath, [
    vsce, 'package',
    '--no-dependencies',
    // README images live in media/readme/, inside the VSIX: keep their links relative.
    '--no-rewrite-relative-links',
    '--allow-missing-repository',
    '--out', vsix,
  ], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`vsce package failed (exit status ${result.status ?? result.signal}); see its output above`);
  }
  return vsix;
}

module.exports = { packageExtension };

if (require.main === module) {
  const outIndex = process.argv.indexOf('--out');
  try {
    const vsix = packageExtension(outIndex > 0 ? process.argv[outIndex + 1] : undefined);
    console.log(`Packaged ${path.relative(process.cwd(), vsix) || vsix}. Install it with: code --install-extension ${path.basename(vsix)}`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
