// Purchases: the history the warehouse holds (weekly purchase days before as-of, as in the original
// purchase.csv) and the ground truth — purchases in the `futureDays` after as-of that the `future`
// label predicts. Both come from one per-customer random stream, in customer order, streaming.
import { Random } from '../core/random.js';
import { DAY_MS, type DatagenConfig } from './config.js';
import { AMOUNTS, CATEGORIES, GROUPS, type Category } from './groups.js';

export interface PurchaseRecord {
  /** Epoch milliseconds (UTC). */
  time: number;
  customerID: number;
  productID: Category;
  /** One decimal, > 0. */
  amount: number;
}

/** The weekly purchase days of the history: as-of − 1 day, then every 7 days back (never before start). */
export function purchaseDays(config: DatagenConfig): number[] {
  const days: number[] = [];
  for (let k = config.purchaseWeeks - 1; k >= 0; k--) {
    const t = config.asOf - DAY_MS - 7 * k * DAY_MS;
    if (t >= config.start) days.push(t);
  }
  return days;
}

function drawAmount(rng: Random, category: Category): number {
  const { mean, sd } = AMOUNTS[category];
  // Amounts are positive with one decimal, like the original (its minimum is 0.1).
  for (;;) {
    const tenths = Math.abs(Math.round(rng.normal(mean, sd) * 10));
    if (tenths > 0) return tenths / 10;
  }
}

/** One customer's purchases in time order: history days, then at most one day in (as-of, as-of + futureDays]. */
export function customerPurchases(config: DatagenConfig, customerID: number, group: number, days = purchaseDays(config)): PurchaseRecord[] {
  const profile = GROUPS[group - 1];
  const rng = Random.derive(config.seed, 'purchases', customerID);
  const preferred = CATEGORIES[rng.weightedIndex(profile.categoryWeights)];
  const out: PurchaseRecord[] = [];
  for (const time of days) {
    if (rng.bernoulli(profile.weeklyBuyProbability)) out.push({ time, customerID, productID: preferred, amount: drawAmount(rng, preferred) });
  }
  // The ground truth: a buyer of the focus groups buys again in the next days with the same odds
  // as on any purchase day; the day is uniform over the horizon.
  if (config.futureDays > 0 && rng.bernoulli(profile.weeklyBuyProbability)) {
    const time = config.asOf + rng.int(1, config.futureDays) * DAY_MS;
    out.push({ time, customerID, productID: preferred, amount: drawAmount(rng, preferred) });
  }
  return out;
}

/** Purchases of every customer in id order. `customers` supplies ids and groups (generated or reference). */
export function* generatePurchases(
  config: DatagenConfig,
  customers: Iterable<{ customerID: number; group: number }>,
  options: { history?: boolean; future?: boolean } = {},
): Generator<PurchaseRecord> {
  const history = options.history ?? true;
  const future = options.future ?? true;
  const days = purchaseDays(config);
  for (const c of customers) {
    for (const p of customerPurchases(config, c.customerID, c.group, days)) {
      const after = p.time > config.asOf;
      if (after ? future : history) yield p;
    }
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD HH:MM:SS` (UTC), the original purchase.csv datetime format. */
export function formatPurchaseTime(time: number): string {
  const d = new Date(time);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** One line of purchase.csv: `2017-01-10 06:00:00,45,T1,16.4`. */
export function formatPurchaseRow(p: PurchaseRecord): string {
  return `${formatPurchaseTime(p.time)},${p.customerID},${p.productID},${p.amount.toFixed(1)}`;
}

/**
 * The `future` label per customer: the category bought in (asOf, asOf + horizonDays]; if several,
 * the one with the largest total spend (ties → the lower category); 0 when nothing was bought.
 * Only customers with a label other than 0 are in the map.
 */
export function groundTruthLabels(purchases: Iterable<PurchaseRecord>, asOf: number, horizonDays = 3): Map<number, 1 | 2 | 3> {
  const spend = new Map<number, [number, number, number]>();
  const end = asOf + horizonDays * DAY_MS;
  for (const p of purchases) {
    if (p.time <= asOf || p.time > end) continue;
    const idx = CATEGORIES.indexOf(p.productID);
    if (idx < 0) continue;
    let s = spend.get(p.customerID);
    if (!s) spend.set(p.customerID, (s = [0, 0, 0]));
    s[idx] += Math.round(p.amount * 100); // cents, so sums are exact
  }
  const labels = new Map<number, 1 | 2 | 3>();
  for (const [id, s] of spend) {
    let best = 0;
    for (let i = 1; i < 3; i++) if (s[i] > s[best]) best = i;
    if (s[best] > 0) labels.set(id, (best + 1) as 1 | 2 | 3);
  }
  return labels;
}
