// Inserted code brings every name it uses. For every fixture, labelled eval file and example, and
// every suggestion in it, the accepted edit leaves no name the new code uses unbound (Python: a
// tree-sitter check, plus pyflakes when installed; TypeScript/JavaScript: the compiler's "Cannot
// find name"), and the imports it adds sit where the file keeps them.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type Suggestion, type TextEdit } from '../../../src/analysis';
import { Grammars } from '../../../src/analysis/parsing';
import { collectSourceFiles } from '../../../src/cli/collectFiles';
import { hasPyflakes, insertedLines, insertedRanges, pyflakesUndefinedNames, unboundPythonNames, unboundScriptNames } from './freeNames';
import { analyzer, pyCompile, REPO_ROOT, tempDir, typeCheck } from './helpers';

interface Accepted {
  file: string;
  suggestion: Suggestion;
  original: string;
  result: string;
  ranges: Array<[number, number]>;
}

function describeCase(a: Accepted): string {
  return `${a.file} ${a.suggestion.kind} (line ${a.suggestion.range.start.line + 1})`;
}

describe('analysis: inserted code binds every name it uses', () => {
  const accepted: Accepted[] = [];
  let grammars: Grammars;

  before(async function () {
    this.timeout(30000);
    grammars = await Grammars.load();
    const parser = await analyzer();
    const { files } = collectSourceFiles(['test/fixtures', 'bench/eval', 'examples'], REPO_ROOT);
    for (const file of files) {
      const original = fs.readFileSync(file.absolutePath, 'utf8');
      const { suggestions } = parser.analyze(original, file.language, { fileName: path.basename(file.absolutePath) });
      for (const suggestion of suggestions) {
        accepted.push({ file: file.displayPath, suggestion, original, result: applyEdits(original, suggestion.edits), ranges: insertedRanges(original, suggestion.edits) });
      }
    }
  });

  after(() => grammars?.dispose());

  it('covers fixtures, eval files and examples in every language', () => {
    for (const root of ['test/fixtures/', 'bench/eval/', 'examples/']) assert.ok(accepted.some((a) => a.file.startsWith(root)), root);
    for (const extension of [/\.py$/, /\.tsx?$/, /\.[cm]?js$/]) assert.ok(accepted.some((a) => extension.test(a.file)), String(extension));
  });

  it('the check itself catches code that calls a name nothing imports', () => {
    const original = 'from codewords_client import logger\n\n\nasync def handle():\n    logger.info("hi")\n';
    const edits: TextEdit[] = [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '    async with redis_client() as (redis, ns):\n        await redis.get(f"{ns}:k")\n        digest = hashlib.sha256(b"").hexdigest()\n' }];
    const tree = grammars.parse('python', applyEdits(original, edits));
    try {
      assert.deepEqual(unboundPythonNames(tree.rootNode, insertedRanges(original, edits)).sort(), ['hashlib', 'redis_client']);
    } finally {
      tree.delete();
    }
    const bound = 'import hashlib\nfrom codewords_client import logger, redis_client\n\n\nasync def handle():\n    logger.info("hi")\n';
    const boundEdits = edits.map((e) => ({ ...e, range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } } }));
    const boundTree = grammars.parse('python', applyEdits(bound, boundEdits));
    try {
      assert.deepEqual(unboundPythonNames(boundTree.rootNode, insertedRanges(bound, boundEdits)), []);
    } finally {
      boundTree.delete();
    }
  });

  it('Python: every name the inserted code calls, opens or reads an attribute of is bound (tree-sitter)', () => {
    const problems: string[] = [];
    for (const a of accepted.filter((c) => c.file.endsWith('.py'))) {
      const tree = grammars.parse('python', a.result);
      try {
        const unbound = unboundPythonNames(tree.rootNode, a.ranges);
        if (unbound.length > 0) problems.push(`${describeCase(a)}: ${unbound.join(', ')} not bound`);
      } finally {
        tree.delete();
      }
    }
    assert.deepEqual(problems, []);
  });

  it('Python: pyflakes finds no undefined name in inserted lines (only when pyflakes is installed)', function () {
    if (!hasPyflakes()) {
      // pyflakes is not installed here by default; the tree-sitter check above stands in for it.
      this.skip();
    }
    this.timeout(60000);
    const dir = tempDir('pyflakes');
    const cases = accepted.filter((c) => c.file.endsWith('.py')).map((a, index) => ({ a, file: path.join(dir, `case_${index}.py`) }));
    for (const { a, file } of cases) fs.writeFileSync(file, a.result);
    const found = pyflakesUndefinedNames(cases.map((c) => c.file));
    const problems: string[] = [];
    for (const { a, file } of cases) {
      const lines = insertedLines(a.result, a.ranges);
      for (const { line, message } of found.get(file) ?? []) if (lines.has(line - 1)) problems.push(`${describeCase(a)}: ${message}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(problems, []);
  });

  it('Python: every result compiles (python3 -m py_compile)', function () {
    this.timeout(30000);
    const dir = tempDir('py-all');
    const files = accepted
      .filter((c) => c.file.endsWith('.py'))
      .map((a, index) => {
        const file = path.join(dir, `case_${index}_${path.basename(a.file)}`);
        fs.writeFileSync(file, a.result);
        return file;
      });
    assert.equal(pyCompile(files), '');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('TypeScript and JavaScript: the compiler finds no unbound name in inserted lines', function () {
    this.timeout(90000);
    const dir = tempDir('names');
    const cases = accepted
      .filter((c) => !c.file.endsWith('.py'))
      .map((a, index) => {
        const extension = path.extname(a.file).replace(/^\.[cm]js$/, '.js');
        const original = path.join(dir, `original_${index}${extension}`);
        const result = path.join(dir, `case_${index}${extension}`);
        fs.writeFileSync(original, a.original);
        fs.writeFileSync(result, a.result);
        return { a, original, result };
      });
    const found = unboundScriptNames(cases.flatMap((c) => [c.original, c.result]));
    const problems: string[] = [];
    for (const { a, original, result } of cases) {
      const before = new Set((found.get(original) ?? []).map((d) => d.message));
      const lines = insertedLines(a.result, a.ranges);
      for (const { line, message } of found.get(result) ?? []) {
        if (lines.has(line) && !before.has(message)) problems.push(`${describeCase(a)} line ${line + 1}: ${message}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(problems, []);
  });

  it('TypeScript examples type-check before and after every accepted edit (strict)', function () {
    this.timeout(60000);
    const dir = tempDir('examples-ts');
    const examples = accepted.filter((a) => a.file.startsWith('examples/') && /\.tsx?$/.test(a.file));
    assert.ok(examples.length > 0, 'the TypeScript examples have suggestions');
    const originals = [...new Set(examples.map((a) => a.file))].map((file, index) => {
      const target = path.join(dir, `original_${index}${path.extname(file)}`);
      fs.copyFileSync(path.join(REPO_ROOT, file), target);
      return target;
    });
    const results = examples.map((a, index) => {
      const target = path.join(dir, `case_${index}${path.extname(a.file)}`);
      fs.writeFileSync(target, `// ${describeCase(a)}\n${a.result}`);
      return target;
    });
    assert.deepEqual(typeCheck(originals), [], 'the examples themselves type-check');
    assert.deepEqual(typeCheck(results), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('analysis: where added imports go', () => {
  async function accept(text: string, language: 'python' | 'typescript' | 'javascript', fileName: string, kind: string): Promise<string> {
    const result = (await analyzer()).analyze(text, language, { fileName });
    const suggestion = result.suggestions.find((s) => s.kind === kind);
    assert.ok(suggestion, `a ${kind} suggestion in ${fileName}: ${result.suggestions.map((s) => s.kind).join(', ')}`);
    return applyEdits(text, suggestion.edits);
  }

  function example(relative: string): string {
    return fs.readFileSync(path.join(REPO_ROOT, 'examples', relative), 'utf8');
  }

  it('CodeWords: `redis_client` joins the existing `from codewords_client import …`; hashlib/json join the standard imports', async () => {
    const result = await accept(example('codewords/weekly_report.py'), 'python', 'weekly_report.py', 'snapshot-diff');
    assert.match(result, /^from codewords_client import logger, run_service, redis_client$/m);
    assert.match(result, /^from email\.message import EmailMessage\nimport hashlib\nimport json\n\nimport httpx$/m);
    assert.match(result, /async with redis_client\(\) as \(redis, ns\):/);
  });

  it('CodeWords: an aliased `redis_client` is used as the file spells it, and nothing is imported again', async () => {
    const text = example('codewords/weekly_report.py').replace('from codewords_client import logger, run_service', 'from codewords_client import logger, run_service\nfrom codewords_client import redis_client as memory_client');
    const result = await accept(text, 'python', 'weekly_report.py', 'snapshot-diff');
    assert.match(result, /async with memory_client\(\) as \(redis, ns\):/);
    assert.match(result, /^from codewords_client import logger, run_service$/m);
  });

  it('CodeWords: with no import from codewords_client to extend, one is added after the last import', async () => {
    const text = example('codewords/weekly_report.py').replace('from codewords_client import logger, run_service\n', 'import codewords_client\n').replace(/logger\.info\(.*\)\n/, '').replace('run_service(app)', 'codewords_client.run_service(app)');
    const result = await accept(text, 'python', 'weekly_report.py', 'snapshot-diff');
    assert.match(result, /async with codewords_client\.redis_client\(\) as \(redis, ns\):/);
    assert.doesNotMatch(result, /from codewords_client import/);
  });

  it('change-detection: the hash check goes after the status check that follows the fetch', async () => {
    const result = await accept(example('codewords/website_monitor.py'), 'python', 'website_monitor.py', 'change-detection');
    assert.match(result, /page = await http\.get\(url\)\n\s+page\.raise_for_status\(\)\n\s+# Workflow memory: skip the work below/);
    // The file imports redis_client already; hashlib goes with the standard imports.
    assert.match(result, /^from datetime import datetime, timezone\nimport hashlib\n\nimport httpx$/m);
  });

  it('Python: with only third-party imports, a standard import goes before them, a blank line apart', async () => {
    const text = 'import requests\nimport schedule\n\n\ndef job():\n    response = requests.get("https://blog.example.com/feed.json", timeout=10)\n    entries = response.json()["entries"]\n    for entry in entries:\n        requests.post("https://hooks.example.com/x", json={"text": entry["title"]}, timeout=10)\n\n\nschedule.every(10).minutes.do(job)\n';
    const result = await accept(text, 'python', 'feed.py', 'change-detection');
    // The client's `import redis` is third-party: after the last import.
    assert.ok(result.startsWith('import hashlib\nimport json\nimport os\n\nimport requests\nimport schedule\nimport redis\n'), result);
  });

  it('Python: after the docstring and `from __future__` imports', async () => {
    const text = '"""Feed poster."""\nfrom __future__ import annotations\n\nimport requests\nimport schedule\n\n\ndef job():\n    response = requests.get("https://blog.example.com/feed.json", timeout=10)\n    entries = response.json()["entries"]\n    for entry in entries:\n        requests.post("https://hooks.example.com/x", json={"text": entry["title"]}, timeout=10)\n\n\nschedule.every(10).minutes.do(job)\n';
    const result = await accept(text, 'python', 'feed.py', 'change-detection');
    assert.ok(result.startsWith('"""Feed poster."""\nfrom __future__ import annotations\n\nimport hashlib\nimport json\nimport os\n\nimport requests\n'), result);
  });

  const SHADOWED_JSON = [
    'import requests',
    'import schedule',
    '',
    '',
    'def job():',
    '    response = requests.get("https://status.example.com/api/status.json", timeout=10)',
    '    json = response.json()',
    '    requests.post("https://hooks.example.com/x", json={"text": json["status"]}, timeout=10)',
    '',
    '',
    'schedule.every(10).minutes.do(job)',
    '',
  ].join('\n');

  it('Python: a local variable named like a module the code needs (`json = response.json()`) gets the module under an alias', async () => {
    const result = await accept(SHADOWED_JSON, 'python', 'status.py', 'change-detection');
    assert.match(result, /^import json as json_module$/m);
    assert.match(result, /hashlib\.sha256\(json_module\.dumps\(json, sort_keys=True, default=str\)\.encode\(\)\)/);
    assert.doesNotMatch(result, /(^|[^\w])json\.(dumps|loads)\(/m, 'no call through the local `json`');
    const file = path.join(tempDir('shadowed'), 'status.py');
    fs.writeFileSync(file, result);
    assert.equal(pyCompile([file]), '');
  });

  it('Python: an existing `import json as j` is used as the file spells it, even when a function rebinds `json`', async () => {
    const text = SHADOWED_JSON.replace('import requests\n', 'import json as j\n\nimport requests\n');
    const result = await accept(text, 'python', 'status.py', 'change-detection');
    assert.match(result, /hashlib\.sha256\(j\.dumps\(json, sort_keys=True/);
    assert.doesNotMatch(result, /^import json$|json_module/m);
  });

  it('Python: an import of `json` is added as `import json` when the name is free where the code goes, though another function uses it', async () => {
    const text = SHADOWED_JSON.replace('    json = response.json()\n    requests.post("https://hooks.example.com/x", json={"text": json["status"]}', '    status = response.json()\n    requests.post("https://hooks.example.com/x", json={"text": status["status"]}') + '\n\ndef other(response):\n    json = response.json()\n    return json\n';
    const result = await accept(text, 'python', 'status.py', 'change-detection');
    assert.match(result, /^import json$/m);
    assert.match(result, /hashlib\.sha256\(json\.dumps\(status, sort_keys=True/);
  });

  it('TypeScript: `createHash` joins an existing `import { … } from \'node:crypto\'`', async () => {
    const text = [
      "import { randomUUID } from 'node:crypto';",
      "import cron from 'node-cron';",
      '',
      "cron.schedule('*/10 * * * *', async () => {",
      "  const response = await fetch('https://status.example.com/feed.json');",
      '  const feed = await response.json();',
      "  await fetch('https://hooks.example.com/x', { method: 'POST', body: JSON.stringify({ id: randomUUID(), feed }) });",
      '});',
      '',
    ].join('\n');
    const result = await accept(text, 'typescript', 'watch.ts', 'change-detection');
    assert.match(result, /^import \{ randomUUID, createHash \} from 'node:crypto';$/m);
    assert.equal(result.match(/from 'node:crypto'/g)?.length, 1);
  });
});
