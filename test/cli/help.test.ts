import { describe, it, expect } from 'vitest';
import { runC360 } from '../helpers/cli.js';

describe('c360 --help', () => {
  it('lists the commands and exits 0', async () => {
    const r = await runC360(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: c360/);
  });

  it('rejects an unknown command with a clear message', async () => {
    const r = await runC360(['no-such-command']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command/);
  });
});
