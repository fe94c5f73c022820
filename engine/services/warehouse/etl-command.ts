// What `c360 etl` does, as one function the CLI calls: open/create the warehouse, make sure it has
// reference tables, load the browsing data, build the profiles, write the CSV, print a summary.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SkipLog, UserError } from '../../core/errors.js';
import { INSTALL_ROOT } from '../../io/install-root.js';
import { Warehouse } from './warehouse.js';
import { loadBrowsing, loadReference, referenceFiles } from './loaders.js';
import { buildProfiles, writeProfilesCsv, type LabelMode } from './etl.js';

export const ORIGINAL_DATA_DIR = path.join(INSTALL_ROOT, 'data/customer360-original');

export interface EtlCommandOptions {
  warehouse: string;
  browsing: string;
  reference?: string;
  asOf: number;
  seedCompat?: boolean;
  label: string;
  labelDays: number;
  out: string;
  quiet?: boolean;
}

function hasReference(dir: string): boolean {
  const f = referenceFiles(dir);
  return existsSync(f.customers) && existsSync(f.purchases) && existsSync(f.products);
}

/** Which reference folder to load, or null to keep the warehouse's own tables. */
export function chooseReference(opts: { reference?: string; browsing: string }, warehouseHasCustomers: boolean): string | null {
  if (opts.reference !== undefined) {
    if (!hasReference(opts.reference)) throw new UserError('reference folder must contain customer.csv, purchase.csv and product.csv', { file: opts.reference });
    return opts.reference;
  }
  if (warehouseHasCustomers) return null;
  // A browsing file's folder is where `c360 generate` put the reference CSVs next to it. A browsing
  // folder holds only Stream Analytics output (every *.csv in it is read as browsing).
  const isFile = existsSync(opts.browsing) && statSync(opts.browsing).isFile();
  if (isFile && hasReference(path.dirname(opts.browsing))) return path.dirname(opts.browsing);
  return ORIGINAL_DATA_DIR;
}

/** `onPhase` hears what is being done (the CLI shows it on stderr for long runs). */
export async function runEtlCommand(opts: EtlCommandOptions, onPhase: (what: string) => void = () => {}): Promise<void> {
  if (opts.label !== 'future' && opts.label !== 'seed') throw new UserError(`--label must be future or seed (got "${opts.label}")`);
  if (!existsSync(opts.browsing)) throw new UserError('browsing file or folder not found', { file: opts.browsing });
  for (const file of [opts.out, opts.warehouse]) {
    try {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (e) {
      throw new UserError(`cannot create the folder for this file: ${(e as Error).message}`, { file });
    }
  }
  const t0 = performance.now();
  const wh = new Warehouse(opts.warehouse);
  const skips = new SkipLog();
  const lines: string[] = [];
  try {
    const reference = chooseReference(opts, wh.count('Customer') > 0);
    if (reference) {
      onPhase(`loading reference tables from ${reference}`);
      const r = await loadReference(wh, reference, skips);
      lines.push(`reference: ${reference} (${r.customers} customers, ${r.purchases} purchases, ${r.products} products)`);
    } else {
      lines.push(`reference: kept the warehouse's tables (${wh.count('Customer')} customers, ${wh.count('Purchase')} purchases)`);
    }
    onPhase(`loading browsing from ${opts.browsing}`);
    wh.clearBrowsing();
    const b = await loadBrowsing(wh, opts.browsing, skips);
    lines.push(`browsing: ${b.rows} rows from ${b.files} file(s)`);
    onPhase(`building profiles (${b.rows.toLocaleString('en-US')} browsing rows)`);
    const result = buildProfiles(wh.db, {
      asOf: opts.asOf,
      seedCompat: opts.seedCompat,
      labelMode: opts.label as LabelMode,
      labelDays: opts.labelDays,
    });
    await writeProfilesCsv(wh.db, opts.out);
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    const head =
      `Wrote ${opts.out}: ${result.rows} profiles as of ${new Date(opts.asOf).toISOString()} ` +
      `(${opts.seedCompat ? 'seedCompat windows' : 'as-of windows'}, label ${opts.label}: ` +
      `0=${result.labels[0]} 1=${result.labels[1]} 2=${result.labels[2]} 3=${result.labels[3]}) in ${secs} s`;
    const out = opts.quiet ? [head] : [head, ...lines.map((l) => '  ' + l)];
    out.push(`  input: ${skips.summary()}`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    wh.closeSync();
  }
}
