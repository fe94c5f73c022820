// The actual label of each customer in a run — what they go on to buy in the 3 days after the as-of
// time (DESIGN §4.5) — regenerated from the scenario's seed with the same generator the run used, so
// the profile table can show predicted next to actual without the run having to ship it.
import { customerGroup, customerPurchases, datagenConfig, DAY_MS, groundTruthLabels, type DatagenConfig } from '../datagen/index.js';
import type { Scenario } from '../scenarios/index.js';

export function datagenOf(s: Scenario): DatagenConfig {
  const start = Date.parse(s.generator.historyStart);
  return datagenConfig({
    customers: s.generator.customers,
    seed: s.seed,
    start,
    asOf: start + (s.generator.historyDays - 1) * DAY_MS,
    sampleFraction: s.generator.sampleFraction,
  });
}

/** customerID → 0 (no purchase) or 1..3 (the category bought). */
export function actualLabels(config: DatagenConfig): Map<number, number> {
  const purchases = [];
  for (let id = 1; id <= config.customers; id++) purchases.push(...customerPurchases(config, id, customerGroup(id, config.customers)));
  const labels = groundTruthLabels(purchases, config.asOf, config.futureDays);
  const out = new Map<number, number>();
  for (let id = 1; id <= config.customers; id++) out.set(id, labels.get(id) ?? 0);
  return out;
}
