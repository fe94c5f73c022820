// `c360 run SCENARIO --out DIR`: the whole Customer 360 pipeline from a scenario file on the local
// target, with a progress bar; writes the run report (or, for a matrix, one sub-folder per combination,
// matrix.csv and matrix.html; with a reference row, calibration.csv and calibration.html).
import type { Command } from 'commander';
import { intOption, keyValueOption, numberOption } from '../options.js';

interface RunOptions {
  out: string;
  speed?: number;
  quiet?: boolean;
  set?: Record<string, string>;
  amqpPort?: number;
  httpPort?: number;
}

export function register(program: Command): void {
  program
    .command('run')
    .summary('run the whole Customer 360 pipeline from a scenario file and write its reports')
    .description(
      'Run the Customer 360 pipeline described by a scenario file (generator → Event Hubs → Stream ' +
        'Analytics → Blob → Data Factory slices: ETL then scoring → enriched profiles) on the local ' +
        'target, and write report.json, metrics.csv, enriched_profiles.csv, report.html and ' +
        'warehouse.sqlite into --out.\n\n' +
        'A scenario with a matrix runs every combination into its own sub-folder and adds matrix.csv and ' +
        'matrix.html; runs with a `reference` row add calibration.csv and calibration.html (twin vs ' +
        'measured). The virtual clock is the default (an hour in seconds, reproducible from the seed); ' +
        '--speed N runs live at N× real time with the Event Hubs AMQP and REST front doors open, so ' +
        'outside clients (SDKs, k6, c360 load) can add load while it runs.',
    )
    .argument('<scenario>', 'scenario YAML file (see scenarios/)')
    .requiredOption('--out <dir>', 'output folder (created)')
    .option('--speed <n>', 'paced clock: scenario seconds per real second; opens the front doors', numberOption('--speed', 0.001, 10_000))
    .option('--amqp-port <port>', 'paced runs: AMQP port of the Event Hubs front door (default: a free one)', intOption('--amqp-port', 0, 65_535))
    .option('--http-port <port>', 'paced runs: REST port of the Event Hubs front door (default: a free one)', intOption('--http-port', 0, 65_535))
    .option('--set <key=value>', 'override a scenario key for this run, e.g. --set eventHubs.throughputUnits=2 (repeatable; values are YAML)', keyValueOption('--set'))
    .option('--quiet', 'no progress bar; only the summary')
    .addHelpText(
      'after',
      `
Examples:
  c360 run scenarios/seed-demo.yaml --out out/demo             # the original pipeline, one hour in seconds
  c360 run scenarios/seed-scaling-table.yaml --out out/cal     # the guide's table: calibration.csv/.html
  c360 run scenarios/tu-su-matrix.yaml --out out/matrix        # 12 combinations, matrix.html heatmaps
  c360 run scenarios/seed-demo.yaml --out out/live --speed 60  # live: 1 h in 1 min, front doors open
  c360 run scenarios/seed-demo.yaml --out out/2tu --set eventHubs.throughputUnits=2   # one key changed
  c360 load --connection-string "<printed string>" …           # add load to a live run from outside`,
    )
    .action(async (file: string, opts: RunOptions) => {
      const { loadScenarioFile } = await import('../../scenarios/index.js');
      const t0 = performance.now();
      const loaded = loadScenarioFile(file, { set: opts.set });
      // The generator's worker starts on the second core while this thread loads the rest of the engine.
      const first = loaded.runs[0]?.scenario;
      if (first?.target === 'local') {
        const { generatorConfig, warmUpSessions } = await import('../../targets/local/generator.js');
        warmUpSessions(generatorConfig(first.generator, first.seed), first.generator.sessions);
      }
      const [{ runScenario }, { ProgressBar }] = await Promise.all([import('../../targets/run-scenario.js'), import('../progress.js')]);
      const out = (line: string) => process.stdout.write(line + '\n');
      let bar: InstanceType<typeof ProgressBar> | undefined;
      let barRun = 0;
      const outcome = await runScenario(loaded, {
        out: opts.out,
        speed: opts.speed,
        amqpPort: opts.amqpPort,
        httpPort: opts.httpPort,
        onLive: (e) => {
          out(`Live run at ${opts.speed ?? loaded.base.clock.speed}× real time; Event Hubs front doors are open:`);
          out(e.connectionString);
          if (e.restUrl) out(`REST: ${e.restUrl}/${e.hub}/messages`);
        },
        onProgress: (p) => {
          if (opts.quiet) return;
          const minutes = Math.round((p.plannedEnd - p.start) / 60_000);
          if (!bar || barRun !== p.run) {
            bar?.done();
            barRun = p.run;
            bar = new ProgressBar(p.runs > 1 ? `run ${p.run}/${p.runs} ${p.id}` : `run ${p.id === 'base' ? loaded.base.name : p.id}`, minutes, 'sim min');
          }
          bar.update(Math.min(minutes, Math.round((p.now - p.start) / 60_000)));
        },
      });
      bar?.done();
      const seconds = ((performance.now() - t0) / 1000).toFixed(2);
      const n = (v: number) => v.toLocaleString('en-US');
      for (const r of outcome.runs) {
        const k = r.result.kpis;
        const rec = r.result.reconciliation;
        const missed = k.slices - k.slicesDeadlineMet;
        out(
          `${outcome.loaded.isMatrix ? r.id : loaded.base.name}: sent ${n(k.eventsSent)}, accepted ${n(k.eventsAccepted)} (${(k.acceptedShare * 100).toFixed(1)}%), ` +
            `reached Stream Analytics ${n(k.eventsReachedStream)}, ${n(r.result.profiles.length)} enriched profiles, ` +
            `slices ${k.slicesDeadlineMet}/${k.slices} on time${missed ? ` (${missed} MISSED their deadline)` : ''}, unaccounted ${rec.unaccounted}` +
            (r.externalEvents ? `, ${n(r.externalEvents)} events from outside clients` : '') +
            (r.skippedRows ? `, ${n(r.skippedRows)} malformed stream rows skipped` : ''),
        );
      }
      if (outcome.calibration) {
        out('Twin vs measured (guide table):');
        for (const c of outcome.calibration.rows) {
          const pct = (t: number, m: number) => `${t >= m ? '+' : ''}${(((t - m) / m) * 100).toFixed(1)}%`;
          out(
            `  ${c.id}: ${c.tu} TU / ${c.su} SU — batched ${n(c.twinBatched)} vs ${n(c.measuredBatched)} (${pct(c.twinBatched, c.measuredBatched)}), ` +
              `reached ASA ${n(c.twinReachedAsa)} vs ${n(c.measuredReachedAsa)} (${pct(c.twinReachedAsa, c.measuredReachedAsa)})`,
          );
        }
      }
      const report = outcome.matrix ? outcome.matrix.html : outcome.runs[0].files.html;
      out(`Report: ${report}${outcome.calibration ? `; calibration: ${outcome.calibration.html}` : ''} (${seconds} s)`);
    });
}
