// The pricing table: every price the cost model uses, each with its unit, source and as-of date, loaded
// from an editable JSON file (default: the shipped engine/cost/pricing.json). A scenario can point at
// its own file and override single prices; an unknown price id is an error, never silently ignored.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError, type ErrorLocation } from '../core/errors.js';

export const DEFAULT_PRICING_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pricing.json');

const priceSchema = z.strictObject({
  value: z.number().min(0),
  unit: z.string().min(1),
  source: z.string().min(1),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-11-28'),
  status: z.enum(['official', 'guide', 'unverified', 'override']),
});

const pricingSchema = z.strictObject({
  $comment: z.string().optional(),
  currency: z.string().min(1),
  region: z.string().min(1),
  prices: z.record(z.string().regex(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)+$/, 'price ids are dotted names'), priceSchema),
});

export type Price = z.output<typeof priceSchema>;
export type PricingTable = z.output<typeof pricingSchema> & { file: string };

/** Reads and validates a pricing file; errors name the file and the offending field. */
export function loadPricing(file: string = DEFAULT_PRICING_FILE): PricingTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UserError(`cannot read pricing file: ${reason}`, { file });
  }
  const parsed = pricingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(issue.message, { file, field: issue.path.map(String).join('.') || undefined });
  }
  return { ...parsed.data, file };
}

/**
 * A copy of the table with some prices replaced (a scenario's cost.overrides). `where` locates the
 * overrides (or, as a function, each overridden id) in the scenario file for errors.
 */
export function withOverrides(
  table: PricingTable,
  overrides: Record<string, number>,
  locate: ErrorLocation | ((id: string) => ErrorLocation) = {},
): PricingTable {
  const prices = { ...table.prices };
  for (const [id, value] of Object.entries(overrides)) {
    const where = typeof locate === 'function' ? locate(id) : locate;
    const existing = prices[id];
    if (!existing)
      throw new UserError(`unknown price id "${id}"; ids in ${path.basename(table.file)}: ${Object.keys(prices).join(', ')}`, {
        ...where,
        field: `cost.overrides.${id}`,
      });
    if (!(value >= 0) || !Number.isFinite(value))
      throw new UserError(`price must be a finite number ≥ 0 (got ${value})`, { ...where, field: `cost.overrides.${id}` });
    prices[id] = { ...existing, value, status: 'override', source: 'scenario cost.overrides' };
  }
  return { ...table, prices };
}

/** Looks up a price; a missing id names what is priced in the same family. */
export function priceOf(table: PricingTable, id: string, what: string): Price {
  const price = table.prices[id];
  if (price) return price;
  const family = id.split('.').slice(0, 2).join('.');
  const known = Object.keys(table.prices).filter((k) => k.startsWith(family + '.'));
  throw new UserError(`no price "${id}" for ${what}${known.length ? `; priced: ${known.join(', ')}` : ''}`, { file: table.file, field: `prices.${id}` });
}
