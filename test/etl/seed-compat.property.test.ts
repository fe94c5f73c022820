// seedCompat against a literal JavaScript transcription of the original Spark script
// (etl_and_feature_engineering.py): UserBrowsingTable grouped by exact userdatetime; merge_temp =
// LEFT JOIN of every purchase whose date is one day earlier (duplicates included); the 3d/30d/10d/60d
// subsets with the script's literals (shifted with the as-of time); activity_all built on the 30-day
// table; rfm_60d with DATEDIFF on dates and COUNT(*).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Warehouse, buildProfiles, profileRows } from '../../engine/services/warehouse/index.js';

const D = 86_400_000;
const A = Date.UTC(2017, 2, 8, 6);
const day = (ts: number) => Math.floor(ts / D);

interface Ev { c: number; ts: number; t: number[] }
interface Pu { c: number; ts: number; cat: number; amount: number }

function originalScript(events: Ev[], purchases: Pu[], c: number): number[] {
  // UserBrowsingTable: SUM per (customerID, userDatetime)
  const ub = new Map<number, number[]>();
  for (const e of events) if (e.c === c) ub.set(e.ts, (ub.get(e.ts) ?? [0, 0, 0]).map((v, i) => v + e.t[i]));
  // merge_temp
  const merged: { ts: number; t: number[]; s: number[] }[] = [];
  for (const [ts, t] of ub) {
    const matches = purchases.filter((p) => p.c === c && day(ts) - day(p.ts) === 1);
    if (matches.length === 0) merged.push({ ts, t, s: [0, 0, 0] });
    for (const p of matches) merged.push({ ts, t, s: [1, 2, 3].map((k) => (p.cat === k ? p.amount : 0)) });
  }
  const sub = (lo: number, hi: number) => merged.filter((m) => m.ts >= lo && m.ts < hi);
  const sums = (rows: typeof merged) => [0, 1, 2].map((i) => rows.reduce((a, r) => a + r.t[i], 0)).concat([0, 1, 2].map((i) => rows.reduce((a, r) => a + r.s[i], 0)));
  const s30 = sub(A - 30 * D - 1000, A - 1000);
  const s10 = sub(A - 10 * D - 1000, A - 1000);
  const s3 = sub(A - 10 * D - 1000, Infinity);
  const s60 = sub(A - 60 * D - 1000, A - 1000);
  const in30 = s30.length > 0; // activity_all is activity_30d LEFT JOIN the others
  const windows = in30 ? [...sums(s30), ...sums(s10), ...sums(s3)] : Array(18).fill(0);
  const rfm = s60.length > 0
    ? [day(A) - Math.max(...s60.map((r) => day(r.ts))), s60.length, ...sums(s60).slice(3)]
    : [0, 0, 0, 0, 0];
  return [...windows, ...rfm];
}

const evArb = fc.record({
  c: fc.integer({ min: 1, max: 3 }),
  ts: fc.integer({ min: -66, max: 1 }).chain((d) => fc.constantFrom(A + d * D, A + d * D - 1000, A + d * D + 3_600_000)),
  t: fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })).map((x) => x.map((v) => v / 10)),
});
const puArb = fc.record({
  c: fc.integer({ min: 1, max: 3 }),
  ts: fc.integer({ min: -66, max: 3 }).chain((d) => fc.constantFrom(A + d * D, A + d * D - 7_200_000)),
  cat: fc.integer({ min: 1, max: 3 }),
  amount: fc.integer({ min: 1, max: 9999 }).map((v) => v / 10),
});

describe('seedCompat (property)', () => {
  it('equals a literal transcription of the original script', () => {
    const wh = new Warehouse(':memory:');
    wh.insertCustomers([1, 2, 3].map((id) => ({ customerID: id, age: 40, Gender: 'F', Income: '50K_100K', HeadofHousehold: 'T', number_household: 2, months_residence: 3 })));
    fc.assert(
      fc.property(fc.array(evArb, { maxLength: 40 }), fc.array(puArb, { maxLength: 15 }), (events, purchases) => {
        wh.clearBrowsing();
        wh.db.exec('DELETE FROM Purchase');
        wh.insertBrowsing(events.map((e) => ({ customerID: e.c, ts: e.ts, t1: e.t[0], t2: e.t[1], t3: e.t[2] })));
        wh.insertPurchases(purchases.map((p) => ({ datetime: new Date(p.ts).toISOString().slice(0, 19).replace('T', ' '), customerID: p.c, ProductID: `T${p.cat}`, amount_spent: p.amount })));
        buildProfiles(wh.db, { asOf: A, seedCompat: true });
        for (const row of profileRows(wh.db)) {
          const values = Object.values(row).slice(7, 30) as number[];
          const want = originalScript(events, purchases, row.customerID as number);
          values.forEach((v, i) => expect([row.customerID, i, v]).toEqual([row.customerID, i, expect.closeTo(want[i], 6)]));
        }
      }),
      { numRuns: 150, seed: 360 },
    );
    wh.closeSync();
  });
});
