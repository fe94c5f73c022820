// Unit tests of the pure load-test logic shared by the k6 scripts and `c360 load`.
import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSas, SasTokenCache } from '../../loadtests/lib/sas.ts';
import { classify, makeBatch, splitByLimit, utf8Length, MAX_PUBLICATION_BYTES } from '../../loadtests/lib/eventhubs.ts';
import { readEnv, parseDuration, ConfigError } from '../../loadtests/lib/config.ts';
import { parseK6Summary, SummaryShapeError } from '../../loadtests/lib/summary.ts';
import { predicted } from '../../loadtests/lib/model.ts';
import { evaluateThreshold } from '../../engine/cli/load/metrics.js';

const hmac = (k: string, m: string) => createHmac('sha256', k).update(m).digest('base64');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));

describe('SAS tokens', () => {
  it('matches the published test vector (key used as UTF-8, not base64-decoded)', () => {
    expect(buildSas('https://myns.servicebus.windows.net/myhub', 'send', 'abc+/=KEY', 1700000000, hmac)).toBe(
      'SharedAccessSignature sr=https%3A%2F%2Fmyns.servicebus.windows.net%2Fmyhub&sig=eoqqkX9zcJ%2F7B0kurffiaplzpFo6hUQZTQ1%2BJW6F1OA%3D&se=1700000000&skn=send',
    );
  });

  it('caches a token per VU and refreshes it five minutes before expiry', () => {
    const cache = new SasTokenCache('http://127.0.0.1/h', 'p', 'k', hmac, 3600);
    const first = cache.get(1000);
    expect(cache.get(1000 + 3600 - 301)).toBe(first);
    expect(cache.get(1000 + 3600 - 299)).not.toBe(first);
  });
});

describe('REST batches', () => {
  it('builds a JSON array of {Body} items in the original message shape', () => {
    const batch = JSON.parse(makeBatch(3, 200));
    expect(batch).toHaveLength(3);
    const body = JSON.parse(batch[0].Body);
    expect(Object.keys(body).slice(0, 5)).toEqual(['userdatetime', 'customerid', 'category_t1', 'category_t2', 'category_t3']);
    expect(batch[0].Body.length).toBe(200);
  });

  it('splits bodies under the publication limit with a 5% margin', () => {
    const bodies = Array.from({ length: 100 }, (_, i) => 'x'.repeat(1000 + i));
    const batches = splitByLimit(bodies, 20_000);
    expect(batches.flat()).toEqual(bodies);
    for (const b of batches) expect(utf8Length(JSON.stringify(b.map((Body) => ({ Body }))))).toBeLessThanOrEqual(19_000);
    expect(() => splitByLimit(['y'.repeat(MAX_PUBLICATION_BYTES.basic)], MAX_PUBLICATION_BYTES.basic)).toThrow(/exceeds/);
  });

  it('classifies responses', () => {
    expect(classify(201, '')).toBe('ok');
    expect(classify(503, '')).toBe('throttled');
    expect(classify(429, '')).toBe('throttled');
    expect(classify(500, 'ServerBusy 50002')).toBe('throttled');
    expect(classify(401, '')).toBe('auth');
    expect(classify(413, '')).toBe('too_large');
    expect(classify(403, 'message too large')).toBe('too_large');
    expect(classify(400, 'bad json')).toBe('error');
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
  });
});

describe('environment contract', () => {
  it('defaults to the local emulator', () => {
    const c = readEnv({});
    expect(c).toMatchObject({ target: 'local', baseUrl: 'http://127.0.0.1:8080', hub: 'customer360', keyName: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE', rate: 50, durationSec: 120, batchSize: 10 });
    expect(c.resourceUri).toBe('http://127.0.0.1:8080/customer360');
  });

  it('refuses a remote address unless TARGET=azure and ALLOW_REMOTE=1', () => {
    expect(() => readEnv({ EH_BASE_URL: 'https://myns.servicebus.windows.net' })).toThrow(/not a loopback/);
    expect(() => readEnv({ TARGET: 'azure', EH_BASE_URL: 'https://myns.servicebus.windows.net', EH_HUB: 'h', EH_KEY: 'k' })).toThrow(ConfigError);
    expect(readEnv({ TARGET: 'azure', ALLOW_REMOTE: '1', EH_BASE_URL: 'https://myns.servicebus.windows.net', EH_HUB: 'h', EH_KEY: 'k' }).target).toBe('azure');
  });

  it('needs a key for Azure and names the bad variable', () => {
    expect(() => readEnv({ TARGET: 'azure', ALLOW_REMOTE: '1', EH_BASE_URL: 'https://x.servicebus.windows.net', EH_HUB: 'h' })).toThrow(/^EH_KEY/);
    expect(() => readEnv({ RATE: 'fast' })).toThrow(/^RATE: must be a positive number/);
  });

  it('parses k6 durations', () => {
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('45')).toBe(45);
    expect(() => parseDuration('soon')).toThrow(/DURATION/);
  });
});

describe('k6 summary import', () => {
  it('reads handleSummary data', () => {
    const run = parseK6Summary(fixture('summary.handle.json'));
    expect(run).toMatchObject({ shape: 'handle-summary', durationSec: 20, eventsSent: 9500, eventsPerSec: 475, throttledFrac: 0.05, droppedIterations: 0 });
    expect(run.latencyMs['p(95)']).toBe(30); // the tagged submetric wins over plain http_req_duration
    expect(run.failedThresholds).toEqual(['eh_throttled: rate<0.01']);
  });

  it('reads the legacy --summary-export file (inverted threshold booleans, rate renamed value)', () => {
    const run = parseK6Summary(fixture('summary.legacy-export.json'));
    expect(run).toMatchObject({ shape: 'legacy-export', durationSec: 50, eventsSent: 19800, throttledFrac: 0.01, droppedIterations: 3 });
    expect(run.latencyMs.med).toBe(7);
    expect(run.failedThresholds.sort()).toEqual(['dropped_iterations: count==0', 'eh_throttled: rate<0.01']);
  });

  it('reads the machine-readable summary 1.0.0', () => {
    const run = parseK6Summary(fixture('summary.mr-1.0.0.json'));
    expect(run).toMatchObject({ shape: 'machine-readable', durationSec: 30, eventsSent: 15000, eventsPerSec: 500, throttledFrac: 0, k6Version: '2.2.0' });
    expect(run.latencyMs.avg).toBe(5);
  });

  it('rejects what is not a summary', () => {
    expect(() => parseK6Summary([])).toThrow(SummaryShapeError);
    expect(() => parseK6Summary({ foo: 1 })).toThrow(/no "metrics"/);
  });
});

describe('prediction and thresholds', () => {
  it('predicts capacity per TU from events/s or bytes/s, whichever binds first', () => {
    expect(predicted(2000, 1, 100)).toMatchObject({ capacityPerSec: 1000, acceptedPerSec: 1000, throttledFrac: 0.5 });
    expect(predicted(2000, 1, 2048).capacityPerSec).toBe(512);
    expect(predicted(500, 2, 100).throttledFrac).toBe(0);
  });

  it('evaluates k6 threshold expressions', () => {
    expect(evaluateThreshold('rate<0.01', { rate: 0.005 })).toBe(true);
    expect(evaluateThreshold('p(95)<500', { 'p(95)': 600 })).toBe(false);
    expect(evaluateThreshold('count==0', { count: 0 })).toBe(true);
    expect(() => evaluateThreshold('nonsense', {})).toThrow(/not understood/);
  });
});
