// Runs `c360 load`: reads the configuration, drives the load with a progress bar, prints a k6-style
// summary next to the twin's prediction, and writes the summary JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { readEnv, ConfigError, type LoadConfig } from '../../../loadtests/lib/config.ts';
import { predicted } from '../../../loadtests/lib/model.ts';
import { ProgressBar } from '../progress.js';
import { runLoad, type LoadRunResult } from './driver.js';

export async function runLoadCommand(env: Record<string, string | undefined>, options: { enforceThresholds: boolean }): Promise<number> {
  let config: LoadConfig;
  try {
    config = readEnv(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new UserError(e.message, { field: e.variable });
    throw e;
  }
  const total = Math.floor(config.durationSec * config.rate);
  process.stderr.write(
    `c360 load → ${config.baseUrl}/${config.hub}: ${config.rate} batches/s × ${config.batchSize} events × ~${config.eventBytes} B for ${config.durationSec}s\n`,
  );
  const bar = new ProgressBar('load', total, 'batches');
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  const result = await runLoad(config, {
    signal: abort.signal,
    onProgress: (p) => bar.update(p.started, `ok ${p.outcomes.ok} throttled ${p.outcomes.throttled}`),
  });
  process.off('SIGINT', onSignal);
  bar.done(`ok ${result.outcomes.ok} throttled ${result.outcomes.throttled}`);

  await mkdir(path.dirname(path.resolve(config.summaryPath)), { recursive: true });
  await writeFile(config.summaryPath, JSON.stringify(result.summary, null, 2));
  process.stdout.write(formatSummary(config, result));
  process.stdout.write(`\nsummary written to ${config.summaryPath}\n`);
  return options.enforceThresholds && result.failedThresholds.length > 0 ? 99 : 0;
}

function formatSummary(config: LoadConfig, r: LoadRunResult): string {
  const m = r.summary.metrics;
  const seconds = r.summary.state.testRunDurationMs / 1000;
  const offered = (r.iterations + r.dropped) * config.batchSize / seconds;
  const prediction = predicted(offered, config.tu, config.eventBytes);
  const lat = m.http_req_duration.values;
  const line = (name: string, text: string, thresholdsOf?: string) => {
    const th = thresholdsOf ? m[thresholdsOf]?.thresholds : undefined;
    const mark = th ? (Object.values(th).every((t) => t.ok) ? '✓' : '✗') : ' ';
    return `  ${mark} ${name.padEnd(34, '.')}: ${text}\n`;
  };
  const f = (n: number, d = 2) => n.toFixed(d);
  return (
    `\n` +
    line('checks', `${f(m.checks.values.rate * 100)}% ✓ ${m.checks.values.passes} ✗ ${m.checks.values.fails}`) +
    line('dropped_iterations', `${m.dropped_iterations.values.count}`, 'dropped_iterations') +
    line('eh_events_sent', `${m.eh_events_sent.values.count} ${f(m.eh_events_sent.values.rate)}/s`) +
    line('eh_bytes_sent', `${m.eh_bytes_sent.values.count} B ${f(m.eh_bytes_sent.values.rate / 1024)} kB/s`) +
    line('eh_throttled', `${f(m.eh_throttled.values.rate * 100)}% (${m.eh_throttled.values.passes} of ${m.eh_throttled.values.passes + m.eh_throttled.values.fails})`, 'eh_throttled') +
    line('http_req_duration{op:send_batch}', `avg=${f(lat.avg)}ms med=${f(lat.med)}ms p(90)=${f(lat['p(90)'])}ms p(95)=${f(lat['p(95)'])}ms p(99)=${f(lat['p(99)'])}ms max=${f(lat.max)}ms`, 'http_req_duration{op:send_batch}') +
    line('http_reqs', `${m.http_reqs.values.count} ${f(m.http_reqs.values.rate)}/s`) +
    line('iterations', `${m.iterations.values.count} ${f(m.iterations.values.rate)}/s`) +
    line('outcomes', Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')) +
    `\n  twin prediction at ${config.tu} TU: offered ${f(offered, 0)} events/s, capacity ${f(prediction.capacityPerSec, 0)} events/s → ` +
    `accepted ${f(prediction.acceptedPerSec, 0)} events/s, throttled ${f(prediction.throttledFrac * 100, 1)}%\n` +
    `  measured:                  accepted ${f(m.eh_events_sent.values.rate, 0)} events/s, throttled ${f(m.eh_throttled.values.rate * 100, 1)}%\n` +
    (r.failedThresholds.length ? `\n  thresholds failed: ${r.failedThresholds.join('; ')}\n` : '')
  );
}
