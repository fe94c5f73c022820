// Property tests of the default windows: on random browsing and purchases, 3d ≤ 10d ≤ 30d (counts
// and spend) and 30d spend ≤ 60d spend, and every column equals a direct JavaScript reading of the
// definition (days aligned to as-of; purchases count on the browsing day after their own day).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Warehouse, buildProfiles, profileRows } from '../../engine/services/warehouse/index.js';

const D = 86_400_000;
const A = Date.UTC(2017, 2, 8, 6);

interface Ev { c: number; ts: number; t: [number, number, number] }
interface Pu { c: number; ts: number; cat: number; amount: number }

const evArb = fc.record({
  c: fc.integer({ min: 1, max: 4 }),
  ts: fc.integer({ min: A - 70 * D, max: A + 2 * D }).map((t) => t - (t % 1000)),
  t: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 9999 })).map((x) => x.map((v) => v / 10) as [number, number, number]),
});
const puArb = fc.record({
  c: fc.integer({ min: 1, max: 4 }),
  ts: fc.integer({ min: A - 70 * D, max: A + 4 * D }).map((t) => t - (t % 1000)),
  cat: fc.integer({ min: 1, max: 3 }),
  amount: fc.integer({ min: 1, max: 50000 }).map((v) => v / 100),
});

function fmt(ts: number): string {
  return new Date(ts).toISOString().slice(0, 19).replace('T', ' ');
}

/** The definition, read literally. */
function oracle(events: Ev[], purchases: Pu[], c: number) {
  const k = (ts: number) => Math.floor((A - ts) / D);
  const days = new Map<number, [number, number, number]>();
  for (const e of events) {
    if (e.c !== c || e.ts > A || k(e.ts) >= 60) continue;
    const s = days.get(k(e.ts)) ?? [0, 0, 0];
    for (let i = 0; i < 3; i++) s[i] += e.t[i];
    days.set(k(e.ts), s);
  }
  const spendOf = (day: number) => {
    const s = [0, 0, 0];
    for (const p of purchases) if (p.c === c && p.ts <= A && k(p.ts) === day + 1) s[p.cat - 1] += p.amount;
    return s;
  };
  const win = (w: number) => {
    const out = [0, 0, 0, 0, 0, 0];
    for (const [day, t] of days) {
      if (day >= w) continue;
      const s = spendOf(day);
      for (let i = 0; i < 3; i++) {
        out[i] += t[i];
        out[3 + i] += s[i];
      }
    }
    return out;
  };
  const ks = [...days.keys()];
  return { w30: win(30), w10: win(10), w3: win(3), w60: win(60), f: ks.length, r: ks.length ? Math.min(...ks) : 0 };
}

describe('ETL windows (property)', () => {
  it('nest (3d ≤ 10d ≤ 30d ≤ 60d) and match the definition', () => {
    const wh = new Warehouse(':memory:');
    wh.insertCustomers([1, 2, 3, 4].map((id) => ({ customerID: id, age: 30, Gender: 'M', Income: '10K_50K', HeadofHousehold: 'T', number_household: 1, months_residence: 1 })));
    fc.assert(
      fc.property(fc.array(evArb, { maxLength: 60 }), fc.array(puArb, { maxLength: 25 }), (events, purchases) => {
        wh.clearBrowsing();
        wh.db.exec('DELETE FROM Purchase');
        wh.insertBrowsing(events.map((e) => ({ customerID: e.c, ts: e.ts, t1: e.t[0], t2: e.t[1], t3: e.t[2] })));
        wh.insertPurchases(purchases.map((p) => ({ datetime: fmt(p.ts), customerID: p.c, ProductID: `T${p.cat}`, amount_spent: p.amount })));
        buildProfiles(wh.db, { asOf: A });
        for (const row of profileRows(wh.db)) {
          const r = row as unknown as Record<string, number>;
          const c = r.customerID;
          const o = oracle(events, purchases, c);
          for (const k of [1, 2, 3]) {
            for (const kind of ['count', 'spend']) {
              expect(r[`T${k}${kind}_3d`]).toBeLessThanOrEqual(r[`T${k}${kind}_10d`] + 1e-9);
              expect(r[`T${k}${kind}_10d`]).toBeLessThanOrEqual(r[`T${k}${kind}_30d`] + 1e-9);
            }
            expect(r[`T${k}spend_30d`]).toBeLessThanOrEqual(r[`T${k}_m_60d`] + 1e-9);
          }
          const got = (w: string) => [1, 2, 3].map((k) => r[`T${k}count_${w}`]).concat([1, 2, 3].map((k) => r[`T${k}spend_${w}`]));
          for (const [w, want] of [['30d', o.w30], ['10d', o.w10], ['3d', o.w3]] as const) {
            got(w).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
          }
          [1, 2, 3].forEach((k) => expect(r[`T${k}_m_60d`]).toBeCloseTo(o.w60[2 + k], 6));
          expect(r.f_60d).toBe(o.f);
          expect(r.r_60d).toBe(o.r);
        }
      }),
      { numRuns: 150, seed: 20170308 },
    );
    wh.closeSync();
  });
});
