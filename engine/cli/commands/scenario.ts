// `c360 scenario validate|expand|schema`: check scenario files, list what a matrix expands to, and
// print or refresh the JSON Schema editors use for completion.
import type { Command } from 'commander';
import { keyValueOption } from '../options.js';

const SET_HELP = 'override a scenario key for this command, e.g. --set eventHubs.throughputUnits=2 (repeatable; values are YAML)';

export function register(program: Command): void {
  const scenario = program
    .command('scenario')
    .description('check scenario files, list matrix combinations, estimate their cost, print the scenario JSON Schema')
    .addHelpText(
      'after',
      `
Examples:
  c360 scenario validate scenarios/*.yaml
  c360 scenario expand scenarios/tu-su-matrix.yaml
  c360 scenario cost scenarios/tu-su-matrix.yaml
  c360 scenario schema --write          # refresh scenarios/scenario.schema.json`,
    );

  scenario
    .command('validate')
    .description(
      'Validate scenario files against the schema (unknown keys, types, values Azure offers) and ' +
        'expand their matrix; every problem is reported with file:line:column, the key and the allowed values.',
    )
    .argument('<files...>', 'scenario YAML files')
    .option('--set <key=value>', SET_HELP, keyValueOption('--set'))
    .addHelpText(
      'after',
      `
Examples:
  c360 scenario validate scenarios/seed-demo.yaml
  c360 scenario validate scenarios/*.yaml
  c360 scenario validate scenarios/seed-demo.yaml --set streamAnalytics.streamingUnits=4   # refused: V1 offers 1, 3, 6, 12 …`,
    )
    .action(async (files: string[], opts: { set?: Record<string, string> }) => {
      const { loadScenarioFile } = await import('../../scenarios/index.js');
      const { UserError } = await import('../../core/errors.js');
      let invalid = 0;
      for (const file of files) {
        try {
          const loaded = loadScenarioFile(file, { set: opts.set });
          const runs = loaded.isMatrix ? `matrix of ${loaded.runs.length} runs` : '1 run';
          process.stdout.write(`ok  ${file}: ${loaded.base.name} (${runs})\n`);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          invalid++;
          process.stderr.write(`c360: error: ${error.message}\n`);
        }
      }
      if (invalid > 0) throw new UserError(`${invalid} of ${files.length} scenario file(s) invalid`);
    });

  scenario
    .command('expand')
    .description('List the runs a scenario expands to (one per matrix combination) with the values each changes')
    .argument('<file>', 'scenario YAML file')
    .option('--json', 'print every run as a fully resolved scenario (defaults filled in) in JSON')
    .option('--set <key=value>', SET_HELP, keyValueOption('--set'))
    .addHelpText(
      'after',
      `
Examples:
  c360 scenario expand scenarios/tu-su-matrix.yaml
  c360 scenario expand scenarios/seed-demo.yaml --json`,
    )
    .action(async (file: string, opts: { json?: boolean; set?: Record<string, string> }) => {
      const { loadScenarioFile } = await import('../../scenarios/index.js');
      const loaded = loadScenarioFile(file, { set: opts.set });
      if (opts.json) {
        process.stdout.write(JSON.stringify(loaded.runs.map((r) => ({ id: r.id, overrides: r.overrides, scenario: r.scenario })), null, 2) + '\n');
        return;
      }
      const keys = [...new Set(loaded.runs.flatMap((r) => Object.keys(r.overrides)))];
      const header = ['#', 'id', ...keys];
      const rows = loaded.runs.map((r) => [String(r.index + 1), r.id, ...keys.map((k) => (k in r.overrides ? JSON.stringify(r.overrides[k]) : '·'))]);
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
      const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
      process.stdout.write(`${loaded.base.name}: ${loaded.runs.length} run(s)\n${line(header)}\n${rows.map(line).join('\n')}\n`);
    });

  scenario
    .command('cost')
    .description(
      'Price each run of a scenario before running it: capacity per hour (TUs, SUs, cluster nodes) plus ' +
        'ingress as if every offered event were accepted (one billable 64 KB unit each), per hour, per slice ' +
        'and for the whole run. Uses the scenario\'s cost.pricing file and cost.overrides.',
    )
    .argument('<file>', 'scenario YAML file')
    .option('--pricing <file>', 'pricing file instead of the scenario\'s (default engine/cost/pricing.json)')
    .option('--detail', 'print the itemised breakdown of every run')
    .option('--set <key=value>', SET_HELP, keyValueOption('--set'))
    .addHelpText(
      'after',
      `
Examples:
  c360 scenario cost scenarios/seed-demo.yaml --detail
  c360 scenario cost scenarios/tu-su-matrix.yaml
  c360 scenario cost scenarios/stress.yaml --pricing my-prices.json
  c360 scenario cost scenarios/seed-demo.yaml --set dataFactory.etlCluster.workerNodes=8`,
    )
    .action(async (file: string, opts: { pricing?: string; detail?: boolean; set?: Record<string, string> }) => {
      const { loadScenarioFile } = await import('../../scenarios/index.js');
      const { loadPricing, withOverrides, costOf, costPerSlice, formatCost } = await import('../../cost/index.js');
      const loaded = loadScenarioFile(file, { set: opts.set });
      const rows: string[][] = [];
      const details: string[] = [];
      for (const run of loaded.runs) {
        const s = run.scenario;
        const pricingFile = opts.pricing ?? (s.cost.pricing ? loaded.resolvePath(s.cost.pricing, 'cost.pricing') : undefined);
        const pricing = withOverrides(loadPricing(pricingFile), s.cost.overrides, (id) => loaded.locate(['cost', 'overrides', id]));
        const offered = Math.round(s.generator.sessions * s.generator.customers * s.generator.historyDays * s.generator.sampleFraction);
        const deployment = { eventHubs: s.eventHubs, streamAnalytics: s.streamAnalytics, etlCluster: s.dataFactory.etlCluster };
        const usage = { hours: s.durationMinutes / 60, billableIngressEvents: offered };
        const run$ = costOf(pricing, deployment, usage);
        const slice$ = costPerSlice(pricing, deployment, usage, s.dataFactory.sliceMinutes);
        const money = (v: number) => v.toFixed(4);
        rows.push([
          run.id,
          `${s.eventHubs.throughputUnits}`,
          `${s.streamAnalytics.streamingUnits}`,
          `${s.dataFactory.etlCluster.workerNodes}`,
          offered.toLocaleString('en-US'),
          money(run$.perHour),
          money(slice$.total),
          money(run$.total),
        ]);
        if (opts.detail) details.push(`\n${run.id} (${pricing.currency}):\n${formatCost(run$)}`);
      }
      const header = ['run', 'TU', 'SU', 'workers', 'offered events', 'per hour', 'per slice', 'per run'];
      const all = [header, ...rows];
      const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
      const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
      process.stdout.write(`${loaded.base.name}: estimated cost in USD (ingress as offered, before throttling)\n${all.map(line).join('\n')}\n${details.join('\n')}${details.length ? '\n' : ''}`);
    });

  scenario
    .command('schema')
    .description('Print the scenario JSON Schema (generated from the typed schema), or write/check scenarios/scenario.schema.json')
    .option('--write', 'write it to scenarios/scenario.schema.json')
    .option('--check', 'exit non-zero if scenarios/scenario.schema.json is out of date')
    .addHelpText(
      'after',
      `
Editors that understand JSON Schema (VS Code with the YAML extension) pick it up from the first line
of each shipped scenario:  # yaml-language-server: $schema=./scenario.schema.json

Examples:
  c360 scenario schema > my-scenarios/scenario.schema.json
  c360 scenario schema --check`,
    )
    .action(async (opts: { write?: boolean; check?: boolean }) => {
      const { scenarioJsonSchemaText, INSTALL_ROOT } = await import('../../scenarios/index.js');
      const { UserError } = await import('../../core/errors.js');
      const fs = await import('node:fs');
      const path = await import('node:path');
      const target = path.join(INSTALL_ROOT, 'scenarios', 'scenario.schema.json');
      const text = scenarioJsonSchemaText();
      if (opts.check) {
        const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
        if (current !== text) throw new UserError('out of date; run `c360 scenario schema --write`', { file: target });
        process.stdout.write(`ok  ${target} is up to date\n`);
      } else if (opts.write) {
        fs.writeFileSync(target, text);
        process.stdout.write(`wrote ${target}\n`);
      } else process.stdout.write(text);
    });
}
