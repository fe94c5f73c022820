// The Node load driver behind `c360 load`: k6's constant-arrival-rate executor against the Event Hubs
// REST batch API, with the same environment contract and custom metrics as loadtests/scenarios/send-batch.ts,
// writing a summary in k6's handleSummary shape. Open model: a request is started every 1/RATE s whatever
// the previous ones are doing; when MAX_VUS requests are already in flight the iteration is dropped and
// counted (k6's dropped_iterations), never queued, so offered load stays honest.
import http from 'node:http';
import https from 'node:https';
import { createHmac } from 'node:crypto';
import type { LoadConfig } from '../../../loadtests/lib/config.ts';
import { SasTokenCache } from '../../../loadtests/lib/sas.ts';
import { BATCH_CONTENT_TYPE, classify, makeBatch, utf8Length, type SendOutcome } from '../../../loadtests/lib/eventhubs.ts';
import { wallClock } from '../../sim/wall-clock.js';
import { Trend, RateMetric, evaluateThreshold, type SummaryMetric } from './metrics.js';

export const DEFAULT_THRESHOLDS: Record<string, string[]> = {
  eh_throttled: ['rate<0.01'],
  'http_req_duration{op:send_batch}': ['p(95)<500'],
  dropped_iterations: ['count==0'],
};

export interface LoadProgress {
  elapsedSec: number;
  started: number;
  outcomes: Record<SendOutcome, number>;
}

export interface LoadRunResult {
  /** k6 handleSummary-shaped data. */
  summary: { metrics: Record<string, SummaryMetric>; state: { testRunDurationMs: number }; root_group: unknown; options: unknown };
  outcomes: Record<SendOutcome, number>;
  iterations: number;
  dropped: number;
  failedThresholds: string[];
}

const hmac = (key: string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('base64');

export async function runLoad(
  config: LoadConfig,
  options: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void; thresholds?: Record<string, string[]> } = {},
): Promise<LoadRunResult> {
  const url = new URL(`${config.baseUrl}/${config.hub}/messages?timeout=60&api-version=2014-01`);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: config.maxVus });
  const tokens = new SasTokenCache(config.resourceUri, config.keyName, config.key, hmac, config.sasTtlSec);

  const outcomes: Record<SendOutcome, number> = { ok: 0, throttled: 0, auth: 0, too_large: 0, error: 0 };
  const duration = new Trend();
  const throttled = new RateMetric();
  const checks = new RateMetric();
  let eventsSent = 0;
  let bytesSent = 0;
  let iterations = 0;
  let dropped = 0;
  let inFlight = 0;
  let dataSent = 0;
  let dataReceived = 0;

  const sendOne = (seq: number): Promise<void> =>
    new Promise((resolve) => {
      const body = makeBatch(config.batchSize, config.eventBytes, seq * config.batchSize);
      const bytes = utf8Length(body);
      const t0 = performance.now();
      const req = transport.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { Authorization: tokens.get(wallClock.now() / 1000), 'Content-Type': BATCH_CONTENT_TYPE, 'Content-Length': bytes },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            duration.add(performance.now() - t0);
            dataReceived += text.length;
            const outcome = classify(res.statusCode ?? 0, text);
            outcomes[outcome]++;
            throttled.add(outcome === 'throttled');
            checks.add(res.statusCode === 201);
            if (outcome === 'ok') {
              eventsSent += config.batchSize;
              bytesSent += bytes;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        duration.add(performance.now() - t0);
        outcomes.error++;
        throttled.add(false);
        checks.add(false);
        resolve();
      });
      dataSent += bytes;
      req.end(body);
    });

  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const intervalMs = 1000 / config.rate;
  const total = Math.floor(config.durationSec * config.rate);
  let lastProgress = start;
  for (let i = 0; i < total; i++) {
    if (options.signal?.aborted) break;
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= config.maxVus) {
      dropped++;
      continue;
    }
    iterations++;
    inFlight++;
    const p = sendOne(i).finally(() => {
      inFlight--;
      pending.delete(p);
    });
    pending.add(p);
    const now = performance.now();
    if (options.onProgress && now - lastProgress > 250) {
      lastProgress = now;
      options.onProgress({ elapsedSec: (now - start) / 1000, started: iterations, outcomes });
    }
  }
  await Promise.all(pending);
  agent.destroy();
  const elapsedMs = performance.now() - start;
  const seconds = elapsedMs / 1000;

  const metrics: Record<string, SummaryMetric> = {
    iterations: { type: 'counter', contains: 'default', values: { count: iterations, rate: iterations / seconds } },
    dropped_iterations: { type: 'counter', contains: 'default', values: { count: dropped, rate: dropped / seconds } },
    http_reqs: { type: 'counter', contains: 'default', values: { count: duration.count, rate: duration.count / seconds } },
    http_req_duration: { type: 'trend', contains: 'time', values: duration.values() },
    'http_req_duration{op:send_batch}': { type: 'trend', contains: 'time', values: duration.values() },
    http_req_failed: { type: 'rate', contains: 'default', values: new RateMetric().values() },
    checks: { type: 'rate', contains: 'default', values: checks.values() },
    data_sent: { type: 'counter', contains: 'data', values: { count: dataSent, rate: dataSent / seconds } },
    data_received: { type: 'counter', contains: 'data', values: { count: dataReceived, rate: dataReceived / seconds } },
    eh_throttled: { type: 'rate', contains: 'default', values: throttled.values() },
    eh_events_sent: { type: 'counter', contains: 'default', values: { count: eventsSent, rate: eventsSent / seconds } },
    eh_bytes_sent: { type: 'counter', contains: 'data', values: { count: bytesSent, rate: bytesSent / seconds } },
    eh_send_latency: { type: 'trend', contains: 'time', values: duration.values() },
  };
  const failedReqs = checks.fails;
  metrics.http_req_failed.values = { rate: duration.count ? failedReqs / duration.count : 0, passes: failedReqs, fails: duration.count - failedReqs };

  const failedThresholds: string[] = [];
  for (const [name, exprs] of Object.entries(options.thresholds ?? DEFAULT_THRESHOLDS)) {
    const metric = metrics[name];
    if (!metric) continue;
    metric.thresholds = {};
    for (const expr of exprs) {
      const ok = evaluateThreshold(expr, metric.values);
      metric.thresholds[expr] = { ok };
      if (!ok) failedThresholds.push(`${name}: ${expr}`);
    }
  }
  return {
    summary: {
      metrics,
      state: { testRunDurationMs: elapsedMs },
      root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [{ name: 'status is 201', path: '::status is 201', id: 'c360-check-201', passes: checks.passes, fails: checks.fails }] },
      options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'], summaryTimeUnit: '', noColor: false },
    },
    outcomes,
    iterations,
    dropped,
    failedThresholds,
  };
}
