// A trained multinomial tree ensemble and its prediction. The numbers are float32 (thresholds, leaf
// weights, base scores) because that is what the ONNX TreeEnsembleClassifier stores; predicting here
// with those same numbers is what lets the TypeScript model and onnxruntime agree to 1e-5.
import type { FeatureSpec } from '../features.js';

/** One regression tree in flat arrays; node 0 is the root. A node goes left when x[feature] ≤ threshold. */
export interface Tree {
  /** Feature index of a split node, -1 for a leaf. */
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf weight (learning rate already applied); 0 on split nodes. */
  value: Float32Array;
}

export interface GbmModel {
  features: FeatureSpec[];
  classes: number;
  /** Starting margin per class. */
  baseScore: Float32Array;
  trees: Tree[];
  /** The class whose margin each tree adds to. */
  treeClass: Int32Array;
}

export function leafOf(tree: Tree, x: Float32Array, base: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = x[base + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return node;
}

/** Class margins (rows × classes, row-major) for a row-major float32 matrix. */
export function predictMargins(model: GbmModel, x: Float32Array, rows: number): Float64Array {
  const width = model.features.length;
  const k = model.classes;
  const margins = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) margins[r * k + c] = model.baseScore[c];
  for (let t = 0; t < model.trees.length; t++) {
    const tree = model.trees[t];
    const c = model.treeClass[t];
    for (let r = 0; r < rows; r++) margins[r * k + c] += tree.value[leafOf(tree, x, r * width)];
  }
  return margins;
}

/** Softmax of margins in place, per row. */
export function softmaxRows(margins: Float64Array, k: number): Float64Array {
  for (let base = 0; base < margins.length; base += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (margins[base + c] > max) max = margins[base + c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(margins[base + c] - max);
      margins[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) margins[base + c] /= sum;
  }
  return margins;
}

export function predictProbabilities(model: GbmModel, x: Float32Array, rows: number): Float64Array {
  return softmaxRows(predictMargins(model, x, rows), model.classes);
}

/** Index of the largest value in each row (first one on ties, like onnxruntime). */
export function argmaxRows(values: ArrayLike<number>, k: number): Int32Array {
  const rows = values.length / k;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[r * k + c] > values[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}
