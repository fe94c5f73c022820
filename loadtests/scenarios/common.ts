// What every k6 scenario does per iteration: sign (token cached per VU), POST one REST batch, classify
// the answer and record the custom metrics. Thin: the logic lives in ../lib and is unit-tested under Node.
import http from 'k6/http';
import crypto from 'k6/crypto';
import { check } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import { SasTokenCache } from '../lib/sas.ts';
import { BATCH_CONTENT_TYPE, classify, makeBatch, utf8Length } from '../lib/eventhubs.ts';
import { readEnv } from '../lib/config.ts';

export const config = readEnv(__ENV);

const throttled = new Rate('eh_throttled');
const eventsSent = new Counter('eh_events_sent');
const bytesSent = new Counter('eh_bytes_sent');
const sendLatency = new Trend('eh_send_latency', true);

// Module scope is per VU in k6, so each VU keeps its own token and refreshes it before expiry.
const tokens = new SasTokenCache(config.resourceUri, config.keyName, config.key, (k, m) => crypto.hmac('sha256', k, m, 'base64'), config.sasTtlSec);

http.setResponseCallback(http.expectedStatuses(201));

export function sendOneBatch(tags: Record<string, string> = {}): void {
  const body = makeBatch(config.batchSize, config.eventBytes, __ITER * config.batchSize);
  const res = http.post(`${config.baseUrl}/${config.hub}/messages?timeout=60&api-version=2014-01`, body, {
    headers: { Authorization: tokens.get(Date.now() / 1000), 'Content-Type': BATCH_CONTENT_TYPE },
    tags: { op: 'send_batch', ...tags },
  });
  const outcome = classify(res.status, typeof res.body === 'string' ? res.body : null);
  throttled.add(outcome === 'throttled', tags);
  if (outcome === 'ok') {
    eventsSent.add(config.batchSize, tags);
    bytesSent.add(utf8Length(body), tags);
  }
  sendLatency.add(res.timings.duration, tags);
  check(res, { 'status is 201': (r) => r.status === 201 });
}

/** handleSummary that writes the data (never setup_data: it could carry secrets) to SUMMARY_PATH and stdout. */
export function writeSummary(data: Record<string, unknown>): Record<string, string> {
  const { setup_data: _omit, ...rest } = data;
  return { [config.summaryPath]: JSON.stringify(rest, null, 2), stdout: `summary written to ${config.summaryPath}\n` };
}
