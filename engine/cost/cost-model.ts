// The cost model: what a deployment costs per hour, per slice, and for a whole run, itemised by
// service. It takes the deployment (capacity units) and the measured usage (billable ingress events,
// storage) and multiplies by the pricing table; nothing here knows where the numbers came from.
//
// Billing rules modelled (spec/event-hubs.md §8.3, spec/stream-analytics.md §6.1):
//  - Event Hubs capacity (TU/PU/CU) is billed per unit-hour; ingress (Basic/Standard only) per million
//    events, where an event of more than 64 KB counts once per started 64 KB.
//  - Stream Analytics per SU-hour (SU V2 fractions 1/3, 2/3 pro rata).
//  - The HDInsight cluster per node-hour, head nodes included: a standing cluster is billed whether or
//    not a slice is running (the original deployment kept one).
//  - Blob storage per GB-month (730 hours) plus per 10,000 write/read operations.
// Run costs are pro-rated to the second; Azure rounds some meters up to whole hours, which matters
// only for runs shorter than an hour and is noted in docs/cost.md.
import type { PricingTable } from './pricing.js';
import { priceOf } from './pricing.js';

/** Bytes in one billable Event Hubs ingress unit. */
export const INGRESS_UNIT_BYTES = 64 * 1024;
/** Hours per month in Azure's storage billing. */
export const HOURS_PER_MONTH = 730;

/** Billable ingress events for one event of `sizeBytes` (at least 1, then one per started 64 KB). */
export function billableIngressEvents(sizeBytes: number): number {
  if (!(sizeBytes >= 0)) throw new RangeError(`event size must be ≥ 0 (got ${sizeBytes})`);
  return Math.max(1, Math.ceil(sizeBytes / INGRESS_UNIT_BYTES));
}

/** Counts billable ingress events as events are accepted. */
export class IngressMeter {
  events = 0;
  billableEvents = 0;
  bytes = 0;
  add(sizeBytes: number, count = 1): void {
    this.events += count;
    this.bytes += sizeBytes * count;
    this.billableEvents += billableIngressEvents(sizeBytes) * count;
  }
}

export interface Deployment {
  eventHubs: { tier: 'basic' | 'standard' | 'premium' | 'dedicated'; throughputUnits: number };
  streamAnalytics: { suModel: 'v1' | 'v2'; streamingUnits: number | '1/3' | '2/3' };
  etlCluster: { workerNodes: number; headNodes: number; nodeSize: string };
}

export interface Usage {
  /** Length of the period the usage covers. */
  hours: number;
  /** Billable ingress events (see IngressMeter). */
  billableIngressEvents: number;
  /** Average bytes held in Blob storage over the period. */
  storedBytes?: number;
  storageWriteOperations?: number;
  storageReadOperations?: number;
}

export interface CostLine {
  service: 'Event Hubs' | 'Stream Analytics' | 'HDInsight' | 'Blob storage';
  item: string;
  quantity: number;
  unit: string;
  priceId: string;
  unitPrice: number;
  cost: number;
}

export interface CostBreakdown {
  currency: string;
  hours: number;
  lines: CostLine[];
  total: number;
  /** total / hours */
  perHour: number;
  byService: Record<CostLine['service'], number>;
}

const CAPACITY_PRICE: Record<Deployment['eventHubs']['tier'], [string, string]> = {
  basic: ['throughputUnitHour', 'TU-hours'],
  standard: ['throughputUnitHour', 'TU-hours'],
  premium: ['processingUnitHour', 'PU-hours'],
  dedicated: ['capacityUnitHour', 'CU-hours'],
};

function suNumber(su: Deployment['streamAnalytics']['streamingUnits']): number {
  return su === '1/3' ? 1 / 3 : su === '2/3' ? 2 / 3 : su;
}

/** Itemised cost of running `deployment` with `usage`. */
export function costOf(pricing: PricingTable, deployment: Deployment, usage: Usage): CostBreakdown {
  if (!(usage.hours >= 0)) throw new RangeError(`hours must be ≥ 0 (got ${usage.hours})`);
  const lines: CostLine[] = [];
  const add = (service: CostLine['service'], item: string, quantity: number, unit: string, priceId: string, per = 1) => {
    const price = priceOf(pricing, priceId, item);
    lines.push({ service, item, quantity, unit, priceId, unitPrice: price.value, cost: (quantity / per) * price.value });
  };
  const { tier, throughputUnits } = deployment.eventHubs;
  const [capacityPrice, capacityUnit] = CAPACITY_PRICE[tier];
  add('Event Hubs', `${tier} capacity`, throughputUnits * usage.hours, capacityUnit, `eventHubs.${tier}.${capacityPrice}`);
  if (tier === 'basic' || tier === 'standard')
    add('Event Hubs', 'ingress events (64 KB units)', usage.billableIngressEvents, 'events', `eventHubs.${tier}.ingressPerMillionEvents`, 1e6);
  const { suModel, streamingUnits } = deployment.streamAnalytics;
  add('Stream Analytics', `streaming units (${suModel.toUpperCase()})`, suNumber(streamingUnits) * usage.hours, 'SU-hours', `streamAnalytics.${suModel}.streamingUnitHour`);
  const { workerNodes, headNodes, nodeSize } = deployment.etlCluster;
  add('HDInsight', `${headNodes} head + ${workerNodes} worker nodes (${nodeSize})`, (headNodes + workerNodes) * usage.hours, 'node-hours', `hdinsight.node.${nodeSize}.hour`);
  if (usage.storedBytes !== undefined)
    add('Blob storage', 'data stored', (usage.storedBytes / 1e9) * (usage.hours / HOURS_PER_MONTH), 'GB-months', 'storage.blob.hot.lrs.gbMonth');
  if (usage.storageWriteOperations !== undefined)
    add('Blob storage', 'write operations', usage.storageWriteOperations, 'operations', 'storage.blob.hot.writePer10k', 1e4);
  if (usage.storageReadOperations !== undefined)
    add('Blob storage', 'read operations', usage.storageReadOperations, 'operations', 'storage.blob.hot.readPer10k', 1e4);

  const total = lines.reduce((s, l) => s + l.cost, 0);
  const byService = { 'Event Hubs': 0, 'Stream Analytics': 0, HDInsight: 0, 'Blob storage': 0 };
  for (const l of lines) byService[l.service] += l.cost;
  return { currency: pricing.currency, hours: usage.hours, lines, total, perHour: usage.hours > 0 ? total / usage.hours : 0, byService };
}

/** Cost of one slice of `sliceMinutes` at the usage rate of `usage` (capacity pro-rated, ingress scaled). */
export function costPerSlice(pricing: PricingTable, deployment: Deployment, usage: Usage, sliceMinutes: number): CostBreakdown {
  if (!(usage.hours > 0)) throw new RangeError('costPerSlice needs usage over a positive number of hours');
  const f = sliceMinutes / 60 / usage.hours;
  return costOf(pricing, deployment, {
    hours: sliceMinutes / 60,
    billableIngressEvents: usage.billableIngressEvents * f,
    storedBytes: usage.storedBytes,
    storageWriteOperations: usage.storageWriteOperations === undefined ? undefined : usage.storageWriteOperations * f,
    storageReadOperations: usage.storageReadOperations === undefined ? undefined : usage.storageReadOperations * f,
  });
}

/** A plain-text table of the breakdown, for CLI output and logs. */
export function formatCost(b: CostBreakdown): string {
  const money = (v: number) => `${b.currency === 'USD' ? '$' : ''}${v.toFixed(4)}${b.currency === 'USD' ? '' : ` ${b.currency}`}`;
  const rows = b.lines.map((l) => [l.service, l.item, `${+l.quantity.toFixed(4)} ${l.unit}`, money(l.cost)]);
  rows.push(['total', `${+b.hours.toFixed(4)} h`, `${money(b.perHour)}/h`, money(b.total)]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')).join('\n');
}
