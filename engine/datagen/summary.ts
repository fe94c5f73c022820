// Per-group summary of a generated dataset: what `c360 generate` prints, so the focus groups can be
// seen at a glance (group 1 browses and buys T1; group 4 browses and buys T2/T3).
import { CATEGORIES, GROUPS } from './groups.js';
import type { BrowsingEvent } from './browsing.js';
import type { PurchaseRecord } from './purchases.js';

export interface GroupStats {
  group: number;
  label: string;
  customers: number;
  events: number;
  /** Sum of browsing seconds per category over the group's events. */
  seconds: [number, number, number];
  /** History purchases per category (at or before as-of). */
  purchases: [number, number, number];
  /** Ground-truth purchases per category (after as-of). */
  futurePurchases: [number, number, number];
}

export class DatasetSummary {
  readonly groups: GroupStats[] = GROUPS.map((g) => ({
    group: g.group,
    label: g.label,
    customers: 0,
    events: 0,
    seconds: [0, 0, 0],
    purchases: [0, 0, 0],
    futurePurchases: [0, 0, 0],
  }));
  sessions = 0;

  constructor(private readonly groupOf: (customerId: number) => number, private readonly asOf: number) {}

  addCustomer(customerId: number): void {
    this.groups[this.groupOf(customerId) - 1].customers++;
  }

  addEvent(e: BrowsingEvent): void {
    const g = this.groups[this.groupOf(e.customerid) - 1];
    g.events++;
    g.seconds[0] += e.category_t1;
    g.seconds[1] += e.category_t2;
    g.seconds[2] += e.category_t3;
  }

  /** The same as addEvent, from the generator's raw form (group, tenths of a second). */
  addEventTenths(group: number, t1: number, t2: number, t3: number): void {
    const g = this.groups[group - 1];
    g.events++;
    g.seconds[0] += t1 / 10;
    g.seconds[1] += t2 / 10;
    g.seconds[2] += t3 / 10;
  }

  addPurchase(p: PurchaseRecord): void {
    const g = this.groups[this.groupOf(p.customerID) - 1];
    if (!g) return;
    const idx = CATEGORIES.indexOf(p.productID);
    (p.time > this.asOf ? g.futurePurchases : g.purchases)[idx]++;
  }

  get totalEvents(): number {
    return this.groups.reduce((s, g) => s + g.events, 0);
  }

  get totalCustomers(): number {
    return this.groups.reduce((s, g) => s + g.customers, 0);
  }

  /** A plain-text table, one row per group. */
  table(): string {
    const head = ['group', 'description', 'customers', 'events', 'mean T1 s', 'mean T2 s', 'mean T3 s', 'buys T1', 'buys T2', 'buys T3', 'after as-of'];
    const rows = this.groups.map((g) => [
      String(g.group),
      g.label,
      g.customers.toLocaleString('en-US'),
      g.events.toLocaleString('en-US'),
      ...g.seconds.map((s) => (g.events ? (s / g.events).toFixed(1) : '-')),
      ...g.purchases.map((n) => n.toLocaleString('en-US')),
      g.futurePurchases.reduce((a, b) => a + b, 0).toLocaleString('en-US'),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  }
}
