// Turns the recorder's metric series into chart points: counters become per-second rates over the
// point's interval (what Azure Monitor plots as "per second"), gauges keep their worst second.
import type { MetricPointDto } from '../../electron/common/contract.js';
import type { MetricSeries } from '../ports/pipeline.js';

/** The metrics the dashboard charts. */
export const CHART_METRICS = [
  'OfferedEvents',
  'AcceptedEvents',
  'ThrottledEvents',
  'InputEvents',
  'OutputEvents',
  'BackloggedInputEvents',
  'WatermarkDelay',
  'ResourceUtilization',
  'ProfilesWritten',
] as const;

/** A grain that keeps a chart at ≤ `maxPoints` points: 1 s for short runs, whole minutes for long ones. */
export function pointGrain(seconds: number, maxPoints = 240): number {
  const raw = Math.max(1, Math.ceil(seconds / maxPoints));
  if (raw <= 1) return 1;
  for (const g of [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]) if (g >= raw) return g;
  return Math.ceil(raw / 3600) * 3600;
}

export function seriesPoints(series: MetricSeries, grainSeconds: number, fromT = -Infinity): MetricPointDto[] {
  const kinds = new Map(series.definitions().map((d) => [d.name, d.aggregation]));
  const out: MetricPointDto[] = [];
  for (const row of series.rows(grainSeconds)) {
    const t = (row.time - series.origin) / 1000;
    if (t < fromT) continue;
    const values: Record<string, number> = {};
    for (const name of CHART_METRICS) {
      const value = row.values[name];
      if (value === undefined || !Number.isFinite(value)) continue;
      values[name] = kinds.get(name) === 'sum' ? value / grainSeconds : value;
    }
    out.push({ t, values });
  }
  return out;
}
