import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { collectSourceFiles, describeFsError } from '../../../src/cli/collectFiles';

/** Writes `files` (relative path → content) under a fresh temp folder. */
function makeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-collect-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

describe('cli file collection', () => {
  let root: string;

  before(() => {
    root = makeTree({
      'app/monitor.py': 'x = 1\n',
      'app/jobs/digest.ts': 'export {};\n',
      'app/jobs/widget.tsx': 'export {};\n',
      'app/jobs/types.d.ts': 'export {};\n',
      'scripts/sync.mjs': '',
      'scripts/old.cjs': '',
      'scripts/vendor.min.js': '',
      'README.md': '# hi\n',
      'node_modules/lib/index.js': '',
      '.git/hooks/pre-commit.py': '',
      '.venv/lib/site.py': '',
      'venv/bin/activate.py': '',
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/thing.py': '',
      'my-env/pyvenv.cfg': 'home = /usr/bin\n',
      'my-env/lib/thing.py': '',
      'env-notes/keep.py': '',
      'lib/python3.11/site-packages/requests/api.py': '',
      'dist/cli.js': '',
      'build/out.js': '',
      'app/__pycache__/monitor.cpython-311.py': '',
    });
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('walks folders in a stable order (a folder\'s files, then its subfolders), keeps sources by extension and skips dependencies, virtualenvs and build output', () => {
    const collected = collectSourceFiles(['.'], root);
    assert.deepStrictEqual(
      collected.files.map((file) => [file.displayPath, file.language]),
      [
        ['app/monitor.py', 'python'],
        ['app/jobs/digest.ts', 'typescript'],
        ['app/jobs/widget.tsx', 'tsx'],
        ['env-notes/keep.py', 'python'],
        ['scripts/old.cjs', 'javascript'],
        ['scripts/sync.mjs', 'javascript'],
      ],
    );
    assert.deepStrictEqual(collected.missing, []);
    assert.deepStrictEqual(collected.skipped, []);
  });

  it('analyzes a file named explicitly even inside a skipped folder, once', () => {
    const collected = collectSourceFiles(['node_modules/lib/index.js', 'node_modules/lib/index.js', path.join(root, 'app/monitor.py')], root);
    assert.deepStrictEqual(
      collected.files.map((file) => file.displayPath),
      ['node_modules/lib/index.js', 'app/monitor.py'],
    );
  });

  it('reports missing paths separately and explains a file it cannot analyze', () => {
    const collected = collectSourceFiles(['nope', 'README.md', 'app/monitor.py/inner'], root);
    assert.deepStrictEqual(collected.missing, ['nope', 'app/monitor.py/inner']);
    assert.deepStrictEqual(collected.skipped, [{ displayPath: 'README.md', reason: 'not a Python, TypeScript or JavaScript file' }]);
    assert.deepStrictEqual(collected.files, []);
  });

  it('shows paths outside the working directory as absolute', () => {
    const collected = collectSourceFiles([path.join(root, 'app')], path.join(root, 'scripts'));
    assert.ok(collected.files.every((file) => file.displayPath.startsWith(root.split(path.sep).join('/'))));
  });

  it('does not follow symbolic links to folders (they can loop)', () => {
    const loopRoot = makeTree({ 'a/job.py': '' });
    try {
      fs.symlinkSync(loopRoot, path.join(loopRoot, 'a', 'loop'), 'dir');
      assert.deepStrictEqual(
        collectSourceFiles(['.'], loopRoot).files.map((file) => file.displayPath),
        ['a/job.py'],
      );
    } finally {
      fs.rmSync(loopRoot, { recursive: true, force: true });
    }
  });

  it('explains file-system errors in words', () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    assert.strictEqual(describeFsError(error('EACCES')), 'permission denied: check who may read it');
    assert.strictEqual(describeFsError(error('ENOENT')), 'no longer exists');
    assert.strictEqual(describeFsError(error('ELOOP')), 'symbolic link loop');
  });
});
