import * as assert from 'assert';
import type { AnalysisResult, Finding, Suggestion } from '../../../src/analysis/types';
import { formatJson, JSON_SCHEMA_VERSION } from '../../../src/cli/formatJson';
import { formatSarif } from '../../../src/cli/formatSarif';
import { formatText } from '../../../src/cli/formatText';
import { exitCodeFor, FINDING_CODES, type AnalysisReport } from '../../../src/cli/report';
import { SUGGESTION_KINDS } from '../../../src/analysis/types';

function range(line: number, character: number, endLine = line, endCharacter = character + 10) {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

const changeDetection: Suggestion = {
  id: 'change-detection:1a2b3c',
  kind: 'change-detection',
  range: range(11, 4),
  title: 'Add memory: skip unchanged pages (change-detection · 30d)',
  explanation: 'The page is fetched every run. Remembering a hash of it lets the workflow skip unchanged pages.',
  key: '{ns}:monitor:page-hash:{url}',
  ttlSeconds: 30 * 86400,
  ttlLabel: '30d',
  edits: [{ range: range(11, 0, 11, 0), newText: '    # memory\n' }],
};

const dedupe: Suggestion = {
  ...changeDetection,
  id: 'dedupe:9f8e',
  kind: 'dedupe',
  range: range(30, 8),
  title: 'Add memory: notify each subscriber once (dedupe · 30d)',
  key: '{ns}:alerts:notified',
  edits: [],
};

const keyOutside: Finding = {
  code: 'key-outside-namespace',
  severity: 'error',
  message: 'Key "seen:{user}" is not under {ns}: it is denied at run time with NOPERM. Put it under f"{ns}:…".',
  range: range(20, 8, 20, 40),
};

const noExpiry: Finding = {
  code: 'write-without-expiry',
  severity: 'warning',
  message: 'This write has no expiry: the memory grows forever.',
  range: range(5, 2),
  fix: { title: 'Add an expiry of 7d', edits: [{ range: range(5, 30, 5, 30), newText: ', ex=7 * 86400' }] },
};

function result(overrides: Partial<AnalysisResult>): AnalysisResult {
  return { language: 'python', isWorkflow: true, suggestions: [], findings: [], hasSyntaxErrors: false, ...overrides };
}

const report: AnalysisReport = {
  files: [
    { path: 'app/monitor.py', language: 'python', result: result({ suggestions: [dedupe, changeDetection], findings: [keyOutside] }) },
    { path: 'jobs/digest.ts', language: 'typescript', result: result({ language: 'typescript', findings: [noExpiry], hasSyntaxErrors: true }) },
    { path: 'jobs/secret.js', language: 'javascript', problem: 'cannot be read: permission denied: check who may read it' },
    { path: 'lib/clean.py', language: 'python', result: result({ isWorkflow: false }) },
  ],
  skipped: [{ path: 'notes.txt', reason: 'not a Python, TypeScript or JavaScript file' }],
};

describe('cli text format', () => {
  it('prints compiler-style lines in reading order per file, then a summary', () => {
    assert.strictEqual(
      formatText(report),
      [
        'notes.txt  skipped  not a Python, TypeScript or JavaScript file',
        'app/monitor.py:12:5  change-detection  Add memory: skip unchanged pages (change-detection · 30d)  [key {ns}:monitor:page-hash:{url}]',
        'app/monitor.py:21:9  error  key-outside-namespace  Key "seen:{user}" is not under {ns}: it is denied at run time with NOPERM. Put it under f"{ns}:…".',
        'app/monitor.py:31:9  dedupe  Add memory: notify each subscriber once (dedupe · 30d)  [key {ns}:alerts:notified]',
        'jobs/digest.ts  note  the file has syntax errors; only the parts that parse were analyzed',
        'jobs/digest.ts:6:3  warning  write-without-expiry  This write has no expiry: the memory grows forever.',
        'jobs/secret.js  skipped  cannot be read: permission denied: check who may read it',
        '',
        '3 files analyzed: 2 suggestions, 1 error, 1 warning (2 paths skipped).',
        '',
      ].join('\n'),
    );
  });

  it('says so plainly when there is nothing', () => {
    assert.strictEqual(formatText({ files: [], skipped: [] }), '0 files analyzed: 0 suggestions, 0 errors, 0 warnings.\n');
  });

  it('exits 1 only when a hygiene error was found', () => {
    assert.strictEqual(exitCodeFor(report), 1);
    assert.strictEqual(exitCodeFor({ files: report.files.slice(1), skipped: [] }), 0);
  });
});

describe('cli JSON format', () => {
  const document = JSON.parse(formatJson(report, '1.2.3'));

  it('has a versioned schema naming the tool', () => {
    assert.strictEqual(document.version, JSON_SCHEMA_VERSION);
    assert.deepStrictEqual(document.tool, { name: 'workflow-memory', version: '1.2.3' });
    assert.deepStrictEqual(document.summary, { filesAnalyzed: 3, filesWithProblems: 2, suggestions: 2, errors: 1, warnings: 1, information: 0 });
    assert.deepStrictEqual(document.skipped, [{ path: 'notes.txt', reason: 'not a Python, TypeScript or JavaScript file' }]);
  });

  it('lists every file with its suggestions and findings, 1-based line/column next to the LSP range', () => {
    assert.deepStrictEqual(
      document.files.map((file: { path: string; analyzed: boolean }) => [file.path, file.analyzed]),
      [
        ['app/monitor.py', true],
        ['jobs/digest.ts', true],
        ['jobs/secret.js', false],
        ['lib/clean.py', true],
      ],
    );
    const [monitor, digest, unreadable, clean] = document.files;
    assert.deepStrictEqual(monitor.suggestions[1], {
      id: 'change-detection:1a2b3c',
      kind: 'change-detection',
      line: 12,
      column: 5,
      range: changeDetection.range,
      title: changeDetection.title,
      explanation: changeDetection.explanation,
      key: changeDetection.key,
      ttlSeconds: 2592000,
      ttlLabel: '30d',
      edits: changeDetection.edits,
    });
    assert.deepStrictEqual(monitor.findings, [{ code: 'key-outside-namespace', severity: 'error', line: 21, column: 9, range: keyOutside.range, message: keyOutside.message }]);
    assert.deepStrictEqual(digest.findings[0].fix, noExpiry.fix);
    assert.strictEqual(digest.hasSyntaxErrors, true);
    assert.strictEqual(unreadable.problem, 'cannot be read: permission denied: check who may read it');
    assert.deepStrictEqual([unreadable.suggestions, unreadable.findings], [[], []]);
    assert.strictEqual(clean.isWorkflow, false);
  });
});

describe('cli SARIF format', () => {
  const log = JSON.parse(formatSarif(report, '1.2.3', '/work/project'));
  const run = log.runs[0];

  it('is a SARIF 2.1.0 log with one run and a rule per suggestion kind and finding code', () => {
    assert.strictEqual(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    assert.strictEqual(log.runs.length, 1);
    assert.strictEqual(run.tool.driver.name, 'workflow-memory');
    assert.strictEqual(run.tool.driver.version, '1.2.3');
    const ruleIds = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    assert.deepStrictEqual(ruleIds, [...SUGGESTION_KINDS, ...FINDING_CODES]);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text, `rule ${rule.id} has descriptions`);
      assert.ok(['note', 'warning', 'error'].includes(rule.defaultConfiguration.level));
    }
    assert.strictEqual(run.columnKind, 'utf16CodeUnits');
    assert.deepStrictEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/project/' } });
  });

  it('gives each result a ruleId, matching ruleIndex, level, message and a 1-based region', () => {
    const rules = run.tool.driver.rules;
    assert.strictEqual(run.results.length, 4);
    for (const result of run.results) {
      assert.strictEqual(rules[result.ruleIndex].id, result.ruleId);
      assert.ok(result.message.text.length > 0);
      assert.strictEqual(result.locations.length, 1);
    }
    const byRule = Object.fromEntries(run.results.map((result: { ruleId: string }) => [result.ruleId, result]));
    assert.strictEqual(byRule['change-detection'].level, 'note');
    assert.strictEqual(byRule['key-outside-namespace'].level, 'error');
    assert.strictEqual(byRule['write-without-expiry'].level, 'warning');
    assert.deepStrictEqual(byRule['change-detection'].locations[0].physicalLocation, {
      artifactLocation: { uri: 'app/monitor.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 5, endLine: 12, endColumn: 15 },
    });
    assert.strictEqual(byRule['change-detection'].partialFingerprints['workflowMemorySuggestion/v1'], 'change-detection:1a2b3c');
    assert.match(byRule['change-detection'].message.text, /^Add memory: skip unchanged pages \(change-detection · 30d\)\. The page is fetched/);
    assert.deepStrictEqual(byRule['write-without-expiry'].fixes[0].artifactChanges[0].replacements, [
      { deletedRegion: { startLine: 6, startColumn: 31, endLine: 6, endColumn: 31 }, insertedContent: { text: ', ex=7 * 86400' } },
    ]);
    assert.strictEqual(byRule.dedupe.fixes, undefined, 'a suggestion with no edits has no fix');
  });

  it('reports skipped and unreadable files as tool notifications, not results', () => {
    const notifications = run.invocations[0].toolExecutionNotifications;
    assert.strictEqual(run.invocations[0].executionSuccessful, true);
    assert.deepStrictEqual(
      notifications.map((n: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri]),
      [
        ['warning', 'notes.txt'],
        ['note', 'jobs/digest.ts'],
        ['warning', 'jobs/secret.js'],
      ],
    );
  });

  it('percent-encodes relative paths and uses file URIs for paths outside the working directory', () => {
    const odd: AnalysisReport = {
      files: [
        { path: 'my flows/#1.py', language: 'python', result: result({ findings: [keyOutside] }) },
        { path: '/elsewhere/job.py', language: 'python', result: result({ findings: [keyOutside] }) },
      ],
      skipped: [],
    };
    const uris = JSON.parse(formatSarif(odd, '1.0.0', '/work/project')).runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) => r.locations[0].physicalLocation.artifactLocation,
    );
    assert.deepStrictEqual(uris, [{ uri: 'my%20flows/%231.py', uriBaseId: '%SRCROOT%' }, { uri: 'file:///elsewhere/job.py' }]);
  });
});
