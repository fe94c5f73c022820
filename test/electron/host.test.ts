// The utility-process protocol over a real MessageChannel: calls, validation, errors as data, events.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { HostClient, serveApi, type PortLike } from '../../electron/utility/host.js';
import type { ApiHandlers, EngineEvent } from '../../electron/common/contract.js';
import { SecretStore } from '../../electron/main/secrets.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Node's MessagePort emits the payload itself; Electron's emits { data }. Adapt to Electron's shape. */
function electronShaped(port: import('node:worker_threads').MessagePort): PortLike {
  return { postMessage: (m) => port.postMessage(m), on: (_e, l) => port.on('message', (data) => l({ data })) };
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

describe('engine host protocol', () => {
  it('relays calls, validates again on the engine side, serialises errors, forwards events', async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    let emit: (e: EngineEvent) => void = () => {};
    const handlers = {
      readScenario: async ({ name }: { name: string }) => {
        if (name === 'missing') throw Object.assign(new Error('scenario "missing" not found'), { name: 'NotFoundError' });
        return { name, text: 'seed: 1', readOnly: true };
      },
    } as unknown as ApiHandlers;
    serveApi(electronShaped(channel.port2), { handlers, subscribe: (l) => ((emit = l), () => {}) });
    const events: EngineEvent[] = [];
    const client = new HostClient(electronShaped(channel.port1), (e) => events.push(e));

    expect(await client.call('readScenario', { name: 'seed-demo' })).toEqual({ ok: true, value: { name: 'seed-demo', text: 'seed: 1', readOnly: true } });
    expect(await client.call('readScenario', { name: 'missing' })).toEqual({ ok: false, error: { code: 'not-found', message: 'scenario "missing" not found' } });
    expect(await client.call('readScenario', { name: 5 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await client.call('nope', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });

    emit({ type: 'progress', jobId: 'j', progress: 0.5, message: 'half' });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([{ type: 'progress', jobId: 'j', progress: 0.5, message: 'half' }]);
  });

  it('fails calls in flight when the engine process dies', async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    const client = new HostClient(electronShaped(channel.port1), () => {});
    const pending = client.call('listRuns', {});
    client.failAll('the engine process stopped (exit code 1)');
    expect(await pending).toEqual({ ok: false, error: { code: 'internal', message: 'the engine process stopped (exit code 1)' } });
  });
});

describe('secrets in the main process', () => {
  // safeStorage needs Electron and an OS keychain; this reversible stand-in marks what was encrypted.
  const encryptor = (available = true) => ({
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
    decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').toString(),
  });

  it('stores only encrypted values and reveals names, not values, to callers that list', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'c360-secrets-'));
    try {
      const file = path.join(dir, 'secrets.json');
      const store = new SecretStore(file, encryptor());
      store.set('eventHubsConnectionString', 'Endpoint=sb://x/;SharedAccessKey=TOPSECRET');
      expect(readFileSync(file, 'utf8')).not.toContain('TOPSECRET');
      expect(store.names()).toEqual(['eventHubsConnectionString']);
      expect(store.get('eventHubsConnectionString')).toBe('Endpoint=sb://x/;SharedAccessKey=TOPSECRET');
      expect(() => new SecretStore(file, encryptor(false)).set('k', 'v')).toThrow(/keychain/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
