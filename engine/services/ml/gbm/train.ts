// Multinomial gradient boosting (softmax cross-entropy): each round grows one tree per class on the
// gradients of the current margins. Seeded and deterministic: the only randomness (row and feature
// subsampling) comes from Random.derive(seed, …), and ties are broken by feature and bin order.
import { Random } from '../../../core/random.js';
import type { Dataset } from '../dataset.js';
import { CLASS_COUNT } from '../features.js';
import { binMatrix, buildBinMapper, MAX_BINS, type BinMatrix } from './binning.js';
import type { GbmModel, Tree } from './model.js';
import { TreeBuilder, type TreeParams } from './tree-builder.js';

/** The tree-growing knobs (depth, learning rate, regularisation) are TreeParams; these add the ensemble's. */
export interface TrainParams extends TreeParams {
  /** Boosting rounds; each adds one tree per class. */
  trees: number;
  /** Fraction of rows drawn (without replacement) for each round; 1 = all. */
  rowSubsample: number;
  /** Fraction of features drawn for each tree; 1 = all. */
  featureSubsample: number;
  /** Stop when the validation loss has not improved for this many rounds (0 = off; needs validation data). */
  earlyStoppingRounds: number;
  maxBins: number;
  seed: number;
}

export const DEFAULT_TRAIN_PARAMS: TrainParams = {
  trees: 50,
  maxDepth: 5,
  learningRate: 0.1,
  l2: 1,
  minChildWeight: 1,
  minSamplesLeaf: 1,
  minSplitGain: 0,
  rowSubsample: 1,
  featureSubsample: 1,
  earlyStoppingRounds: 0,
  maxBins: MAX_BINS,
  seed: 1,
};

export interface TrainResult {
  model: GbmModel;
  /** Total split gain per feature (gain-based importance, not normalised). */
  featureGain: Float64Array;
  /** Rounds kept in the model (fewer than asked when early stopping cut it short). */
  rounds: number;
  /** Validation multinomial log-loss after each round, when validation data was given. */
  validationLoss: number[];
}

export function validateParams(p: TrainParams): void {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(what);
  };
  check(Number.isInteger(p.trees) && p.trees >= 1, 'trees must be an integer ≥ 1');
  // Level-wise growth keeps one histogram per open node that can still split; deep trees on big data
  // need memory accordingly (at most one per two rows, and 2^(depth-1)).
  check(Number.isInteger(p.maxDepth) && p.maxDepth >= 1 && p.maxDepth <= 16, 'depth must be an integer in [1, 16]');
  check(p.learningRate > 0 && p.learningRate <= 1, 'learning rate must be in (0, 1]');
  check(p.l2 >= 0, 'l2 must be ≥ 0');
  check(p.minChildWeight >= 0, 'min child weight must be ≥ 0');
  check(Number.isInteger(p.minSamplesLeaf) && p.minSamplesLeaf >= 1, 'min samples per leaf must be an integer ≥ 1');
  check(p.rowSubsample > 0 && p.rowSubsample <= 1, 'row subsample must be in (0, 1]');
  check(p.featureSubsample > 0 && p.featureSubsample <= 1, 'feature subsample must be in (0, 1]');
  check(Number.isInteger(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 0, 'early stopping rounds must be an integer ≥ 0');
}

/** Trains on `data`; `validation` (optional) is scored every round for the loss curve and early stopping. */
export function trainGbm(
  data: Dataset,
  params: Partial<TrainParams> = {},
  validation?: Dataset,
  onRound?: (round: number) => void,
): TrainResult {
  const p: TrainParams = { ...DEFAULT_TRAIN_PARAMS, ...params };
  validateParams(p);
  const k = CLASS_COUNT;
  const n = data.rows;
  const width = data.features.length;
  const mapper = buildBinMapper(data.x, n, width, p.maxBins);
  const bins = binMatrix(mapper, data.x, n, width);
  const builder = new TreeBuilder(bins, width, n, mapper, p);

  // Margins start at 0 for every class (a uniform prior), as XGBoost's multi:softprob does.
  const baseScore = new Float32Array(k);
  const margins = new Float64Array(n * k);
  const grad: Float64Array[] = Array.from({ length: k }, () => new Float64Array(n));
  const hess: Float64Array[] = Array.from({ length: k }, () => new Float64Array(n));
  const prob = new Float64Array(k);
  const featureGain = new Float64Array(width);
  const trees: Tree[] = [];
  const treeClass: number[] = [];

  const validationBins = validation ? binMatrix(mapper, validation.x, validation.rows, width) : null;
  const validationMargins = validation ? new Float64Array(validation.rows * k) : null;
  const validationLoss: number[] = [];
  let bestLoss = Infinity;
  let bestRound = 0;

  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const allFeatures = Int32Array.from({ length: width }, (_, i) => i);
  const rowRandom = Random.derive(p.seed, 'gbm-rows');
  const featureRandom = Random.derive(p.seed, 'gbm-features');
  const inSample = new Uint8Array(n);

  let round = 0;
  for (; round < p.trees; round++) {
    computeGradients(margins, data.y, k, grad, hess, prob);
    const rowSet = p.rowSubsample < 1 ? sampleRows(allRows, p.rowSubsample, rowRandom) : allRows;
    if (rowSet !== allRows) {
      inSample.fill(0);
      for (let i = 0; i < rowSet.length; i++) inSample[rowSet[i]] = 1;
    }
    // Every class's tree starts from the same rows and (without feature subsampling) the same features:
    // their root histograms come from one pass over the rows.
    const roots = p.featureSubsample < 1 ? null : builder.rootHistograms(grad, hess, rowSet);
    for (let c = 0; c < k; c++) {
      const features = p.featureSubsample < 1 ? sampleFeatures(allFeatures, p.featureSubsample, featureRandom) : allFeatures;
      const built = builder.build(grad[c], hess[c], rowSet, features, margins, k, c, featureGain, roots?.[c]);
      // Rows left out of this round's sample still need the new tree in their margins.
      if (rowSet !== allRows) {
        for (let r = 0; r < n; r++) if (!inSample[r]) margins[r * k + c] += built.tree.value[leafOfBins(built, bins, r * width)];
      }
      if (validationBins && validationMargins) {
        for (let r = 0; r < validation!.rows; r++)
          validationMargins[r * k + c] += built.tree.value[leafOfBins(built, validationBins, r * width)];
      }
      trees.push(built.tree);
      treeClass.push(c);
    }
    onRound?.(round + 1);
    if (validation && validationMargins) {
      const loss = logLoss(validationMargins, validation.y, k);
      validationLoss.push(loss);
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        bestRound = round + 1;
      } else if (p.earlyStoppingRounds > 0 && round + 1 - bestRound >= p.earlyStoppingRounds) {
        round++;
        break;
      }
    }
  }
  const rounds = p.earlyStoppingRounds > 0 && validation ? bestRound : round;
  const model: GbmModel = {
    features: data.features,
    classes: k,
    baseScore,
    trees: trees.slice(0, rounds * k),
    treeClass: Int32Array.from(treeClass.slice(0, rounds * k)),
  };
  return { model, featureGain, rounds, validationLoss };
}

function leafOfBins(built: { tree: Tree; binThreshold: Int32Array }, bins: BinMatrix, base: number): number {
  const { feature, left, right } = built.tree;
  const binThreshold = built.binThreshold;
  let node = 0;
  while (feature[node] >= 0) node = bins[base + feature[node]] <= binThreshold[node] ? left[node] : right[node];
  return node;
}

/** Softmax gradients; the hessian is XGBoost's 2·p·(1−p) (floored so leaves never divide by ~0). */
function computeGradients(margins: Float64Array, y: Int32Array, k: number, grad: Float64Array[], hess: Float64Array[], prob: Float64Array): void {
  const n = y.length;
  for (let r = 0; r < n; r++) {
    const base = r * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (margins[base + c] > max) max = margins[base + c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      prob[c] = Math.exp(margins[base + c] - max);
      sum += prob[c];
    }
    const label = y[r];
    for (let c = 0; c < k; c++) {
      const q = prob[c] / sum;
      grad[c][r] = c === label ? q - 1 : q;
      hess[c][r] = Math.max(2 * q * (1 - q), 1e-16);
    }
  }
}

function logLoss(margins: Float64Array, y: Int32Array, k: number): number {
  let total = 0;
  for (let r = 0; r < y.length; r++) {
    const base = r * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (margins[base + c] > max) max = margins[base + c];
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(margins[base + c] - max);
    total += Math.log(sum) + max - margins[base + y[r]];
  }
  return total / y.length;
}

/** A sorted random subset of the rows, each kept with probability `fraction` (at least one row). */
function sampleRows(all: Int32Array, fraction: number, random: Random): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) if (random.next() < fraction) out.push(all[i]);
  if (out.length === 0) out.push(all[random.int(0, all.length - 1)]);
  return Int32Array.from(out);
}

/** round(fraction × features) distinct features (at least one), in ascending order. */
function sampleFeatures(all: Int32Array, fraction: number, random: Random): Int32Array {
  const count = Math.max(1, Math.round(all.length * fraction));
  const picked = random.shuffle(Array.from(all)).slice(0, count);
  return Int32Array.from(picked.sort((a, b) => a - b));
}
