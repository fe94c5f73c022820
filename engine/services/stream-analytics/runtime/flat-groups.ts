// The groups of one window of a tumbling/hopping/snapshot aggregate in struct-of-arrays form: an
// open-addressing hash table of group numbers, key values in one array per GROUP BY key, and COUNT/SUM/AVG
// state in one Float64Array. A streaming aggregate often sees about one event per group (the customer360
// generator: ~1 M groups for 1 M events), so a JS object per group — and the old-generation garbage it
// becomes once the window lives past a scavenge — was the main cost. Tables are reset and reused when their
// window closes, so steady state allocates nothing per group. The rules are the ones of aggregates.ts
// (NumericBlock, Extreme); accumulators without a flat form (COUNT(DISTINCT), STDEV, VAR, Collect, string
// MIN/MAX) keep an accumulator object per group in a column.
import { createAccumulator, extremeStep, numeric, type Accumulator, type AggregateSpec } from './aggregates.js';
import { sameKey } from './group-index.js';
import { bigintOf, type Value } from './values.js';

const K_COUNT_STAR = 0;
const K_COUNT = 1;
const K_SUM = 2;
const K_AVG = 3;
const K_MIN = 4;
const K_MAX = 5;
const K_OBJECT = 6;

/** How each aggregate slot is kept; computed once per operator and shared by its tables. */
export interface FlatLayout {
  kinds: Uint8Array;
  specs: AggregateSpec[];
}

export function flatLayout(specs: AggregateSpec[]): FlatLayout {
  const kinds = specs.map((s) => {
    if (s.distinct) return K_OBJECT;
    switch (s.name) {
      case 'count':
        return s.star ? K_COUNT_STAR : K_COUNT;
      case 'sum':
        return K_SUM;
      case 'avg':
        return K_AVG;
      case 'min':
        return s.stringCompare ? K_OBJECT : K_MIN;
      case 'max':
        return s.stringCompare ? K_OBJECT : K_MAX;
      default:
        return K_OBJECT;
    }
  });
  return { kinds: Uint8Array.from(kinds), specs };
}

const EMPTY = 0;

export class FlatGroupTable {
  /** Groups in use; group numbers 0…size−1 are in insertion order (the emission order). */
  size = 0;
  private cap = 0;
  private mask = 0;
  /** Hash slot → group number + 1 (0 = empty). */
  private table = new Int32Array(0);
  private hashes = new Int32Array(0);
  /** GROUP BY key values of each group as they were found (raw JSON integers not yet bigint), one column per key. */
  readonly keys: Value[][];
  /** Whether the group's first row was raw JSON (its integer keys become bigint on output). */
  rawFirst = new Uint8Array(0);
  pids = new Int32Array(0);
  /** Per group and slot: float sum, count (two doubles). */
  private num = new Float64Array(0);
  /** Per group and slot: 1 once a float was summed. */
  private hasFloat = new Uint8Array(0);
  /** Exact bigint sums (group·slots + slot), created on first use. */
  private big: Map<number, bigint> | null = null;
  /** MIN/MAX best values and accumulator objects, one column per slot (unused columns stay empty). */
  private readonly values: Value[][];
  private readonly objects: (Accumulator | undefined)[][];
  private readonly ns: number;

  constructor(
    private readonly layout: FlatLayout,
    private readonly nk: number,
  ) {
    this.ns = layout.kinds.length;
    this.keys = Array.from({ length: nk }, () => []);
    this.values = Array.from({ length: this.ns }, () => []);
    this.objects = Array.from({ length: this.ns }, () => []);
    this.grow(64);
  }

  private grow(cap: number): void {
    const ns = this.ns;
    const copy = <T extends Int32Array | Uint8Array | Float64Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.hashes = copy(this.hashes, new Int32Array(cap));
    this.rawFirst = copy(this.rawFirst, new Uint8Array(cap));
    this.pids = copy(this.pids, new Int32Array(cap));
    this.num = copy(this.num, new Float64Array(cap * ns * 2));
    this.hasFloat = copy(this.hasFloat, new Uint8Array(cap * ns));
    this.cap = cap;
    // Table at most half full: linear probing stays short.
    this.table = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    for (let g = 0; g < this.size; g++) this.place(g, this.hashes[g]);
  }

  private place(g: number, h: number): void {
    const t = this.table;
    let i = h & this.mask;
    while (t[i] !== EMPTY) i = (i + 1) & this.mask;
    t[i] = g + 1;
  }

  /** The group with these key values (hash `h`), or −1. */
  find(keys: Value[], h: number): number {
    const t = this.table;
    const nk = this.nk;
    let i = h & this.mask;
    for (;;) {
      const e = t[i];
      if (e === EMPTY) return -1;
      const g = e - 1;
      if (this.hashes[g] === h) {
        let k = 0;
        while (k < nk && sameKey(this.keys[k][g], keys[k])) k++;
        if (k === nk) return g;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Opens a group (the caller found none): copies the key values, zeroes its accumulators. */
  add(keys: Value[], h: number, pid: number, raw: boolean): number {
    if (this.size === this.cap) this.grow(this.cap * 2);
    const g = this.size++;
    this.hashes[g] = h;
    this.place(g, h);
    for (let k = 0; k < this.nk; k++) this.keys[k][g] = keys[k];
    this.rawFirst[g] = raw ? 1 : 0;
    this.pids[g] = pid;
    const ns = this.ns;
    // Plain loops: fill() on a few elements costs more than the stores.
    for (let i = g * ns * 2, e = i + ns * 2; i < e; i++) this.num[i] = 0;
    for (let i = g * ns, e = i + ns; i < e; i++) this.hasFloat[i] = 0;
    const kinds = this.layout.kinds;
    for (let s = 0; s < ns; s++) {
      const kind = kinds[s];
      if (kind === K_MIN || kind === K_MAX) this.values[s][g] = null;
      else if (kind === K_OBJECT) this.objects[s][g] = createAccumulator(this.layout.specs[s]);
    }
    return g;
  }

  /** Adds one argument value to slot `s` of group `g` (NumericBlock / Extreme rules). */
  accumulate(g: number, s: number, v: Value): void {
    const kind = this.layout.kinds[s];
    const at = (g * this.ns + s) * 2;
    switch (kind) {
      case K_COUNT_STAR:
        this.num[at + 1]++;
        return;
      case K_MIN:
      case K_MAX:
        this.values[s][g] = extremeStep(this.values[s][g], v, kind === K_MAX ? 1 : -1, kind === K_MAX ? 'MAX' : 'MIN');
        return;
      case K_OBJECT:
        this.objects[s][g]!.add(v);
        return;
    }
    if (v === null || v === undefined) return;
    this.num[at + 1]++;
    if (kind === K_COUNT) return;
    if (typeof v === 'number') {
      this.num[at] += v;
      this.hasFloat[g * this.ns + s] = 1;
      return;
    }
    const x = numeric(v, kind === K_SUM ? 'SUM' : 'AVG');
    if (typeof x === 'number' || kind === K_AVG) {
      this.num[at] += Number(x);
      this.hasFloat[g * this.ns + s] = 1;
      return;
    }
    const big = (this.big ??= new Map());
    const bk = g * this.ns + s;
    big.set(bk, (big.get(bk) ?? 0n) + x);
  }

  result(g: number, s: number): Value {
    const kind = this.layout.kinds[s];
    switch (kind) {
      case K_MIN:
      case K_MAX:
        return this.values[s][g];
      case K_OBJECT:
        return this.objects[s][g]!.result();
    }
    const at = (g * this.ns + s) * 2;
    const n = this.num[at + 1];
    if (kind === K_COUNT_STAR || kind === K_COUNT) return bigintOf(n);
    if (n === 0) return null;
    if (kind === K_AVG) return this.num[at] / n;
    const b = this.big?.get(g * this.ns + s);
    if (this.hasFloat[g * this.ns + s] === 1) return b === undefined ? this.num[at] : this.num[at] + Number(b);
    return b ?? 0n;
  }

  /**
   * Empties the table for the next window, keeping its arrays. Key and value columns are overwritten, not
   * truncated (regrowing them every window cost more than the stores): they keep references to at most one
   * window's values until then.
   */
  reset(): void {
    if (this.size === 0) return;
    this.table.fill(EMPTY);
    this.big = null;
    this.size = 0;
  }
}
