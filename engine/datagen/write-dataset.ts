// Writes a dataset folder: customer.csv, purchase.csv, product.csv (the original headerless schemas)
// and browsing.jsonl (one message body per line, sessions one after another). Everything streams:
// rows are formatted into a buffer that is flushed every ~1 MB, so memory stays flat for 1M customers.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SkipLog, UserError } from '../core/errors.js';
import type { DatagenConfig } from './config.js';
import { generateCustomers, formatCustomerRow } from './customers.js';
import { generatePurchases, formatPurchaseRow, type PurchaseRecord } from './purchases.js';
import { sessionBlocks, sessionEventCount, userDatetimes } from './browsing.js';
import { ByteLineFile, ascii } from './byte-lines.js';
import { customerGroup } from './groups.js';
import { DatasetSummary } from './summary.js';
import { readReferenceCustomers, readReferenceProducts, readReferencePurchases } from './reference.js';

export const PRODUCTS: readonly (readonly [string, string])[] = [
  ['T1', 'Technology'],
  ['T2', 'Apparel'],
  ['T3', 'Cosmetics'],
];

/** Buffered synchronous line writer (sync writes keep output order and bytes trivially deterministic). */
class LineFile {
  private fd: number;
  private buffer = '';
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  line(text: string): void {
    this.buffer += text + '\n';
    if (this.buffer.length > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface ReferenceFiles {
  customers: string;
  purchases: string;
  products: string;
}

export interface WriteDatasetOptions {
  sessions?: number;
  /** Use these reference tables (e.g. the original data) instead of generating customers and purchases. */
  reference?: ReferenceFiles;
  /** Called now and then with (events written, events total). */
  onProgress?: (done: number, total: number) => void;
}

export interface WriteDatasetResult {
  summary: DatasetSummary;
  files: { customers: string; purchases: string; products: string; browsing: string };
  customers: number;
  purchases: number;
  futurePurchases: number;
  events: number;
  skipped: SkipLog;
}

export async function writeDataset(config: DatagenConfig, outDir: string, options: WriteDatasetOptions = {}): Promise<WriteDatasetResult> {
  const sessions = options.sessions ?? 1;
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot create the output folder: ${(e as Error).message}`, { file: outDir });
  }
  const files = {
    customers: path.join(outDir, 'customer.csv'),
    purchases: path.join(outDir, 'purchase.csv'),
    products: path.join(outDir, 'product.csv'),
    browsing: path.join(outDir, 'browsing.jsonl'),
  };
  const skipped = new SkipLog();
  let purchases = 0;
  let futurePurchases = 0;
  let summary: DatasetSummary;
  const countPurchase = (p: PurchaseRecord) => {
    if (p.time > config.asOf) futurePurchases++;
    else purchases++;
    summary.addPurchase(p);
  };

  if (options.reference) {
    const ref = options.reference;
    const customers = await readReferenceCustomers(ref.customers, skipped);
    const history = await readReferencePurchases(ref.purchases, skipped);
    const products = await readReferenceProducts(ref.products, skipped);
    const maxId = customers.reduce((m, c) => Math.max(m, c.customerID), 0);
    // Browsing covers ids 1..max id, grouped in six blocks as in the original.
    config = { ...config, customers: Math.max(1, maxId) };
    const n = config.customers;
    summary = new DatasetSummary((id) => customerGroup(id, n), config.asOf);
    const cf = new LineFile(files.customers);
    for (const c of customers) {
      cf.line(c.text);
      summary.addCustomer(c.customerID);
    }
    cf.close();
    const pf = new LineFile(files.purchases);
    for (const p of history) {
      pf.line(formatPurchaseRow(p));
      countPurchase(p);
    }
    // The original has no purchases after as-of; add the ground truth so the `future` label exists.
    const groups = customers.map((c) => ({ customerID: c.customerID, group: customerGroup(c.customerID, n) }));
    for (const p of generatePurchases(config, groups, { history: false, future: true })) {
      pf.line(formatPurchaseRow(p));
      countPurchase(p);
    }
    pf.close();
    const prf = new LineFile(files.products);
    for (const p of products) prf.line(p.join(','));
    prf.close();
  } else {
    const n = config.customers;
    summary = new DatasetSummary((id) => customerGroup(id, n), config.asOf);
    const cf = new LineFile(files.customers);
    const pf = new LineFile(files.purchases);
    for (const c of generateCustomers(config)) {
      cf.line(formatCustomerRow(c));
      summary.addCustomer(c.customerID);
      for (const p of generatePurchases(config, [c])) {
        pf.line(formatPurchaseRow(p));
        countPurchase(p);
      }
    }
    cf.close();
    pf.close();
    const prf = new LineFile(files.products);
    for (const [id, name] of PRODUCTS) prf.line(`${id},${name}`);
    prf.close();
  }

  const total = sessionEventCount(config) * sessions;
  const events = writeSessions(config, sessions, files.browsing, summary, (done) => options.onProgress?.(done, total));
  options.onProgress?.(events, total);
  summary.sessions = sessions;
  return { summary, files, customers: summary.totalCustomers, purchases, futurePurchases, events, skipped };
}

/**
 * Writes the sessions' message bodies, one per line — byte for byte what formatBrowsingBody gives
 * (a test checks it) — without building a string per event.
 */
function writeSessions(config: DatagenConfig, sessions: number, file: string, summary: DatasetSummary, onProgress: (done: number) => void): number {
  const prefixes = userDatetimes(config).map((s) => ascii(`{"userdatetime":"${s}","customerid":`));
  const t1 = ascii(',"category_t1":');
  const t2 = ascii(',"category_t2":');
  const t3 = ascii(',"category_t3":');
  const out = new ByteLineFile(file);
  const n = config.customers;
  let events = 0;
  for (let s = 0; s < sessions; s++) {
    for (const { firstId, days, values, picks } of sessionBlocks(config, s)) {
      for (let i = 0; i < picks.length; i++) {
        const row = picks[i];
        const c = (row / days) | 0;
        const id = firstId + c;
        const v = row * 3;
        out.reserve(256);
        out.bytes(prefixes[row - c * days]);
        out.int(id);
        out.bytes(t1);
        out.tenths(values[v]);
        out.bytes(t2);
        out.tenths(values[v + 1]);
        out.bytes(t3);
        out.tenths(values[v + 2]);
        out.byte(125); // '}'
        out.byte(10); // '\n'
        summary.addEventTenths(customerGroup(id, n), values[v], values[v + 1], values[v + 2]);
        if (++events % 16384 === 0) onProgress(events);
      }
    }
  }
  out.close();
  return events;
}
