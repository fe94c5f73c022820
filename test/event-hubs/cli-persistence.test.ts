// `c360 emulator` as a user runs it: printed connection lines, Microsoft's Config.json, clear config
// errors, clean SIGTERM shutdown, and a kill -9 in the middle of a send loop with --data-dir.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { repoRoot, runC360 } from '../helpers/cli.js';
import { createSasToken } from '../../engine/services/event-hubs/model/sas.js';
import { receiveWithSdk, waitFor } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'c360-eh-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  connectionString: string;
  rest: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/c360.js'), 'emulator', '--amqp-port', '0', '--http-port', '0', ...args], { cwd: repoRoot });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor(() => out.includes('Ready.') || child.exitCode !== null, 30_000, 'the emulator to start');
  if (!out.includes('Ready.')) throw new Error(`emulator did not start:\n${out}`);
  const connectionString = out.split('\n').find((l) => l.startsWith('Endpoint=sb://'))!;
  const rest = /REST: (\S+)/.exec(out)![1];
  return { child, connectionString, rest, output: () => out, exited };
}

const auth = () => createSasToken('sb://localhost/', { name: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' }, Math.floor(Date.now() / 1000) + 3600);

describe('c360 emulator', () => {
  it('prints the connection string and REST URL, serves Microsoft Config.json, and stops cleanly on SIGTERM', async () => {
    const config = path.join(tmp, 'Config.json');
    writeFileSync(
      config,
      JSON.stringify({
        UserConfig: {
          NamespaceConfig: [{ Type: 'EventHub', Name: 'emulatorNs1', Entities: [{ Name: 'eh1', PartitionCount: '2', ConsumerGroups: [{ Name: 'cg1' }] }] }],
          LoggingConfig: { Type: 'File' },
        },
      }),
    );
    const emu = await startCli(['--config', config]);
    expect(emu.connectionString).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true$/);
    expect(emu.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const producer = new EventHubProducerClient(emu.connectionString, 'eh1');
    try {
      expect((await producer.getEventHubProperties()).partitionIds).toEqual(['0', '1']);
    } finally {
      await producer.close();
    }
    emu.child.kill('SIGTERM');
    expect(await emu.exited).toBe(0);
    expect(emu.output()).toMatch(/SIGTERM: shutting down/);
    expect(emu.output()).toMatch(/Stopped\./);
  });

  it('throttles REST batches with --throughput-units 1 (503 ServerBusy)', async () => {
    const emu = await startCli(['--throughput-units', '1']);
    try {
      expect(emu.output()).toMatch(/Throughput units: 1;/);
      const body = JSON.stringify(Array.from({ length: 1675 }, (_, i) => ({ Body: JSON.stringify({ customerid: i + 1, category_t1: 700 }) })));
      const post = () =>
        fetch(`${emu.rest}/customer360/messages`, { method: 'POST', body, headers: { Authorization: auth(), 'Content-Type': 'application/vnd.microsoft.servicebus.json' } });
      const first = await post();
      const second = await post();
      expect([first.status, second.status]).toEqual([201, 503]);
      const metrics = await (await fetch(`${emu.rest}/$metrics`)).json();
      expect(metrics).toMatchObject({ IncomingMessages: 1675, ThrottledRequests: 1, SuccessfulRequests: 1 });
    } finally {
      emu.child.kill('SIGINT');
      expect(await emu.exited).toBe(0);
    }
  });

  it('names the file and field of a bad config', async () => {
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ hubs: [{ name: 'h', partitions: 0 }] }));
    const r = await runC360(['emulator', '--config', bad, '--amqp-port', '0', '--http-port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/c360: error: .*bad\.json \(hubs\.0\.partitions\): .*>=\s*1/);
    const broken = path.join(tmp, 'broken.yaml');
    writeFileSync(broken, 'hubs:\n  - name: [unclosed\n');
    const r2 = await runC360(['emulator', '--config', broken]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/broken\.yaml:\d+:\d+: not valid YAML/);
  });

  // Two emulator starts, a kill -9 and SDK reconnects: on a loaded CI machine (two test files, 2 cores)
  // this once needed more than the default 60 s, so it gets 120 s and every wait below is bounded.
  it('loses no acknowledged event and keeps checkpoints across kill -9 with --data-dir', { timeout: 120_000 }, async () => {
    const dataDir = path.join(tmp, 'data');
    const first = await startCli(['--data-dir', dataDir]);
    const producer = new EventHubProducerClient(first.connectionString, 'customer360', { retryOptions: { maxRetries: 0, timeoutInMs: 3000 } });
    const acknowledged: number[] = [];
    let n = 0;
    let killed = false;
    const loop = (async () => {
      while (!killed) {
        const ids = Array.from({ length: 20 }, () => n++);
        try {
          await producer.sendBatch(ids.map((id) => ({ body: { id } })), { partitionId: String((ids[0] / 20) % 2) });
          acknowledged.push(...ids);
        } catch {
          return; // the emulator died mid-send: this batch was never acknowledged
        }
      }
    })();
    await waitFor(() => acknowledged.length >= 400, 20_000, '400 acknowledged events');
    const cp = await fetch(`${first.rest}/customer360/consumergroups/$Default/checkpoints/0`, {
      method: 'PUT',
      headers: { Authorization: auth() },
      body: JSON.stringify({ offset: '0', sequenceNumber: 19 }),
    });
    expect(cp.status).toBe(200);
    first.child.kill('SIGKILL');
    killed = true;
    await first.exited;
    // The send in flight when the process died fails by itself (timeoutInMs 3 s, no retries); do not let a
    // slow SDK teardown hold the test.
    const settle = (work: Promise<unknown>) => Promise.race([work.catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    await settle(loop);
    await settle(producer.close());

    const second = await startCli(['--data-dir', dataDir]);
    try {
      expect(second.output()).toMatch(/Data dir: .* \(\d+ events retained\)/);
      const seen = new Set<number>();
      for (const p of ['0', '1']) {
        const events = await receiveWithSdk(second.connectionString, 'customer360', p, earliestEventPosition, acknowledged.filter((id) => Math.floor(id / 20) % 2 === Number(p)).length, { settleMs: 200 });
        for (const e of events) seen.add((e.body as { id: number }).id);
      }
      const missing = acknowledged.filter((id) => !seen.has(id));
      expect(missing).toEqual([]);
      const list = await (await fetch(`${second.rest}/customer360/consumergroups/$default/checkpoints`, { headers: { Authorization: auth() } })).json();
      expect(list).toMatchObject([{ partitionId: '0', sequenceNumber: 19, offset: '0' }]);
      // the consumer resumes after the checkpoint
      const resumed = await receiveWithSdk(second.connectionString, 'customer360', '0', { sequenceNumber: 19 }, 1, { settleMs: 100 });
      expect(resumed[0].sequenceNumber).toBe(20);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
