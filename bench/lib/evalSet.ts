// The labelled evaluation set in bench/eval/: workflow files and what a reviewer expects on them.
import * as fs from 'fs';
import * as path from 'path';
import type { FindingCode, SuggestionKind } from '../../src/analysis/types';

export interface LabelledSite {
  /** 1-based line of the statement the lens (or diagnostic) should sit on. */
  line: number;
  /** Other lines that are just as right (e.g. the loop header and the call inside it). */
  alsoAt?: number[];
  /** A defensible but not required result: neither a miss when absent nor a false positive when present. */
  optional?: boolean;
  /** The start of the labelled line, to notice a label gone stale after an edit. */
  text?: string;
}

export interface LabelledFile {
  /** workflow | guarded | negative | memory-misuse */
  category: string;
  note?: string;
  suggestions: (LabelledSite & { kind: SuggestionKind })[];
  findings: (LabelledSite & { code: FindingCode })[];
}

export interface EvalSet {
  lineTolerance: number;
  /** Relative to the eval folder, `/`-separated. */
  files: Record<string, LabelledFile>;
  folder: string;
}

export function loadEvalSet(folder: string): EvalSet {
  const labels = JSON.parse(fs.readFileSync(path.join(folder, 'labels.json'), 'utf8')) as Omit<EvalSet, 'folder'>;
  return { lineTolerance: labels.lineTolerance ?? 2, files: labels.files, folder };
}

/** Labels whose `text` no longer starts their line: the file changed under them. */
export function staleLabels(fileText: string, labelled: LabelledFile): string[] {
  const lines = fileText.split(/\r?\n/);
  const stale: string[] = [];
  for (const site of [...labelled.suggestions, ...labelled.findings]) {
    if (site.text === undefined) continue;
    const actual = (lines[site.line - 1] ?? '').trim();
    if (!actual.startsWith(site.text)) {
      const name = 'kind' in site ? site.kind : site.code;
      stale.push(`${name} at line ${site.line}: expected "${site.text}", found "${actual.slice(0, 80)}"`);
    }
  }
  return stale;
}
