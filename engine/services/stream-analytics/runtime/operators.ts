// Operators of one query step: filter, projection, reference and stream joins, and windowed aggregates
// (tumbling/hopping/snapshot share one operator; sliding and session have their own because their
// boundaries depend on the events). All windows are start-exclusive, end-inclusive and stamped with
// their end; a window is final when the watermark passes its end (spec §3.3-§3.4).
import { accumulatorFactory, type GroupAccumulators } from './aggregates.js';
import { JoinRow, Row, type AggRow, type AnyRow } from './row.js';
import type { Operator, Stream } from './stream.js';
import { bigintOf, keyOf, type Value } from './values.js';
import { hashKeys } from './group-index.js';
import { FlatGroupTable, flatLayout, type FlatLayout } from './flat-groups.js';
import type { AggSlot, Evaluator } from '../query/compile-expr.js';

/** Last operator of a step: hands rows to the step's output stream. */
export class EmitOp implements Operator {
  constructor(private readonly out: Stream) {}
  push(row: AnyRow): void {
    this.out.emit(row);
  }
  advance(): void {}
}

export class FilterOp implements Operator {
  constructor(
    private readonly predicate: Evaluator,
    private readonly next: Operator,
  ) {}
  push(row: AnyRow): void {
    if (this.predicate(row) === true) this.next.push(row);
  }
  advance(wm: number): void {
    this.next.advance(wm);
  }
  advancePartition(pid: number, wm: number): void {
    this.next.advancePartition?.(pid, wm);
  }
}

/**
 * PARTITION BY PartitionId over a windowed aggregate: one aggregate per input partition, each emitting
 * when its own partition's watermark passes a window end ("each partition progresses independently").
 */
export class PartitionedAggregateOp implements Operator {
  private readonly perPartition = new Map<number, Operator>();
  constructor(private readonly make: () => Operator) {}
  private of(pid: number): Operator {
    let op = this.perPartition.get(pid);
    if (!op) {
      op = this.make();
      this.perPartition.set(pid, op);
    }
    return op;
  }
  push(row: AnyRow): void {
    this.of(row.pid).push(row);
  }
  advancePartition(pid: number, wm: number): void {
    this.perPartition.get(pid)?.advance(wm);
  }
  advance(wm: number): void {
    for (const op of this.perPartition.values()) op.advance(wm);
  }
  stateSize(): number {
    let n = 0;
    for (const op of this.perPartition.values()) n += op.stateSize?.() ?? 0;
    return n;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Projector = (row: any) => Record<string, unknown>;

export class ProjectOp implements Operator {
  constructor(
    private readonly project: Projector,
    private readonly next: Operator,
  ) {}
  push(row: AnyRow): void {
    this.next.push(new Row(this.project(row), row.ts, row.pid, false, null));
  }
  advance(wm: number): void {
    this.next.advance(wm);
  }
}

// ---- aggregation ----------------------------------------------------------------------------------

interface Group {
  keys: Value[];
  accs: GroupAccumulators;
  pid: number;
}

export interface AggregateParts {
  keyFns: Evaluator[];
  /** Cheaper key readers for finding a group (defaults to keyFns). */
  hashKeyFns?: Evaluator[];
  /** Which hash keys read a raw JSON column (their integers still need the bigint conversion). */
  rawKeys?: boolean[];
  slots: AggSlot[];
  /** Makes the accumulators of a new group (set by prepareAggregate). */
  makeAccs?: () => GroupAccumulators;
  having?: Evaluator;
  project: Projector;
}

function groupKey(keyFns: Evaluator[], row: AnyRow, keys: Value[]): string {
  let k = '';
  for (let i = 0; i < keyFns.length; i++) {
    const v = keyFns[i](row);
    keys[i] = v;
    k += keyOf(v) + '\u0001';
  }
  return k;
}

/** Evaluates the GROUP BY keys into `keys` and returns their hash. */
function evalKeys(keyFns: Evaluator[], row: AnyRow, keys: Value[]): number {
  for (let i = 0; i < keyFns.length; i++) keys[i] = keyFns[i](row);
  return hashKeys(keys, keyFns.length);
}

/** A group of a sliding or session window (keys from the full evaluators, so already ASA values). */
function newGroup(parts: AggregateParts, keys: Value[], pid: number): Group {
  parts.makeAccs ??= accumulatorFactory(parts.slots.map((s) => s.spec));
  return { keys: keys.slice(), accs: parts.makeAccs(), pid };
}

function addToGroup(parts: AggregateParts, g: Group, row: AnyRow): void {
  const slots = parts.slots;
  for (let i = 0; i < slots.length; i++) {
    const arg = slots[i].arg;
    g.accs.add(i, arg ? arg(row) : null);
  }
}

// One scratch AggRow per operator would be cleaner, but the projection copies values out synchronously,
// so a single reusable row is safe and saves two allocations per group.
const scratchAgg: AggRow = { keys: [], aggs: [], ts: 0, pid: 0 };

function finishGroup(parts: AggregateParts, g: Group, ts: number, next: Operator): void {
  const aggRow = scratchAgg;
  const aggs = aggRow.aggs;
  const n = parts.slots.length;
  aggs.length = n;
  for (let i = 0; i < n; i++) aggs[i] = g.accs.result(i);
  aggRow.keys = g.keys;
  aggRow.ts = ts;
  aggRow.pid = g.pid;
  if (parts.having && parts.having(aggRow) !== true) return;
  const rec = parts.project(aggRow);
  next.push(new Row(rec, ts, g.pid, false, null));
}

/** Window ends for an event time: tumbling, hopping and snapshot windows. */
export type WindowAssigner = (ts: number, out: number[]) => number;

/** Windows `(E−S, E]` with ends E = k·H + base (base = offset + epoch alignment). */
export function hoppingAssigner(sizeUs: number, hopUs: number, baseUs: number): WindowAssigner {
  if (sizeUs === hopUs)
    return (ts, out) => {
      out[0] = Math.ceil((ts - baseUs) / hopUs) * hopUs + baseUs;
      return 1;
    };
  return (ts, out) => {
    const first = Math.ceil((ts - baseUs) / hopUs);
    const last = Math.ceil((ts - baseUs + sizeUs) / hopUs) - 1;
    let n = 0;
    for (let k = first; k <= last; k++) out[n++] = k * hopUs + baseUs;
    return n;
  };
}

export const snapshotAssigner: WindowAssigner = (ts, out) => {
  out[0] = ts;
  return 1;
};

const MAX_FREE_TABLES = 4;

/**
 * Tumbling, hopping and snapshot windows: groups per window end, emitted when the watermark passes the end.
 * Groups live in flat tables (flat-groups.ts), one per open window, recycled when the window closes.
 */
export class WindowAggregateOp implements Operator {
  private readonly buckets = new Map<number, FlatGroupTable>();
  private ends: number[] = [];
  private readonly scratchEnds: number[] = [];
  private readonly scratchKeys: Value[] = [];
  private readonly outKeys: Value[] = [];
  private lastEnd = NaN;
  private lastBucket: FlatGroupTable | undefined;
  private groups = 0;
  private readonly free: FlatGroupTable[] = [];
  private readonly layout: FlatLayout;
  private readonly hashKeyFns: Evaluator[];
  private readonly args: (Evaluator | undefined)[];

  constructor(
    private readonly assign: WindowAssigner,
    private readonly parts: AggregateParts,
    private readonly next: Operator,
  ) {
    this.layout = flatLayout(parts.slots.map((s) => s.spec));
    this.hashKeyFns = parts.hashKeyFns ?? parts.keyFns;
    this.args = parts.slots.map((s) => s.arg);
  }

  private bucket(end: number): FlatGroupTable {
    if (end === this.lastEnd) return this.lastBucket!;
    let b = this.buckets.get(end);
    if (!b) {
      b = this.free.pop() ?? new FlatGroupTable(this.layout, this.parts.keyFns.length);
      this.buckets.set(end, b);
      const ends = this.ends;
      let i = ends.length;
      while (i > 0 && ends[i - 1] > end) i--;
      ends.splice(i, 0, end);
    }
    this.lastEnd = end;
    this.lastBucket = b;
    return b;
  }

  push(row: AnyRow): void {
    const n = this.assign(row.ts, this.scratchEnds);
    const keys = this.scratchKeys;
    const h = evalKeys(this.hashKeyFns, row, keys);
    const args = this.args;
    for (let i = 0; i < n; i++) {
      const b = this.bucket(this.scratchEnds[i]);
      let g = b.find(keys, h);
      if (g < 0) {
        g = b.add(keys, h, row.pid, row instanceof Row && row.raw);
        this.groups++;
      }
      for (let s = 0; s < args.length; s++) {
        const arg = args[s];
        b.accumulate(g, s, arg ? arg(row) : null);
      }
    }
  }

  advance(wm: number): void {
    while (this.ends.length > 0 && this.ends[0] < wm) {
      const end = this.ends.shift()!;
      const b = this.buckets.get(end)!;
      this.buckets.delete(end);
      if (end === this.lastEnd) {
        this.lastEnd = NaN;
        this.lastBucket = undefined;
      }
      this.groups -= b.size;
      this.emitWindow(b, end);
      // Tumbling and hopping windows reuse a few tables forever; many snapshot instants open at once
      // should not keep their tables after they close.
      if (this.free.length < MAX_FREE_TABLES) {
        b.reset();
        this.free.push(b);
      }
    }
    this.next.advance(wm);
  }

  /** The rows of a closed window, groups in insertion order (finishGroup's rules). */
  private emitWindow(b: FlatGroupTable, ts: number): void {
    const parts = this.parts;
    const nk = parts.keyFns.length;
    const ns = parts.slots.length;
    const rawKeys = parts.rawKeys;
    const aggRow = scratchAgg;
    const keys = this.outKeys;
    keys.length = nk;
    const aggs = aggRow.aggs;
    aggs.length = ns;
    for (let g = 0; g < b.size; g++) {
      const raw = rawKeys !== undefined && b.rawFirst[g] === 1;
      for (let k = 0; k < nk; k++) {
        const v = b.keys[k][g];
        // A raw JSON integer read by a hash-key reader becomes the bigint the full evaluator would give.
        keys[k] = raw && rawKeys[k] && typeof v === 'number' && Number.isSafeInteger(v) ? bigintOf(v) : v;
      }
      for (let s = 0; s < ns; s++) aggs[s] = b.result(g, s);
      aggRow.keys = keys;
      aggRow.ts = ts;
      aggRow.pid = b.pids[g];
      if (parts.having && parts.having(aggRow) !== true) continue;
      const rec = parts.project(aggRow);
      this.next.push(new Row(rec, ts, b.pids[g], false, null));
    }
  }

  stateSize(): number {
    return this.groups;
  }
}

/** Holds rows until the watermark passes them, then hands them over in time order (stable). */
class TimeOrderBuffer {
  private rows: AnyRow[] = [];
  add(row: AnyRow): void {
    const rows = this.rows;
    let i = rows.length;
    while (i > 0 && rows[i - 1].ts > row.ts) i--;
    rows.splice(i, 0, row);
  }
  /** Rows with ts < wm (rows at exactly wm may still be joined by equal-time rows). */
  take(wm: number): AnyRow[] {
    let n = 0;
    while (n < this.rows.length && this.rows[n].ts < wm) n++;
    return n ? this.rows.splice(0, n) : [];
  }
  get size(): number {
    return this.rows.length;
  }
}

interface SlidingGroup {
  keys: Value[];
  pid: number;
  entries: AnyRow[];
  candidates: number[];
}

/**
 * Sliding window: output only when the window content changes — when an event enters (at its time)
 * or exits (at its time + size) — and never for an empty window (spec §3.4).
 */
export class SlidingAggregateOp implements Operator {
  private readonly pending = new TimeOrderBuffer();
  private readonly groups = new Map<string, SlidingGroup>();
  private readonly scratchKeys: Value[] = [];
  constructor(
    private readonly sizeUs: number,
    private readonly parts: AggregateParts,
    private readonly next: Operator,
  ) {}

  push(row: AnyRow): void {
    this.pending.add(row);
  }

  advance(wm: number): void {
    for (const row of this.pending.take(wm)) {
      const key = groupKey(this.parts.keyFns, row, this.scratchKeys);
      let g = this.groups.get(key);
      if (!g) {
        g = { keys: this.scratchKeys.slice(), pid: row.pid, entries: [], candidates: [] };
        this.groups.set(key, g);
      }
      g.entries.push(row);
      addCandidate(g.candidates, row.ts);
      addCandidate(g.candidates, row.ts + this.sizeUs);
    }
    const out: { ts: number; g: SlidingGroup; rows: AnyRow[] }[] = [];
    for (const [key, g] of this.groups) {
      while (g.candidates.length > 0 && g.candidates[0] < wm) {
        const c = g.candidates.shift()!;
        const inWindow = g.entries.filter((r) => r.ts > c - this.sizeUs && r.ts <= c);
        if (inWindow.length > 0) out.push({ ts: c, g, rows: inWindow });
      }
      const horizon = wm - this.sizeUs;
      if (g.entries.length && g.entries[0].ts <= horizon) g.entries = g.entries.filter((r) => r.ts > horizon);
      if (g.entries.length === 0 && g.candidates.length === 0) this.groups.delete(key);
    }
    out.sort((a, b) => a.ts - b.ts);
    for (const o of out) {
      const group = newGroup(this.parts, o.g.keys, o.g.pid);
      for (const r of o.rows) addToGroup(this.parts, group, r);
      finishGroup(this.parts, group, o.ts, this.next);
    }
    this.next.advance(wm);
  }

  pendingFloor(): number {
    return Infinity;
  }

  stateSize(): number {
    let n = this.pending.size;
    for (const g of this.groups.values()) n += g.entries.length;
    return n;
  }
}

function addCandidate(list: number[], t: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1] > t) i--;
  if (i > 0 && list[i - 1] === t) return;
  list.splice(i, 0, t);
}

interface Session {
  start: number;
  last: number;
  checkpoint: number;
  groups: Map<string, Group>;
}

/**
 * Session window: starts at the first event, extends while the gap to the previous event is ≤ timeout,
 * closes at last event + timeout, or at a max-duration checkpoint (multiples of maxDuration aligned like
 * other windows) once it has lasted maxDuration; then a new session opens at that point (spec §3.4).
 * Without OVER (PARTITION BY …) sessions span all events of the step; GROUP BY keys only split aggregates.
 */
export class SessionAggregateOp implements Operator {
  private readonly pending = new TimeOrderBuffer();
  private readonly sessions = new Map<string, Session>();
  private readonly scratchKeys: Value[] = [];
  constructor(
    private readonly timeoutUs: number,
    private readonly maxDurationUs: number,
    private readonly baseUs: number,
    private readonly partitionFns: Evaluator[],
    private readonly parts: AggregateParts,
    private readonly next: Operator,
  ) {}

  push(row: AnyRow): void {
    this.pending.add(row);
  }

  private checkpointAfter(start: number): number {
    const m = this.maxDurationUs;
    return Math.ceil((start + m - this.baseUs) / m) * m + this.baseUs;
  }

  private close(s: Session, at: number, out: { ts: number; s: Session }[]): void {
    void at;
    out.push({ ts: Math.min(s.last + this.timeoutUs, s.checkpoint), s });
  }

  advance(wm: number): void {
    const out: { ts: number; s: Session }[] = [];
    for (const row of this.pending.take(wm)) {
      const pk = this.partitionFns.length ? groupKey(this.partitionFns, row, []) : '';
      let s = this.sessions.get(pk);
      const t = row.ts;
      if (s) {
        const end = s.last + this.timeoutUs;
        if (t > end || t > s.checkpoint) {
          this.close(s, t, out);
          // A max-duration cut re-opens the session at the checkpoint when the event continues it.
          const start = t <= end && t > s.checkpoint ? s.checkpoint : t;
          s = { start, last: t, checkpoint: this.checkpointAfter(start), groups: new Map() };
          this.sessions.set(pk, s);
        } else s.last = t;
      } else {
        s = { start: t, last: t, checkpoint: this.checkpointAfter(t), groups: new Map() };
        this.sessions.set(pk, s);
      }
      const key = groupKey(this.parts.keyFns, row, this.scratchKeys);
      let g = s.groups.get(key);
      if (!g) {
        g = newGroup(this.parts, this.scratchKeys, row.pid);
        s.groups.set(key, g);
      }
      addToGroup(this.parts, g, row);
    }
    for (const [pk, s] of this.sessions) {
      const closeAt = Math.min(s.last + this.timeoutUs, s.checkpoint);
      if (closeAt < wm) {
        out.push({ ts: closeAt, s });
        this.sessions.delete(pk);
      }
    }
    out.sort((a, b) => a.ts - b.ts);
    for (const o of out) for (const g of o.s.groups.values()) finishGroup(this.parts, g, o.ts, this.next);
    this.next.advance(wm);
  }

  stateSize(): number {
    let n = this.pending.size;
    for (const s of this.sessions.values()) n += s.groups.size;
    return n;
  }
}

// ---- joins ----------------------------------------------------------------------------------------

/** Reference-data JOIN: a lookup that never advances time; equality terms use a hash index. */
export class ReferenceJoinOp implements Operator {
  private index: Map<string, Row[]> | undefined;
  constructor(
    private table: Row[],
    private readonly rightIndex: number,
    private readonly left: boolean,
    private readonly on: Evaluator,
    /** Equality term used for the hash index: left-side value and reference-side value. */
    private readonly equi: { leftFn: Evaluator; refFn: Evaluator } | undefined,
    private readonly next: Operator,
  ) {
    this.rebuild();
  }

  setTable(rows: Row[]): void {
    this.table = rows;
    this.rebuild();
  }

  private rebuild(): void {
    if (!this.equi) return;
    this.index = new Map();
    for (const r of this.table) {
      const probe = new JoinRow([], 0, 0);
      probe.parts[this.rightIndex] = r;
      const v = this.equi.refFn(probe);
      if (v === null) continue; // NULL never matches
      const k = keyOf(v);
      const list = this.index.get(k);
      if (list) list.push(r);
      else this.index.set(k, [r]);
    }
  }

  push(row: AnyRow): void {
    const base = row instanceof JoinRow ? row : new JoinRow([row], row.ts, row.pid);
    let candidates = this.table;
    if (this.equi && this.index) {
      const v = this.equi.leftFn(base);
      candidates = v === null ? [] : (this.index.get(keyOf(v)) ?? []);
    }
    let matched = false;
    for (const r of candidates) {
      const parts = base.parts.slice();
      parts[this.rightIndex] = r;
      const jr = new JoinRow(parts, base.ts, base.pid);
      if (this.on(jr) === true) {
        matched = true;
        this.next.push(jr);
      }
    }
    if (!matched && this.left) {
      const parts = base.parts.slice();
      parts[this.rightIndex] = null;
      this.next.push(new JoinRow(parts, base.ts, base.pid));
    }
  }

  advance(wm: number): void {
    this.next.advance(wm);
  }
}

export interface TemporalBound {
  /** Alias index on the left side that the DATEDIFF relates to the right alias. */
  leftAlias: number;
  /** Exclusive bounds of (right.ts − left.ts) in µs that a match can have. */
  minDeltaUs: number;
  maxDeltaUs: number;
  /** Timestamp of an unmatched LEFT row: left time + this (the DATEDIFF upper bound, spec §2.7). */
  unmatchedOffsetUs: number;
}

interface LeftEntry {
  row: JoinRow;
  t: number;
  matched: boolean;
}

/** Stream–stream JOIN bounded by DATEDIFF: each pair is matched once, when its later event arrives. */
export class StreamJoinOp implements Operator {
  private lefts: LeftEntry[] = [];
  private rights: Row[] = [];
  constructor(
    private readonly rightIndex: number,
    private readonly leftOuter: boolean,
    private readonly bound: TemporalBound,
    private readonly on: Evaluator,
    private readonly next: Operator,
  ) {}

  private leftTime(jr: JoinRow): number {
    return jr.parts[this.bound.leftAlias]?.ts ?? jr.ts;
  }

  push(row: AnyRow): void {
    this.pushLeft(row);
  }

  pushLeft(row: AnyRow): void {
    const jr = row instanceof JoinRow ? row : new JoinRow([row], row.ts, row.pid);
    const entry: LeftEntry = { row: jr, t: this.leftTime(jr), matched: false };
    for (const r of this.rights) this.tryPair(entry, r);
    this.lefts.push(entry);
  }

  pushRight(row: Row): void {
    for (const l of this.lefts) this.tryPair(l, row);
    this.rights.push(row);
  }

  private tryPair(l: LeftEntry, r: Row): void {
    const delta = r.ts - l.t;
    if (delta <= this.bound.minDeltaUs || delta >= this.bound.maxDeltaUs) return;
    const parts = l.row.parts.slice();
    parts[this.rightIndex] = r;
    const jr = new JoinRow(parts, Math.max(l.row.ts, r.ts), l.row.pid);
    if (this.on(jr) === true) {
      l.matched = true;
      this.next.push(jr);
    }
  }

  advance(wm: number): void {
    const b = this.bound;
    // A left row can still match right rows with ts in (t+min, t+max); once the watermark passes t+max it is done.
    const keep: LeftEntry[] = [];
    const unmatched: LeftEntry[] = [];
    for (const l of this.lefts) {
      if (l.t + b.maxDeltaUs <= wm) {
        if (this.leftOuter && !l.matched) unmatched.push(l);
      } else keep.push(l);
    }
    this.lefts = keep;
    unmatched.sort((x, y) => x.t - y.t);
    for (const l of unmatched) {
      const parts = l.row.parts.slice();
      parts[this.rightIndex] = null;
      this.next.push(new JoinRow(parts, l.t + b.unmatchedOffsetUs, l.row.pid));
    }
    // A right row can match future left rows (t ≥ wm) only if r.ts − t > min.
    if (this.rights.length && this.rights[0].ts - wm <= b.minDeltaUs) this.rights = this.rights.filter((r) => r.ts - wm > b.minDeltaUs);
    this.next.advance(wm);
  }

  /** Unmatched LEFT rows are stamped in the past of the watermark; hold the step's watermark for them. */
  pendingFloor(): number {
    if (!this.leftOuter) return Infinity;
    let f = Infinity;
    for (const l of this.lefts) if (!l.matched && l.t + this.bound.unmatchedOffsetUs < f) f = l.t + this.bound.unmatchedOffsetUs;
    return f;
  }

  stateSize(): number {
    return this.lefts.length + this.rights.length;
  }
}
