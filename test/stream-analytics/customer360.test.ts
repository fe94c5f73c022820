// The customer360 job, run from the repository's query file unchanged, on hand-made input and on
// generated input compared with an independent Map-based aggregation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/core/random.js';
import { MemoryObjectStore } from '../../engine/services/blob/memory-store.js';
import { StreamAnalyticsJob, defaultJobDefinition, loadArmJob, rowToJson } from '../../engine/services/stream-analytics/index.js';

const query = readFileSync(new URL('../../infra-templates/asa/customer360.asaql', import.meta.url), 'utf8');
const templateFile = new URL('../../infra-templates/asa/customer360-job.json', import.meta.url).pathname;
const T0 = Date.parse('2017-01-01T06:00:00Z');

function job(overrides = {}) {
  const j = new StreamAnalyticsJob(
    defaultJobDefinition(query, { inputs: { readDataFromInput: { kind: 'stream', partitionIds: [0, 1] } }, ...overrides }),
  );
  const rows: Record<string, unknown>[] = [];
  j.onOutput((_a, r) => rows.push(rowToJson(r)));
  return { j, rows };
}

const push = (j: StreamAnalyticsJob, sec: number, p: number, body: unknown) =>
  j.push('readDataFromInput', { partitionId: p, enqueuedTime: T0 + sec * 1000, body: body as Record<string, unknown> });

describe('customer360 query (CL 1.0, Adjust, late 5 s)', () => {
  it('sums per (userdatetime, customerid, partitionid) per minute with lower-case columns, NULLs and missing fields ignored', () => {
    const { j, rows } = job();
    push(j, 10, 0, { userdatetime: '2017-01-01 06:00:00', customerid: 1, category_T1: 700, category_T2: 10, category_T3: 15 });
    push(j, 20, 1, { UserDateTime: '2017-01-01 06:00:00', CustomerId: 2, category_t1: 5, category_t2: '12', category_t3: null });
    push(j, 30, 0, { userdatetime: '2017-01-01 06:00:00', customerid: 1, category_t1: 1.5, category_t2: 10 });
    push(j, 40, 0, '{"userdatetime":"2017-01-01 06:00:00","customerid":1,"category_t1":1'); // malformed JSON
    push(j, 60, 1, { userdatetime: '2017-01-01 06:00:00', customerid: 2, category_t1: 1, category_t2: 1, category_t3: 1 }); // still window 06:01:00 (end-inclusive)
    push(j, 61, 0, { userdatetime: '2017-01-02 06:00:00', customerid: 1, category_t1: 2, category_t2: 2, category_t3: 2 });
    j.end();
    expect(rows).toEqual([
      { userdatetime: '2017-01-01T06:00:00.0000000Z', customerid: 1, category_t1: 701.5, category_t2: 20, category_t3: 15, partitionid: 0 },
      { userdatetime: '2017-01-01T06:00:00.0000000Z', customerid: 2, category_t1: 6, category_t2: 13, category_t3: 1, partitionid: 1 },
      { userdatetime: '2017-01-02T06:00:00.0000000Z', customerid: 1, category_t1: 2, category_t2: 2, category_t3: 2, partitionid: 0 },
    ]);
    const m = j.metrics();
    expect(m.InputDeserializationErrors).toBe(1);
    expect(m.InputEvents).toBe(5);
    expect(m.OutputEvents).toBe(3);
    expect(j.missingFields.has('category_T3')).toBe(true);
  });

  it('a non-numeric category makes CAST fail and stops the job (documented behaviour)', () => {
    const { j, rows } = job();
    push(j, 1, 0, { userdatetime: '2017-01-01 06:00:00', customerid: 1, category_t1: 'lots', category_t2: 1, category_t3: 1 });
    push(j, 2, 0, { userdatetime: '2017-01-01 06:00:00', customerid: 2, category_t1: 1, category_t2: 1, category_t3: 1 });
    j.end();
    expect(j.state).toBe('Failed');
    expect(j.failure?.message).toMatch(/cannot convert nvarchar\(max\) value 'lots' to float/);
    expect(rows).toEqual([]);
    expect(j.metrics().RuntimeErrors).toBe(1);
  });

  it('matches an independent Map-based aggregation on generated two-partition input', () => {
    const rnd = new Random(42);
    const { j, rows } = job();
    const expected = new Map<string, number[]>();
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      t += rnd.int(0, 400) / 10; // enqueued time moves forward, sometimes not at all
      const p = rnd.int(0, 1);
      const day = rnd.int(0, 66);
      const cust = rnd.int(1, 50);
      const vals = [rnd.int(0, 1000), rnd.int(0, 1000), rnd.int(0, 1000)];
      const body = {
        userdatetime: new Date(T0 + day * 86_400_000).toISOString().replace('T', ' ').slice(0, 19),
        customerid: cust,
        category_t1: vals[0],
        category_t2: vals[1],
        category_t3: vals[2],
      };
      push(j, t, p, body);
      const end = Math.ceil((T0 + t * 1000) / 60_000) * 60_000;
      const key = `${new Date(T0 + day * 86_400_000).toISOString().slice(0, 19)}|${cust}|${p}|${end}`;
      const acc = expected.get(key) ?? [0, 0, 0];
      vals.forEach((v, k) => (acc[k] += v));
      expected.set(key, acc);
    }
    j.end();
    // Compare as multisets per (keys, sums) — output order within a timestamp is not guaranteed.
    const norm = (m: Map<string, number[]>) => [...m.entries()].map(([k, v]) => `${k.split('|').slice(0, 3).join('|')}=${v.join(',')}`).sort();
    const actual = rows.map((r) => `${String(r.userdatetime).slice(0, 19)}|${r.customerid}|${r.partitionid}=${r.category_t1},${r.category_t2},${r.category_t3}`).sort();
    expect(actual).toEqual(norm(expected));
    expect(rows.length).toBe(expected.size);
  });

  it('writes CSV blobs under {date}/{time} from System.Timestamp, with a header, as the ARM template says', async () => {
    const def = await loadArmJob(templateFile);
    expect(def.compatibilityLevel).toBe('1.0');
    expect(def.eventsLateArrivalMaxDelayInSeconds).toBe(5);
    expect(def.inputs.readDataFromInput).toEqual({ kind: 'stream', partitionIds: [0, 1] });
    expect(def.query).toBe(query);
    const store = new MemoryObjectStore();
    const j = new StreamAnalyticsJob(def, { store });
    push(j, 3599, 0, { userdatetime: '2017-01-01 06:00:00', customerid: 1, category_t1: 1, category_t2: 2, category_t3: 3 }); // window ends 07:00:00
    push(j, 3601, 1, { userdatetime: '2017-01-01 06:00:00', customerid: 2, category_t1: 1.5, category_t2: 0, category_t3: 0 });
    j.end();
    await j.drain();
    const blobs = await store.list('customer360');
    expect(blobs.map((b) => b.name.replace(/\/[^/]+$/, ''))).toEqual(['2017/01/01/07']);
    expect(blobs[0].name).toMatch(/^2017\/01\/01\/07\/\d+_[0-9a-f-]{36}_1\.csv$/);
    const text = new TextDecoder().decode(await store.get('customer360', blobs[0].name));
    expect(text).toBe(
      'userdatetime,customerid,category_t1,category_t2,category_t3,partitionid\r\n' +
        '2017-01-01T06:00:00.0000000Z,1,1,2,3,0\r\n' +
        '2017-01-01T06:00:00.0000000Z,2,1.5,0,0,1\r\n',
    );
  });
});

describe('determinism', () => {
  it('the same events in the same arrival order give byte-identical output', () => {
    const once = () => {
      const rnd = new Random(3);
      const { j, rows } = job();
      for (let i = 0; i < 3000; i++)
        push(j, i * 0.7, rnd.int(0, 1), { userdatetime: '2017-01-01 06:00:00', customerid: rnd.int(1, 20), category_t1: rnd.next(), category_t2: 1, category_t3: null });
      j.end();
      return JSON.stringify(rows);
    };
    expect(once()).toBe(once());
  });
});
