// One CLI invocation: arguments → files → analysis → formatted output and an exit status.
// Everything it touches comes in through `io` and `dependencies`, so tests drive it directly.
import * as fs from 'fs';
import { createAnalyzer, type Analyzer, type AnalysisOptions } from '../analysis';
import { HELP_TEXT, parseArgs, UsageError, type OutputFormat } from './args';
import { collectSourceFiles, describeFsError, type SourceFile } from './collectFiles';
import { formatJson } from './formatJson';
import { formatSarif } from './formatSarif';
import { formatText } from './formatText';
import { exitCodeFor, type AnalysisReport, type FileReport } from './report';

export const ExitCode = {
  ok: 0,
  hygieneError: 1,
  usage: 2,
  /** The analyzer could not start (e.g. its wasm files are missing): a broken installation. */
  internal: 3,
} as const;

/** Bigger files are generated or vendored code, not workflows someone writes by hand. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliDependencies {
  version: string;
  createAnalyzer?: () => Promise<Analyzer>;
}

export async function runCli(argv: readonly string[], io: CliIo, dependencies: CliDependencies): Promise<number> {
  let command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`workflow-memory: ${error.message}\n`);
    return ExitCode.usage;
  }
  if (command.command === 'help') {
    io.stdout(`${HELP_TEXT}\n`);
    return ExitCode.ok;
  }
  if (command.command === 'version') {
    io.stdout(`${dependencies.version}\n`);
    return ExitCode.ok;
  }

  const collected = collectSourceFiles(command.paths, io.cwd);
  if (collected.missing.length > 0) {
    for (const missing of collected.missing) io.stderr(`workflow-memory: no such file or directory: ${missing}\n`);
    io.stderr('Nothing was analyzed. Name existing files or directories, for example: workflow-memory analyze .\n');
    return ExitCode.usage;
  }
  if (collected.files.length === 0) {
    io.stderr(`workflow-memory: no Python, TypeScript or JavaScript files found in ${command.paths.join(', ')}.\n`);
  }

  let analyzer: Analyzer | undefined;
  if (collected.files.length > 0) {
    try {
      analyzer = await (dependencies.createAnalyzer ?? createAnalyzer)();
    } catch (error) {
      io.stderr(`workflow-memory: the analyzer could not start: ${error instanceof Error ? error.message : String(error)}\n`);
      io.stderr('Its parser files (dist/wasm) may be missing: reinstall the package, or run `node esbuild.js` in a checkout.\n');
      return ExitCode.internal;
    }
  }
  try {
    const report: AnalysisReport = {
      files: collected.files.map((file) => analyzeFile(analyzer!, file, command.options)),
      skipped: collected.skipped.map((skipped) => ({ path: skipped.displayPath, reason: skipped.reason })),
    };
    io.stdout(render(report, command.format, dependencies.version, io.cwd));
    return exitCodeFor(report);
  } finally {
    analyzer?.dispose();
  }
}

export function render(report: AnalysisReport, format: OutputFormat, version: string, cwd: string): string {
  switch (format) {
    case 'json':
      return formatJson(report, version);
    case 'sarif':
      return formatSarif(report, version, cwd);
    case 'text':
      return formatText(report);
  }
}

/** Never throws: a file that cannot be read or analyzed becomes a report entry saying why. */
export function analyzeFile(analyzer: Analyzer, file: SourceFile, options: AnalysisOptions): FileReport {
  const base = { path: file.displayPath, language: file.language };
  let text: string;
  try {
    const size = fs.statSync(file.absolutePath).size;
    if (size > MAX_FILE_BYTES) {
      return { ...base, problem: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${(size / 1024 / 1024).toFixed(1)} MB), probably generated: skipped` };
    }
    const bytes = fs.readFileSync(file.absolutePath);
    if (bytes.includes(0)) return { ...base, problem: 'binary content (NUL bytes), not source code: skipped' };
    text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    return { ...base, problem: `cannot be read: ${describeFsError(error)}` };
  }
  try {
    // The file name names the workflow in proposed keys (`price_monitor.py` → `…:price-monitor:…`).
    return { ...base, result: analyzer.analyze(text, file.language, { ...options, fileName: file.displayPath }) };
  } catch (error) {
    // An analyzer bug must not hide the results for every other file.
    return { ...base, problem: `could not be analyzed (please report this): ${error instanceof Error ? error.message : String(error)}` };
  }
}
