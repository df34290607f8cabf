import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Analyzer, AnalyzedDocument } from '../../../src/analysis';
import type { AnalysisOptions, AnalysisResult, LanguageId } from '../../../src/analysis/types';
import { analyzeFile, ExitCode, MAX_FILE_BYTES, runCli } from '../../../src/cli/run';

/** A hand-written stand-in for the tree-sitter analyzer: answers from the file's text. */
class ScriptedAnalyzer implements Analyzer {
  readonly calls: { text: string; language: LanguageId; options?: AnalysisOptions }[] = [];
  disposed = false;

  analyze(text: string, language: LanguageId, options?: AnalysisOptions): AnalysisResult {
    this.calls.push({ text, language, options });
    if (text.includes('CRASH')) throw new Error('analyzer bug');
    const findings: AnalysisResult['findings'] = text.includes('BAD_KEY')
      ? [{ code: 'key-outside-namespace', severity: 'error', message: 'Key outside {ns}:', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } } }]
      : [];
    return { language, isWorkflow: true, suggestions: [], findings, hasSyntaxErrors: false };
  }
  openDocument(): AnalyzedDocument {
    throw new Error('not used by the CLI');
  }
  parsesCleanly(): boolean {
    return true;
  }
  dispose(): void {
    this.disposed = true;
  }
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  analyzer: ScriptedAnalyzer;
}

async function run(argv: string[], cwd: string, analyzer = new ScriptedAnalyzer()): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, { version: '9.9.9', createAnalyzer: async () => analyzer });
  return { code, stdout, stderr, analyzer };
}

describe('cli run', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-run-'));
    fs.writeFileSync(path.join(root, 'ok.py'), 'print("ok")\n');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints help and version without starting the analyzer', async () => {
    const help = await run(['--help'], root);
    assert.strictEqual(help.code, ExitCode.ok);
    assert.match(help.stdout, /workflow-memory analyze <file or directory>/);
    assert.match(help.stdout, /--format text\|json\|sarif/);
    assert.strictEqual(help.analyzer.calls.length, 0);
    const version = await run(['--version'], root);
    assert.deepStrictEqual([version.code, version.stdout], [ExitCode.ok, '9.9.9\n']);
  });

  it('exits 2 with the reason on stderr for a usage error, analyzing nothing', async () => {
    const unknown = await run(['analyze', '.', '--colour'], root);
    assert.strictEqual(unknown.code, ExitCode.usage);
    assert.strictEqual(unknown.stdout, '');
    assert.match(unknown.stderr, /^workflow-memory: Unknown option --colour/);

    const missing = await run(['analyze', 'ok.py', 'missing-dir'], root);
    assert.strictEqual(missing.code, ExitCode.usage);
    assert.match(missing.stderr, /no such file or directory: missing-dir/);
    assert.strictEqual(missing.analyzer.calls.length, 0, 'nothing is analyzed when a path is wrong');
  });

  it('passes the options to the analyzer, exits 0 when clean and 1 on a hygiene error, and disposes the analyzer', async () => {
    const clean = await run(['analyze', '.', '--kinds', 'cache', '--no-hygiene'], root);
    assert.strictEqual(clean.code, ExitCode.ok);
    assert.strictEqual(clean.analyzer.calls[0].language, 'python');
    assert.strictEqual(clean.analyzer.calls[0].options?.hygiene, false);
    assert.strictEqual(clean.analyzer.calls[0].options?.kinds?.cache, true);
    assert.strictEqual(clean.analyzer.calls[0].options?.kinds?.dedupe, false);
    assert.strictEqual(clean.analyzer.calls[0].options?.fileName, 'ok.py', 'the file name names the workflow in keys');
    assert.ok(clean.analyzer.disposed);

    fs.writeFileSync(path.join(root, 'bad.py'), 'BAD_KEY = 1\n');
    const failing = await run(['analyze', '.', '--format', 'json'], root);
    assert.strictEqual(failing.code, ExitCode.hygieneError);
    assert.strictEqual(JSON.parse(failing.stdout).summary.errors, 1);
  });

  it('reports binary, oversized and crashing files and carries on with the rest', async () => {
    fs.writeFileSync(path.join(root, 'blob.js'), Buffer.from([0x63, 0x6f, 0x6e, 0x00, 0xff]));
    fs.writeFileSync(path.join(root, 'crash.ts'), 'CRASH\n');
    const huge = path.join(root, 'huge.js');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, MAX_FILE_BYTES + 1);

    const result = await run(['analyze', '.'], root);
    assert.strictEqual(result.code, ExitCode.ok);
    assert.match(result.stdout, /^blob\.js {2}skipped {2}binary content/m);
    assert.match(result.stdout, /^crash\.ts {2}skipped {2}could not be analyzed \(please report this\): analyzer bug/m);
    assert.match(result.stdout, /^huge\.js {2}skipped {2}larger than 5 MB/m);
    assert.match(result.stdout, /1 file analyzed: 0 suggestions, 0 errors, 0 warnings \(3 paths skipped\)\./);
    assert.deepStrictEqual(result.analyzer.calls.map((call) => call.text), ['CRASH\n', 'print("ok")\n']);
  });

  it('strips a UTF-8 byte-order mark before analysis', async () => {
    fs.writeFileSync(path.join(root, 'ok.py'), '\uFEFFprint("ok")\n');
    const result = await run(['analyze', 'ok.py'], root);
    assert.strictEqual(result.analyzer.calls[0].text, 'print("ok")\n');
  });

  it('reports a file that vanished before it was read', () => {
    const report = analyzeFile(new ScriptedAnalyzer(), { absolutePath: path.join(root, 'gone.py'), displayPath: 'gone.py', language: 'python' }, {});
    assert.deepStrictEqual(report, { path: 'gone.py', language: 'python', problem: 'cannot be read: no longer exists' });
  });

  it('exits 3 with advice when the analyzer cannot start', async () => {
    let stderr = '';
    const code = await runCli(['analyze', '.'], { cwd: root, stdout: () => undefined, stderr: (text) => (stderr += text) }, {
      version: '1.0.0',
      createAnalyzer: async () => {
        throw new Error('ENOENT: dist/wasm/tree-sitter-python.wasm');
      },
    });
    assert.strictEqual(code, ExitCode.internal);
    assert.match(stderr, /the analyzer could not start: ENOENT.*\n.*run `node esbuild.js`/);
  });

  it('says when a folder holds no source files, and prints an empty report', async () => {
    fs.rmSync(path.join(root, 'ok.py'));
    const result = await run(['analyze', '.'], root);
    assert.strictEqual(result.code, ExitCode.ok);
    assert.match(result.stderr, /no Python, TypeScript or JavaScript files found in \./);
    assert.strictEqual(result.stdout, '0 files analyzed: 0 suggestions, 0 errors, 0 warnings.\n');
  });
});
