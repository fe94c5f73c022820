// The generator against the original's facts: groups, distributions, the 50% sample, the message
// shape, purchases, ground truth, determinism and streaming.
import { describe, it, expect } from 'vitest';
import {
  datagenConfig, generateCustomers, generatePurchases, browsingSession, browsingMessages, sessionEventCount, formatBrowsingBody,
  formatCustomerRow, formatPurchaseRow, groundTruthLabels, customerGroup, purchaseDays, userDatetimes, DAY_MS,
  type BrowsingEvent, type PurchaseRecord,
} from '../../engine/datagen/index.js';

const A = Date.UTC(2017, 2, 8, 6);

describe('customers', () => {
  const config = datagenConfig({ seed: 3 });
  const customers = [...generateCustomers(config)];

  it('are 6,000 in six blocks of 1,000 with the original demographics', () => {
    expect(customers).toHaveLength(6000);
    expect(customers.map((c) => c.group).filter((g) => g === 4)).toHaveLength(1000);
    const g1 = customers.filter((c) => c.group === 1);
    expect(g1.every((c) => c.gender === 'M' && c.age >= 25 && c.age <= 60 && ['50K_100K', 'Greater_than_100K'].includes(c.income))).toBe(true);
    const g4 = customers.filter((c) => c.group === 4);
    expect(g4.every((c) => c.gender === 'F' && c.age >= 25 && c.age <= 55 && ['50K_100K', 'Greater_than_100K'].includes(c.income))).toBe(true);
    const others = customers.filter((c) => c.group !== 1 && c.group !== 4);
    expect(others.every((c) => (c.age < 25 || c.age > 60) && ['Less_than_10K', '10K_50K'].includes(c.income))).toBe(true);
    const rich = g1.filter((c) => c.income === 'Greater_than_100K').length / g1.length;
    expect(rich).toBeGreaterThan(0.64);
    expect(rich).toBeLessThan(0.75);
  });

  it('are written in the original quoting style', () => {
    expect(formatCustomerRow({ customerID: 1, age: 29, gender: 'M', income: 'Greater_than_100K', headOfHousehold: 'F', numberHousehold: 1, monthsResidence: 5, group: 1 })).toBe(
      '1,"29","M","Greater_than_100K","F","1","5"',
    );
  });

  it('groups are six blocks for any N', () => {
    expect([1, 1000, 1001, 6000].map((id) => customerGroup(id, 6000))).toEqual([1, 1, 2, 6]);
    expect(customerGroup(7, 7)).toBe(6);
    expect(customerGroup(1, 1)).toBe(1);
  });
});

describe('browsing sessions', () => {
  const config = datagenConfig({ seed: 11 });

  it('have 201,000 events (50% of 6,000 × 67) with each customer-day at most once', () => {
    expect(sessionEventCount(config)).toBe(201_000);
    const seen = new Set<number>();
    const stamps = new Map(userDatetimes(config).map((s, i) => [s, i]));
    let n = 0;
    let badDay = 0;
    let repeated = 0;
    for (const e of browsingSession(config, 0)) {
      const day = stamps.get(e.userdatetime);
      if (day === undefined) badDay++;
      const key = e.customerid * 100 + (day ?? 99);
      if (seen.has(key)) repeated++;
      seen.add(key);
      n++;
    }
    expect({ n, badDay, repeated }).toEqual({ n: 201_000, badDay: 0, repeated: 0 });
  });

  it('as messages are exactly the formatted events, with their byte sizes', () => {
    const small = datagenConfig({ seed: 5, customers: 700, shuffleBlockCustomers: 300 });
    const events = [...browsingSession(small, 2)];
    const messages = [...browsingMessages(small, 2)];
    expect(messages.map((m) => m.body)).toEqual(events.map(formatBrowsingBody));
    expect(messages.map((m) => m.customerId)).toEqual(events.map((e) => e.customerid));
    expect(messages.every((m) => m.bytes === Buffer.byteLength(m.body))).toBe(true);
  });

  it('follow the per-group distributions', () => {
    const sums = new Map<number, { n: number; s: [number, number, number] }>();
    for (const e of browsingSession(config, 1)) {
      const g = customerGroup(e.customerid, 6000);
      const acc = sums.get(g) ?? { n: 0, s: [0, 0, 0] };
      acc.n++;
      acc.s[0] += e.category_t1;
      acc.s[1] += e.category_t2;
      acc.s[2] += e.category_t3;
      sums.set(g, acc);
    }
    const mean = (g: number, k: number) => sums.get(g)!.s[k] / sums.get(g)!.n;
    expect(mean(1, 0)).toBeCloseTo(700, -1);
    expect(mean(4, 1)).toBeCloseTo(1000, -1);
    expect(mean(4, 2)).toBeCloseTo(650, -1);
    // |N(10, 10)| has mean 10·(1 − 2Φ(−1)) + 10·√(2/π)·e^(−1/2) ≈ 11.67; |N(15, 10)| ≈ 15.8.
    for (const g of [2, 3, 5, 6]) {
      expect(Math.abs(mean(g, 0) - 11.67)).toBeLessThan(0.3);
      expect(Math.abs(mean(g, 2) - 15.8)).toBeLessThan(0.4);
    }
    expect(Math.abs(mean(1, 1) - 11.67)).toBeLessThan(0.3);
  });

  it('serialise in the original message shape', () => {
    const e: BrowsingEvent = { userdatetime: '2017-01-01T06:00:00+00:00', customerid: 12, category_t1: 703.4, category_t2: 5, category_t3: 0.1 };
    const body = formatBrowsingBody(e);
    expect(body).toBe('{"userdatetime":"2017-01-01T06:00:00+00:00","customerid":12,"category_t1":703.4,"category_t2":5.0,"category_t3":0.1}');
    expect(JSON.parse(body)).toEqual(e);
    expect(Object.keys(e)).toEqual(Object.keys(JSON.parse(body)));
  });

  it('cover 2017-01-01T06:00Z … 2017-03-08T06:00Z (67 days)', () => {
    const s = userDatetimes(config);
    expect(s).toHaveLength(67);
    expect(s[0]).toBe('2017-01-01T06:00:00+00:00');
    expect(s[66]).toBe('2017-03-08T06:00:00+00:00');
  });

  it('are reproducible per session without generating earlier ones, and differ between sessions', () => {
    const take = (s: number, n: number) => {
      const out: string[] = [];
      for (const e of browsingSession(config, s)) {
        out.push(formatBrowsingBody(e));
        if (out.length === n) break;
      }
      return out;
    };
    expect(take(5, 500)).toEqual(take(5, 500));
    expect(take(5, 500)).not.toEqual(take(4, 500));
    expect(take(0, 500)).not.toEqual(take(0, 500).slice().sort());
  });

  it('stream: the first events of a 1M-customer session come from the first block only', () => {
    const big = datagenConfig({ customers: 1_000_000, seed: 2 });
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let maxId = 0;
    for (const e of browsingSession(big, 0)) {
      maxId = Math.max(maxId, e.customerid);
      if (++n === 10_000) break;
    }
    expect(maxId).toBeLessThanOrEqual(6000);
    // One block is 6,000 × 67 rows (≈ 6.4 MB of typed arrays), not 67M rows.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 2 ** 20);
    expect(sessionEventCount(big)).toBe(Math.round(1_000_000 * 67 * 0.5));
  });
});

describe('purchases', () => {
  const config = datagenConfig({ seed: 5 });
  const customers = [...generateCustomers(config)];
  const purchases = [...generatePurchases(config, customers)];
  const history = purchases.filter((p) => p.time <= A);
  const future = purchases.filter((p) => p.time > A);

  it('happen on the 9 weekly days of the original, mostly by the focus groups', () => {
    const days = purchaseDays(config);
    expect(days.map((d) => new Date(d).toISOString().slice(0, 10))).toEqual([
      '2017-01-10', '2017-01-17', '2017-01-24', '2017-01-31', '2017-02-07', '2017-02-14', '2017-02-21', '2017-02-28', '2017-03-07',
    ]);
    expect(history.every((p) => days.includes(p.time))).toBe(true);
    const g1 = history.filter((p) => customerGroup(p.customerID, 6000) === 1);
    const g4 = history.filter((p) => customerGroup(p.customerID, 6000) === 4);
    expect(g1.every((p) => p.productID === 'T1')).toBe(true);
    expect(g4.every((p) => p.productID !== 'T1')).toBe(true);
    // The original: 4,521 T1 and 4,479 T2/T3 purchases (each focus customer buys on ~half the days).
    expect(g1.length).toBeGreaterThan(4300);
    expect(g1.length).toBeLessThan(4700);
    const t2share = g4.filter((p) => p.productID === 'T2').length / g4.length;
    expect(t2share).toBeGreaterThan(0.55);
    expect(t2share).toBeLessThan(0.65);
    expect(history.length - g1.length - g4.length).toBeLessThan(300); // "rarely buys"
  });

  it('have amounts distributed like the original purchase.csv', () => {
    const stats = (cat: string) => {
      const a = history.filter((p) => p.productID === cat).map((p) => p.amount);
      const m = a.reduce((s, x) => s + x, 0) / a.length;
      const sd = Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length);
      return { m, sd, min: Math.min(...a) };
    };
    const t1 = stats('T1');
    expect(Math.abs(t1.m - 59.6)).toBeLessThan(2.5);
    expect(Math.abs(t1.sd - 40.3)).toBeLessThan(2.5);
    expect(t1.min).toBeGreaterThan(0);
    const t2 = stats('T2');
    expect(Math.abs(t2.m - 59)).toBeLessThan(2.5);
    expect(Math.abs(t2.sd - 20)).toBeLessThan(1.5);
    expect(history.every((p) => Math.round(p.amount * 10) === p.amount * 10)).toBe(true);
  });

  it('include ground truth in the 3 days after as-of, about half of each focus group', () => {
    expect(future.every((p) => p.time > A && p.time <= A + 3 * DAY_MS)).toBe(true);
    const labels = groundTruthLabels(purchases, A);
    const g1 = [...labels].filter(([id]) => customerGroup(id, 6000) === 1);
    expect(g1.length).toBeGreaterThan(430);
    expect(g1.length).toBeLessThan(570);
    expect(g1.every(([, l]) => l === 1)).toBe(true);
  });

  it('format like the original purchase.csv', () => {
    expect(formatPurchaseRow({ time: Date.UTC(2017, 0, 10, 6), customerID: 45, productID: 'T1', amount: 16.4 })).toBe('2017-01-10 06:00:00,45,T1,16.4');
    expect(formatPurchaseRow({ time: Date.UTC(2017, 0, 10, 6), customerID: 45, productID: 'T2', amount: 63 })).toBe('2017-01-10 06:00:00,45,T2,63.0');
  });
});

describe('groundTruthLabels', () => {
  const p = (day: number, c: number, cat: 'T1' | 'T2' | 'T3', amount: number, extraMs = 0): PurchaseRecord => ({
    time: A + day * DAY_MS + extraMs, customerID: c, productID: cat, amount,
  });
  it('takes the largest spend in (as-of, as-of + 3 days], ties to the lower category', () => {
    const labels = groundTruthLabels(
      [
        p(1, 1, 'T2', 10), p(2, 1, 'T3', 6), p(3, 1, 'T3', 6), // T3 12 > T2 10
        p(1, 2, 'T1', 5), p(2, 2, 'T3', 5), // tie → T1
        p(0, 3, 'T1', 5), p(3, 3, 'T2', 1, 1000), // at as-of and 1 s past the horizon: nothing
        p(-1, 4, 'T1', 9), p(3, 4, 'T2', 1), // history ignored, the horizon end counts
      ],
      A,
    );
    expect([...labels].sort()).toEqual([[1, 3], [2, 1], [4, 2]]);
  });
});
