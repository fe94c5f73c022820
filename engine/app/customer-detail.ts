// One customer, for the detail panel: the profile and prediction, their purchases and browsing
// (regenerated from the run's seed with the generator the run used), and why they got their label.
import { customerGroup, customerPurchases, DAY_MS, datagenConfig, sessionBlocks } from '../datagen/index.js';
import type { CustomerDetailDto } from '../../electron/common/contract.js';
import type { JobDetail, StoredProfile } from './store.js';

const PRODUCT_NAMES: Record<string, string> = { T1: 'T1 Technology', T2: 'T2 Apparel', T3: 'T3 Cosmetics' };

/** Browsing seconds per day of one customer in one session's sample (the rows that session sent). */
export function customerBrowsing(datagen: NonNullable<JobDetail['datagen']>, customerId: number, session: number): CustomerDetailDto['browsing'] {
  const config = datagenConfig({ customers: datagen.customers, seed: datagen.seed, start: datagen.start, asOf: datagen.asOf, sampleFraction: datagen.sampleFraction });
  const days = (config.asOf - config.start) / DAY_MS + 1;
  const perDay = new Map<number, { t1: number; t2: number; t3: number }>();
  for (const block of sessionBlocks(config, session)) {
    const offset = customerId - block.firstId;
    if (offset < 0 || offset >= block.values.length / 3 / days) continue;
    const first = offset * days;
    for (let i = 0; i < block.picks.length; i++) {
      const row = block.picks[i];
      if (row < first || row >= first + days) continue;
      perDay.set(row - first, { t1: block.values[row * 3] / 10, t2: block.values[row * 3 + 1] / 10, t3: block.values[row * 3 + 2] / 10 });
    }
    break;
  }
  return [...perDay.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, v]) => ({ day: new Date(config.start + day * DAY_MS).toISOString().slice(0, 10), ...v }));
}

export function customerPurchaseHistory(datagen: NonNullable<JobDetail['datagen']>, customerId: number): CustomerDetailDto['purchases'] {
  const config = datagenConfig({ customers: datagen.customers, seed: datagen.seed, start: datagen.start, asOf: datagen.asOf, sampleFraction: datagen.sampleFraction });
  return customerPurchases(config, customerId, customerGroup(customerId, config.customers)).map((p) => ({
    time: new Date(p.time).toISOString().slice(0, 16).replace('T', ' ') + (p.time > config.asOf ? ' (after as-of: the ground truth)' : ''),
    product: PRODUCT_NAMES[p.productID] ?? p.productID,
    amount: p.amount,
  }));
}

/**
 * Why this label: the numeric features where the customer sits furthest from the average customer of
 * the run, weighted by how much the model relies on each feature (its gain share). It is a reading aid,
 * not an exact attribution: it names the evidence the trees split on most, where this customer is unusual.
 */
export function explainLabel(
  profile: StoredProfile,
  stats: Map<string, { mean: number; sd: number }>,
  importance: ReadonlyMap<string, number>,
  top = 5,
): CustomerDetailDto['reasons'] {
  const scored: CustomerDetailDto['reasons'] = [];
  for (const [feature, value] of Object.entries(profile.features)) {
    if (typeof value !== 'number') continue;
    const s = stats.get(feature);
    const weight = importance.get(feature) ?? 0;
    if (!s || weight === 0) continue;
    const z = s.sd > 0 ? (value - s.mean) / s.sd : 0;
    const direction = z >= 0 ? 'above' : 'below';
    scored.push({
      feature,
      value,
      mean: s.mean,
      zScore: z,
      importance: weight,
      text: `${feature} = ${fmt(value)} (average ${fmt(s.mean)}; ${Math.abs(z).toFixed(1)} σ ${direction}); the model puts ${(weight * 100).toFixed(0)}% of its gain on this feature`,
    });
  }
  return scored.sort((a, b) => Math.abs(b.zScore) * b.importance - Math.abs(a.zScore) * a.importance).slice(0, top);
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
