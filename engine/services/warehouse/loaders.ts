// Loaders: the original headerless reference CSVs, browsing as JSONL message bodies, and browsing as
// a folder of Stream Analytics CSV output. A malformed row is reported (file:line and why), counted
// in the SkipLog and skipped; a missing file or column is a UserError. Rows go in batches.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SkipLog, UserError } from '../../core/errors.js';
import { readCsv } from '../../io/csv-file.js';
import { readLines } from '../../io/lines.js';
import { TimestampCache, parseTimestamp } from './timestamps.js';
import { DEFAULT_BATCH_SIZE, type BrowsingRow, type CustomerRow, type PurchaseRow, type Warehouse } from './warehouse.js';

export const CUSTOMER_CSV_COLUMNS = ['customerID', 'age', 'Gender', 'Income', 'HeadofHousehold', 'number_household', 'months_residence'];
export const PURCHASE_CSV_COLUMNS = ['datetime', 'customerID', 'ProductID', 'amount_spent'];
export const PRODUCT_CSV_COLUMNS = ['ProductID', 'Product_description'];
export const BROWSING_FIELDS = ['userdatetime', 'customerid', 'category_t1', 'category_t2', 'category_t3'] as const;

const INCOMES = new Set(['Less_than_10K', '10K_50K', '50K_100K', 'Greater_than_100K']);
const INT = /^-?\d+$/;

/** Collects rows and hands them to `flush` in batches. */
class Batcher<T> {
  private rows: T[] = [];
  total = 0;
  constructor(private readonly flush: (rows: T[]) => void, private readonly size = DEFAULT_BATCH_SIZE) {}
  add(row: T): void {
    this.rows.push(row);
    this.total++;
    if (this.rows.length >= this.size) this.end();
  }
  end(): void {
    if (this.rows.length) this.flush(this.rows);
    this.rows = [];
  }
}

export function parseCustomerFields(f: readonly string[]): CustomerRow | string {
  if (!INT.test(f[0]) || Number(f[0]) < 1) return `customerID: not a positive integer ("${f[0]}")`;
  if (!INT.test(f[1])) return `age: not an integer ("${f[1]}")`;
  if (f[2] !== 'M' && f[2] !== 'F') return `Gender: expected M or F ("${f[2]}")`;
  if (!INCOMES.has(f[3])) return `Income: unknown income band ("${f[3]}")`;
  if (f[4] !== 'T' && f[4] !== 'F') return `HeadofHousehold: expected T or F ("${f[4]}")`;
  if (!INT.test(f[5])) return `number_household: not an integer ("${f[5]}")`;
  if (!INT.test(f[6])) return `months_residence: not an integer ("${f[6]}")`;
  return {
    customerID: Number(f[0]), age: Number(f[1]), Gender: f[2], Income: f[3], HeadofHousehold: f[4],
    number_household: Number(f[5]), months_residence: Number(f[6]),
  };
}

const PURCHASE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function parsePurchaseFields(f: readonly string[]): PurchaseRow | string {
  if (!PURCHASE_TIME.test(f[0]) || Number.isNaN(parseTimestamp(f[0]))) return `datetime: expected YYYY-MM-DD HH:MM:SS ("${f[0]}")`;
  if (!INT.test(f[1]) || Number(f[1]) < 1) return `customerID: not a positive integer ("${f[1]}")`;
  if (!f[2]) return 'ProductID: empty';
  const amount = Number(f[3]);
  if (f[3].trim() === '' || !Number.isFinite(amount) || amount < 0) return `amount_spent: not a non-negative number ("${f[3]}")`;
  return { datetime: f[0], customerID: Number(f[1]), ProductID: f[2], amount_spent: amount };
}

export async function loadCustomersCsv(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const b = new Batcher<CustomerRow>((rows) => wh.insertCustomers(rows));
  for await (const r of readCsv(file, { columns: CUSTOMER_CSV_COLUMNS, skips })) {
    const row = parseCustomerFields(r.fields);
    if (typeof row === 'string') skips.add({ file, line: r.line, reason: row });
    else b.add(row);
  }
  b.end();
  return b.total;
}

export async function loadPurchasesCsv(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const b = new Batcher<PurchaseRow>((rows) => wh.insertPurchases(rows));
  for await (const r of readCsv(file, { columns: PURCHASE_CSV_COLUMNS, skips })) {
    const row = parsePurchaseFields(r.fields);
    if (typeof row === 'string') skips.add({ file, line: r.line, reason: row });
    else b.add(row);
  }
  b.end();
  return b.total;
}

export async function loadProductsCsv(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const b = new Batcher<{ ProductID: string; Product_description: string }>((rows) => wh.insertProducts(rows));
  for await (const r of readCsv(file, { columns: PRODUCT_CSV_COLUMNS, skips })) {
    if (!r.fields[0]) skips.add({ file, line: r.line, reason: 'ProductID: empty' });
    else b.add({ ProductID: r.fields[0], Product_description: r.fields[1] });
  }
  b.end();
  return b.total;
}

export interface ReferenceDir {
  customers: string;
  purchases: string;
  products: string;
}

export function referenceFiles(dir: string): ReferenceDir {
  return { customers: path.join(dir, 'customer.csv'), purchases: path.join(dir, 'purchase.csv'), products: path.join(dir, 'product.csv') };
}

/** Replaces Customer, Purchase and Product with the CSVs of a reference folder. */
export async function loadReference(wh: Warehouse, dir: string, skips = new SkipLog()): Promise<{ customers: number; purchases: number; products: number }> {
  const files = referenceFiles(dir);
  wh.clearReference();
  const customers = await loadCustomersCsv(wh, files.customers, skips);
  const purchases = await loadPurchasesCsv(wh, files.purchases, skips);
  const products = await loadProductsCsv(wh, files.products, skips);
  return { customers, purchases, products };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/** Validates one browsing record (message body or CSV row); returns the row or why it is malformed. */
export function browsingRow(values: Record<string, unknown>, times: TimestampCache): BrowsingRow | string {
  const when = values.userdatetime;
  if (typeof when !== 'string') return when === undefined ? 'userdatetime: missing' : 'userdatetime: not a string';
  const ts = times.parse(when);
  if (Number.isNaN(ts)) return `userdatetime: not an ISO-8601 time ("${when}")`;
  const id = toNumber(values.customerid);
  if (!Number.isInteger(id) || id < 1) return values.customerid === undefined ? 'customerid: missing' : `customerid: not a positive integer (${JSON.stringify(values.customerid)})`;
  const t: number[] = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const name = BROWSING_FIELDS[k + 2];
    const v = toNumber(values[name]);
    if (!Number.isFinite(v)) return values[name] === undefined ? `${name}: missing` : `${name}: not a number (${JSON.stringify(values[name])})`;
    t[k] = v;
  }
  return { customerID: id, ts, t1: t[0], t2: t[1], t3: t[2] };
}

/** Appends a JSONL file of message bodies to Browsing. Returns the number of rows loaded. */
export async function loadBrowsingJsonl(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const b = new Batcher<BrowsingRow>((rows) => wh.insertBrowsing(rows));
  const times = new TimestampCache();
  for await (const { text, line } of readLines(file)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      skips.add({ file, line, reason: `not JSON: ${(e as Error).message}` });
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      skips.add({ file, line, reason: 'not a JSON object' });
      continue;
    }
    const row = browsingRow(value as Record<string, unknown>, times);
    if (typeof row === 'string') skips.add({ file, line, reason: row });
    else b.add(row);
  }
  b.end();
  return b.total;
}

async function csvFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await csvFilesUnder(full)));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.csv')) out.push(full);
  }
  return out.sort();
}

/**
 * Appends every *.csv under `dir` (recursively, in path order) — Stream Analytics output with header
 * `userdatetime,customerid,category_t1,category_t2,category_t3,partitionid` — to Browsing.
 */
export async function loadBrowsingCsvFolder(wh: Warehouse, dir: string, skips = new SkipLog()): Promise<{ rows: number; files: number }> {
  const files = await csvFilesUnder(dir);
  if (files.length === 0) throw new UserError('no .csv files found in the browsing folder', { file: dir });
  const b = new Batcher<BrowsingRow>((rows) => wh.insertBrowsing(rows));
  const times = new TimestampCache();
  for (const file of files) {
    for await (const r of readCsv(file, { required: BROWSING_FIELDS, skips })) {
      const row = browsingRow(r.values, times);
      if (typeof row === 'string') skips.add({ file, line: r.line, reason: row });
      else b.add(row);
    }
  }
  b.end();
  return { rows: b.total, files: files.length };
}

/** Loads browsing from a JSONL file or a folder of Stream Analytics CSV output. */
export async function loadBrowsing(wh: Warehouse, source: string, skips = new SkipLog()): Promise<{ rows: number; files: number }> {
  let isDir: boolean;
  try {
    isDir = (await stat(source)).isDirectory();
  } catch {
    throw new UserError('browsing file or folder not found', { file: source });
  }
  if (isDir) return loadBrowsingCsvFolder(wh, source, skips);
  return { rows: await loadBrowsingJsonl(wh, source, skips), files: 1 };
}
