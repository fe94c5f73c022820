// A memory-bounded histogram for latencies (the DDSketch idea: logarithmic buckets).
//
// Stress runs see millions of events, so keeping every latency sample is not an option. Values are
// counted in buckets whose bounds grow by the factor γ = (1 + α) / (1 − α); a quantile is reported as
// the bucket's midpoint 2γ^i / (γ + 1), which is within a relative error α of the true sample value
// (Masson, Rim & Lee, "DDSketch", VLDB 2019, §2). With the default α = 1%, latencies from 1 ms to
// 10 days need about 1,000 buckets, whatever the number of samples.
//
// Values below `minValue` (default 1 ms) fall into one "zero" bucket and are reported as 0.

import type { HistogramSnapshot } from '../ports/pipeline.js';

export type { HistogramSnapshot };

export class LogHistogram {
  readonly relativeAccuracy: number;
  private readonly gamma: number;
  private readonly logGamma: number;
  private readonly minValue: number;
  private readonly buckets = new Map<number, number>();
  private zeroCount = 0;
  private total = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(options: { relativeAccuracy?: number; minValue?: number } = {}) {
    const alpha = options.relativeAccuracy ?? 0.01;
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`relative accuracy must be in (0, 1) (got ${alpha})`);
    this.relativeAccuracy = alpha;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
    this.minValue = options.minValue ?? 1;
  }

  /** Adds `count` samples of `value` (a batch of events shares one enqueued time, hence the count). */
  add(value: number, count = 1): void {
    if (!(count > 0)) return;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`histogram value must be a finite number ≥ 0 (got ${value})`);
    this.total += count;
    this.sum += value * count;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
    if (value < this.minValue) {
      this.zeroCount += count;
      return;
    }
    const key = Math.ceil(Math.log(value) / this.logGamma);
    this.buckets.set(key, (this.buckets.get(key) ?? 0) + count);
  }

  get count(): number {
    return this.total;
  }

  /** Number of buckets in use: the memory the histogram holds, independent of the sample count. */
  get bucketCount(): number {
    return this.buckets.size + (this.zeroCount > 0 ? 1 : 0);
  }

  /** The q-quantile (0 ≤ q ≤ 1), within the relative accuracy; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1] (got ${q})`);
    // Rank of the q-quantile among the sorted samples (the lower one, as DDSketch does).
    const rank = q * (this.total - 1);
    let seen = this.zeroCount;
    if (rank < seen) return 0;
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const key of keys) {
      seen += this.buckets.get(key)!;
      if (rank < seen) return this.clamp((2 * Math.pow(this.gamma, key)) / (this.gamma + 1));
    }
    return this.hi;
  }

  /** Bucket midpoints never leave the observed range (so p99 of one sample is that sample, within α). */
  private clamp(value: number): number {
    return Math.min(this.hi, Math.max(this.lo, value));
  }

  snapshot(): HistogramSnapshot {
    return {
      count: this.total,
      min: this.total ? this.lo : NaN,
      max: this.total ? this.hi : NaN,
      mean: this.total ? this.sum / this.total : NaN,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
    };
  }

  merge(other: LogHistogram): void {
    if (other.gamma !== this.gamma || other.minValue !== this.minValue) throw new RangeError('cannot merge histograms with different bucket layouts');
    for (const [key, n] of other.buckets) this.buckets.set(key, (this.buckets.get(key) ?? 0) + n);
    this.zeroCount += other.zeroCount;
    this.total += other.total;
    this.sum += other.sum;
    this.lo = Math.min(this.lo, other.lo);
    this.hi = Math.max(this.hi, other.hi);
  }
}
