// `c360 etl`: loads reference tables and browsing into the SQLite warehouse and runs the ETL SQL.
import type { Command } from 'commander';
// Type-only: erased at run time, so `c360 --help` does not load the warehouse.
import type { EtlCommandOptions } from '../../services/warehouse/etl-command.js';
import { isoTimeOption, intOption } from '../options.js';

export function register(program: Command): void {
  program
    .command('etl')
    .summary('build customer profiles (30 features + label) from browsing + warehouse tables with the ETL SQL')
    .description(
      'Build one customer profile per customer (the 30 feature columns of customer_profile_label.csv + label) ' +
        'from browsing data and the warehouse tables, as of a time, with the ETL SQL over SQLite. ' +
        'Reference tables (customer.csv, purchase.csv, product.csv): an existing warehouse file keeps its ' +
        'own unless --reference is given; a new one loads them from --reference, else from the browsing ' +
        "file's folder when it has them, else from the original data in the repo.",
    )
    .requiredOption('--warehouse <file>', 'SQLite warehouse file (created if missing, reused if present)')
    .requiredOption('--browsing <path>', 'browsing.jsonl (message bodies) or a folder of Stream Analytics CSV output')
    .requiredOption('--out <file>', 'profile CSV to write')
    .option('--reference <dir>', 'folder with customer.csv, purchase.csv, product.csv (replaces the warehouse tables)')
    .option('--as-of <iso>', 'as-of time of the features', isoTimeOption('--as-of'), Date.UTC(2017, 2, 8, 6))
    .option('--seed-compat', "use the original script's date filters (its 3-day window quirk included)")
    .option('--label <mode>', 'future: category bought in the days after as-of; seed: the original rule (3-day spend)', 'future')
    .option('--label-days <n>', 'horizon of the future label in days', intOption('--label-days', 1, 365), 3)
    .option('--quiet', 'print only the summary line')
    .addHelpText(
      'after',
      `
Examples:
  c360 etl --warehouse out/data/wh.sqlite --browsing out/data/browsing.jsonl --as-of 2017-03-08T06:00:00Z --out out/data/profile.csv
  c360 etl --warehouse wh.sqlite --browsing out/asa-output/ --reference data/customer360-original --seed-compat --label seed --out profile.csv`,
    )
    .action(async (opts: EtlCommandOptions) => {
      const { runEtlCommand } = await import('../../services/warehouse/etl-command.js');
      const t0 = performance.now();
      // Phases go to stderr (stdout stays the summary); on a terminal only, so logs and tests stay clean.
      const show = !opts.quiet && process.stderr.isTTY;
      await runEtlCommand(opts, (what) => {
        if (show) process.stderr.write(`etl: ${what} … (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
      });
    });
}
