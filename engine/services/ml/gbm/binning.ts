// Pre-binning: each feature's values are replaced by a small bin number once, before training, so
// split finding scans ≤ 256 histogram bins per feature instead of sorting values at every node.
//
// Bin b of a feature holds values v with cuts[b-1] < v ≤ cuts[b]; values above every cut fall in bin
// cuts.length, and missing values (NaN) get the last bin of all, which every split sends right — the
// same place onnxruntime sends NaN (NaN ≤ t is false). Cuts are float32 numbers, so "bin ≤ b" during
// training is exactly "x ≤ threshold" in the exported float32 model.

export const MAX_BINS = 256;

export interface BinMapper {
  /** Per feature: ascending float32 cut points (at most MAX_BINS - 2 of them). */
  cuts: Float32Array[];
  /** Per feature: index of its missing-value bin (cuts.length + 1). */
  missingBin: Int32Array;
  /** Per feature: where its bins start in a histogram laid out feature after feature. */
  offsets: Int32Array;
  /** Bins of all features together (each feature has cuts.length + 2). */
  totalBins: number;
}

/** Chooses up to `maxBins - 2` cuts per feature from the training matrix (rows × width, row-major). */
export function buildBinMapper(x: Float32Array, rows: number, width: number, maxBins = MAX_BINS): BinMapper {
  if (maxBins < 3 || maxBins > MAX_BINS) throw new RangeError(`maxBins must be in [3, ${MAX_BINS}]`);
  const cuts: Float32Array[] = [];
  const missingBin = new Int32Array(width);
  const offsets = new Int32Array(width);
  let totalBins = 0;
  const column = new Float32Array(rows);
  for (let f = 0; f < width; f++) {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * width + f];
      if (v === v) column[n++] = v; // skip NaN
    }
    const featureCuts = chooseCuts(column.subarray(0, n).sort(), maxBins - 2);
    cuts.push(featureCuts);
    missingBin[f] = featureCuts.length + 1;
    offsets[f] = totalBins;
    totalBins += featureCuts.length + 2;
  }
  return { cuts, missingBin, offsets, totalBins };
}

/**
 * Cuts for sorted values: between every pair of distinct values when there are few of them, otherwise
 * between distinct values at roughly equal-count quantiles. A cut is the float32 midpoint of its two
 * neighbours (the lower neighbour if the midpoint rounds up onto the higher one).
 */
function chooseCuts(sorted: Float32Array, maxCuts: number): Float32Array {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === sorted[i]) counts[counts.length - 1]++;
    else {
      distinct.push(sorted[i]);
      counts.push(1);
    }
  }
  const out: number[] = [];
  const cutBetween = (a: number, b: number) => {
    const mid = Math.fround((a + b) / 2);
    out.push(mid < b ? mid : a);
  };
  if (distinct.length - 1 <= maxCuts) {
    for (let i = 0; i + 1 < distinct.length; i++) cutBetween(distinct[i], distinct[i + 1]);
  } else {
    const perBin = sorted.length / (maxCuts + 1);
    let seen = 0;
    let next = perBin;
    for (let i = 0; i + 1 < distinct.length && out.length < maxCuts; i++) {
      seen += counts[i];
      if (seen >= next) {
        cutBetween(distinct[i], distinct[i + 1]);
        while (next <= seen) next += perBin;
      }
    }
  }
  return Float32Array.from(out);
}

/** Bin number of one value (binary search over the cuts). */
export function binOf(mapper: BinMapper, feature: number, value: number): number {
  if (value !== value) return mapper.missingBin[feature];
  const cuts = mapper.cuts[feature];
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Global bin numbers; 16 bits unless there are very many features. */
export type BinMatrix = Uint16Array | Uint32Array;

/**
 * The whole matrix as global bin numbers (offsets[f] + bin), row-major (rows × width). Global numbers
 * index the histogram directly, which saves an addition in training's hottest loop; a row goes left
 * at a split on feature f at bin b when its global bin ≤ offsets[f] + b.
 */
export function binMatrix(mapper: BinMapper, x: Float32Array, rows: number, width: number): BinMatrix {
  const bins = mapper.totalBins <= 0x10000 ? new Uint16Array(rows * width) : new Uint32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let f = 0; f < width; f++) bins[base + f] = mapper.offsets[f] + binOf(mapper, f, x[base + f]);
  }
  return bins;
}
