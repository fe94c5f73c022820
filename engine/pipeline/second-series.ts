// Metrics at one-second resolution, kept column-wise (one Float64Array per metric) so an hour-long
// run costs 3,600 × metrics × 8 bytes however many events pass, and rolled up to Azure's one-minute
// grain on demand.
import type { MetricDefinition, MetricSeries } from '../ports/pipeline.js';
import { METRICS, METRIC_INDEX, type MetricName } from './metric-catalog.js';

export interface SeriesRow {
  /** Start of the interval (clock time, ms). */
  time: number;
  values: Record<MetricName, number>;
}

export class SecondSeries implements MetricSeries {
  private columns: Float64Array[];
  private length = 0;
  private capacity = 64;

  /** `origin` is the clock time of second 0 (the run's start). */
  constructor(readonly origin: number) {
    this.columns = METRICS.map(() => new Float64Array(this.capacity));
  }

  private slot(time: number): number {
    const index = Math.floor((time - this.origin) / 1000);
    if (index < 0) throw new RangeError(`metric time ${time} is before the run started (${this.origin})`);
    if (index >= this.capacity) {
      while (index >= this.capacity) this.capacity *= 2;
      this.columns = this.columns.map((col) => {
        const grown = new Float64Array(this.capacity);
        grown.set(col);
        return grown;
      });
    }
    if (index >= this.length) this.length = index + 1;
    return index;
  }

  /** Adds to a counter in the second containing `time`. */
  add(name: MetricName, time: number, amount: number): void {
    if (amount === 0) return;
    this.columns[METRIC_INDEX[name]][this.slot(time)] += amount;
  }

  /** Records a gauge reading; a second keeps its highest reading. */
  gauge(name: MetricName, time: number, value: number): void {
    const col = this.columns[METRIC_INDEX[name]];
    const i = this.slot(time);
    if (value > col[i]) col[i] = value;
  }

  /** Makes sure the series reaches `time` even if nothing happened in its last seconds. */
  extendTo(time: number): void {
    if (time > this.origin) this.slot(time - 1);
  }

  definitions(): readonly MetricDefinition[] {
    return METRICS;
  }

  get seconds(): number {
    return this.length;
  }

  total(name: MetricName): number {
    const col = this.columns[METRIC_INDEX[name]];
    let sum = 0;
    for (let i = 0; i < this.length; i++) sum += col[i];
    return sum;
  }

  peak(name: MetricName): number {
    const col = this.columns[METRIC_INDEX[name]];
    let max = 0;
    for (let i = 0; i < this.length; i++) if (col[i] > max) max = col[i];
    return max;
  }

  /** Rows at `grainSeconds` resolution (1 = as recorded, 60 = Azure's minute grain). */
  rows(grainSeconds = 1): SeriesRow[] {
    if (!(Number.isInteger(grainSeconds) && grainSeconds >= 1)) throw new RangeError(`grain must be a whole number of seconds ≥ 1 (got ${grainSeconds})`);
    const out: SeriesRow[] = [];
    for (let start = 0; start < this.length; start += grainSeconds) {
      const end = Math.min(this.length, start + grainSeconds);
      const values = {} as Record<MetricName, number>;
      METRICS.forEach((m, k) => {
        const col = this.columns[k];
        let v = 0;
        for (let i = start; i < end; i++) v = m.aggregation === 'sum' ? v + col[i] : Math.max(v, col[i]);
        values[m.name] = v;
      });
      out.push({ time: this.origin + start * 1000, values });
    }
    return out;
  }
}
