// The CostEstimator port over engine/cost: prices a run's usage with the pricing table (itemised per
// service), per hour and per slice. Stored bytes are priced as held for the whole run (an upper bound:
// the store fills up during the run).
import { costOf, costPerSlice, type Deployment, type PricingTable } from '../cost/index.js';
import type { CostBreakdown, CostEstimator, UsageSummary } from '../ports/pipeline.js';

export class PricingCostEstimator implements CostEstimator {
  constructor(
    private readonly pricing: PricingTable,
    private readonly deployment: Deployment,
    private readonly sliceMinutes: number,
  ) {}

  estimate(u: UsageSummary): CostBreakdown {
    const usage = { hours: u.durationMs / 3_600_000, billableIngressEvents: u.ingressBillableEvents, storedBytes: u.storedBytes };
    const run = costOf(this.pricing, this.deployment, usage);
    const perSlice = usage.hours > 0 ? costPerSlice(this.pricing, this.deployment, usage, this.sliceMinutes).total : 0;
    const asOf = [...new Set(run.lines.map((l) => this.pricing.prices[l.priceId]?.asOf).filter(Boolean))].sort();
    return {
      currency: run.currency,
      total: run.total,
      perHour: run.perHour,
      perSlice,
      lines: run.lines.map((l) => ({ item: `${l.service}: ${l.item}`, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, cost: l.cost })),
      source: `${this.pricing.file.split(/[\\/]/).pop()} (${this.pricing.region}; prices as of ${asOf.join(', ')})`,
    };
  }
}
