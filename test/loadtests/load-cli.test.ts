// `c360 load` against the real emulator process, as CI runs it instead of k6 (spec load-tests.md §6.5):
// bounded runs on 127.0.0.1, the k6-shaped summary read back with parseK6Summary, throttling seen exactly
// when the offered load exceeds the emulator's throughput units.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runC360 } from '../helpers/cli.js';
import { parseK6Summary } from '../../loadtests/lib/summary.ts';

let emulator: ChildProcess;
let baseUrl = '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-load-'));

beforeAll(async () => {
  emulator = spawn(process.execPath, [path.join(repoRoot, 'bin/c360.js'), 'emulator', '--amqp-port', '0', '--http-port', '0', '--throughput-units', '1'], { cwd: repoRoot });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${out}`)), 30_000);
    emulator.stdout!.on('data', (d) => {
      out += d;
      const m = /REST: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && /Ready/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    emulator.on('exit', (code) => reject(new Error(`emulator exited with ${code}:\n${out}`)));
  });
});

afterAll(() => {
  emulator?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('c360 load against the emulator', () => {
  it('is not throttled under the TU capacity and exits 0', async () => {
    const summary = path.join(dir, 'under.json');
    // 10 batches/s × 20 events = 200 events/s, well under 1 TU's 1,000 events/s.
    const r = await runC360(['load', '--base-url', baseUrl, '--rate', '10', '--batch-size', '20', '--event-bytes', '120', '--duration', '2s', '--summary', summary]);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    const run = parseK6Summary(JSON.parse(readFileSync(summary, 'utf8')));
    expect(run.shape).toBe('handle-summary');
    expect(run.throttledFrac).toBe(0);
    expect(run.eventsSent).toBe(20 * 20);
    expect(run.failedThresholds).toEqual([]);
    expect(r.stdout).toMatch(/twin prediction at 1 TU/);
  });

  it('sees 503 ServerBusy when the offered load exceeds 1 TU, fails the threshold and exits 99 like k6', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // let the previous test's ingress leave the throttle window
    const summary = path.join(dir, 'over.json');
    // 20 batches/s × 200 events = 4,000 events/s against 1,000 events/s.
    const r = await runC360(['load', '--base-url', baseUrl, '--rate', '20', '--batch-size', '200', '--event-bytes', '120', '--duration', '3s', '--summary', summary]);
    expect(r.code).toBe(99);
    const data = JSON.parse(readFileSync(summary, 'utf8'));
    const run = parseK6Summary(data);
    expect(run.throttledFrac).toBeGreaterThan(0.3);
    expect(run.eventsSent).toBeGreaterThan(0);
    expect(run.failedThresholds).toContain('eh_throttled: rate<0.01');
    // Every request is accounted for: the outcomes add up to the requests made, and the accepted ones to the events sent.
    const outcomesLine = /outcomes\.+: (.*)/.exec(r.stdout)![1];
    const outcomes = Object.fromEntries([...outcomesLine.matchAll(/(ok|throttled|auth|too_large|error) (\d+)/g)].map((x) => [x[1], Number(x[2])]));
    const requests = data.metrics.http_reqs.values.count;
    expect(outcomes.ok + outcomes.throttled + outcomes.auth + outcomes.too_large + outcomes.error).toBe(requests);
    expect(outcomes.ok * 200).toBe(run.eventsSent);
    expect(outcomes.throttled).toBe(data.metrics.eh_throttled.values.passes);
  });

  it('gets 401 with a wrong key', async () => {
    const summary = path.join(dir, 'auth.json');
    const r = await runC360(['load', '--base-url', baseUrl, '--key', 'wrong', '--rate', '5', '--batch-size', '1', '--duration', '1s', '--summary', summary]);
    expect(r.stdout).toMatch(/auth 5/);
    expect(r.code).toBe(0); // no threshold covers auth failures, but the checks show 0% 201s
    expect(JSON.parse(readFileSync(summary, 'utf8')).metrics.checks.values.rate).toBe(0);
  });

  it('refuses a non-loopback target without --allow-remote, naming the variable', async () => {
    const r = await runC360(['load', '--base-url', 'https://example.servicebus.windows.net', '--duration', '1s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EH_BASE_URL.*not a loopback address/);
  });
});
