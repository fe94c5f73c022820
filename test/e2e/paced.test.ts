// Acceptance: `c360 run --speed N` runs the scenario live with the Event Hubs front doors open; events an
// outside client sends over the REST send API while it runs are stored, read by the Stream Analytics
// job and counted in the run's report next to the generator's.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSasToken } from '../../engine/services/event-hubs/model/sas.js';
import { repoRoot } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-e2e-paced-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small scenario: 60 customers, 10 days of history (300 events in 3 batches), one 2-minute slice.
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
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/c360.js'), 'run', file, '--out', out, '--speed', '20', '--quiet'], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const restUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /^REST: (http:\/\/127\.0\.0\.1:\d+\/customer360\/messages)$/m.exec(stdout);
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

    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/paced-test: sent 300, accepted 300 .* 5 events from outside clients/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    // The generator's 300 and the outside client's 5 all reached the stream job.
    expect(report.kpis.eventsReachedStream).toBe(305);
    expect(report.reconciliation).toMatchObject({ sent: 300, accepted: 300, unaccounted: 0 });
    expect(report.target).toMatch(/paced/);
  });
});
