// JOINs: stream–stream bounded by DATEDIFF (match stamped max of the pair; unmatched LEFT rows stamped
// left + upper bound) and reference-data joins (no time bound; LEFT keeps unmatched rows; no implicit conversion).
import { describe, expect, it } from 'vitest';
import { StreamAnalyticsJob, defaultJobDefinition, rowToJson } from '../../engine/services/stream-analytics/index.js';
import { BASE, hms } from './helpers.js';

function twoStreams(q: string, events: { input: string; at: number; body: Record<string, unknown> }[]) {
  const job = new StreamAnalyticsJob(defaultJobDefinition(q, { inputs: { a: { kind: 'stream' }, b: { kind: 'stream' } } }));
  const out: Record<string, unknown>[] = [];
  job.onOutput((_x, r) => out.push(rowToJson(r)));
  for (const e of events) job.push(e.input, { partitionId: 0, enqueuedTime: BASE + e.at * 1000, body: e.body });
  job.end();
  return out;
}

describe('stream-stream JOIN', () => {
  const events = [
    { input: 'a', at: 0, body: { id: 1 } },
    { input: 'a', at: 1, body: { id: 2 } },
    { input: 'b', at: 5, body: { id: 1, v: 'x' } },
    { input: 'b', at: 30, body: { id: 2, v: 'late' } },
    { input: 'a', at: 40, body: { id: 3 } },
  ];

  it('INNER matches pairs within the DATEDIFF bound, stamped with the later event', () => {
    const q = 'SELECT a.id, b.v, System.Timestamp() AS t FROM a JOIN b ON a.id = b.id AND DATEDIFF(second, a, b) BETWEEN 0 AND 10';
    expect(twoStreams(q, events).map((r) => [r.id, r.v, hms(r.t)])).toEqual([[1, 'x', '12:00:05']]);
  });

  it('LEFT OUTER emits unmatched left rows stamped left time + upper bound, with NULL right columns', () => {
    const q = 'SELECT a.id, b.v, System.Timestamp() AS t FROM a LEFT OUTER JOIN b ON a.id = b.id AND DATEDIFF(second, a, b) BETWEEN 0 AND 10';
    const out = twoStreams(q, events).map((r) => [r.id, r.v, hms(r.t)]);
    expect(out).toEqual([
      [1, 'x', '12:00:05'],
      [2, null, '12:00:11'],
      [3, null, '12:00:50'],
    ]);
  });

  it('a windowed aggregate downstream of a LEFT JOIN still sees the unmatched rows', () => {
    const q =
      'WITH j AS (SELECT a.id AS id, b.v AS v FROM a LEFT JOIN b ON a.id = b.id AND DATEDIFF(second, a, b) BETWEEN 0 AND 10)\n' +
      'SELECT COUNT(*) AS n, COUNT(v) AS matched, System.Timestamp() AS t FROM j GROUP BY TumblingWindow(second, 20)';
    expect(twoStreams(q, events).map((r) => [hms(r.t), r.n, r.matched])).toEqual([
      ['12:00:20', 2, 1],
      ['12:01:00', 1, 0],
    ]);
  });
});

describe('reference data JOIN', () => {
  const ref = [
    { deviceId: 1, name: 'pump' },
    { deviceId: '2', name: 'string key' },
  ];
  function withRef(q: string) {
    const job = new StreamAnalyticsJob(
      defaultJobDefinition(q, { compatibilityLevel: '1.2', inputs: { s: { kind: 'stream' }, devices: { kind: 'reference' } } }),
      { referenceData: { devices: ref } },
    );
    const out: Record<string, unknown>[] = [];
    job.onOutput((_x, r) => out.push(rowToJson(r)));
    for (const [i, id] of [1, 2, 3].entries()) job.push('s', { partitionId: 0, enqueuedTime: BASE + i * 1000, body: { id } });
    job.end();
    return out;
  }

  it('INNER keeps matches only; 2 and "2" do not match (no implicit conversion)', () => {
    expect(withRef('SELECT s.id, d.name FROM s JOIN devices d ON s.id = d.deviceId')).toEqual([{ id: 1, name: 'pump' }]);
  });

  it('LEFT keeps unmatched rows with NULL reference columns and the event time unchanged', () => {
    const out = withRef('SELECT s.id, d.name, System.Timestamp() AS t FROM s LEFT JOIN devices d ON s.id = d.deviceId');
    expect(out.map((r) => [r.id, r.name, hms(r.t)])).toEqual([
      [1, 'pump', '12:00:00'],
      [2, null, '12:00:01'],
      [3, null, '12:00:02'],
    ]);
  });

  it('refuses reference data on the left side', () => {
    expect(() =>
      new StreamAnalyticsJob(defaultJobDefinition('SELECT * FROM devices', { inputs: { devices: { kind: 'reference' } } })),
    ).toThrow(/can only be used on the right side of a JOIN/);
  });
});
