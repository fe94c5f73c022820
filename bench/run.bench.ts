// Benchmark: `c360 run` end to end on the local target (virtual clock), each measurement in a fresh
// child process so its wall time includes start-up and its peak RSS is its own:
//   - scenarios/seed-demo.yaml (the original hour: 4 sessions × 201,000 events; target ≤ 5 s)
//   - scenarios/tu-su-matrix.yaml (12 one-session runs; target < 60 s)
//   - scenarios/stress.yaml (10× customers; only with C360_BENCH_STRESS=1 — it takes minutes; peak RSS)
// Baseline, measured in the same run: generating the same events alone (the 4 sessions of seed-demo
// through the generator and its JSON formatting, nothing sent) in a child process — the floor of any
// run, since every event must be generated. Ratio = run / baseline.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineSummary } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const root = mkdtempSync(path.join(os.tmpdir(), 'c360-bench-run-'));

interface ChildResult {
  ms: number;
  cpuMs: number;
  maxRssMB: number;
  detail: string;
}

/** Runs this file as a child in `mode` and returns what it measured about itself. */
function child(mode: string, arg: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // A run gets the young generation `c360 run` gives itself (bin/c360.js), so this measures what users run.
    const flags = mode === 'run' ? ['--max-semi-space-size=64'] : [];
    const p = spawn(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, arg], { cwd: repo });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${mode} ${arg} failed (${code}): ${err}`));
      const r = JSON.parse(out.trim().split('\n').pop()!) as Omit<ChildResult, 'ms'>;
      resolve({ ...r, ms: wall });
    });
  });
}

async function childMain(mode: string, arg: string): Promise<void> {
  let detail = '';
  if (mode === 'run') {
    const { runScenario } = await import('../engine/index.js');
    const out = path.join(root, `out-${process.pid}`);
    const o = await runScenario(path.join(repo, arg), { out, keepWarehouse: true });
    const k = o.runs.map((r) => r.result);
    const unaccounted = k.reduce((a, r) => a + r.reconciliation.unaccounted, 0);
    if (unaccounted !== 0) throw new Error(`unaccounted events: ${unaccounted}`);
    detail = `${o.runs.length} run(s), ${k.reduce((a, r) => a + r.kpis.eventsSent, 0).toLocaleString('en-US')} events sent, ${k.reduce((a, r) => a + r.profiles.length, 0).toLocaleString('en-US')} profiles`;
    rmSync(out, { recursive: true, force: true });
  } else {
    const { browsingSession, datagenConfig, formatBrowsingBody } = await import('../engine/datagen/index.js');
    const config = datagenConfig({ customers: 6000, seed: 1 });
    let n = 0;
    let bytes = 0;
    for (let s = 0; s < Number(arg); s++)
      for (const e of browsingSession(config, s)) {
        bytes += formatBrowsingBody(e).length;
        n++;
      }
    detail = `${n.toLocaleString('en-US')} events, ${(bytes / 1e6).toFixed(1)} MB of JSON`;
  }
  const u = process.resourceUsage();
  process.stdout.write(JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMB: u.maxRSS / 1024, detail }) + '\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(mode: string, arg: string, repeats: number): Promise<ChildResult> {
  const results: ChildResult[] = [];
  for (let i = 0; i < repeats; i++) results.push(await child(mode, arg));
  const pick = (k: 'ms' | 'cpuMs' | 'maxRssMB') => median(results.map((r) => r[k]));
  return { ms: pick('ms'), cpuMs: pick('cpuMs'), maxRssMB: Math.max(...results.map((r) => r.maxRssMB)), detail: results[0].detail };
}

async function main(): Promise<void> {
  const repeats = Number(process.env.C360_BENCH_REPEATS ?? 3);
  const rows: [string, ChildResult][] = [];
  // Warm the trained-model cache once (a fresh clone trains the GBM on its first run, ~2 s).
  await child('run', 'scenarios/seed-scaling-table.yaml').catch(() => undefined);
  const baseline = await measure('generate', '4', repeats);
  rows.push(['baseline: generate seed-demo\'s 4 sessions only', baseline]);
  rows.push(['c360 run scenarios/seed-demo.yaml', await measure('run', 'scenarios/seed-demo.yaml', repeats)]);
  rows.push(['c360 run scenarios/tu-su-matrix.yaml', await measure('run', 'scenarios/tu-su-matrix.yaml', 1)]);
  if (process.env.C360_BENCH_STRESS === '1') rows.push(['c360 run scenarios/stress.yaml', await measure('run', 'scenarios/stress.yaml', 1)]);
  const load = os.loadavg()[0].toFixed(1);
  const lines = [
    '## c360 run (local target, virtual clock)',
    '',
    machineSummary() + ` — load average at the end: ${load}`,
    `Median of ${repeats} child processes (matrix and stress: 1); wall time includes process start-up (tsx).`,
    '',
    '| what | wall | CPU (user+sys) | peak RSS | wall vs baseline | detail |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(([name, r]) => `| ${name} | ${(r.ms / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.maxRssMB.toFixed(0)} MB | ${(r.ms / baseline.ms).toFixed(2)}× | ${r.detail} |`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  rmSync(root, { recursive: true, force: true });
}

const at = process.argv.indexOf('--child');
if (at >= 0) await childMain(process.argv[at + 1], process.argv[at + 2]);
else await main();
