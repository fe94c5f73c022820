// k6-style metrics for the Node load driver: counters, rates and trends (all samples kept, so
// percentiles are exact — runs are bounded), rendered in k6's handleSummary data shape.

export class Trend {
  private readonly samples: number[] = [];
  add(value: number): void {
    this.samples.push(value);
  }
  get count(): number {
    return this.samples.length;
  }
  values(): Record<string, number> {
    const s = [...this.samples].sort((a, b) => a - b);
    if (s.length === 0) return { avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, 'p(95)': 0, 'p(99)': 0, count: 0 };
    // k6 interpolates between neighbouring samples for percentiles.
    const pct = (p: number) => {
      const rank = (p / 100) * (s.length - 1);
      const lo = Math.floor(rank);
      const hi = Math.min(s.length - 1, lo + 1);
      return s[lo] + (s[hi] - s[lo]) * (rank - lo);
    };
    const sum = s.reduce((a, b) => a + b, 0);
    return { avg: sum / s.length, min: s[0], med: pct(50), max: s[s.length - 1], 'p(90)': pct(90), 'p(95)': pct(95), 'p(99)': pct(99), count: s.length };
  }
}

export class RateMetric {
  passes = 0;
  fails = 0;
  add(hit: boolean): void {
    if (hit) this.passes++;
    else this.fails++;
  }
  values(): Record<string, number> {
    const total = this.passes + this.fails;
    return { rate: total ? this.passes / total : 0, passes: this.passes, fails: this.fails };
  }
}

export type MetricType = 'counter' | 'rate' | 'trend';

export interface SummaryMetric {
  type: MetricType;
  contains: 'default' | 'time' | 'data';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

/** Evaluates a k6 threshold expression such as `rate<0.01`, `p(95)<500` or `count==0` against metric values. */
export function evaluateThreshold(expr: string, values: Record<string, number>): boolean {
  const m = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(expr);
  if (!m) throw new Error(`threshold expression not understood: "${expr}"`);
  const actual = values[m[1]];
  if (actual === undefined) return false;
  const target = Number(m[3]);
  switch (m[2]) {
    case '<': return actual < target;
    case '<=': return actual <= target;
    case '>': return actual > target;
    case '>=': return actual >= target;
    case '==': return actual === target;
    default: return actual !== target;
  }
}
