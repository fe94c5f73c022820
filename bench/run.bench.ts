// Benchmark: `c360 run` end to end on the local target (virtual clock), each measurement in a fresh
// child process so its wall time includes start-up and its peak RSS is its own:
//   - scenarios/seed-demo.yaml (the original hour: 4 sessions × 201,000 events; target ≤ 5 s)
//   - scenarios/tu-su-matrix.yaml (12 one-session runs; target < 60 s)
//   - scenarios/stress.yaml (10× customers; only with C360_BENCH_STRESS=1 — it takes minutes; peak RSS)
// Runs are measured as users run them (`bin/c360.js run` as npx starts it, prebuilt engine), under GNU time.
// Baseline, measured in the same run: generating the same events alone (the 4 sessions of seed-demo
// through the generator and its JSON formatting, nothing sent) in a child process — the floor of any
// run, since every event must be generated. Ratio = run / baseline.
import { spawn, spawnSync } from 'node:child_process';
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

/** Runs a command to its end; its wall time, output, and an error naming it if it fails. */
function timedRun(command: string, args: string[]): Promise<{ ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(command, args, { cwd: repo });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${args.join(' ')} failed (${code}): ${stderr}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

/** Runs this file as a child in `mode` and returns what it measured about itself. */
async function child(mode: string, arg: string): Promise<ChildResult> {
  if (mode === 'run') return c360Run(arg);
  const { ms, stdout } = await timedRun(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, arg]);
  return { ...(JSON.parse(stdout.trim().split('\n').pop()!) as Omit<ChildResult, 'ms'>), ms };
}

/**
 * `bin/c360.js run SCENARIO --out DIR --quiet` started as a program, as `npx c360` starts it (the prebuilt
 * engine; its first line gives node the larger young generation), under GNU time for the CPU and peak RSS
 * of the process tree.
 */
async function c360Run(scenario: string): Promise<ChildResult> {
  const out = path.join(root, `out-${scenario.replace(/\W+/g, '-')}`);
  const { ms, stdout, stderr } = await timedRun('/usr/bin/time', ['-f', 'TIME %U %S %M', 'bin/c360.js', 'run', scenario, '--out', out, '--quiet']);
  const [, user, sys, rssKb] = /TIME (\S+) (\S+) (\d+)/.exec(stderr)!;
  const summary = stdout.split('\n').filter((l) => /sent [\d,]+/.test(l));
  if (summary.some((l) => !/unaccounted 0\b/.test(l))) throw new Error(`unaccounted events: ${summary.join(' / ')}`);
  rmSync(out, { recursive: true, force: true });
  return { ms, cpuMs: (Number(user) + Number(sys)) * 1000, maxRssMB: Number(rssKb) / 1024, detail: summary.length === 1 ? summary[0].replace(/^[^:]+: /, '') : `${summary.length} runs` };
}

/** The baseline child: generates seed-demo's sessions and formats every body, nothing sent. */
async function generateOnly(sessions: number): Promise<void> {
  const { browsingSession, datagenConfig, formatBrowsingBody } = await import('../engine/datagen/index.js');
  const config = datagenConfig({ customers: 6000, seed: 1 });
  let n = 0;
  let bytes = 0;
  for (let s = 0; s < sessions; s++)
    for (const e of browsingSession(config, s)) {
      bytes += formatBrowsingBody(e).length;
      n++;
    }
  const detail = `${n.toLocaleString('en-US')} events, ${(bytes / 1e6).toFixed(1)} MB of JSON`;
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
  // Measure what `npm install` leaves: the engine prebuilt into dist/ (tools/build-engine.mjs).
  spawnSync(process.execPath, ['tools/build-engine.mjs'], { cwd: repo, stdio: 'inherit' });
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
    `Median of ${repeats} child processes (matrix and stress: 1); wall time includes process start-up: runs are "bin/c360.js run … --quiet" (as npx starts it) on the prebuilt engine, the baseline a tsx child.`,
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
if (at >= 0) await generateOnly(Number(process.argv[at + 2]));
else await main();
