// Evaluation of a classifier on labelled rows. Predicting "no purchase" for everyone scores 83% accuracy
// on the original table, so accuracy is reported next to macro-F1, per-class precision/recall and the
// confusion matrix; the six figures of the original solution's R `evaluate_model` are reproduced too.

export interface ClassMetrics {
  class: number;
  support: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  rows: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[actual][predicted] = row count. */
  confusion: number[][];
  /** The figures the original solution's `evaluate_model` printed. */
  original: {
    overallAccuracy: number;
    averageAccuracy: number;
    microPrecision: number;
    macroPrecision: number;
    microRecall: number;
    macroRecall: number;
  };
}

/** Precision or recall of a class that was never predicted (or never present) counts as 0, as scikit-learn does. */
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function evaluate(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): Evaluation {
  if (actual.length !== predicted.length) throw new RangeError('actual and predicted differ in length');
  const n = actual.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < n; i++) confusion[actual[i]][predicted[i]]++;
  const perClass: ClassMetrics[] = [];
  let tpTotal = 0;
  let fpTotal = 0;
  let fnTotal = 0;
  let averageAccuracy = 0;
  for (let c = 0; c < classes; c++) {
    const tp = confusion[c][c];
    let support = 0;
    let predictedCount = 0;
    for (let j = 0; j < classes; j++) {
      support += confusion[c][j];
      predictedCount += confusion[j][c];
    }
    const fp = predictedCount - tp;
    const fn = support - tp;
    const tn = n - tp - fp - fn;
    tpTotal += tp;
    fpTotal += fp;
    fnTotal += fn;
    averageAccuracy += ratio(tp + tn, n) / classes;
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    perClass.push({ class: c, support, predicted: predictedCount, precision, recall, f1: ratio(2 * precision * recall, precision + recall) });
  }
  const mean = (key: 'precision' | 'recall' | 'f1') => perClass.reduce((s, m) => s + m[key], 0) / classes;
  return {
    rows: n,
    accuracy: ratio(tpTotal, n),
    macroF1: mean('f1'),
    perClass,
    confusion,
    original: {
      overallAccuracy: ratio(tpTotal, n),
      averageAccuracy,
      microPrecision: ratio(tpTotal, tpTotal + fpTotal),
      macroPrecision: mean('precision'),
      microRecall: ratio(tpTotal, tpTotal + fnTotal),
      macroRecall: mean('recall'),
    },
  };
}

/** Gain-based importance: each feature's share of the total split gain, largest first. */
export function featureImportance(names: readonly string[], gain: ArrayLike<number>): { feature: string; gain: number; share: number }[] {
  let total = 0;
  for (let i = 0; i < gain.length; i++) total += gain[i];
  return names
    .map((feature, i) => ({ feature, gain: gain[i], share: ratio(gain[i], total) }))
    .sort((a, b) => b.gain - a.gain || a.feature.localeCompare(b.feature));
}
