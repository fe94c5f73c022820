// Grows one regression tree on gradients and hessians, level by level (like XGBoost's depthwise
// policy), with histogram split finding over pre-binned features.
//
// Speed comes from three things: bins are 16-bit histogram indexes in a row-major matrix (a row is
// one cache line), rows of a node are a contiguous range of one index buffer partitioned in place,
// and only the smaller child's histogram is built — the larger one is the parent's minus the smaller
// one (and children that will be leaves anyway get no histogram). Trees on this data are lopsided: most
// small children hold a few dozen rows, far fewer than the ~2,000 bins of a histogram, so such a child's
// histogram also records which bins it touched (a bitmap), and clearing, subtracting and split finding
// visit only those bins instead of all of them — bit-identical to the dense path, since every bin left
// out holds exactly zero.
import type { BinMapper, BinMatrix } from './binning.js';
import type { Tree } from './model.js';

export interface TreeParams {
  maxDepth: number;
  learningRate: number;
  /** L2 regularisation on leaf weights (XGBoost's lambda). */
  l2: number;
  /** Minimum hessian sum in a child (XGBoost's min_child_weight). */
  minChildWeight: number;
  /** Minimum number of training rows in a leaf. */
  minSamplesLeaf: number;
  /** Minimum gain for a split to be made (XGBoost's gamma). */
  minSplitGain: number;
}

/** A built tree plus what training needs besides the exported form. */
export interface BuiltTree {
  tree: Tree;
  /** Per node: the split's global bin (a row goes left when its global bin ≤ this). */
  binThreshold: Int32Array;
}

/**
 * Gradient and hessian sums per global bin, interleaved. Row counts are kept only when a minimum leaf
 * size above 1 needs them: they would cost a third more memory traffic in the hottest loop.
 */
export interface Histogram {
  gh: Float64Array;
  count: Int32Array | null;
  /** Bitmap over the bins; when `sparse`, every non-zero bin is set in it. */
  support: Int32Array;
  /**
   * Whether `support` is kept. A sparse histogram's descendants stay sparse: a child's rows are a subset
   * of its parent's, so the parent minus the smaller child is non-zero only where the parent was.
   */
  sparse: boolean;
}

/** Classes whose root histograms rootHistograms() builds together (the Customer 360 model has 4). */
const JOINT_CLASSES = 4;

interface NodeWork {
  id: number;
  start: number;
  end: number;
  /** Null for a node that will be a leaf anyway (at the depth limit): it needs only its sums. */
  hist: Histogram | null;
  g: number;
  h: number;
}

interface SplitChoice {
  gain: number;
  feature: number;
  bin: number;
}

export class TreeBuilder {
  /** Spare histograms, all zero (release() clears them). */
  private readonly histPool: Histogram[] = [];
  /** Per global bin: its feature (sparse split finding walks bins, not features). */
  private readonly binFeature: Int32Array;
  private readonly partition: Int32Array;
  private readonly scratch: Int32Array;
  /** rootHistograms' interleaved sums (bins × classes × [g, h]), kept between rounds. */
  private joint: Float64Array | null = null;

  constructor(
    private readonly bins: BinMatrix,
    private readonly width: number,
    rows: number,
    private readonly mapper: BinMapper,
    private readonly params: TreeParams,
  ) {
    this.partition = new Int32Array(rows);
    this.scratch = new Int32Array(rows);
    this.binFeature = new Int32Array(mapper.totalBins);
    for (let f = 0; f < width; f++) this.binFeature.fill(f, mapper.offsets[f], mapper.offsets[f] + mapper.missingBin[f] + 1);
  }

  /**
   * Builds a tree on the rows in `rowSet`, adds each leaf's weight to `scores[row * stride + offset]`
   * for those rows, and adds split gains to `featureGain`.
   */
  build(
    grad: Float64Array,
    hess: Float64Array,
    rowSet: Int32Array,
    activeFeatures: Int32Array,
    scores: Float64Array,
    stride: number,
    offset: number,
    featureGain: Float64Array,
    /** The root's histogram when the caller already has it (see rootHistograms); taken over by the build. */
    rootHistogram?: Histogram,
  ): BuiltTree {
    const { maxDepth, learningRate, l2 } = this.params;
    const maxNodes = 2 ** (maxDepth + 1) - 1;
    const feature = new Int32Array(maxNodes).fill(-1);
    const threshold = new Float32Array(maxNodes);
    const left = new Int32Array(maxNodes).fill(-1);
    const right = new Int32Array(maxNodes).fill(-1);
    const value = new Float32Array(maxNodes);
    const binThreshold = new Int32Array(maxNodes).fill(-1);
    let nodeCount = 1;

    const part = this.partition;
    part.set(rowSet);
    let rootHist = rootHistogram;
    if (!rootHist) {
      rootHist = this.takeHist();
      this.accumulate(rootHist, grad, hess, 0, rowSet.length, activeFeatures);
    }
    let g = 0;
    let h = 0;
    for (let i = 0; i < rowSet.length; i++) {
      g += grad[rowSet[i]];
      h += hess[rowSet[i]];
    }
    let level: NodeWork[] = [{ id: 0, start: 0, end: rowSet.length, hist: rootHist, g, h }];

    for (let depth = 0; level.length > 0; depth++) {
      const next: NodeWork[] = [];
      for (const node of level) {
        const split = depth < maxDepth && node.hist ? (node.hist.sparse ? this.bestSplitSparse(node) : this.bestSplit(node, activeFeatures)) : null;
        if (!split) {
          const w = Math.fround((-node.g / (node.h + l2)) * learningRate);
          value[node.id] = w;
          for (let i = node.start; i < node.end; i++) scores[part[i] * stride + offset] += w;
          if (node.hist) this.release(node.hist);
          continue;
        }
        featureGain[split.feature] += split.gain;
        const mid = this.partitionRows(node.start, node.end, split.feature, split.bin);
        const leftId = nodeCount++;
        const rightId = nodeCount++;
        feature[node.id] = split.feature;
        threshold[node.id] = this.mapper.cuts[split.feature][split.bin];
        binThreshold[node.id] = this.mapper.offsets[split.feature] + split.bin;
        left[node.id] = leftId;
        right[node.id] = rightId;

        const minSplitRows = 2 * this.params.minSamplesLeaf;
        if (depth + 1 >= maxDepth || (mid - node.start < minSplitRows && node.end - mid < minSplitRows)) {
          // Children that will be leaves anyway (depth limit, too few rows): their sums suffice, no histograms.
          this.release(node.hist!);
          let gl = 0;
          let hl = 0;
          for (let i = node.start; i < mid; i++) {
            gl += grad[part[i]];
            hl += hess[part[i]];
          }
          next.push(
            { id: leftId, start: node.start, end: mid, hist: null, g: gl, h: hl },
            { id: rightId, start: mid, end: node.end, hist: null, g: node.g - gl, h: node.h - hl },
          );
          continue;
        }
        // Build the smaller child's histogram; the larger one reuses the parent's buffer.
        const leftSmaller = mid - node.start <= node.end - mid;
        const small = this.takeHist();
        const [from, to] = leftSmaller ? [node.start, mid] : [mid, node.end];
        // Sparse when the child touches fewer bins than a histogram has (row counts and feature
        // subsets keep the dense path, which handles them).
        if (this.params.minSamplesLeaf <= 1 && activeFeatures.length === this.width && (to - from) * this.width < this.mapper.totalBins)
          this.accumulateSparse(small, grad, hess, from, to);
        else this.accumulate(small, grad, hess, from, to, activeFeatures);
        const large = node.hist!;
        subtract(large, small);
        const [gl, hl] = this.sums(leftSmaller ? small : large, split.feature);
        const leftNode: NodeWork = { id: leftId, start: node.start, end: mid, hist: leftSmaller ? small : large, g: gl, h: hl };
        const rightNode: NodeWork = { id: rightId, start: mid, end: node.end, hist: leftSmaller ? large : small, g: node.g - gl, h: node.h - hl };
        next.push(leftNode, rightNode);
      }
      level = next;
    }
    const tree: Tree = {
      feature: feature.slice(0, nodeCount),
      threshold: threshold.slice(0, nodeCount),
      left: left.slice(0, nodeCount),
      right: right.slice(0, nodeCount),
      value: value.slice(0, nodeCount),
    };
    return { tree, binThreshold: binThreshold.slice(0, nodeCount) };
  }

  /**
   * The root histograms of one round's trees — one per class, on the same rows and every feature — in a
   * single pass over the rows instead of one pass per class. The root is where most rows are
   * accumulated (a child histogram covers only the smaller side), and one pass reads each row's bins
   * once and updates one cache line per bin (the classes' sums side by side) instead of one line per
   * class. Each bin still sums its rows in row order, so every histogram is bit-identical to
   * accumulate()'s. Returns null when the fast path does not apply (row counts needed, or not 4 classes).
   */
  rootHistograms(grad: readonly Float64Array[], hess: readonly Float64Array[], rowSet: Int32Array): Histogram[] | null {
    if (grad.length !== JOINT_CLASSES || this.params.minSamplesLeaf > 1) return null;
    const totalBins = this.mapper.totalBins;
    const stride = 2 * JOINT_CLASSES;
    if (!this.joint || this.joint.length !== totalBins * stride) this.joint = new Float64Array(totalBins * stride);
    const acc = this.joint;
    acc.fill(0);
    const bins = this.bins;
    const width = this.width;
    const [g0, g1, g2, g3] = grad;
    const [h0, h1, h2, h3] = hess;
    for (let i = 0; i < rowSet.length; i++) {
      const r = rowSet[i];
      const a0 = g0[r], b0 = h0[r], a1 = g1[r], b1 = h1[r], a2 = g2[r], b2 = h2[r], a3 = g3[r], b3 = h3[r];
      const base = r * width;
      const stop = base + width;
      for (let j = base; j < stop; j++) {
        const k = bins[j] << 3;
        acc[k] += a0;
        acc[k + 1] += b0;
        acc[k + 2] += a1;
        acc[k + 3] += b1;
        acc[k + 4] += a2;
        acc[k + 5] += b2;
        acc[k + 6] += a3;
        acc[k + 7] += b3;
      }
    }
    const out: Histogram[] = [];
    for (let c = 0; c < JOINT_CLASSES; c++) {
      const hist = this.histPool.pop() ?? this.newHist();
      const gh = hist.gh;
      for (let b = 0, k = 2 * c; b < totalBins; b++, k += stride) {
        gh[2 * b] = acc[k];
        gh[2 * b + 1] = acc[k + 1];
      }
      out.push(hist);
    }
    return out;
  }

  /** A zeroed histogram (from the pool when one is spare). */
  private takeHist(): Histogram {
    return this.histPool.pop() ?? this.newHist();
  }

  private newHist(): Histogram {
    const bins = this.mapper.totalBins;
    return {
      gh: new Float64Array(bins * 2),
      count: this.params.minSamplesLeaf > 1 ? new Int32Array(bins) : null,
      support: new Int32Array((bins + 31) >>> 5),
      sparse: false,
    };
  }

  /** Zeroes a histogram (only its touched bins when sparse) and returns it to the pool. */
  private release(hist: Histogram): void {
    if (hist.sparse) {
      const gh = hist.gh;
      forEachBin(hist.support, (k) => {
        gh[2 * k] = 0;
        gh[2 * k + 1] = 0;
      });
      hist.support.fill(0);
      hist.sparse = false;
    } else {
      hist.gh.fill(0);
      hist.count?.fill(0);
    }
    this.histPool.push(hist);
  }

  /** accumulate() over every feature, also marking each touched bin in the support bitmap. */
  private accumulateSparse(hist: Histogram, grad: Float64Array, hess: Float64Array, start: number, end: number): void {
    const bins = this.bins;
    const width = this.width;
    const part = this.partition;
    const gh = hist.gh;
    const support = hist.support;
    for (let i = start; i < end; i++) {
      const r = part[i];
      const g = grad[r];
      const h = hess[r];
      const base = r * width;
      const stop = base + width;
      for (let j = base; j < stop; j++) {
        const bin = bins[j];
        support[bin >>> 5] |= 1 << (bin & 31);
        const k = bin << 1;
        gh[k] += g;
        gh[k + 1] += h;
      }
    }
    hist.sparse = true;
  }

  private accumulate(hist: Histogram, grad: Float64Array, hess: Float64Array, start: number, end: number, active: Int32Array): void {
    const bins = this.bins;
    const width = this.width;
    const part = this.partition;
    const gh = hist.gh;
    const nf = active.length;
    if (nf === width) {
      // Every feature: the row's bins are one contiguous run, no indirection.
      for (let i = start; i < end; i++) {
        const r = part[i];
        const g = grad[r];
        const h = hess[r];
        const base = r * width;
        const stop = base + width;
        for (let j = base; j < stop; j++) {
          const k = bins[j] << 1;
          gh[k] += g;
          gh[k + 1] += h;
        }
      }
    } else {
      for (let i = start; i < end; i++) {
        const r = part[i];
        const g = grad[r];
        const h = hess[r];
        const base = r * width;
        for (let j = 0; j < nf; j++) {
          const k = bins[base + active[j]] << 1;
          gh[k] += g;
          gh[k + 1] += h;
        }
      }
    }
    const count = hist.count;
    if (count) {
      for (let i = start; i < end; i++) {
        const base = part[i] * width;
        for (let j = 0; j < nf; j++) count[bins[base + active[j]]]++;
      }
    }
  }

  /** Gradient and hessian totals of a node, read from one feature's bins (every row is in one of them). */
  private sums(hist: Histogram, feature: number): [number, number] {
    const from = this.mapper.offsets[feature];
    const to = from + this.mapper.missingBin[feature] + 1;
    let g = 0;
    let h = 0;
    for (let b = from; b < to; b++) {
      g += hist.gh[b * 2];
      h += hist.gh[b * 2 + 1];
    }
    return [g, h];
  }

  private bestSplit(node: NodeWork, active: Int32Array): SplitChoice | null {
    const { l2, minSamplesLeaf, minSplitGain } = this.params;
    // Without row counts, a hessian floor is what keeps a child from being empty.
    const minChildWeight = Math.max(this.params.minChildWeight, 1e-9);
    const count = node.end - node.start;
    if (count < 2 * minSamplesLeaf) return null;
    const parentScore = (node.g * node.g) / (node.h + l2);
    const gh = node.hist!.gh;
    const counts = node.hist!.count;
    let best: SplitChoice | null = null;
    let bestGain = Math.max(minSplitGain, 1e-6);
    for (let j = 0; j < active.length; j++) {
      const f = active[j];
      const base = this.mapper.offsets[f];
      const lastRealBin = this.mapper.missingBin[f] - 1;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      // "bin ≤ b" goes left, for every b but the last real bin (that would put nothing right but missing).
      for (let b = 0; b < lastRealBin; b++) {
        const k = (base + b) * 2;
        // An empty bin gives the same partition as the previous one (every row has hessian > 0).
        if (gh[k + 1] === 0) continue;
        gl += gh[k];
        hl += gh[k + 1];
        const hr = node.h - hl;
        if (counts) {
          cl += counts[base + b];
          if (cl < minSamplesLeaf) continue;
          if (count - cl < minSamplesLeaf) break;
        }
        if (hl < minChildWeight || hr < minChildWeight) continue;
        const gr = node.g - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          best = { gain, feature: f, bin: b };
        }
      }
    }
    return best;
  }

  /**
   * bestSplit() for a sparse histogram (every feature active, no row counts): walks the touched bins in
   * ascending order, which is the dense scan's order with its skipped (all-zero) bins left out — so the
   * same sums, gains and tie-breaks.
   */
  private bestSplitSparse(node: NodeWork): SplitChoice | null {
    const { l2, minSplitGain } = this.params;
    const minChildWeight = Math.max(this.params.minChildWeight, 1e-9);
    if (node.end - node.start < 2) return null;
    const parentScore = (node.g * node.g) / (node.h + l2);
    const hist = node.hist!;
    const gh = hist.gh;
    const support = hist.support;
    const binFeature = this.binFeature;
    const { offsets, missingBin } = this.mapper;
    let best: SplitChoice | null = null;
    let bestGain = Math.max(minSplitGain, 1e-6);
    let f = -1;
    let base = 0;
    let lastRealBin = 0;
    let gl = 0;
    let hl = 0;
    for (let w = 0; w < support.length; w++) {
      let word = support[w];
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const bin = (w << 5) | (31 - Math.clz32(low));
        if (binFeature[bin] !== f) {
          f = binFeature[bin];
          base = offsets[f];
          lastRealBin = missingBin[f] - 1;
          gl = 0;
          hl = 0;
        }
        if (bin - base >= lastRealBin) continue;
        const k = bin * 2;
        // A larger child (parent minus sibling) can hold exact zeros inside its support, as in bestSplit.
        if (gh[k + 1] === 0) continue;
        gl += gh[k];
        hl += gh[k + 1];
        const hr = node.h - hl;
        if (hl < minChildWeight || hr < minChildWeight) continue;
        const gr = node.g - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          best = { gain, feature: f, bin: bin - base };
        }
      }
    }
    return best;
  }

  /** Reorders part[start, end) so rows with bin ≤ splitBin come first; returns where the right side begins. */
  private partitionRows(start: number, end: number, feature: number, bin: number): number {
    const part = this.partition;
    const scratch = this.scratch;
    const bins = this.bins;
    const width = this.width;
    const splitBin = this.mapper.offsets[feature] + bin;
    // Stable partition keeps row order within each side (deterministic, and sequential memory access).
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = part[i];
      if (bins[row * width + feature] <= splitBin) part[l++] = row;
      else scratch[r++] = row;
    }
    part.set(scratch.subarray(0, r), l);
    return l;
  }
}

/** large -= small, bin by bin; only over the small one's touched bins when it is sparse (the rest are 0). */
function subtract(large: Histogram, small: Histogram): void {
  const a = large.gh;
  const b = small.gh;
  if (small.sparse) {
    forEachBin(small.support, (k) => {
      a[2 * k] -= b[2 * k];
      a[2 * k + 1] -= b[2 * k + 1];
    });
    return;
  }
  for (let i = 0; i < a.length; i++) a[i] -= b[i];
  if (large.count && small.count) {
    const c = large.count;
    const d = small.count;
    for (let i = 0; i < c.length; i++) c[i] -= d[i];
  }
}

/** Calls fn with every bin set in a bitmap, in ascending order. */
function forEachBin(bitmap: Int32Array, fn: (bin: number) => void): void {
  for (let w = 0; w < bitmap.length; w++) {
    let word = bitmap[w];
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      fn((w << 5) | (31 - Math.clz32(low)));
    }
  }
}
