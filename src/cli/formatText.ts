// Compiler-style text: one line per suggestion or finding, `path:line:col`, so terminals and
// editors make the location clickable; then a summary.
import type { AnalysisReport } from './report';
import { entriesInOrder, summarize } from './report';

export function formatText(report: AnalysisReport): string {
  const lines: string[] = [];
  for (const skipped of report.skipped) lines.push(`${skipped.path}  skipped  ${skipped.reason}`);
  for (const file of report.files) {
    if (!file.result) {
      lines.push(`${file.path}  skipped  ${file.problem ?? 'could not be analyzed'}`);
      continue;
    }
    if (file.result.hasSyntaxErrors) {
      lines.push(`${file.path}  note  the file has syntax errors; only the parts that parse were analyzed`);
    }
    for (const entry of entriesInOrder(file.result)) {
      if (entry.type === 'suggestion') {
        const { suggestion } = entry;
        const where = location(file.path, suggestion.range.start);
        const key = suggestion.key ? `  [key ${suggestion.key}]` : '';
        lines.push(`${where}  ${suggestion.kind}  ${oneLine(suggestion.title)}${key}`);
      } else {
        const { finding } = entry;
        const severity = finding.severity === 'information' ? 'info' : finding.severity;
        lines.push(`${location(file.path, finding.range.start)}  ${severity}  ${finding.code}  ${oneLine(finding.message)}`);
      }
    }
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

export function summaryLine(report: AnalysisReport): string {
  const summary = summarize(report);
  const parts = [
    plural(summary.suggestions, 'suggestion'),
    plural(summary.errors, 'error'),
    plural(summary.warnings, 'warning'),
  ];
  if (summary.information > 0) parts.push(plural(summary.information, 'note'));
  const skipped = summary.filesWithProblems > 0 ? ` (${plural(summary.filesWithProblems, 'path')} skipped)` : '';
  return `${plural(summary.filesAnalyzed, 'file')} analyzed: ${parts.join(', ')}${skipped}.`;
}

/** 1-based line and column, as compilers print them. */
function location(path: string, start: { line: number; character: number }): string {
  return `${path}:${start.line + 1}:${start.character + 1}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
