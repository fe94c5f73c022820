// `c360 load`: the Node load driver, run where k6 is not installed (CI) — same parameters, same
// environment contract and the same k6-shaped summary as loadtests/scenarios/send-batch.ts.
import type { Command } from 'commander';
import { intOption, numberOption } from '../options.js';

const FLAG_TO_ENV: Record<string, string> = {
  target: 'TARGET',
  baseUrl: 'EH_BASE_URL',
  hub: 'EH_HUB',
  resourceUri: 'EH_RESOURCE_URI',
  keyName: 'EH_KEY_NAME',
  key: 'EH_KEY',
  rate: 'RATE',
  duration: 'DURATION',
  batchSize: 'BATCH_SIZE',
  eventBytes: 'EVENT_BYTES',
  maxVus: 'MAX_VUS',
  summary: 'SUMMARY_PATH',
  tu: 'TU',
};

export function register(program: Command): void {
  program
    .command('load')
    .summary('send k6-style REST batch load to an Event Hub and summarise it')
    .description(
      "Send REST batch load to an Event Hub (the emulator or Azure) at a constant arrival rate, like k6's " +
        'constant-arrival-rate executor; print a k6-style summary with the predicted vs measured throughput and ' +
        'write a k6 handleSummary-shaped JSON. Flags override the environment variables of loadtests/README.md.',
    )
    .option('--target <local|azure>', 'target preset (env TARGET); azure needs --allow-remote for a non-loopback URL')
    .option('--base-url <url>', 'REST base URL, e.g. http://127.0.0.1:8080 (env EH_BASE_URL)')
    .option('--hub <name>', 'event hub name (env EH_HUB; default customer360 for local)')
    .option('--resource-uri <uri>', 'SAS resource URI (env EH_RESOURCE_URI; default BASE_URL/HUB)')
    .option('--key-name <name>', 'SAS policy name (env EH_KEY_NAME)')
    .option('--key <key>', 'SAS key (env EH_KEY; default SAS_KEY_VALUE for local)')
    .option('--rate <batches/s>', 'batches per second (env RATE; default 50)', numberOption('--rate', 0.001))
    .option('--duration <d>', 'run time, e.g. 30s, 2m (env DURATION; default 2m)')
    .option('--batch-size <n>', 'events per batch (env BATCH_SIZE; default 10)', intOption('--batch-size', 1))
    .option('--event-bytes <n>', 'approximate bytes per event (env EVENT_BYTES; default 512)', intOption('--event-bytes', 16))
    .option('--max-vus <n>', 'most requests in flight; beyond it iterations are dropped (env MAX_VUS; default 200)', intOption('--max-vus', 1))
    .option('--summary <file>', 'where to write the summary JSON (env SUMMARY_PATH; default results/summary.json)')
    .option('--tu <n>', 'throughput units assumed by the prediction (env TU; default 1)', numberOption('--tu', 0.001))
    .option('--allow-remote', 'allow a non-loopback URL (with --target azure); sets ALLOW_REMOTE=1')
    .option('--no-thresholds', 'exit 0 even when thresholds fail (k6 exits 99)')
    .addHelpText(
      'after',
      `
Examples:
  c360 emulator --http-port 8080 &            # in another terminal
  c360 load --rate 20 --duration 10s --batch-size 100
  TARGET=azure ALLOW_REMOTE=1 EH_BASE_URL=https://myns.servicebus.windows.net EH_HUB=hub EH_KEY=… c360 load

Exit codes: 0 ok, 99 a threshold failed (as k6), 1 bad configuration.`,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runLoadCommand } = await import('../load/command.js');
      const env: Record<string, string | undefined> = { ...process.env };
      for (const [flag, name] of Object.entries(FLAG_TO_ENV)) if (opts[flag] !== undefined) env[name] = String(opts[flag]);
      if (opts.allowRemote) env.ALLOW_REMOTE = '1';
      process.exitCode = await runLoadCommand(env, { enforceThresholds: opts.thresholds !== false });
    });
}
