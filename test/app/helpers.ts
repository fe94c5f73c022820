// Shared set-up for the app tests: a throw-away workspace and shipped-scenarios folder (the repository's
// scenarios plus the small fixtures), and a wait for a job to end.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiHandlers, RunSummaryDto } from '../../electron/common/contract.js';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');

export function tempWorkspace(): { workspace: string; scenarios: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'c360-app-'));
  const scenarios = path.join(root, 'shipped');
  cpSync(path.join(repoRoot, 'scenarios'), scenarios, { recursive: true });
  for (const f of readdirSync(path.join(here, 'fixtures'))) cpSync(path.join(here, 'fixtures', f), path.join(scenarios, f));
  return { workspace: path.join(root, 'ws'), scenarios, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export async function waitForJob(handlers: ApiHandlers, id: string, timeoutMs = 120_000): Promise<RunSummaryDto> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await handlers.listRuns({ limit: 100 })).find((j) => j.id === id);
    if (job && job.status !== 'running' && job.status !== 'queued') return job;
    if (Date.now() > until) throw new Error(`job ${id} did not finish in ${timeoutMs} ms (last: ${JSON.stringify(job)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
