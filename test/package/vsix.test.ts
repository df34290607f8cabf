// `npm run package` builds a VSIX that holds what the extension runs on (the bundles, the
// tree-sitter wasm, the manifest, media, documents) and nothing else, and that VS Code installs.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { installExtension } from '../../scripts/lib/code-server';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** Reads a zip's central directory (a VSIX is a zip); enough for listing and reading entries. */
function listZipEntries(zip: Buffer): ZipEntry[] {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endOfDirectory >= 0, 'not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    assert.strictEqual(zip.readUInt32LE(offset), 0x02014b50, 'corrupt central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  const dataStart = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const data = zip.subarray(dataStart, dataStart + entry.compressedSize);
  return entry.method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
}

describe('VSIX package (npm run package)', function () {
  this.timeout(5 * 60 * 1000);
  let scratch: string;
  let vsix: string;
  let zip: Buffer;
  let names: string[];

  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-package-test-'));
    vsix = path.join(scratch, `${manifest.name}-${manifest.version}.vsix`);
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.js'), '--out', vsix], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.strictEqual(result.status, 0, `scripts/package.js failed:\n${result.stdout}\n${result.stderr}`);
    zip = fs.readFileSync(vsix);
    names = listZipEntries(zip).map((entry) => entry.name);
  });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('holds the extension, language server and CLI bundles', () => {
    for (const bundle of ['extension.js', 'server.js', 'cli.js']) {
      assert.ok(names.includes(`extension/dist/${bundle}`), `dist/${bundle} is missing from the VSIX`);
    }
  });

  it('holds the tree-sitter wasm files the parsers load at run time', () => {
    const wasm = ['web-tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm'];
    const missing = wasm.filter((file) => !names.includes(`extension/dist/wasm/${file}`));
    assert.deepStrictEqual(missing, [], `wasm files missing from the VSIX: ${missing.join(', ')}`);
  });

  it('holds the manifest, icon, readme, licence and changelog', () => {
    const lowerCase = names.map((name) => name.toLowerCase());
    for (const required of ['extension/package.json', 'extension/media/icon.png', 'extension/readme.md', 'extension/changelog.md']) {
      assert.ok(lowerCase.includes(required), `${required} is missing from the VSIX`);
    }
    assert.ok(lowerCase.some((name) => /^extension\/license(\.txt|\.md)?$/.test(name)), 'the licence is missing from the VSIX');
  });

  it('ships no node_modules, sources, tests, compiled tests or source maps', () => {
    const unwanted = names.filter((name) =>
      /(^|\/)node_modules\//.test(name) ||
      /^extension\/(src|test|out|bench|scripts|\.tools|\.vscode-test)\//.test(name) ||
      /\.(ts|map)$/.test(name) ||
      /\.vsix$/.test(name));
    assert.deepStrictEqual(unwanted, []);
  });

  it('carries the package.json manifest, pointing at the bundled extension', () => {
    const entry = listZipEntries(zip).find((candidate) => candidate.name === 'extension/package.json');
    assert.ok(entry);
    const packed = JSON.parse(readZipEntry(zip, entry).toString('utf8'));
    assert.strictEqual(`${packed.publisher}.${packed.name}`, 'workflow-memory.workflow-memory');
    assert.strictEqual(packed.version, manifest.version);
    assert.strictEqual(packed.main, './dist/extension.js');
    assert.deepStrictEqual(packed.contributes.commands, manifest.contributes.commands);
  });

  it('installs into VS Code (code-server --install-extension)', async () => {
    const extensionsDir = path.join(scratch, 'extensions');
    fs.mkdirSync(extensionsDir);
    await installExtension(vsix, extensionsDir);
    const installed = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'extension.js')), `not installed at ${installed}: ${fs.readdirSync(extensionsDir).join(', ')}`);
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'wasm', 'tree-sitter-python.wasm')));
  });
});
