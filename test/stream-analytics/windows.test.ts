// Window semantics from the Stream Analytics docs: windows are start-exclusive, end-inclusive and
// stamped with their end; tumbling/hopping align to the zeroth hour; sliding outputs only when an event
// enters or exits; session windows close after the timeout or at a max-duration checkpoint.
import { describe, expect, it } from 'vitest';
import { hms, run, type TestEvent } from './helpers.js';

const ev = (...times: number[]): TestEvent[] => times.map((t, i) => ({ at: t, body: { id: i, k: 'a' } }));
const rows = (q: string, events: TestEvent[]) => run(q, events).out.output.map((r) => ({ t: hms(r.t), n: r.n }));

describe('tumbling window', () => {
  it('includes an event exactly at the window end and excludes one at the start (docs: 12:00-13:00 includes 13:00)', () => {
    const q = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY TumblingWindow(second, 10)';
    expect(rows(q, ev(0, 5, 10, 10.5))).toEqual([
      { t: '12:00:00', n: 1 },
      { t: '12:00:10', n: 2 },
      { t: '12:00:20', n: 1 },
    ]);
  });

  it('Offset(millisecond, -1) flips the inclusivity (start-inclusive, end-exclusive)', () => {
    const q = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY TumblingWindow(Duration(second, 10), Offset(millisecond, -1))';
    const out = run(q, ev(0, 5, 10)).out.output;
    expect(out.map((r) => [String(r.t).slice(11, 23), r.n])).toEqual([
      ['12:00:09.999', 2],
      ['12:00:19.999', 1],
    ]);
  });

  it('aligns 5-minute windows to the zeroth hour and emits one row per (window, group) with events', () => {
    const events: TestEvent[] = [
      { at: 61, body: { k: 'x' } },
      { at: 62, body: { k: 'y' } },
      { at: 299, body: { k: 'x' } },
      { at: 301, body: { k: 'x' } },
    ];
    const out = run('SELECT k, System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY k, TumblingWindow(minute, 5)', events).out.output;
    expect(out.map((r) => [r.k, hms(r.t), r.n])).toEqual([
      ['x', '12:05:00', 2],
      ['y', '12:05:00', 1],
      ['x', '12:10:00', 1],
    ]);
  });
});

describe('hopping window', () => {
  it('puts each event into size/hop windows, each ending on a hop boundary', () => {
    const q = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY HoppingWindow(second, 10, 5)';
    // 12 → (5,15],(10,20]; 15 → (5,15],(10,20]; 16 → (10,20],(15,25]
    expect(rows(q, ev(12, 15, 16))).toEqual([
      { t: '12:00:15', n: 2 },
      { t: '12:00:20', n: 3 },
      { t: '12:00:25', n: 1 },
    ]);
  });

  it('accepts the Duration/Hop form and equals tumbling when hop = size', () => {
    const a = rows('SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY HoppingWindow(Duration(second, 10), Hop(second, 10))', ev(1, 9, 10, 11));
    const b = rows('SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY TumblingWindow(second, 10)', ev(1, 9, 10, 11));
    expect(a).toEqual(b);
  });
});

describe('sliding window', () => {
  const q = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY SlidingWindow(second, 10)';
  it('outputs when an event enters or exits, never for an empty window', () => {
    // entries 1, 5, 12; exits 11, 15, 22 (window (12,22] is empty ⇒ no row)
    expect(rows(q, ev(1, 5, 12))).toEqual([
      { t: '12:00:01', n: 1 },
      { t: '12:00:05', n: 2 },
      { t: '12:00:11', n: 1 },
      { t: '12:00:12', n: 2 },
      { t: '12:00:15', n: 1 },
    ]);
  });

  it('emits one row for events with equal timestamps, and HAVING filters the changes (docs: COUNT(*) >= 3 pattern)', () => {
    const h = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY SlidingWindow(second, 10) HAVING COUNT(*) >= 3';
    expect(rows(h, ev(1, 3, 3, 20))).toEqual([{ t: '12:00:03', n: 3 }]);
  });
});

describe('session window', () => {
  const q = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY SessionWindow(second, 5, 20)';
  it('extends while gaps are within the timeout and closes at last event + timeout', () => {
    expect(rows(q, ev(1, 3, 7, 20))).toEqual([
      { t: '12:00:12', n: 3 },
      { t: '12:00:25', n: 1 },
    ]);
  });

  it('a gap of exactly the timeout keeps the session open', () => {
    expect(rows(q, ev(1, 6))).toEqual([{ t: '12:00:11', n: 2 }]);
  });

  it('closes at a max-duration checkpoint (a multiple of the max duration) and reopens there', () => {
    const times = Array.from({ length: 12 }, (_, i) => 1 + 4 * i); // 1,5,…,45
    const long = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY SessionWindow(second, 5, 20)';
    // start 1 ⇒ first checkpoint with ≥ 20 s elapsed is 12:00:40; the next session runs 40 → 45 + 5
    expect(rows(long, ev(...times))).toEqual([
      { t: '12:00:40', n: 10 },
      { t: '12:00:50', n: 2 },
    ]);
  });

  it('OVER (PARTITION BY k) keeps a session per key', () => {
    const events: TestEvent[] = [
      { at: 1, body: { k: 'a' } },
      { at: 4, body: { k: 'b' } },
      { at: 8, body: { k: 'a' } },
    ];
    const out = run('SELECT k, System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY k, SessionWindow(second, 5, 60) OVER (PARTITION BY k)', events).out.output;
    expect(out.map((r) => [r.k, hms(r.t), r.n])).toEqual([
      ['a', '12:00:06', 1],
      ['b', '12:00:09', 1],
      ['a', '12:00:13', 1],
    ]);
  });
});

describe('snapshot window', () => {
  it('GROUP BY System.Timestamp() groups events with identical timestamps across partitions', () => {
    const events: TestEvent[] = [
      { at: 1, partition: 0, body: { v: 1 } },
      { at: 1, partition: 1, body: { v: 2 } },
      { at: 2, partition: 0, body: { v: 3 } },
    ];
    const out = run('SELECT System.Timestamp() AS t, SUM(v) AS s FROM input GROUP BY System.Timestamp()', events).out.output;
    expect(out.map((r) => [hms(r.t), r.s])).toEqual([
      ['12:00:01', 3],
      ['12:00:02', 3],
    ]);
  });

  it('re-aggregates window output of an earlier step per boundary', () => {
    const q =
      'WITH c AS (SELECT k, COUNT(*) AS n FROM input GROUP BY k, TumblingWindow(second, 10))\n' +
      'SELECT System.Timestamp() AS t, SUM(n) AS total, COUNT(*) AS groups FROM c GROUP BY System.Timestamp()';
    const events: TestEvent[] = [
      { at: 1, body: { k: 'a' } },
      { at: 2, body: { k: 'b' } },
      { at: 3, body: { k: 'b' } },
      { at: 11, body: { k: 'a' } },
    ];
    expect(run(q, events).out.output.map((r) => [hms(r.t), r.total, r.groups])).toEqual([
      ['12:00:10', 3, 2],
      ['12:00:20', 1, 1],
    ]);
  });
});
