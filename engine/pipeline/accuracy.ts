// Scoring quality against the generator's ground truth: accuracy and macro-F1 over the four labels
// (0 = no purchase, 1..3 = category T1..T3). Macro-F1 averages the per-class F1 of the classes that
// occur in either the truth or the predictions, so a model that always predicts "no purchase" (83%
// accuracy on the original data) scores low, as it should.

export const LABEL_COUNT = 4;

import type { ScoringQuality } from '../ports/pipeline.js';

export type { ScoringQuality };

export function emptyConfusion(): number[][] {
  return Array.from({ length: LABEL_COUNT }, () => new Array<number>(LABEL_COUNT).fill(0));
}

export function scoringQuality(confusion: number[][], scored: number): ScoringQuality {
  let compared = 0;
  let correct = 0;
  for (let a = 0; a < LABEL_COUNT; a++)
    for (let p = 0; p < LABEL_COUNT; p++) {
      compared += confusion[a][p];
      if (a === p) correct += confusion[a][p];
    }
  const f1s: number[] = [];
  for (let k = 0; k < LABEL_COUNT; k++) {
    let actual = 0;
    let predicted = 0;
    for (let j = 0; j < LABEL_COUNT; j++) {
      actual += confusion[k][j];
      predicted += confusion[j][k];
    }
    if (actual === 0 && predicted === 0) continue;
    const tp = confusion[k][k];
    const precision = predicted ? tp / predicted : 0;
    const recall = actual ? tp / actual : 0;
    f1s.push(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0);
  }
  return {
    scored,
    compared,
    accuracy: compared ? correct / compared : NaN,
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : NaN,
    confusion,
  };
}
