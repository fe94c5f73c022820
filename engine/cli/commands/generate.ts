// `c360 generate`: writes a dataset folder (reference CSVs + browsing.jsonl) and prints the per-group summary.
import type { Command } from 'commander';
import { intOption, isoTimeOption } from '../options.js';

export function register(program: Command): void {
  program
    .command('generate')
    .summary('generate a seeded dataset like the original: reference CSVs + browsing.jsonl sessions')
    .description(
      'Generate a seeded dataset like the original solution: customer.csv, purchase.csv, product.csv ' +
        '(the original headerless schemas, with ground-truth purchases in the 3 days after as-of) ' +
        'and browsing.jsonl (one Event Hubs message body per line, one 67-day session per --sessions). ' +
        'Prints, per customer group, mean browsing seconds and purchases per category.',
    )
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option('--customers <n>', 'number of customers (six equal groups)', intOption('--customers', 1, 100_000_000), 6000)
    .option('--seed <n>', 'random seed; the same seed gives byte-identical files', intOption('--seed', 0, 2 ** 32 - 1), 1)
    .option('--sessions <k>', 'sessions to write to browsing.jsonl (each a fresh 67-day history)', intOption('--sessions', 1, 10_000), 1)
    .option('--as-of <iso>', 'as-of time = last browsing day', isoTimeOption('--as-of'), Date.UTC(2017, 2, 8, 6))
    .option('--days <n>', 'browsing days up to and including as-of', intOption('--days', 1, 3650), 67)
    .option('--reference <what>', '"original": use the original customers/purchases/products from data/customer360-original')
    .option('--quiet', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  c360 generate --customers 6000 --seed 7 --out out/data
  c360 generate --customers 60000 --seed 7 --sessions 4 --out out/big
  c360 generate --reference original --seed 7 --out out/original`,
    )
    .action(async (opts: { out: string; customers: number; seed: number; sessions: number; asOf: number; days: number; reference?: string; quiet?: boolean }) => {
      const { datagenConfig, writeDataset, DAY_MS } = await import('../../datagen/index.js');
      const { ProgressBar } = await import('../progress.js');
      const path = await import('node:path');
      const { INSTALL_ROOT } = await import('../../io/install-root.js');
      const { UserError } = await import('../../core/errors.js');
      let reference;
      if (opts.reference !== undefined) {
        if (opts.reference !== 'original') throw new UserError(`--reference takes "original" (got "${opts.reference}")`);
        const dir = path.join(INSTALL_ROOT, 'data/customer360-original');
        reference = { customers: path.join(dir, 'customer.csv'), purchases: path.join(dir, 'purchase.csv'), products: path.join(dir, 'product.csv') };
      }
      if (reference && process.argv.includes('--customers'))
        process.stderr.write('c360 generate: note: --reference original has its own 6,000 customers; --customers is ignored\n');
      const config = datagenConfig({ customers: opts.customers, seed: opts.seed, asOf: opts.asOf, start: opts.asOf - (opts.days - 1) * DAY_MS });
      const bar = new ProgressBar('generate', 0, 'events', Boolean(opts.quiet));
      const t0 = performance.now();
      const result = await writeDataset(config, opts.out, {
        sessions: opts.sessions,
        reference,
        onProgress: (done, total) => {
          bar.setTotal(total);
          bar.update(done);
        },
      });
      bar.done();
      const s = result.summary;
      const out = [
        `Wrote ${opts.out}: ${result.customers.toLocaleString('en-US')} customers, ${result.purchases.toLocaleString('en-US')} purchases ` +
          `(+${result.futurePurchases.toLocaleString('en-US')} after as-of), ${result.events.toLocaleString('en-US')} browsing events in ${opts.sessions} session(s) ` +
          `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        '',
        s.table(),
        '',
      ];
      if (reference) out.push(`Reference tables: original data (${result.skipped.summary()})`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
