// Acceptance: `c360 run --speed N` runs the scenario live with the Event Hubs front doors open; events
// outside clients send while it runs — over the REST send API and with the real @azure/event-hubs SDK
// over AMQP — are stored, read by the Stream Analytics job and counted in the run's report on their own
// line, next to the generator's exact reconciliation; the job's backlog never goes negative.
import { spawn } from 'node:child_process';
import { EventHubProducerClient } from '@azure/event-hubs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSasToken } from '../../engine/services/event-hubs/model/sas.js';
import { repoRoot } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-e2e-paced-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small scenario: 60 customers, 10 days of history (300 events in 3 batches), one 2-minute slice; at
// 10× it runs ~14 s, long enough for the outside clients (REST, then the SDK's AMQP connection) to send.
const SCENARIO = `name: paced-test
seed: 5
generator: { customers: 60, sessions: 1, historyDays: 10 }
sender: { batchSize: 100, intervalSeconds: 5 }
dataFactory: { sliceMinutes: 2, etlCluster: { fixedSeconds: 10 }, scoringFixedSeconds: 5 }
`;

describe('c360 run --speed (paced clock, front doors open)', () => {
  it('prints the connection string and REST URL, and counts events sent from outside during the run', { timeout: 120_000 }, async () => {
    const file = path.join(dir, 'paced.yaml');
    writeFileSync(file, SCENARIO);
    const out = path.join(dir, 'out');
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/c360.js'), 'run', file, '--out', out, '--speed', '10', '--quiet'], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    let connectionString = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const restUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /^REST: (http:\/\/127\.0\.0\.1:\d+\/customer360\/messages)$/m.exec(stdout);
        connectionString = /^(Endpoint=sb:\/\/.*)$/m.exec(stdout)?.[1] ?? '';
        if (m) resolve(m[1]);
      });
      child.on('close', () => reject(new Error(`run ended before printing its REST URL:\n${stdout}\n${stderr}`)));
    });
    expect(stdout).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;EntityPath=customer360$/m);

    const body = JSON.stringify(
      [7, 8, 9, 10, 11].map((id) => ({ Body: JSON.stringify({ userdatetime: '2017-03-07T06:00:00+00:00', customerid: id, category_t1: 1.5, category_t2: 2.5, category_t3: 3.5 }) })),
    );
    const token = createSasToken('https://emulatorns1.servicebus.windows.net/', { name: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' }, Math.floor(Date.now() / 1000) + 3600);
    const res = await fetch(restUrl, { method: 'POST', body, headers: { Authorization: token, 'Content-Type': 'application/vnd.microsoft.servicebus.json' } });
    expect(res.status).toBe(201);
    // Three more over AMQP with the official SDK, using the connection string the run printed.
    const producer = new EventHubProducerClient(connectionString);
    try {
      await producer.sendBatch([21, 22, 23].map((id) => ({ body: { userdatetime: '2017-03-07T07:13:00+00:00', customerid: id, category_t1: 1, category_t2: 2, category_t3: 3 } })));
    } finally {
      await producer.close();
    }

    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/paced-test: sent 300, accepted 300 .* 8 events from outside clients/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.target).toMatch(/paced/);
    // The generator's 300 and the outside clients' 8 all reached the stream job.
    expect(report.kpis.eventsReachedStream).toBe(308);
    expect(report.metrics.totals.InputDeserializationErrors).toBe(0);
    // The hub counts every client (IncomingMessages); the generator's own accepted events are 300.
    expect(report.metrics.totals.IncomingMessages).toBe(308);
    expect(report.metrics.totals.AcceptedEvents).toBe(300);
    expect(report.outsideEvents).toBe(8);
    // The generator's reconciliation is exact and does not include the outside events.
    const r = report.reconciliation;
    expect(r).toMatchObject({ sent: 300, accepted: 300, unaccounted: 0 });
    expect(r.sent).toBe(r.accepted + r.throttled + r.dropped + r.inFlight);
    // Backlog, second by second: never negative, and empty at the end.
    const [header, ...rows] = readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    const col = header.split(',').indexOf('BackloggedInputEvents');
    const backlog = rows.map((line) => Number(line.split(',')[col]));
    expect(backlog.length).toBeGreaterThan(100);
    expect(Math.min(...backlog)).toBeGreaterThanOrEqual(0);
    expect(backlog[backlog.length - 1]).toBe(0);
    // The HTML report has the outside clients on their own reconciliation line.
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/from outside clients<\/td><td[^>]*>8</);
  });
});
