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
});
