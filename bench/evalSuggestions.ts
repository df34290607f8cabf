// `npm run eval:suggestions`: scores the analyzer on the labelled set in bench/eval/ and prints
// precision and recall overall, per suggestion kind, per finding code and per language family,
// false positives on files that must get nothing, and every miss and false positive.
// A measurement, not a gate: exits 0 whatever the scores (1 only when it cannot run at all).
//   options: --json <file>  also write the detailed results as JSON
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createAnalyzer, languageFromPath, SUGGESTION_KINDS, type AnalysisResult } from '../src/analysis';
import { FINDING_CODES } from '../src/cli/report';
import { loadEvalSet, staleLabels } from './lib/evalSet';
import { repoRoot } from './lib/repoRoot';
import { addTally, emptyTally, rates, scoreFile, type FileScore, type Label, type Prediction, type Tally } from './lib/scoring';

/** Files where any suggestion is a false positive by construction. */
const NOTHING_EXPECTED = new Set(['negative', 'guarded']);

interface FileOutcome {
  file: string;
  category: string;
  family: 'python' | 'typescript/javascript';
  result?: AnalysisResult;
  error?: string;
  suggestions: FileScore;
  findings: FileScore;
  stale: string[];
}

async function main(): Promise<number> {
  const jsonIndex = process.argv.indexOf('--json');
  const jsonOut = jsonIndex >= 0 ? process.argv[jsonIndex + 1] : undefined;
  const root = repoRoot();
  const evalSet = loadEvalSet(path.join(root, 'bench', 'eval'));
  const analyzer = await createAnalyzer();
  const outcomes: FileOutcome[] = [];
  let analysisMs = 0;

  try {
    for (const [file, labelled] of Object.entries(evalSet.files).sort(([a], [b]) => a.localeCompare(b))) {
      const language = languageFromPath(file);
      const family = language === 'python' ? 'python' : 'typescript/javascript';
      const suggestionLabels: Label[] = labelled.suggestions.map((site) => ({ ...site, name: site.kind }));
      const findingLabels: Label[] = labelled.findings.map((site) => ({ ...site, name: site.code }));
      const outcome: FileOutcome = {
        file,
        category: labelled.category,
        family,
        suggestions: scoreFile(suggestionLabels, [], evalSet.lineTolerance),
        findings: scoreFile(findingLabels, [], evalSet.lineTolerance),
        stale: [],
      };
      outcomes.push(outcome);
      let text: string;
      try {
        text = fs.readFileSync(path.join(evalSet.folder, file), 'utf8');
      } catch (error) {
        outcome.error = `cannot read: ${(error as Error).message}`;
        continue;
      }
      outcome.stale = staleLabels(text, labelled);
      if (!language) {
        outcome.error = 'no language for this extension';
        continue;
      }
      try {
        const started = performance.now();
        const result = analyzer.analyze(text, language, { fileName: path.basename(file) });
        analysisMs += performance.now() - started;
        outcome.result = result;
      } catch (error) {
        // Counted as predicting nothing: every label of the file becomes a miss.
        outcome.error = `analyzer threw: ${(error as Error).message}`;
        continue;
      }
      const suggestions: Prediction[] = outcome.result.suggestions.map((s) => ({ name: s.kind, line: s.range.start.line + 1, detail: s.title }));
      const findings: Prediction[] = outcome.result.findings.map((f) => ({ name: f.code, line: f.range.start.line + 1, detail: f.message }));
      outcome.suggestions = scoreFile(suggestionLabels, suggestions, evalSet.lineTolerance);
      outcome.findings = scoreFile(findingLabels, findings, evalSet.lineTolerance);
    }
  } finally {
    analyzer.dispose();
  }

  printReport(outcomes, evalSet.lineTolerance, analysisMs);
  if (jsonOut) {
    fs.writeFileSync(jsonOut, JSON.stringify(jsonReport(outcomes), null, 2) + '\n');
    console.log(`\nDetailed results written to ${jsonOut}`);
  }
  return 0;
}

function tallyOf(outcomes: readonly FileOutcome[], pick: (outcome: FileOutcome) => FileScore, name?: string): Tally {
  const tally = emptyTally();
  for (const outcome of outcomes) addTally(tally, pick(outcome), name);
  return tally;
}

function percent(value: number | undefined): string {
  return value === undefined ? '    –' : `${(value * 100).toFixed(1).padStart(5)}%`;
}

function row(label: string, tally: Tally): string {
  const { precision, recall, f1 } = rates(tally);
  return `  ${label.padEnd(24)}${String(tally.truePositives).padStart(5)}${String(tally.falsePositives).padStart(5)}${String(tally.misses).padStart(6)}   ${percent(precision)}   ${percent(recall)}   ${percent(f1)}`;
}

const HEADER = `  ${''.padEnd(24)}${'TP'.padStart(5)}${'FP'.padStart(5)}${'miss'.padStart(6)}   ${'precision'.padStart(6)} ${'recall'.padStart(7)}   ${'F1'.padStart(6)}`;

function printReport(outcomes: readonly FileOutcome[], tolerance: number, analysisMs: number): void {
  const categories = new Map<string, number>();
  for (const outcome of outcomes) categories.set(outcome.category, (categories.get(outcome.category) ?? 0) + 1);
  const suggestions = (outcome: FileOutcome) => outcome.suggestions;
  const findings = (outcome: FileOutcome) => outcome.findings;

  console.log(`Suggestion evaluation on bench/eval: ${outcomes.length} files (${[...categories].map(([name, count]) => `${count} ${name}`).join(', ')}); a match is the same kind within ±${tolerance} lines.`);
  console.log(`Analysis time: ${analysisMs.toFixed(1)} ms in total, ${(analysisMs / Math.max(1, outcomes.length)).toFixed(2)} ms per file (first files include warm-up).\n`);

  console.log('Suggestions');
  console.log(HEADER);
  console.log(row('overall', tallyOf(outcomes, suggestions)));
  for (const kind of SUGGESTION_KINDS) console.log(row(kind, tallyOf(outcomes, suggestions, kind)));
  for (const family of ['python', 'typescript/javascript'] as const) {
    console.log(row(family, tallyOf(outcomes.filter((outcome) => outcome.family === family), suggestions)));
  }

  console.log('\nHygiene findings');
  console.log(HEADER);
  console.log(row('overall', tallyOf(outcomes, findings)));
  for (const code of FINDING_CODES) console.log(row(code, tallyOf(outcomes, findings, code)));

  const nothingExpected = outcomes.filter((outcome) => NOTHING_EXPECTED.has(outcome.category));
  const negativeHits = nothingExpected.flatMap((outcome) => outcome.suggestions.falsePositives.map((prediction) => ({ outcome, prediction })));
  const filesHit = new Set(negativeHits.map((hit) => hit.outcome.file));
  console.log(`\nFalse positives on files that must get no suggestion (negatives and already-guarded): ${negativeHits.length} suggestion(s) on ${filesHit.size} of ${nothingExpected.length} files`);
  for (const { outcome, prediction } of negativeHits) console.log(`  ${outcome.file}:${prediction.line}  ${prediction.name}  ${prediction.detail}`);
  const negativesAsWorkflows = outcomes.filter((outcome) => outcome.category === 'negative' && outcome.result?.isWorkflow);
  console.log(`Negative files classified as workflows (isWorkflow): ${negativesAsWorkflows.length} of ${outcomes.filter((o) => o.category === 'negative').length}${negativesAsWorkflows.length ? ': ' + negativesAsWorkflows.map((o) => o.file).join(', ') : ''}`);
  const workflowsMissed = outcomes.filter((outcome) => outcome.category === 'workflow' && outcome.result && !outcome.result.isWorkflow);
  console.log(`Workflow files not classified as workflows: ${workflowsMissed.length} of ${outcomes.filter((o) => o.category === 'workflow').length}${workflowsMissed.length ? ': ' + workflowsMissed.map((o) => o.file).join(', ') : ''}`);

  const problems = outcomes.filter((outcome) => outcome.error || outcome.result?.hasSyntaxErrors || outcome.stale.length > 0);
  if (problems.length > 0) {
    console.log('\nFiles with problems');
    for (const outcome of problems) {
      if (outcome.error) console.log(`  ${outcome.file}: ${outcome.error}`);
      if (outcome.result?.hasSyntaxErrors) console.log(`  ${outcome.file}: tree-sitter reports syntax errors`);
      for (const stale of outcome.stale) console.log(`  ${outcome.file}: stale label, ${stale}`);
    }
  }

  listMisses('Missed suggestions (labelled, not found)', outcomes, suggestions);
  listFalsePositives('Unexpected suggestions (false positives)', outcomes, suggestions);
  listMisses('Missed findings', outcomes, findings);
  listFalsePositives('Unexpected findings', outcomes, findings);
}

function listMisses(title: string, outcomes: readonly FileOutcome[], pick: (outcome: FileOutcome) => FileScore): void {
  const misses = outcomes.flatMap((outcome) => pick(outcome).misses.map((label) => ({ outcome, label })));
  console.log(`\n${title}: ${misses.length}`);
  for (const { outcome, label } of misses) {
    const found = pick(outcome)
      .falsePositives.filter((prediction) => prediction.name === label.name)
      .map((prediction) => prediction.line);
    const near = found.length > 0 ? `  (reported at line ${found.join(', ')} instead)` : '';
    console.log(`  ${outcome.file}:${label.line}  ${label.name}  ${label.text ?? ''}${near}`);
  }
}

function listFalsePositives(title: string, outcomes: readonly FileOutcome[], pick: (outcome: FileOutcome) => FileScore): void {
  const extras = outcomes.flatMap((outcome) => pick(outcome).falsePositives.map((prediction) => ({ outcome, prediction })));
  console.log(`\n${title}: ${extras.length}`);
  for (const { outcome, prediction } of extras) console.log(`  ${outcome.file}:${prediction.line}  ${prediction.name}  ${prediction.detail}`);
}

function jsonReport(outcomes: readonly FileOutcome[]) {
  const summary = (pick: (outcome: FileOutcome) => FileScore, names: readonly string[]) => ({
    overall: { ...tallyOf(outcomes, pick), ...rates(tallyOf(outcomes, pick)) },
    ...Object.fromEntries(names.map((name) => [name, { ...tallyOf(outcomes, pick, name), ...rates(tallyOf(outcomes, pick, name)) }])),
  });
  return {
    suggestions: summary((outcome) => outcome.suggestions, SUGGESTION_KINDS),
    findings: summary((outcome) => outcome.findings, FINDING_CODES),
    files: outcomes.map((outcome) => ({
      file: outcome.file,
      category: outcome.category,
      error: outcome.error,
      isWorkflow: outcome.result?.isWorkflow,
      suggestions: outcome.suggestions,
      findings: outcome.findings,
    })),
  };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('eval:suggestions could not run:', error);
    process.exitCode = 1;
  },
);
