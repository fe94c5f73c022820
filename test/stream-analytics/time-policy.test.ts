// Time handling from the docs (stream-analytics-time-handling, event-ordering, time-skew-policies):
// early events are dropped; late events (t < arrival − L) and out-of-order events (t < watermark) are
// adjusted or dropped; per-partition watermarks merge by minimum; idle partitions progress by arrival − L.
import { describe, expect, it } from 'vitest';
import { BASE, hms, makeJob, run, type TestEvent } from './helpers.js';
import { rowToJson } from '../../engine/services/stream-analytics/index.js';

const at = (sec: number) => new Date(BASE + sec * 1000).toISOString();
const Q = 'SELECT id, System.Timestamp() AS t FROM input TIMESTAMP BY ts';
const e = (arrival: number, ts: number, id: number, partition = 0): TestEvent => ({ at: arrival, partition, body: { id, ts: at(ts) } });

describe('late arrival (L = 5 s)', () => {
  it('Adjust re-stamps a late event to arrival − L and counts it', () => {
    const { out, job } = run(Q, [e(100, 90, 1)]);
    expect(out.output.map((r) => [r.id, hms(r.t)])).toEqual([[1, '12:01:35']]);
    expect(job.metrics().LateInputEvents).toBe(1);
  });

  it('an event exactly at arrival − L is not late', () => {
    const { out, job } = run(Q, [e(100, 95, 1)]);
    expect(hms(out.output[0].t)).toBe('12:01:35');
    expect(job.metrics().LateInputEvents).toBe(0);
  });

  it('Drop discards late events', () => {
    const { out, job } = run(Q, [e(100, 90, 1), e(101, 100, 2)], { eventsOutOfOrderPolicy: 'Drop' });
    expect(out.output.map((r) => r.id)).toEqual([2]);
    expect(job.metrics().LateInputEvents).toBe(1);
  });

  it('L = -1 (infinite) never treats events as late', () => {
    const { out, job } = run(Q, [e(1000, 10, 1)], { eventsLateArrivalMaxDelayInSeconds: -1 });
    expect(hms(out.output[0].t)).toBe('12:00:10');
    expect(job.metrics().LateInputEvents).toBe(0);
  });
});

describe('early arrival', () => {
  it('drops events stamped more than 5 minutes after their arrival, keeps those within', () => {
    const { out, job } = run(Q, [e(10, 10 + 301, 1), e(11, 11 + 299, 2)]);
    expect(out.output.map((r) => r.id)).toEqual([2]);
    expect(job.metrics().EarlyInputEvents).toBe(1);
  });
});

describe('out of order (O = 0)', () => {
  it('Adjust stamps an event older than the watermark with the watermark', () => {
    const { out, job } = run(Q, [e(10, 10, 1), e(11, 8, 2)]);
    expect(out.output.map((r) => [r.id, hms(r.t)])).toEqual([
      [1, '12:00:10'],
      [2, '12:00:10'],
    ]);
    expect(job.metrics().OutOfOrderEvents).toBe(1);
  });

  it('Drop discards it', () => {
    const { out, job } = run(Q, [e(10, 10, 1), e(11, 8, 2)], { eventsOutOfOrderPolicy: 'Drop' });
    expect(out.output.map((r) => r.id)).toEqual([1]);
    expect(job.metrics().OutOfOrderEvents).toBe(1);
  });

  it('late adjustment happens first, out-of-order next (time-skew-policies)', () => {
    // second event: 2 is late (arrival 12 − 5 = 7) ⇒ 7, then below the watermark 10 ⇒ 10
    const { out, job } = run(Q, [e(10, 10, 1), e(12, 2, 2)]);
    expect(hms(out.output[1].t)).toBe('12:00:10');
    expect(job.metrics().LateInputEvents).toBe(1);
    expect(job.metrics().OutOfOrderEvents).toBe(1);
  });

  it('within the out-of-order tolerance events are re-sorted, not adjusted', () => {
    const { out, job } = run(Q, [e(10, 10, 1), e(11, 8, 2), e(12, 12, 3)], { eventsOutOfOrderMaxDelayInSeconds: 3 });
    expect(out.output.map((r) => [r.id, hms(r.t)])).toEqual([
      [2, '12:00:08'],
      [1, '12:00:10'],
      [3, '12:00:12'],
    ]);
    expect(job.metrics().OutOfOrderEvents).toBe(0);
  });

  it('without TIMESTAMP BY the arrival time is used and the policies do not apply', () => {
    const { out, job } = run('SELECT id, System.Timestamp() AS t FROM input', [e(100, 1, 1)]);
    expect(hms(out.output[0].t)).toBe('12:01:40');
    expect(job.metrics().LateInputEvents).toBe(0);
  });
});

describe('watermarks across partitions', () => {
  const W = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY TumblingWindow(second, 10)';

  it('a window is emitted only when every partition has passed its end; idle partitions progress by arrival − L', () => {
    const job = makeJob(W, {}, ['input'], [0, 1]);
    const out: string[] = [];
    job.onOutput((_a, r) => out.push(`${hms(rowToJson(r).t)}=${rowToJson(r).n}`));
    const push = (sec: number, p: number) => job.push('input', { partitionId: p, enqueuedTime: BASE + sec * 1000, body: { v: 1 } });
    push(1, 0);
    push(2, 1);
    push(12, 0); // partition 1 idle: its watermark is 12 − 5 = 7 < 10
    expect(out).toEqual([]);
    push(15, 0); // partition 1 watermark 10: not yet past the end (end-inclusive)
    expect(out).toEqual([]);
    push(15.5, 0); // 10.5 > 10 ⇒ window (0,10] is final
    expect(out).toEqual(['12:00:10=2']);
    job.advanceTo(BASE + 26_000); // no events: both partitions progress to 21
    expect(out).toEqual(['12:00:10=2', '12:00:20=3']); // 12, 15, 15.5
  });

  it('with infinite late tolerance an idle partition holds the window until the end of input', () => {
    const job = makeJob(W, { eventsLateArrivalMaxDelayInSeconds: -1 }, ['input'], [0, 1]);
    let n = 0;
    job.onOutput(() => n++);
    job.push('input', { partitionId: 0, enqueuedTime: BASE + 1000, body: {} });
    job.push('input', { partitionId: 0, enqueuedTime: BASE + 60_000, body: {} });
    expect(n).toBe(0);
    job.end();
    expect(n).toBe(2);
  });

  it('reports WatermarkDelay against the arrival clock', () => {
    const job = makeJob(W, {}, ['input'], [0, 1]);
    job.push('input', { partitionId: 0, enqueuedTime: BASE + 100_000, body: {} });
    expect(job.metrics().WatermarkDelay).toBe(5); // partition 1 idle ⇒ watermark = now − 5 s
  });
});

describe('PARTITION BY PartitionId', () => {
  const Q = (pb: string) => `SELECT PartitionId, System.Timestamp() AS t, COUNT(*) AS n FROM input ${pb} GROUP BY PartitionId, TumblingWindow(second, 10)`;
  const feed = (q: string) => {
    const job = makeJob(q, { eventsLateArrivalMaxDelayInSeconds: -1 }, ['input'], [0, 1]);
    const out: string[] = [];
    job.onOutput((_a, r) => {
      const j = rowToJson(r);
      out.push(`p${j.partitionid}@${hms(j.t)}=${j.n}`); // CL 1.0 lower-cases names
    });
    const push = (sec: number, p: number) => job.push('input', { partitionId: p, enqueuedTime: BASE + sec * 1000, body: {} });
    push(1, 0);
    push(2, 1); // partition 1 then stays silent
    push(11, 0);
    push(21, 0);
    return { job, out };
  };

  it('each partition progresses independently: a silent partition does not hold the others back', () => {
    const { job, out } = feed(Q('PARTITION BY PartitionId'));
    expect(out).toEqual(['p0@12:00:10=1', 'p0@12:00:20=1']);
    job.end();
    // at the end each partition flushes on its own (partition order; no global order across partitions)
    expect(out).toEqual(['p0@12:00:10=1', 'p0@12:00:20=1', 'p0@12:00:30=1', 'p1@12:00:10=1']);
  });

  it('without PARTITION BY the merged watermark waits for the slowest partition (same rows in the end)', () => {
    const { job, out } = feed(Q(''));
    expect(out).toEqual([]);
    job.end();
    expect([...out].sort()).toEqual(['p0@12:00:10=1', 'p0@12:00:20=1', 'p0@12:00:30=1', 'p1@12:00:10=1']);
  });
});

describe('output start time', () => {
  it('CustomTime: windows ending before the start are computed but not written', () => {
    const q = 'SELECT System.Timestamp() AS t, COUNT(*) AS n FROM input GROUP BY TumblingWindow(second, 10)';
    const events: TestEvent[] = [1, 5, 12, 25].map((at) => ({ at, body: {} }));
    const { out } = run(q, events, { outputStartMode: 'CustomTime', outputStartTime: new Date(BASE + 20_000).toISOString() });
    expect(out.output.map((r) => hms(r.t))).toEqual(['12:00:20', '12:00:30']);
  });
});
