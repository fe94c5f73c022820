import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runC360 } from '../helpers/cli.js';

describe('c360 scenario', () => {
  it('validate accepts every shipped scenario', async () => {
    const r = await runC360(['scenario', 'validate', 'scenarios/seed-demo.yaml', 'scenarios/tu-su-matrix.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok  scenarios/tu-su-matrix.yaml: tu-su-matrix (matrix of 12 runs)');
  });

  it('validate fails with file:line and the allowed values', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-scn-'));
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nstreamAnalytics:\n  streamingUnits: 5\n');
    const r = await runC360(['scenario', 'validate', 'scenarios/seed-demo.yaml', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`c360: error: ${bad}:3:19 (streamAnalytics.streamingUnits): Azure does not offer 5 SU V1; allowed values: 1, 3, 6, 12`);
    expect(r.stderr).toContain('1 of 2 scenario file(s) invalid');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('expand lists the combinations', async () => {
    const r = await runC360(['scenario', 'expand', 'scenarios/slice-width-sweep.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/slice-width-sweep: 4 run\(s\)/);
    expect(r.stdout).toMatch(/4\s+sliceMinutes-60\s+60/);
  });

  it('schema --check confirms the committed JSON Schema is current', async () => {
    const r = await runC360(['scenario', 'schema', '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('is up to date');
  });

  it('cost prices each run and refuses an unknown price override at its line', async () => {
    const r = await runC360(['scenario', 'cost', 'scenarios/seed-demo.yaml', '--detail']);
    expect(r.code).toBe(0);
    // 1 TU × 0.03 + 804,000 events × 0.028 / 1e6 + 1 SU × 0.11 + 6 nodes × 0.585 = 3.6725 per hour
    expect(r.stdout).toMatch(/base\s+1\s+1\s+4\s+804,000\s+3\.6725\s+0\.9181\s+3\.6725/);
    expect(r.stdout).toContain('2 head + 4 worker nodes (D12v2)');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-scn-'));
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ncost:\n  overrides:\n    eventHubs.standard.throughputUnitHour: 0.04\n    eventHubs.standard.tuHour: 0.1\n');
    const e = await runC360(['scenario', 'cost', bad]);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain(`${bad}:5:32 (cost.overrides.eventHubs.standard.tuHour): unknown price id "eventHubs.standard.tuHour"`);
  });

  it('--set overrides a key for cost, validate and expand', async () => {
    const r = await runC360(['scenario', 'cost', 'scenarios/seed-demo.yaml', '--set', 'dataFactory.etlCluster.workerNodes=8', '--set', 'eventHubs.throughputUnits=2']);
    expect(r.code).toBe(0);
    // 2 TU × 0.03 + 0.804 M × 0.028 + 0.11 + 10 nodes × 0.585 = 6.0425 per hour
    expect(r.stdout).toMatch(/base\s+2\s+1\s+8\s+804,000\s+6\.0425/);
    const bad = await runC360(['scenario', 'validate', 'scenarios/seed-demo.yaml', '--set', 'streamAnalytics.streamingUnits=4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Azure does not offer 4 SU V1');
    expect(bad.stderr).toContain('(from --set streamAnalytics.streamingUnits=4)');
  });
});
