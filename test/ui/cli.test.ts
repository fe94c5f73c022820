// `c360 ui` argument errors: one clear line, non-zero exit, nothing left listening.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runC360 } from '../helpers/cli.js';

describe('c360 ui', () => {
  it('refuses an unknown --run scenario with a one-line error', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'c360-ui-cli-'));
    try {
      const r = await runC360(['ui', '--port', '0', '--workspace', ws, '--run', 'no-such-scenario']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^c360: error: scenario "no-such-scenario" not found$/m);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('refuses a port outside 0–65535', async () => {
    const r = await runC360(['ui', '--port', '70000']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--port');
  });
});
