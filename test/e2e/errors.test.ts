// Acceptance: an invalid scenario fails with file:line and the allowed values (before anything runs);
// a scenario whose slice work misses its deadline says so in the report and the summary, and exits 0.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runC360 } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-e2e-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(name: string, text: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('c360 run: bad scenarios and missed deadlines', () => {
  it('an unknown key fails with file:line:column and the allowed keys, and writes nothing', async () => {
    const file = scenario('typo', 'name: typo\neventHubs:\n  throughputUnit: 2\n');
    const out = path.join(dir, 'typo-out');
    const res = await runC360(['run', file, '--out', out]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`${file}:3:3`);
    expect(res.stderr).toMatch(/throughputUnit/);
    expect(res.stderr).toMatch(/throughputUnits/);
    expect(() => readFileSync(path.join(out, 'report.json'))).toThrow();
  });

  it('a streaming-unit count Azure does not offer fails with the allowed values', async () => {
    const file = scenario('su', 'name: su\nstreamAnalytics:\n  streamingUnits: 4\n');
    const res = await runC360(['run', file, '--out', path.join(dir, 'su-out')]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`${file}:3:`);
    expect(res.stderr).toMatch(/allowed values: 1, 3, 6/);
  });

  it('--set overrides a key for the run, and a refused value names --set and the allowed values', async () => {
    const file = scenario('set', 'name: set\nseed: 3\ngenerator: { customers: 60, sessions: 1, historyDays: 10 }\nsender: { batchSize: 100 }\n');
    const out = path.join(dir, 'set-out');
    const ok = await runC360(['run', file, '--out', out, '--quiet', '--set', 'eventHubs.throughputUnits=3', '--set', 'eventHubs.partitions=4']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect([report.scenario.eventHubs.throughputUnits, report.scenario.eventHubs.partitions]).toEqual([3, 4]);
    const bad = await runC360(['run', file, '--out', path.join(dir, 'set-bad'), '--set', 'streamAnalytics.streamingUnits=4']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--set/);
    expect(bad.stderr).toMatch(/allowed values: 1, 3, 6/);
  });

  it('a wrong type names the key and the expected type', async () => {
    const file = scenario('type', 'name: type\ngenerator:\n  sessions: four\n');
    const res = await runC360(['run', file, '--out', path.join(dir, 'type-out')]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`${file}:3:`);
    expect(res.stderr).toMatch(/sessions/);
  });

  it('target: azure is refused as not supported yet, naming the file and the key', async () => {
    const file = scenario('azure', 'name: azure\ntarget: azure\n');
    const res = await runC360(['run', file, '--out', path.join(dir, 'azure-out')]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toMatch(/\(target\).*not supported: target "azure"/);
  });

  it('slice work longer than the slice: the report says the deadline was missed, the run completes', { timeout: 120_000 }, async () => {
    // Two 2-minute slices; the ETL cluster's fixed overhead alone is 5 minutes.
    const file = scenario(
      'late',
      'name: late\nseed: 3\ngenerator: { customers: 60, sessions: 2, historyDays: 10 }\nsender: { batchSize: 100 }\ndataFactory: { sliceMinutes: 2, etlCluster: { fixedSeconds: 300 } }\n',
    );
    const out = path.join(dir, 'late-out');
    const res = await runC360(['run', file, '--out', out, '--quiet']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/slices 0\/2 on time \(2 MISSED their deadline\)/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.slices.map((s: { state: string; deadlineMet: boolean }) => [s.state, s.deadlineMet])).toEqual([
      ['Ready', false],
      ['Ready', false],
    ]);
    expect(report.kpis.slicesDeadlineMet).toBe(0);
    expect(report.reconciliation.unaccounted).toBe(0);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/slices meeting deadline/);
    expect(html).toMatch(/>NO</);
  });
});
