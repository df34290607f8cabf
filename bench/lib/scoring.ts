// Matching predictions to labels and counting precision/recall. Pure, so it is unit-tested.
import type { LabelledSite } from './evalSet';

export interface Prediction {
  /** Kind or finding code. */
  name: string;
  /** 1-based. */
  line: number;
  /** What the analyzer said (title/message), for listing false positives. */
  detail: string;
}

export interface Label extends LabelledSite {
  name: string;
}

export interface FileScore {
  truePositives: { label: Label; prediction: Prediction }[];
  /** Predictions that matched an optional label: counted neither way. */
  optionalHits: { label: Label; prediction: Prediction }[];
  falsePositives: Prediction[];
  misses: Label[];
}

function distance(label: Label, line: number): number {
  return Math.min(...[label.line, ...(label.alsoAt ?? [])].map((labelled) => Math.abs(labelled - line)));
}

/**
 * One file: each label takes at most one prediction of its name within `tolerance` lines,
 * closest pairs first, required labels before optional ones. Extra predictions are false positives.
 */
export function scoreFile(labels: readonly Label[], predictions: readonly Prediction[], tolerance: number): FileScore {
  const pairs: { labelIndex: number; predictionIndex: number; distance: number; optional: boolean }[] = [];
  labels.forEach((label, labelIndex) => {
    predictions.forEach((prediction, predictionIndex) => {
      if (prediction.name !== label.name) return;
      const gap = distance(label, prediction.line);
      if (gap <= tolerance) pairs.push({ labelIndex, predictionIndex, distance: gap, optional: label.optional === true });
    });
  });
  pairs.sort((a, b) => Number(a.optional) - Number(b.optional) || a.distance - b.distance);

  const usedLabels = new Set<number>();
  const usedPredictions = new Set<number>();
  const score: FileScore = { truePositives: [], optionalHits: [], falsePositives: [], misses: [] };
  for (const pair of pairs) {
    if (usedLabels.has(pair.labelIndex) || usedPredictions.has(pair.predictionIndex)) continue;
    usedLabels.add(pair.labelIndex);
    usedPredictions.add(pair.predictionIndex);
    const match = { label: labels[pair.labelIndex], prediction: predictions[pair.predictionIndex] };
    (pair.optional ? score.optionalHits : score.truePositives).push(match);
  }
  predictions.forEach((prediction, index) => {
    if (!usedPredictions.has(index)) score.falsePositives.push(prediction);
  });
  labels.forEach((label, index) => {
    if (!usedLabels.has(index) && !label.optional) score.misses.push(label);
  });
  return score;
}

export interface Tally {
  truePositives: number;
  falsePositives: number;
  misses: number;
}

export function emptyTally(): Tally {
  return { truePositives: 0, falsePositives: 0, misses: 0 };
}

export function addTally(into: Tally, score: Pick<FileScore, 'truePositives' | 'falsePositives' | 'misses'>, name?: string): void {
  const keep = (itemName: string) => name === undefined || itemName === name;
  into.truePositives += score.truePositives.filter((match) => keep(match.label.name)).length;
  into.falsePositives += score.falsePositives.filter((prediction) => keep(prediction.name)).length;
  into.misses += score.misses.filter((label) => keep(label.name)).length;
}

/** Precision and recall; undefined where there is nothing to divide (no predictions / no labels). */
export function rates(tally: Tally): { precision?: number; recall?: number; f1?: number } {
  const predicted = tally.truePositives + tally.falsePositives;
  const expected = tally.truePositives + tally.misses;
  const precision = predicted > 0 ? tally.truePositives / predicted : undefined;
  const recall = expected > 0 ? tally.truePositives / expected : undefined;
  const f1 = precision !== undefined && recall !== undefined && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : undefined;
  return { precision, recall, f1 };
}
