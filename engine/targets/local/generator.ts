// The data generator behind the loop's ports: browsing sessions as the original WebJob sent them, and
// the warehouse's reference tables (customers, purchases — history and the 3 days after as-of that
// are the ground truth — and products) generated from the same seed.
import type { EventSource, SessionEvent } from '../../ports/pipeline.js';
import {
  DAY_MS,
  PRODUCTS,
  browsingMessages,
  customerGroup,
  datagenConfig,
  formatPurchaseTime,
  generateCustomers,
  generatePurchases,
  type DatagenConfig,
} from '../../datagen/index.js';
import type { CustomerRow, PurchaseRow, Warehouse } from '../../services/warehouse/index.js';
import { MAX_PREFETCHED_SESSIONS, SessionPrefetch } from './session-prefetch.js';

export function generatorConfig(g: { customers: number; historyDays: number; historyStart: string; sampleFraction: number }, seed: number): DatagenConfig {
  const start = Date.parse(g.historyStart);
  return datagenConfig({ customers: g.customers, seed, start, asOf: start + (g.historyDays - 1) * DAY_MS, sampleFraction: g.sampleFraction });
}

export class GeneratedSessions implements EventSource {
  private readonly prefetch: SessionPrefetch | undefined;

  /** With `prefetchSessions`, those sessions' first blocks are made ahead on a worker thread (session-prefetch.ts). */
  constructor(
    private readonly config: DatagenConfig,
    prefetchSessions = 0,
  ) {
    const sessions = Array.from({ length: Math.min(prefetchSessions, MAX_PREFETCHED_SESSIONS) }, (_, i) => i);
    this.prefetch = sessions.length > 0 ? new SessionPrefetch(config, sessions) : undefined;
  }

  session(index: number): Iterable<SessionEvent> {
    const prefetch = this.prefetch;
    return prefetch?.covers(index) ? browsingMessages(this.config, index, () => prefetch.take(index)) : browsingMessages(this.config, index);
  }

  close(): void {
    this.prefetch?.close();
  }
}

interface ReferenceRows {
  customers: CustomerRow[];
  purchases: PurchaseRow[];
}

/** The last generated reference tables: a sweep's combinations share one population, generated once. */
let lastReference: { key: string; rows: ReferenceRows } | undefined;

function referenceRows(config: DatagenConfig): ReferenceRows {
  const key = JSON.stringify(config);
  if (lastReference?.key === key) return lastReference.rows;
  const customers: CustomerRow[] = [];
  for (const c of generateCustomers(config))
    customers.push({
      customerID: c.customerID,
      age: c.age,
      Gender: c.gender,
      Income: c.income,
      HeadofHousehold: c.headOfHousehold,
      number_household: c.numberHousehold,
      months_residence: c.monthsResidence,
    });
  const ids = function* () {
    for (let id = 1; id <= config.customers; id++) yield { customerID: id, group: customerGroup(id, config.customers) };
  };
  const purchases: PurchaseRow[] = [];
  for (const p of generatePurchases(config, ids()))
    purchases.push({ datetime: formatPurchaseTime(p.time), customerID: p.customerID, ProductID: p.productID, amount_spent: p.amount });
  lastReference = { key, rows: { customers, purchases } };
  return lastReference.rows;
}

/** Fills Customer, Purchase and Product; returns the row counts. */
export function loadGeneratedReference(warehouse: Warehouse, config: DatagenConfig): { customers: number; purchases: number } {
  const { customers, purchases } = referenceRows(config);
  warehouse.clearReference();
  warehouse.insertCustomers(customers);
  warehouse.insertPurchases(purchases);
  warehouse.insertProducts(PRODUCTS.map(([ProductID, Product_description]) => ({ ProductID, Product_description })));
  return { customers: customers.length, purchases: purchases.length };
}
