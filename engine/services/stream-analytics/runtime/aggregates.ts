// Aggregate accumulators (spec §2.4): all ignore NULL except COUNT(*); SUM/AVG/MIN/MAX of an all-NULL
// group are NULL; SUM keeps bigint when every input is bigint ("the most precise expression data type").
import { DateTime, QueryRuntimeError, castValue, compareValues, keyOf, typeName, type Value } from './values.js';

export interface Accumulator {
  add(v: Value): void;
  result(): Value;
}

export type AggregateName = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'stdev' | 'stdevp' | 'var' | 'varp' | 'collect';

export const AGGREGATE_NAMES = new Set<string>(['count', 'sum', 'avg', 'min', 'max', 'stdev', 'stdevp', 'var', 'varp', 'collect']);

/** Aggregates from the docs that the emulator refuses (spec §2.1 P1/P2). */
export const UNSUPPORTED_AGGREGATES = new Set<string>([
  'topone', 'percentile_cont', 'percentile_disc', 'collecttop', 'lag', 'last', 'isfirst', 'anomalydetection_spikeanddip',
  'anomalydetection_changepoint', 'sum_over', 'countdistinct',
]);

class CountStar implements Accumulator {
  n = 0n;
  add(): void {
    this.n++;
  }
  result(): Value {
    return this.n;
  }
}

class CountExpr implements Accumulator {
  n = 0n;
  add(v: Value): void {
    if (v !== null && v !== undefined) this.n++;
  }
  result(): Value {
    return this.n;
  }
}

class CountDistinct implements Accumulator {
  seen = new Set<string>();
  add(v: Value): void {
    if (v !== null && v !== undefined) this.seen.add(keyOf(v));
  }
  result(): Value {
    return BigInt(this.seen.size);
  }
}

export function numeric(v: Value, fn: string): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw new QueryRuntimeError(`${fn}: expected bigint or float, got ${typeName(v)}`, 'TypeMismatch');
}

class Sum implements Accumulator {
  f = 0;
  b = 0n;
  hasFloat = false;
  any = false;
  add(v: Value): void {
    if (v === null || v === undefined) return;
    this.any = true;
    if (typeof v === 'number') {
      this.f += v;
      this.hasFloat = true;
      return;
    }
    const x = numeric(v, 'SUM');
    if (typeof x === 'bigint') this.b += x;
    else {
      this.f += x;
      this.hasFloat = true;
    }
  }
  result(): Value {
    if (!this.any) return null;
    return this.hasFloat ? this.f + Number(this.b) : this.b;
  }
}

class Avg implements Accumulator {
  s = 0;
  n = 0;
  add(v: Value): void {
    if (v === null || v === undefined) return;
    this.s += Number(numeric(v, 'AVG'));
    this.n++;
  }
  result(): Value {
    // AVG(bigint) returns float here (UNVERIFIED whether ASA truncates; FIDELITY.md)
    return this.n === 0 ? null : this.s / this.n;
  }
}

/**
 * One MIN/MAX step: the new best of `best` and `v` (sign 1 = MAX, -1 = MIN). nvarchar values that were not
 * CAST explicitly are implicitly cast to float (spec §2.3). Shared by the accumulator object and the flat
 * group store, so both follow the same rules.
 */
export function extremeStep(best: Value, v: Value, sign: 1 | -1, fn: string): Value {
  if (v === null || v === undefined) return best;
  if (typeof v === 'string') {
    try {
      v = castValue(v, 'float');
    } catch {
      throw new QueryRuntimeError(`${fn}: cannot convert nvarchar '${v}' to float`, 'CastFailure');
    }
  }
  if (best === null || best === undefined) return v;
  if (typeof v === 'number' && typeof best === 'number') return v * sign > best * sign ? v : best;
  const c = compareValues(v, best);
  if (c === null) throw new QueryRuntimeError(`${fn}: cannot compare ${typeName(v)} with ${typeName(best)}`, 'TypeMismatch');
  return c * sign > 0 ? v : best;
}

class Extreme implements Accumulator {
  best: Value = null;
  constructor(
    private readonly sign: 1 | -1,
    private readonly fn: string,
  ) {}
  add(v: Value): void {
    this.best = extremeStep(this.best, v, this.sign, this.fn);
  }
  result(): Value {
    return this.best;
  }
}

/** Explicitly cast strings keep string comparison for MIN/MAX. */
class ExtremeString implements Accumulator {
  best: Value = null;
  constructor(private readonly sign: 1 | -1) {}
  add(v: Value): void {
    if (v === null || v === undefined) return;
    if (this.best === null) this.best = v;
    else {
      const c = compareValues(v, this.best);
      if (c !== null && c * this.sign > 0) this.best = v;
    }
  }
  result(): Value {
    return this.best;
  }
}

class Variance implements Accumulator {
  n = 0;
  mean = 0;
  m2 = 0;
  constructor(
    private readonly population: boolean,
    private readonly sqrt: boolean,
  ) {}
  add(v: Value): void {
    if (v === null || v === undefined) return;
    const x = Number(numeric(v, 'STDEV/VAR'));
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  result(): Value {
    const denom = this.population ? this.n : this.n - 1;
    if (denom <= 0) return null;
    const v = this.m2 / denom;
    return this.sqrt ? Math.sqrt(v) : v;
  }
}

class Collect implements Accumulator {
  items: Value[] = [];
  add(v: Value): void {
    if (v !== undefined) this.items.push(v);
  }
  result(): Value {
    return this.items;
  }
}

export interface AggregateSpec {
  name: AggregateName;
  distinct: boolean;
  star: boolean;
  /** MIN/MAX over an explicit CAST(… AS nvarchar(max)) compare strings. */
  stringCompare: boolean;
}

export function createAccumulator(spec: AggregateSpec): Accumulator {
  switch (spec.name) {
    case 'count':
      return spec.star ? new CountStar() : spec.distinct ? new CountDistinct() : new CountExpr();
    case 'sum':
      return new Sum();
    case 'avg':
      return new Avg();
    case 'min':
      return spec.stringCompare ? new ExtremeString(-1) : new Extreme(-1, 'MIN');
    case 'max':
      return spec.stringCompare ? new ExtremeString(1) : new Extreme(1, 'MAX');
    case 'stdev':
      return new Variance(false, true);
    case 'stdevp':
      return new Variance(true, true);
    case 'var':
      return new Variance(false, false);
    case 'varp':
      return new Variance(true, false);
    case 'collect':
      return new Collect();
  }
}

export { DateTime };

/** The accumulators of one group, addressed by slot. */
export interface GroupAccumulators {
  add(slot: number, v: Value): void;
  result(slot: number): Value;
}

class GeneralBlock implements GroupAccumulators {
  constructor(private readonly accs: Accumulator[]) {}
  add(slot: number, v: Value): void {
    this.accs[slot].add(v);
  }
  result(slot: number): Value {
    return this.accs[slot].result();
  }
}

const K_COUNT_STAR = 0;
const K_COUNT = 1;
const K_SUM = 2;
const K_AVG = 3;

/**
 * COUNT/SUM/AVG slots of a group in one flat array of doubles (three per slot: float sum, count, has-float),
 * instead of an object per accumulator — most groups of a streaming aggregate see few events, so the
 * allocation per group is what costs. bigint sums are kept exactly in a side array, created on first use.
 */
class NumericBlock implements GroupAccumulators {
  private readonly d: number[];
  private big: bigint[] | null = null;
  constructor(private readonly kinds: Uint8Array) {
    this.d = new Array<number>(kinds.length * 3).fill(0);
  }
  add(slot: number, v: Value): void {
    const k = this.kinds[slot];
    const at = slot * 3;
    if (k === K_COUNT_STAR) {
      this.d[at + 1]++;
      return;
    }
    if (v === null || v === undefined) return;
    this.d[at + 1]++;
    if (k === K_COUNT) return;
    if (typeof v === 'number') {
      this.d[at] += v;
      this.d[at + 2] = 1;
      return;
    }
    const x = numeric(v, k === K_SUM ? 'SUM' : 'AVG');
    if (typeof x === 'number' || k === K_AVG) {
      this.d[at] += Number(x);
      this.d[at + 2] = 1;
      return;
    }
    this.big ??= [];
    this.big[slot] = (this.big[slot] ?? 0n) + x;
  }
  result(slot: number): Value {
    const k = this.kinds[slot];
    const at = slot * 3;
    const n = this.d[at + 1];
    if (k === K_COUNT_STAR || k === K_COUNT) return BigInt(n);
    if (n === 0) return null;
    if (k === K_AVG) return this.d[at] / n;
    const b = this.big?.[slot];
    if (this.d[at + 2] === 1) return b === undefined ? this.d[at] : this.d[at] + Number(b);
    return b ?? 0n;
  }
}

/** A factory of per-group accumulators for a list of aggregate slots (flat numeric block when possible). */
export function accumulatorFactory(specs: AggregateSpec[]): () => GroupAccumulators {
  const kinds = specs.map((s) =>
    s.distinct ? -1 : s.name === 'count' ? (s.star ? K_COUNT_STAR : K_COUNT) : s.name === 'sum' ? K_SUM : s.name === 'avg' ? K_AVG : -1,
  );
  if (kinds.every((k) => k >= 0)) {
    const arr = Uint8Array.from(kinds);
    return () => new NumericBlock(arr);
  }
  return () => new GeneralBlock(specs.map(createAccumulator));
}
