// Query-language semantics: HAVING, COUNT(DISTINCT), several outputs, WITH/UNION, NULL logic, CAST,
// functions, SELECT * with the Event Hub columns, and the compatibility-level differences.
import { describe, expect, it } from 'vitest';
import { hms, run, type TestEvent } from './helpers.js';

const evs = (bodies: Record<string, unknown>[], step = 1): TestEvent[] => bodies.map((body, i) => ({ at: 1 + i * step, body }));

describe('aggregates', () => {
  it('HAVING filters groups; COUNT(DISTINCT) counts unique non-null values', () => {
    const q =
      'SELECT k, COUNT(*) AS n, COUNT(DISTINCT v) AS d, COUNT(v) AS nv FROM input GROUP BY k, TumblingWindow(minute, 1) HAVING COUNT(*) > 1';
    const out = run(q, evs([{ k: 'a', v: 1 }, { k: 'a', v: 1 }, { k: 'a', v: 2 }, { k: 'a' }, { k: 'b', v: 5 }])).out.output;
    expect(out).toEqual([{ k: 'a', n: 4, d: 2, nv: 3 }]);
  });

  it('SUM/AVG/MIN/MAX ignore NULL; SUM of an all-NULL group is NULL; SUM of bigint stays bigint', () => {
    const q = 'SELECT k, SUM(v) AS s, AVG(v) AS a, MIN(v) AS lo, MAX(v) AS hi, GetType(SUM(v)) AS ty FROM input GROUP BY k, TumblingWindow(minute, 1)';
    const out = run(q, evs([{ k: 'a', v: 1 }, { k: 'a', v: null }, { k: 'a', v: 4 }, { k: 'b', v: null }])).out.output;
    expect(out).toEqual([
      { k: 'a', s: 5, a: 2.5, lo: 1, hi: 4, ty: 'bigint' },
      { k: 'b', s: null, a: null, lo: null, hi: null, ty: null },
    ]);
  });

  it('group keys keep their types: JSON integers are bigint, 5 and 5.5 are different groups', () => {
    const q = 'SELECT k, GetType(k) AS t, COUNT(*) AS n FROM input GROUP BY k, TumblingWindow(minute, 1)';
    const out = run(q, evs([{ k: 5 }, { k: 5.5 }, { k: 5 }, { k: '5' }])).out.output;
    expect(out).toEqual([
      { k: 5, t: 'bigint', n: 2 },
      { k: 5.5, t: 'float', n: 1 },
      { k: '5', t: 'nvarchar(max)', n: 1 },
    ]);
  });

  it('MIN/MAX cast nvarchar to float unless explicitly CAST to nvarchar(max)', () => {
    const q = 'SELECT MAX(v) AS m, MAX(CAST(v AS nvarchar(max))) AS ms FROM input GROUP BY TumblingWindow(minute, 1)';
    const out = run(q, evs([{ v: '9' }, { v: '10' }]), { compatibilityLevel: '1.1' }).out.output;
    expect(out).toEqual([{ m: 10, ms: '9' }]);
  });
});

describe('steps and outputs', () => {
  it('writes several outputs from one job and shares WITH steps', () => {
    const q =
      'WITH hot AS (SELECT id, temp FROM input WHERE temp > 30)\n' +
      'SELECT id INTO alerts FROM hot\n' +
      'SELECT COUNT(*) AS n INTO counts FROM hot GROUP BY TumblingWindow(minute, 1)\n' +
      'SELECT id FROM input WHERE temp IS NULL';
    const { out } = run(q, evs([{ id: 1, temp: 31 }, { id: 2, temp: 20 }, { id: 3, temp: 35 }, { id: 4 }]));
    expect(out.alerts).toEqual([{ id: 1 }, { id: 3 }]);
    expect(out.counts).toEqual([{ n: 2 }]);
    expect(out.output).toEqual([{ id: 4 }]);
  });

  it('UNION keeps duplicates (UNION ALL semantics)', () => {
    const q = 'SELECT id FROM input WHERE id < 3 UNION SELECT id FROM input WHERE id > 1';
    const out = run(q, evs([{ id: 1 }, { id: 2 }, { id: 3 }])).out.output.map((r) => r.id).sort();
    expect(out).toEqual([1, 2, 2, 3]);
  });
});

describe('NULL semantics and predicates', () => {
  it('comparisons with NULL are false both ways; IS NULL finds them', () => {
    const { out } = run(
      'SELECT id INTO eq FROM input WHERE col1 = 1\nSELECT id INTO ne FROM input WHERE col1 != 1\nSELECT id INTO isn FROM input WHERE col1 IS NULL',
      evs([{ id: 1, col1: 1 }, { id: 2, col1: null }, { id: 3 }, { id: 4, col1: 2 }]),
    );
    expect(out.eq.map((r) => r.id)).toEqual([1]);
    expect(out.ne.map((r) => r.id)).toEqual([4]);
    expect(out.isn.map((r) => r.id)).toEqual([2, 3]);
  });

  it('LIKE, BETWEEN, IN and CASE', () => {
    const q =
      "SELECT id, CASE WHEN make LIKE 'A%9' THEN 'match' ELSE 'no' END AS m, CASE make WHEN 'B' THEN 1 END AS b FROM input " +
      'WHERE id BETWEEN 1 AND 3 AND id NOT IN (2)';
    const out = run(q, evs([{ id: 1, make: 'AB9' }, { id: 2, make: 'A9' }, { id: 3, make: 'B' }, { id: 4, make: 'A9' }])).out.output;
    expect(out).toEqual([
      { id: 1, m: 'match', b: null },
      { id: 3, m: 'no', b: 1 },
    ]);
  });
});

describe('CAST and functions', () => {
  it('TRY_CAST returns NULL where CAST would stop the job', () => {
    const { out, job } = run("SELECT TRY_CAST(v AS bigint) AS a, CAST(w AS float) AS b FROM input", evs([{ v: 'x', w: '2.5' }]));
    expect(out.output).toEqual([{ a: null, b: 2.5 }]);
    expect(job.state).toBe('Stopped');
  });

  it('a failed CAST stops the job and counts a runtime error; nullAndCount keeps going', () => {
    const q = 'SELECT CAST(v AS bigint) AS a FROM input';
    const events = evs([{ v: '1' }, { v: 'this is a string' }, { v: '3' }]);
    const stop = run(q, events);
    expect(stop.job.state).toBe('Failed');
    expect(stop.job.failure?.message).toMatch(/CAST failed: cannot convert nvarchar\(max\) value 'this is a string' to bigint/);
    expect(stop.out.output).toEqual([{ a: 1 }]);
    expect(stop.job.metrics().RuntimeErrors).toBe(1);
    const lenient = run(q, events, { emulator: { castFailure: 'nullAndCount' } as never });
    expect(lenient.out.output).toEqual([{ a: 1 }, { a: null }, { a: 3 }]);
    expect(lenient.job.metrics().RuntimeErrors).toBe(1);
  });

  it('DATEDIFF counts boundaries crossed; DATEADD; string functions are 1-based', () => {
    const q =
      "SELECT DATEDIFF(minute, '2024-01-01T10:00:59Z', '2024-01-01T10:01:00Z') AS dm, DATEDIFF(second, '2024-01-01T10:00:59Z', '2024-01-01T10:01:00Z') AS ds, " +
      "DATEADD(day, 1.9, '2024-02-28T00:00:00Z') AS d1, SUBSTRING(s, 0, 3) AS sub, CHARINDEX('c', s) AS ci, LEN('ab  ') AS l, " +
      "CONCAT(s, NULL, 'x') AS c, UPPER(s) AS u, 7 / 2 AS idiv, 7.0 / 2 AS fdiv FROM input";
    expect(run(q, evs([{ s: 'abcd' }])).out.output).toEqual([
      { dm: 1, ds: 1, d1: '2024-02-29T00:00:00.0000000Z', sub: 'ab', ci: 3, l: 2, c: 'abcdx', u: 'ABCD', idiv: 3, fdiv: 3.5 },
    ]);
  });
});

describe('Event Hub input and compatibility levels', () => {
  it('SELECT * appends EventProcessedUtcTime, PartitionId, EventEnqueuedUtcTime after the payload', () => {
    const out = run('SELECT * FROM input', [{ at: 5, partition: 1, body: { Id: 1 } }], { compatibilityLevel: '1.2' }).out.output;
    expect(Object.keys(out[0])).toEqual(['Id', 'EventProcessedUtcTime', 'PartitionId', 'EventEnqueuedUtcTime']);
    expect(out[0].PartitionId).toBe(1);
    expect(hms(out[0].EventEnqueuedUtcTime)).toBe('12:00:05');
  });

  it('CL 1.0 lower-cases names and converts datetime strings; CL 1.1 keeps case and strings', () => {
    const events = [{ at: 1, body: { DeviceId: 'x', Seen: '2017-01-01 06:00:00', Ok: true } }];
    const q = 'SELECT DeviceId, Seen, GetType(Seen) AS ty, Ok FROM input';
    expect(run(q, events, { compatibilityLevel: '1.0' }).out.output).toEqual([
      { deviceid: 'x', seen: '2017-01-01T06:00:00.0000000Z', ty: 'datetime', ok: 1 },
    ]);
    expect(run(q, events, { compatibilityLevel: '1.1' }).out.output).toEqual([
      { DeviceId: 'x', Seen: '2017-01-01 06:00:00', ty: 'nvarchar(max)', Ok: 1 },
    ]);
    expect(run(q, events, { compatibilityLevel: '1.2' }).out.output[0].Ok).toBe(true);
  });

  it('counts malformed JSON as InputDeserializationErrors and keeps running; accepts arrays and line-separated objects', () => {
    const { out, job } = run('SELECT id FROM input', [
      { at: 1, body: '{"id":1}' },
      { at: 2, body: '{broken' },
      { at: 3, body: '[{"id":2},{"id":3}]' },
      { at: 4, body: '{"id":4}\n{"id":5}' },
    ]);
    expect(out.output.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    const m = job.metrics();
    expect(m.InputDeserializationErrors).toBe(1);
    expect(m.InputEvents).toBe(5);
  });
});

describe('CREATE TABLE', () => {
  it('converts declared columns at ingress and drops events that do not convert (TypeConversionError)', () => {
    const q = 'CREATE TABLE input (id bigint, temp float, seen datetime);\nSELECT id, temp, GetType(temp) AS ty, seen FROM input';
    const { out, job } = run(
      q,
      evs([
        { id: 1, temp: 20, seen: '2024-01-01T00:00:00Z' },
        { id: 'two', temp: 1 },
        { id: 3, temp: '21.5' },
        { id: 4.5, temp: 1 },
      ]),
      { compatibilityLevel: '1.2' },
    );
    expect(out.output).toEqual([
      { id: 1, temp: 20, ty: 'float', seen: '2024-01-01T00:00:00.0000000Z' },
      { id: 3, temp: 21.5, ty: 'float', seen: null },
    ]);
    expect(job.metrics().InputDeserializationErrors).toBe(2);
    expect(job.dataErrors.map((d) => d.type)).toEqual(['InputDeserializerError.TypeConversionError', 'InputDeserializerError.TypeConversionError']);
  });

  it('refuses a table that names no input', () => {
    expect(() => run('CREATE TABLE nosuch (a bigint);\nSELECT * FROM input', [])).toThrow(/CREATE TABLE nosuch: there is no input/);
  });
});
