// The flat group tables behind tumbling/hopping aggregates, checked two ways: directly (hash collisions,
// growth, reuse after reset) and end to end against a straightforward reference aggregation written here
// from the documented rules (spec §2.4: NULLs ignored except by COUNT(*), SUM keeps bigint unless a float
// is seen, AVG in float, MIN/MAX keep the value's type, COUNT(DISTINCT) by value; groups emitted per window
// in order of first appearance, windows in order of their end).
import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/core/random.js';
import { FlatGroupTable, flatLayout } from '../../engine/services/stream-analytics/runtime/flat-groups.js';
import type { AggregateSpec } from '../../engine/services/stream-analytics/runtime/aggregates.js';
import type { Value } from '../../engine/services/stream-analytics/runtime/values.js';
import { rowToJson } from '../../engine/services/stream-analytics/index.js';
import { BASE, makeJob } from './helpers.js';

const spec = (name: AggregateSpec['name'], star = false): AggregateSpec => ({ name, distinct: false, star, stringCompare: false });

describe('FlatGroupTable', () => {
  it('keeps groups apart when every key hashes alike, grows past its first capacity and is reusable after reset', () => {
    const t = new FlatGroupTable(flatLayout([spec('count', true), spec('sum')]), 2);
    const sameHash = 12345;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 300; i++) {
        const keys: Value[] = [i % 150, i < 150 ? 'a' : null];
        let g = t.find(keys, sameHash);
        if (g < 0) g = t.add(keys, sameHash, i % 2, true);
        t.accumulate(g, 0, null);
        t.accumulate(g, 1, BigInt(i)); // a JSON integer is bigint by the time it is summed
      }
      // 150 ids × two second keys ('a', NULL) = 300 groups, each seen once
      expect(t.size).toBe(300);
      expect(t.find([7n, 'a'], sameHash)).toBe(7); // bigint 7 groups with the JSON integer 7
      expect(t.find([7, null], sameHash)).toBe(157);
      expect(t.find([7, 'b'], sameHash)).toBe(-1);
      expect(t.result(157, 0)).toBe(1n);
      expect(t.result(157, 1)).toBe(157n);
      expect(t.keys[1][157]).toBeNull();
      t.reset();
      expect(t.size).toBe(0);
      expect(t.find([7, 'a'], sameHash)).toBe(-1);
    }
  });

  it('sums floats and bigints as the accumulator objects do and keeps MIN/MAX types', () => {
    const t = new FlatGroupTable(flatLayout([spec('sum'), spec('avg'), spec('min'), spec('max'), spec('count')]), 1);
    const g = t.add(['k'], 1, 0, false);
    for (const v of [2n, null, 0.5, 3n] as Value[]) for (let s = 0; s < 5; s++) t.accumulate(g, s, v);
    expect(t.result(g, 0)).toBe(5.5); // 0.5 + Number(2n + 3n)
    expect(t.result(g, 1)).toBeCloseTo(5.5 / 3);
    expect(t.result(g, 2)).toBe(0.5);
    expect(t.result(g, 3)).toBe(3n);
    expect(t.result(g, 4)).toBe(3n);
    const h = t.add(['only ints'], 2, 0, false);
    t.accumulate(h, 0, 4n);
    expect(t.result(h, 0)).toBe(4n);
    const empty = t.add(['no values'], 3, 0, false);
    t.accumulate(empty, 0, null);
    expect([t.result(empty, 0), t.result(empty, 1), t.result(empty, 2), t.result(empty, 4)]).toEqual([null, null, null, 0n]);
  });
});

interface Ev {
  ms: number;
  pid: number;
  body: Record<string, unknown>;
}

function events(n: number, seed: number): Ev[] {
  const rnd = new Random(seed);
  const out: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const body: Record<string, unknown> = { c: rnd.int(0, 299) };
    const s = rnd.int(0, 3);
    if (s < 2) body.s = s === 0 ? 'a' : 'b';
    else if (s === 2) body.s = null;
    const x = rnd.int(0, 99);
    if (x < 40) body.x = rnd.int(-50, 50);
    else if (x < 70) body.x = rnd.int(-400, 400) / 8 + 1 / 16; // never an integer
    else if (x < 85) body.x = null;
    out.push({ ms: i * 20, pid: i % 2, body });
  }
  return out;
}

interface RefGroup {
  c: unknown;
  s: unknown;
  pid: number;
  n: number;
  nx: number;
  fsum: number;
  isum: number;
  anyFloat: boolean;
  avgSum: number;
  mn: number | null;
  mx: number | null;
  distinct: Set<number>;
}

/** The reference: window ends of a hopping window (size, hop in ms; ends on multiples of the hop). */
function reference(evs: Ev[], sizeMs: number, hopMs: number): Record<string, unknown>[] {
  const windows = new Map<number, Map<string, RefGroup>>();
  for (const e of evs) {
    for (let end = Math.ceil(e.ms / hopMs) * hopMs; end < e.ms + sizeMs; end += hopMs) {
      let w = windows.get(end);
      if (!w) windows.set(end, (w = new Map()));
      const c = e.body.c;
      const s = e.body.s ?? null;
      const key = JSON.stringify([c, s, e.pid]);
      let g = w.get(key);
      if (!g) {
        g = { c, s, pid: e.pid, n: 0, nx: 0, fsum: 0, isum: 0, anyFloat: false, avgSum: 0, mn: null, mx: null, distinct: new Set() };
        w.set(key, g);
      }
      g.n++;
      const x = e.body.x;
      if (typeof x !== 'number') continue;
      g.nx++;
      if (Number.isInteger(x)) g.isum += x;
      else {
        g.fsum += x;
        g.anyFloat = true;
      }
      g.avgSum += x;
      if (g.mn === null || x < g.mn) g.mn = x;
      if (g.mx === null || x > g.mx) g.mx = x;
      g.distinct.add(x);
    }
  }
  const rows: Record<string, unknown>[] = [];
  for (const end of [...windows.keys()].sort((a, b) => a - b))
    for (const g of windows.get(end)!.values())
      rows.push({
        c: g.c,
        s: g.s,
        n: g.n,
        nx: g.nx,
        sx: g.nx === 0 ? null : g.anyFloat ? g.fsum + g.isum : g.isum,
        ax: g.nx === 0 ? null : g.avgSum / g.nx,
        mn: g.mn,
        mx: g.mx,
        dx: g.distinct.size,
        pid: g.pid,
        t: new Date(BASE + end).toISOString().replace('Z', '0000Z'),
      });
  return rows;
}

function runQuery(query: string, evs: Ev[]): Record<string, unknown>[] {
  const job = makeJob(query, {}, ['input'], [0, 1]);
  const out: Record<string, unknown>[] = [];
  job.onOutput((_alias, row) => out.push(rowToJson(row)));
  for (const e of evs) job.push('input', { partitionId: e.pid, enqueuedTime: BASE + e.ms, body: e.body });
  job.end();
  expect(job.state).toBe('Stopped');
  return out;
}

const SELECT = `SELECT c, s, COUNT(*) AS n, COUNT(x) AS nx, SUM(x) AS sx, AVG(x) AS ax, MIN(x) AS mn, MAX(x) AS mx,
  COUNT(DISTINCT x) AS dx, PartitionId AS pid, System.Timestamp() AS t FROM input`;

describe('windowed aggregates on flat tables against a reference aggregation', () => {
  const evs = events(3000, 42);

  it('hopping window: many groups per window, every event in two windows, tables reused across windows', () => {
    const got = runQuery(`${SELECT} GROUP BY c, s, PartitionId, HoppingWindow(second, 20, 10)`, evs);
    const want = reference(evs, 20_000, 10_000);
    expect(want.length).toBeGreaterThan(3000);
    expect(got).toHaveLength(want.length);
    for (let i = 0; i < want.length; i++) {
      const { ax, ...rest } = want[i];
      const { ax: gotAx, ...gotRest } = got[i];
      expect(gotRest).toEqual(rest);
      if (ax === null) expect(gotAx).toBeNull();
      else expect(gotAx as number).toBeCloseTo(ax as number, 9);
    }
  });

  it('tumbling window with HAVING keeps only the groups that pass, in the same order', () => {
    const got = runQuery(`${SELECT} GROUP BY c, s, PartitionId, TumblingWindow(second, 10) HAVING COUNT(*) > 1`, evs);
    const want = reference(evs, 10_000, 10_000).filter((r) => (r.n as number) > 1);
    expect(want.length).toBeGreaterThan(100);
    expect(got.map((r) => [r.c, r.s, r.n, r.sx, r.t])).toEqual(want.map((r) => [r.c, r.s, r.n, r.sx, r.t]));
  });
});
