// Reading the original reference tables (customer.csv, purchase.csv, product.csv — no headers) for
// `c360 generate --reference original`. Malformed rows are reported with file:line, counted, skipped.
import { readCsv } from '../io/csv-file.js';
import type { SkipLog } from '../core/errors.js';
import { CATEGORIES, type Category } from './groups.js';
import type { PurchaseRecord } from './purchases.js';

export const CUSTOMER_COLUMNS = ['customerID', 'age', 'Gender', 'Income', 'HeadofHousehold', 'number_household', 'months_residence'] as const;
export const PURCHASE_COLUMNS = ['datetime', 'customerID', 'ProductID', 'amount_spent'] as const;
export const PRODUCT_COLUMNS = ['ProductID', 'Product_description'] as const;

const INCOMES = new Set(['Less_than_10K', '10K_50K', '50K_100K', 'Greater_than_100K']);
const PURCHASE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export interface ReferenceCustomer {
  customerID: number;
  /** The line as it appeared in the file (copied through unchanged). */
  text: string;
}

function isInt(text: string): boolean {
  return /^-?\d+$/.test(text);
}

/** Why a customer row is malformed, or null when it is fine. */
export function customerRowProblem(f: readonly string[]): string | null {
  if (!isInt(f[0]) || Number(f[0]) < 1) return `customerID: not a positive integer ("${f[0]}")`;
  if (!isInt(f[1])) return `age: not an integer ("${f[1]}")`;
  if (f[2] !== 'M' && f[2] !== 'F') return `Gender: expected M or F ("${f[2]}")`;
  if (!INCOMES.has(f[3])) return `Income: unknown band ("${f[3]}")`;
  if (f[4] !== 'T' && f[4] !== 'F') return `HeadofHousehold: expected T or F ("${f[4]}")`;
  if (!isInt(f[5])) return `number_household: not an integer ("${f[5]}")`;
  if (!isInt(f[6])) return `months_residence: not an integer ("${f[6]}")`;
  return null;
}

/** Parses a purchase row, or returns why it is malformed. */
export function parsePurchaseRow(f: readonly string[]): PurchaseRecord | string {
  const m = PURCHASE_TIME.exec(f[0]);
  const time = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
  if (!m || Number.isNaN(time)) return `datetime: expected YYYY-MM-DD HH:MM:SS ("${f[0]}")`;
  if (!isInt(f[1]) || Number(f[1]) < 1) return `customerID: not a positive integer ("${f[1]}")`;
  if (!CATEGORIES.includes(f[2] as Category)) return `ProductID: expected T1, T2 or T3 ("${f[2]}")`;
  const amount = Number(f[3]);
  if (f[3].trim() === '' || !Number.isFinite(amount) || amount < 0) return `amount_spent: not a non-negative number ("${f[3]}")`;
  return { time, customerID: Number(f[1]), productID: f[2] as Category, amount };
}

export async function readReferenceCustomers(file: string, skips: SkipLog): Promise<ReferenceCustomer[]> {
  const out: ReferenceCustomer[] = [];
  for await (const r of readCsv(file, { columns: CUSTOMER_COLUMNS, skips })) {
    const problem = customerRowProblem(r.fields);
    if (problem) skips.add({ file, line: r.line, reason: problem });
    else out.push({ customerID: Number(r.fields[0]), text: r.fields.map((v, i) => (i === 0 ? v : `"${v}"`)).join(',') });
  }
  return out;
}

export async function readReferencePurchases(file: string, skips: SkipLog): Promise<PurchaseRecord[]> {
  const out: PurchaseRecord[] = [];
  for await (const r of readCsv(file, { columns: PURCHASE_COLUMNS, skips })) {
    const parsed = parsePurchaseRow(r.fields);
    if (typeof parsed === 'string') skips.add({ file, line: r.line, reason: parsed });
    else out.push(parsed);
  }
  return out;
}

export async function readReferenceProducts(file: string, skips: SkipLog): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of readCsv(file, { columns: PRODUCT_COLUMNS, skips })) {
    if (!r.fields[0]) skips.add({ file, line: r.line, reason: 'ProductID: empty' });
    else out.push(r.fields);
  }
  return out;
}
