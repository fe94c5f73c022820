// Loaders: the original headerless reference CSVs, browsing as JSONL message bodies, and browsing as
// a folder of Stream Analytics CSV output. A malformed row is reported (file:line and why), counted
// in the SkipLog and skipped; a missing file or column is a UserError. Rows go in batches.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SkipLog, UserError } from '../../core/errors.js';
import { readCsv } from '../../io/csv-file.js';
import { CsvSyntaxError, parseCsvLine } from '../../core/csv.js';
import { assertReadableFile } from '../../io/lines.js';
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

/**
 * Reads a headerless CSV with `columns`, calling `onRow` for each well-formed row (fields as strings);
 * blank lines are ignored, rows with a wrong field count or broken quoting are skipped and logged.
 */
async function scanHeaderlessCsv(file: string, columns: readonly string[], skips: SkipLog, onRow: (f: string[], line: number) => void): Promise<void> {
  await scanLines(file, (text, line) => {
    if (text.length === 0) return;
    let fields: string[];
    try {
      fields = parseCsvLine(line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      skips.add({ file, line, reason: e instanceof CsvSyntaxError ? e.message : String(e) });
      return;
    }
    if (fields.length !== columns.length) skips.add({ file, line, reason: `expected ${columns.length} fields, found ${fields.length}` });
    else onRow(fields, line);
  });
}

export async function loadCustomersCsv(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const b = new Batcher<CustomerRow>((rows) => wh.insertCustomers(rows));
  await scanHeaderlessCsv(file, CUSTOMER_CSV_COLUMNS, skips, (fields, line) => {
    const row = parseCustomerFields(fields);
    if (typeof row === 'string') skips.add({ file, line, reason: row });
    else b.add(row);
  });
  b.end();
  return b.total;
}

export async function loadPurchasesCsv(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const b = new Batcher<PurchaseRow>((rows) => wh.insertPurchases(rows));
  await scanHeaderlessCsv(file, PURCHASE_CSV_COLUMNS, skips, (fields, line) => {
    const row = parsePurchaseFields(fields);
    if (typeof row === 'string') skips.add({ file, line, reason: row });
    else b.add(row);
  });
  b.end();
  return b.total;
}

export async function loadProductsCsv(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const b = new Batcher<{ ProductID: string; Product_description: string }>((rows) => wh.insertProducts(rows));
  await scanHeaderlessCsv(file, PRODUCT_CSV_COLUMNS, skips, (fields, line) => {
    if (!fields[0]) skips.add({ file, line, reason: 'ProductID: empty' });
    else b.add({ ProductID: fields[0], Product_description: fields[1] });
  });
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
  // Check all three first, so a missing file leaves the warehouse's current tables untouched.
  for (const f of [files.customers, files.purchases, files.products]) await assertReadableFile(f, 'reference file');
  return wh.bulkLoad(async () => {
    wh.clearReference();
    const customers = await loadCustomersCsv(wh, files.customers, skips);
    const purchases = await loadPurchasesCsv(wh, files.purchases, skips);
    const products = await loadProductsCsv(wh, files.products, skips);
    return { customers, purchases, products };
  });
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

/**
 * Calls `onLine` for every line with its 1-based number. Lines of each 1 MB chunk are handled in a
 * plain loop (an async generator per line costs more than parsing the line).
 */
async function scanLines(file: string, onLine: (text: string, line: number) => void): Promise<void> {
  await assertReadableFile(file);
  let rest = '';
  let line = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      onLine(text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl), ++line);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++line);
}

/**
 * The generator's exact shape, read without JSON.parse (about twice as fast); anything else —
 * other key orders, spacing, strings for numbers — takes the general JSON path.
 */
const GENERATED_BODY = /^\{"userdatetime":"([^"\\]*)","customerid":(\d+),"category_t1":(-?\d+(?:\.\d+)?),"category_t2":(-?\d+(?:\.\d+)?),"category_t3":(-?\d+(?:\.\d+)?)\}$/;

/** Appends a JSONL file of message bodies to Browsing. Returns the number of rows loaded. */
export async function loadBrowsingJsonl(wh: Warehouse, file: string, skips = new SkipLog()): Promise<number> {
  const times = new TimestampCache();
  let flat: number[] = [];
  let total = 0;
  const flush = () => {
    wh.insertBrowsingFlat(flat);
    flat = [];
  };
  await scanLines(file, (text, line) => {
    const m = GENERATED_BODY.exec(text);
    if (m) {
      const ts = times.parse(m[1]);
      const id = Number(m[2]);
      if (!Number.isNaN(ts) && id >= 1) {
        flat.push(id, ts, Number(m[3]), Number(m[4]), Number(m[5]));
        if (++total % DEFAULT_BATCH_SIZE === 0) flush();
        return;
      }
    }
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      skips.add({ file, line, reason: `not JSON: ${(e as Error).message}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      skips.add({ file, line, reason: 'not a JSON object' });
      return;
    }
    const row = browsingRow(value as Record<string, unknown>, times);
    if (typeof row === 'string') {
      skips.add({ file, line, reason: row });
      return;
    }
    flat.push(row.customerID, row.ts, row.t1, row.t2, row.t3);
    if (++total % DEFAULT_BATCH_SIZE === 0) flush();
  });
  flush();
  return total;
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
  return wh.bulkLoad(async () => (isDir ? loadBrowsingCsvFolder(wh, source, skips) : { rows: await loadBrowsingJsonl(wh, source, skips), files: 1 }));
}

/**
 * Appends one Stream Analytics CSV output object already in memory (e.g. read from the blob store by
 * the pipeline) to Browsing. `name` is used in skip reports and errors in place of a file path.
 */
export function loadBrowsingCsvText(wh: Warehouse, name: string, text: string, skips = new SkipLog()): number {
  const times = new TimestampCache();
  let columns: string[] | null = null;
  let index: number[] = [];
  let flat: number[] = [];
  let total = 0;
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (row.length === 0) continue;
    let fields: string[];
    try {
      fields = parseCsvLine(row);
    } catch (e) {
      if (!columns) throw new UserError(`cannot parse CSV header: ${(e as Error).message}`, { file: name, line });
      skips.add({ file: name, line, reason: (e as Error).message });
      continue;
    }
    if (!columns) {
      columns = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
      for (const f of BROWSING_FIELDS) if (!columns.includes(f)) throw new UserError(`missing column "${f}" (header has: ${columns.join(', ')})`, { file: name, line });
      index = BROWSING_FIELDS.map((f) => columns!.indexOf(f));
      continue;
    }
    if (fields.length !== columns.length) {
      skips.add({ file: name, line, reason: `expected ${columns.length} fields, found ${fields.length}` });
      continue;
    }
    const values: Record<string, string> = {};
    BROWSING_FIELDS.forEach((f, i) => (values[f] = fields[index[i]]));
    const parsed = browsingRow(values, times);
    if (typeof parsed === 'string') {
      skips.add({ file: name, line, reason: parsed });
      continue;
    }
    flat.push(parsed.customerID, parsed.ts, parsed.t1, parsed.t2, parsed.t3);
    if (++total % DEFAULT_BATCH_SIZE === 0) {
      wh.insertBrowsingFlat(flat);
      flat = [];
    }
  }
  wh.insertBrowsingFlat(flat);
  return total;
}
