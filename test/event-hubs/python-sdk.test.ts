// Debian's python3-azure (azure-eventhub 5.11, pure-Python AMQP) against the AMQPS front door. That
// version predates emulator support: it always uses TLS on port 5671, so this test takes the shared
// lock /tmp/port5671.lock while it holds the port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventHubConsumerClient } from '@azure/event-hubs';
import type { RunningEmulator } from '../../engine/services/event-hubs/emulator.js';
import { startTestEmulator, waitFor } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
let lock: ChildProcess | undefined;
let emu: RunningEmulator;
const certDir = mkdtempSync(path.join(os.tmpdir(), 'c360-eh-py-'));

beforeAll(async () => {
  // Hold /tmp/port5671.lock for the whole file: flock runs `cat`, which lives until we end stdin.
  lock = spawn('flock', ['-w', '300', '/tmp/port5671.lock', 'sh', '-c', 'echo locked; cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  lock.stdout!.on('data', (d) => (out += d));
  await waitFor(() => out.includes('locked'), 300_000, 'the port 5671 lock');
  emu = await startTestEmulator({}, { amqpsPort: 5671, certDir });
}, 320_000);

afterAll(async () => {
  await emu?.close();
  lock?.stdin?.end();
  rmSync(certDir, { recursive: true, force: true });
});

function runPython(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON, [path.join(here, 'python_client.py'), ...args], { timeout: 90_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.runIf(existsSync(PYTHON))('azure-eventhub 5.11 (python3-azure) over AMQPS', () => {
  it('sends a batch and a single event and receives them with types intact', async () => {
    const conn = `Endpoint=sb://localhost/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE`;
    const r = await runPython([conn, 'eh1', emu.caFile!, '6']);
    if (r.code !== 0) throw new Error(`python client failed (${r.code}):\n${r.stderr.slice(-3000)}`);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(result.partition_ids).toEqual(['0', '1', '2', '3']);
    expect(result.last_sequence).toBe(5);
    expect(result.received.map((e: { sequence_number: number }) => e.sequence_number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.received[2]).toMatchObject({ body: '{"py": 2}', properties: { n: 2, flag: true, s: 'text' } });
    expect(result.received[5].body).toBe('single');

    // Stored byte for byte: Python's one-byte boolean (0x56 0x01) is still that encoding, not re-typed.
    const stored = emu.namespace.hub('eh1')!.partition('0')!.readFrom(1, 1)[0].bytes;
    const flagAt = stored.indexOf(Buffer.from('flag'));
    expect([...stored.subarray(flagAt + 4, flagAt + 6)]).toEqual([0x56, 0x01]);
    // The same events, read by the JS SDK.
    const consumer = new EventHubConsumerClient('$Default', emu.connectionString, 'eh1');
    const got: { properties?: Record<string, unknown>; body: unknown }[] = [];
    const sub = consumer.subscribe('0', { processEvents: async (ev) => void got.push(...ev), processError: async () => {} }, { startPosition: { sequenceNumber: 0, isInclusive: true } });
    await waitFor(() => got.length >= 6, 10_000, 'JS to read the Python events');
    await sub.close();
    await consumer.close();
    // (rhea, under the JS SDK, decodes the one-byte boolean 0x56 as the number 1: its quirk, not a change of bytes)
    expect(got[1].properties).toMatchObject({ n: 1, s: 'text' });
    expect(got[1].body).toEqual({ py: 1 });
  });
});
