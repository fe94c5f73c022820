// `c360 asa …`: the Stream Analytics emulator. `asa run` replays envelope files through a job's real query
// (DESIGN §3); `asa check` parses and binds a query; `asa capacity` predicts Streaming Units for a load.
import { Command, InvalidArgumentError, Option } from 'commander';
import { intOption, keyValueOption, numberOption } from '../options.js';

function compatOption(value: string): '1.0' | '1.1' | '1.2' {
  if (value !== '1.0' && value !== '1.1' && value !== '1.2') throw new InvalidArgumentError(`--compat must be 1.0, 1.1 or 1.2 (got "${value}")`);
  return value;
}

export function register(program: Command): void {
  const asa = program.command('asa').description('the Stream Analytics emulator: run a job query over recorded events, check a query, size Streaming Units');

  asa
    .command('run')
    .description('Run a Stream Analytics query (or an ARM job template) over input event files; write one JSON-lines file per output')
    .option('--query <file>', 'query file (.asaql); with --job it replaces the template query')
    .option('--job <file>', 'ARM template with a Microsoft.StreamAnalytics/streamingjobs resource (query, compat level, policies, inputs, outputs)')
    .option('--param <name=value>', 'value for a template parameter (repeatable)', keyValueOption('--param'), {})
    .option('--input <name=file>', 'stream input: envelope lines {"enqueuedTime","partitionId","body"} (repeatable)', keyValueOption('--input'), {})
    .option('--ref <name=file>', 'reference data input: .jsonl, .json array or .csv with header (repeatable)', keyValueOption('--ref'), {})
    .requiredOption('--out <dir>', 'output folder: <OutputAlias>.jsonl and diagnostics.json')
    .addOption(new Option('--compat <level>', 'compatibility level 1.0, 1.1 or 1.2 (default: the job\'s, else 1.0)').argParser(compatOption))
    .option('--late <seconds>', 'late arrival tolerance in seconds, -1 = infinite (default 5)', intOption('--late', -1, 1814399))
    .option('--out-of-order <seconds>', 'out-of-order tolerance in seconds (default 0)', intOption('--out-of-order', 0, 599))
    .addOption(new Option('--policy <policy>', 'action for late / out-of-order events').choices(['adjust', 'drop']))
    .addOption(new Option('--cast-failure <mode>', 'what a failed CAST does (documented: stop the job)').choices(['stopJob', 'nullAndCount']))
    .option('--output-start <time>', 'output start time (CustomTime): rows stamped earlier are not written', (v: string) => {
      if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v))) throw new InvalidArgumentError(`--output-start must be an ISO-8601 time (got "${v}")`);
      return v;
    })
    .option('--blob-dir <dir>', 'also write the job\'s Blob outputs into this folder tree (<dir>/<container>/<path>)')
    .addHelpText(
      'after',
      `
Examples:
  c360 asa run --query infra-templates/asa/customer360.asaql \\
      --input readDataFromInput=events.jsonl --out out/asa
  c360 asa run --job infra-templates/asa/customer360-job.json \\
      --input readDataFromInput=events.jsonl --out out/asa --blob-dir out/blob
  c360 asa run --query q.asaql --input in=events.jsonl --ref devices=devices.csv \\
      --out out/q --compat 1.2 --late 10 --out-of-order 3 --policy drop

Input lines:  {"enqueuedTime":"2017-01-01T06:00:01Z","partitionId":"0","body":{"customerid":1}}
A SELECT without INTO writes to output.jsonl. Datetimes are written as yyyy-MM-ddTHH:mm:ss.fffffffZ.
Exit code 1 when the job fails (e.g. a CAST failure stops the job, as in Azure); files are written anyway.`,
    )
    .action(async (opts) => {
      const { runFiles } = await import('../../services/stream-analytics/run-files.js');
      const { ProgressBar } = await import('../progress.js');
      const { UserError } = await import('../../core/errors.js');
      let store;
      if (opts.blobDir) {
        const { FsObjectStore } = await import('../../services/blob/fs-store.js');
        store = new FsObjectStore(opts.blobDir);
      }
      if (Object.keys(opts.input).length === 0 && !opts.job) throw new UserError('give at least one --input NAME=FILE');
      const bar = new ProgressBar('asa run', 0, 'events');
      const result = await runFiles({
        query: opts.query,
        job: opts.job,
        params: opts.param,
        inputs: opts.input,
        refs: opts.ref,
        out: opts.out,
        compat: opts.compat,
        late: opts.late,
        outOfOrder: opts.outOfOrder,
        policy: opts.policy,
        castFailure: opts.castFailure,
        outputStart: opts.outputStart,
        store,
        onProgress: (done, total) => {
          if (total < 200_000) return;
          bar.setTotal(total);
          bar.update(done);
        },
      });
      const m = result.metrics;
      const outs = Object.entries(result.outputs).map(([a, n]) => `${a}=${n}`).join(', ');
      process.stdout.write(
        `job ${result.jobState}: ${m.InputEvents} input events, ${m.OutputEvents} output rows (${outs || 'no outputs'}); ` +
          `late ${m.LateInputEvents}, early ${m.EarlyInputEvents}, out-of-order ${m.OutOfOrderEvents}, ` +
          `deserialization errors ${m.InputDeserializationErrors}, runtime errors ${m.RuntimeErrors}\n` +
          `wrote ${result.files.join(', ')}\n`,
      );
      if (result.skipped.count > 0) process.stderr.write(result.skipped.summary() + '\n');
      if (result.jobState === 'Failed')
        throw new UserError(`job Failed: ${result.failure?.message ?? 'unknown error'}${result.failure?.origin ? ` (event at ${result.failure.origin})` : ''}`);
    });

  asa
    .command('test')
    .description('Run test cases written for the official azure-streamanalytics-cicd tool (testConfig.json) and write testResultSummary.json')
    .requiredOption('--config <file>', 'testConfig.json: {Script, TestCases:[{Name, Inputs, ExpectedOutputs}]}')
    .option('--out <dir>', 'folder for testResultSummary.json', '.')
    .addOption(new Option('--compat <level>', 'compatibility level').argParser(compatOption))
    .addHelpText(
      'after',
      `
Examples:
  c360 asa test --config test/testConfig.json --out test-results

Paths in testConfig.json are relative to it. Outputs are compared as multisets of objects after removing
IgnoreFields. Exit code 0 when all cases pass, 254 (-2) when some fail, as the official tool.`,
    )
    .action(async (opts) => {
      const { runTestConfig, writeSummary } = await import('../../services/stream-analytics/test-runner.js');
      const summary = await runTestConfig(opts.config, { compat: opts.compat, clockMs: () => performance.now() });
      const file = await writeSummary(opts.out, summary);
      for (const r of summary.Results)
        process.stdout.write(`${r.Status === 0 ? 'PASS' : 'FAIL'} ${r.Name}${r.Status ? ` (not equal: ${r.OutputNotEqual.join(', ') || '-'}; missing: ${r.OutputMissing.join(', ') || '-'})` : ''}\n`);
      process.stdout.write(`${summary.Passed}/${summary.Total} passed; wrote ${file}\n`);
      if (summary.Failed > 0) process.exitCode = 254;
    });

  asa
    .command('check')
    .description('Parse and bind a query (or a job template) and print its steps; errors name the line and column')
    .option('--query <file>', 'query file (.asaql)')
    .option('--job <file>', 'ARM job template')
    .option('--param <name=value>', 'value for a template parameter (repeatable)', keyValueOption('--param'), {})
    .option('--input <name>', 'declare a stream input name (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--ref <name>', 'declare a reference input name (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--compat <level>', 'compatibility level').argParser(compatOption))
    .addHelpText(
      'after',
      `
Examples:
  c360 asa check --job infra-templates/asa/customer360-job.json
  c360 asa check --query my.asaql --input telemetry --ref devices`,
    )
    .action(async (opts) => {
      const { loadDefinition } = await import('../../services/stream-analytics/run-files.js');
      const { StreamAnalyticsJob } = await import('../../services/stream-analytics/runtime/job.js');
      const def = await loadDefinition(opts);
      for (const n of opts.input ?? []) def.inputs[n] = { kind: 'stream' };
      for (const n of opts.ref ?? []) def.inputs[n] = { kind: 'reference' };
      if (Object.keys(def.inputs).length === 0) {
        // Declare every FROM name as a stream input so a bare query can be checked.
        const { parseQuery } = await import('../../services/stream-analytics/query/parser.js');
        const script = parseQuery(def.query, def.queryFile);
        const ctes = new Set(script.ctes.map((c) => c.name.toLowerCase()));
        const all = [...script.ctes.map((c) => c.query), ...script.statements].flatMap((q) => q.selects).flatMap((s) => [s.from, ...s.joins.map((j) => j.source)]);
        for (const src of all) if (!ctes.has(src.name.toLowerCase())) def.inputs[src.name] = { kind: 'stream' };
      }
      for (const [a, o] of Object.entries(def.outputs)) if (o.kind === 'blob') def.outputs[a] = { kind: 'memory' };
      const job = new StreamAnalyticsJob(def);
      process.stdout.write(`query OK (compatibility level ${def.compatibilityLevel}); outputs: ${job.outputAliases.join(', ')}\n`);
      for (const s of job.steps)
        process.stdout.write(`  step ${s.name}: ${s.kind}${s.window ? ` (${s.window} window)` : ''}${s.partitioned ? ', PARTITION BY PartitionId' : ''}\n`);
    });

  asa
    .command('capacity')
    .description('Predict Streaming Unit needs for a load: service rate, SU % (memory), backlog growth, and the smallest SU that keeps up under 80%')
    .option('--job <file>', 'ARM job template (query plan and configured SUs)', 'infra-templates/asa/customer360-job.json')
    .option('--param <name=value>', 'value for a template parameter (repeatable)', keyValueOption('--param'), {})
    .option('--rate <events/s>', 'input rate in events per second', numberOption('--rate', 0), 1000)
    .option('--event-bytes <bytes>', 'average event size in bytes', numberOption('--event-bytes', 1), 120)
    .option('--groups <n>', 'open groups per window (distinct GROUP BY keys per window)', numberOption('--groups', 0))
    .option('--partitions <n>', 'input partitions', intOption('--partitions', 1, 1024), 2)
    .addOption(new Option('--model <model>', 'SU model').choices(['V1', 'V2']))
    .option('--su <n>', 'streaming units to evaluate (default: the job\'s)', numberOption('--su', 0))
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  c360 asa capacity --rate 300                 # the original generator's average rate
  c360 asa capacity --rate 20000 --event-bytes 150 --su 6
  c360 asa capacity --job my-job.json --rate 5000 --model V2 --json

Every constant of the model is a documented parameter (docs/stream-analytics.md).`,
    )
    .action(async (opts) => {
      const { loadDefinition } = await import('../../services/stream-analytics/run-files.js');
      const { StreamAnalyticsJob } = await import('../../services/stream-analytics/runtime/job.js');
      const cap = await import('../../services/stream-analytics/capacity.js');
      const def = await loadDefinition(opts);
      for (const [a, o] of Object.entries(def.outputs)) if (o.kind === 'blob') def.outputs[a] = { kind: 'memory' };
      const job = new StreamAnalyticsJob(def);
      const model = (opts.model ?? def.sku.model) as 'V1' | 'V2';
      const su = opts.su ?? (opts.model && opts.model !== def.sku.model ? (model === 'V2' ? 1 / 3 : 1) : def.sku.streamingUnits);
      const load: import('../../services/stream-analytics/capacity.js').LoadProfile = {
        eventsPerSecond: opts.rate,
        avgEventBytes: opts.eventBytes,
        partitions: opts.partitions,
        openGroups: opts.groups,
      };
      const plan = cap.planFromSteps(job.steps, opts.partitions);
      const now = cap.evaluateCapacity({ model, streamingUnits: su }, plan, load);
      const rec = cap.recommendStreamingUnits(plan, load, model);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ evaluated: now, recommendation: rec }, null, 2) + '\n');
        return;
      }
      process.stdout.write(cap.formatCapacityReport(now, rec) + '\n');
    });
}
