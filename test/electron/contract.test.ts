// The IPC/HTTP contract's argument validation: every method refuses what it was not built for.
import { describe, expect, it } from 'vitest';
import { checkCall, METHOD_NAMES, METHODS, channelOf } from '../../electron/common/contract.js';

describe('contract argument validation', () => {
  it('accepts well-formed calls and drops nothing it was given', () => {
    const r = checkCall('queryProfiles', { runId: 'run-1', search: 'M', label: 2, offset: 100, limit: 50, sort: 'probability' });
    expect(r).toEqual({ ok: true, method: 'queryProfiles', args: { runId: 'run-1', search: 'M', label: 2, offset: 100, limit: 50, sort: 'probability' } });
  });

  it('treats missing arguments as an empty object for methods without required keys', () => {
    expect(checkCall('listScenarios', undefined)).toMatchObject({ ok: true });
    expect(checkCall('listRuns', {})).toMatchObject({ ok: true });
  });

  it('refuses unknown methods, including prototype names', () => {
    for (const name of ['deleteEverything', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = checkCall(name, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('unknown-method');
    }
  });

  it.each([
    ['readScenario', { name: '../../etc/passwd' }, 'name'],
    ['readScenario', { name: 'seed-demo', extra: 1 }, 'unknown key "extra"'],
    ['saveScenario', { name: 'x' }, 'text'],
    ['startRun', { scenario: 'seed-demo', speed: -1 }, 'speed'],
    ['startRun', { scenario: 'seed-demo', speed: Number.NaN }, 'speed'],
    ['queryProfiles', { runId: 'r', label: 4 }, 'label'],
    ['queryProfiles', { runId: 'r', label: 1.5 }, 'integer'],
    ['queryProfiles', { runId: 'r', limit: 100000 }, 'limit'],
    ['queryProfiles', { runId: 'r', sort: 'DROP TABLE' }, 'sort'],
    ['getCustomer', { runId: 'r', customerId: '7' }, 'customerId'],
    ['trainModel', { trees: 0, depth: 5, learningRate: 0.1, testFraction: 0.1, seed: 1, dataset: 'original' }, 'trees'],
    ['trainModel', { trees: 10, depth: 5, learningRate: 0.1, testFraction: 0.1, seed: 1, dataset: '/etc/shadow' }, 'dataset'],
    ['importModel', { name: 'm.onnx', base64: 'not base64!' }, 'base64'],
    ['exportCsv', { id: 'r', kind: 'secrets' }, 'kind'],
    ['stopJob', { id: 'a'.repeat(81) }, 'id'],
  ])('%s refuses %j', (method, args, mention) => {
    const r = checkCall(method, args);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-argument');
      expect(r.error.message).toContain(mention);
      expect(r.error.message.startsWith(`${method}.`) || r.error.message.startsWith(`${method}:`)).toBe(true);
    }
  });

  it('refuses non-plain objects (arrays, class instances)', () => {
    expect(checkCall('listRuns', [])).toMatchObject({ ok: false });
    expect(checkCall('listRuns', new Date())).toMatchObject({ ok: false });
    expect(checkCall('listRuns', 'x')).toMatchObject({ ok: false });
  });

  it('has one namespaced channel per method', () => {
    const channels = METHOD_NAMES.map(channelOf);
    expect(new Set(channels).size).toBe(METHOD_NAMES.length);
    for (const c of channels) expect(c).toMatch(/^c360:[a-zA-Z]+$/);
    expect(Object.keys(METHODS).sort()).toEqual([...METHOD_NAMES].sort());
  });
});
