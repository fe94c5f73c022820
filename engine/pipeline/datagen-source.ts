// The generator's side of the loop's ports, from engine/datagen: browsing sessions as the EventSource,
// and the ground truth (what each customer buys in the days after the as-of time) as the
// GroundTruthSource. Every session's events depend only on (seed, session), so they are generated
// lazily when the session's sender starts.
import { browsingMessages, customerGroup, generatePurchases, groundTruthLabels, type DatagenConfig } from '../datagen/index.js';
import type { EventSource, GroundTruthSource, SessionEvent } from '../ports/pipeline.js';

export class DatagenEventSource implements EventSource {
  constructor(private readonly config: DatagenConfig) {}

  session(index: number): Iterable<SessionEvent> {
    return browsingMessages(this.config, index);
  }
}

/**
 * Labels per customer from the generator's future purchases (0 = buys nothing in the horizon). The
 * history re-sent by every session ends at the same as-of time, so every slice has the same truth.
 */
export class DatagenGroundTruth implements GroundTruthSource {
  private labelsByCustomer: Map<number, number> | null = null;
  constructor(private readonly config: DatagenConfig) {}

  async labels(): Promise<ReadonlyMap<number, number>> {
    if (!this.labelsByCustomer) {
      const customers = Array.from({ length: this.config.customers }, (_, i) => ({ customerID: i + 1, group: customerGroup(i + 1, this.config.customers) }));
      const bought = groundTruthLabels(generatePurchases(this.config, customers, { history: false, future: true }), this.config.asOf, this.config.futureDays);
      this.labelsByCustomer = new Map(customers.map((c) => [c.customerID, bought.get(c.customerID) ?? 0]));
    }
    return this.labelsByCustomer;
  }
}
