// Benchmark of the pipeline run loop (engine/pipeline) and the report writer (engine/report).
//   npm run bench -- pipeline            (or: node --import tsx --expose-gc bench/pipeline.bench.ts [--stress | --stress-only])
// The fixture ports it drives live with the pipeline tests, in test/pipeline/fixtures/.
//
// Workload: the seed-demo shape on the fixture ports of test/pipeline — 6,000 customers, 4 sessions of
// ~201k events in 1,675-event batches every 5 s, 1 TU, 2 partitions, four 15-minute slices: one hour
// of virtual time. With --stress also 10× the customers (the stress.yaml scale, ~8M events).
//
// Baseline, measured in the same run: the same events through the same fixture stages in one plain
// loop — publish each batch, read it back from the hub, feed the stream job, flush, build and score the
// profiles once per slice — with no kernel, no processes, no recorder. The ratio is what the loop's
// machinery (virtual clock, 1 s pump ticks, metrics, latency tracking, reconciliation) costs on top.
import { machineSummary, medianMs } from './machine.js';
import { runPipeline } from '../engine/pipeline/run.js';
import type { PipelineScenario } from '../engine/ports/pipeline.js';
import { writeRunReport } from '../engine/report/write-run.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FixtureHub } from '../test/pipeline/fixtures/hub.js';
import { FixtureStreamJob } from '../test/pipeline/fixtures/stream.js';
import { MemoryStore, RuleScorer, SummingProfileBuilder, SyntheticSessions } from '../test/pipeline/fixtures/stages.js';
import { fixtureTarget, scenario } from '../test/pipeline/fixtures/target.js';

const MIN = 60_000;

function demo(customers: number): PipelineScenario {
  return scenario({
    name: `bench-${customers}`,
    customers,
    generator: { customers, sessions: 4, sessionIntervalMs: 15 * MIN },
    sender: { batchSize: 1675, intervalMs: 5000, retry: { kind: 'none' } },
    dataFactory: { sliceWidthMs: 15 * MIN, retries: 1, concurrency: 1 },
  });
}


/** Hub sized so nothing is throttled and the stream keeps up: both sides move every event. */
const roomy = { hub: { throughputUnits: 40, burstSeconds: 10 }, eventsPerSecondPerSu: 100_000 };

async function viaLoop(s: PipelineScenario) {
  return runPipeline(s, fixtureTarget(s, roomy).target);
}

async function plainLoop(s: PipelineScenario): Promise<number> {
  let now = s.start;
  const clock = { now: () => now, sleepUntil: async () => {} };
  const hub = new FixtureHub({ clock, partitions: 2, throughputUnits: 40, burstSeconds: 10 });
  const store = new MemoryStore();
  const job = new FixtureStreamJob(store, 1, 100_000);
  const source = new SyntheticSessions(s.seed, s.generator.customers, 67);
  const profiles = new SummingProfileBuilder(store, s.generator.customers);
  const scorer = new RuleScorer();
  const next = [0, 0];
  let moved = 0;
  for (let session = 0; session < s.generator.sessions; session++) {
    now = s.start + session * s.generator.sessionIntervalMs;
    let batch: { body: string }[] = [];
    const send = async () => {
      await hub.publish(batch);
      batch = [];
      now += 5000;
      for (const p of [0, 1]) {
        const events = await hub.read(String(p), { kind: 'sequence', sequenceNumber: next[p], inclusive: true }, 1e9);
        next[p] += events.length;
        moved += events.length;
        await job.process(events, now, { caughtUp: true });
      }
    };
    for (const e of source.session(session)) {
      batch.push({ body: e.body });
      if (batch.length === s.sender.batchSize) await send();
    }
    if (batch.length) await send();
    await job.flush(now);
    const rows = await profiles.buildProfiles({ index: session, start: now, end: now });
    await scorer.score(rows);
  }
  return moved;
}

console.log(`## Pipeline run loop and reports\n\n${machineSummary()}\n`);
console.log('| workload | events | run loop (median) | plain loop baseline | ratio | events/s via loop | writing the 4 report files |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
if (!process.argv.includes('--stress-only')) {
  const s = demo(6000);
  // One warm-up run of each, then 3 rounds alternating loop and baseline (so heap growth and machine load
  // affect both sides alike); the medians are compared.
  let result = await viaLoop(s);
  let moved = await plainLoop(s);
  const loopTimes: number[] = [];
  const baseTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    global.gc?.();
    loopTimes.push(await medianMs(async () => (result = await viaLoop(s)), 1, 0));
    global.gc?.();
    baseTimes.push(await medianMs(async () => (moved = await plainLoop(s)), 1, 0));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  const loopMs = median(loopTimes);
  const baseMs = median(baseTimes);
  if (moved !== result.reconciliation.accepted) throw new Error(`baseline moved ${moved} events, the loop ${result.reconciliation.accepted}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'c360-bench-'));
  const t0 = performance.now();
  await writeRunReport(dir, result);
  const reportMs = performance.now() - t0;
  await rm(dir, { recursive: true, force: true });
  const events = result.reconciliation.sent;
  console.log(
    `| 6,000 customers × 4 sessions, 1 h virtual (seed-demo shape) | ${events.toLocaleString('en-US')} | ${(loopMs / 1000).toFixed(2)} s | ${(baseMs / 1000).toFixed(2)} s | ${(loopMs / baseMs).toFixed(2)}× | ${Math.round(events / (loopMs / 1000)).toLocaleString('en-US')} | ${(reportMs / 1000).toFixed(2)} s |`,
  );
  console.log(`\nPeak RSS after the seed-demo-shape runs: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (the fixture hub and blob store keep every event; the loop's own state is small).`);
}

if (process.argv.includes('--stress') || process.argv.includes('--stress-only')) {
  // The stress.yaml shape: 60,000 customers, 4 sessions, 2 connections × 1,675 events every 0.5 s,
  // 8 TU, 8 partitions. The hub forgets events once read and the store keeps only sizes, so what grows
  // is the loop's own state (metrics, latency groups, enriched profiles) and the open stream windows.
  const customers = 60_000;
  const s = scenario({
    name: 'bench-stress',
    customers,
    generator: { customers, sessions: 4, sessionIntervalMs: 15 * MIN },
    sender: { batchSize: 1675, intervalMs: 500, retry: { kind: 'none' }, connections: 2 },
    eventHubs: { tier: 'standard', throughputUnits: 8, partitions: 8 },
    dataFactory: { sliceWidthMs: 15 * MIN, retries: 1, concurrency: 1 },
  });
  global.gc?.();
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const result = await runPipeline(s, fixtureTarget(s, { hub: { throughputUnits: 40, burstSeconds: 10, discardRead: true }, eventsPerSecondPerSu: 100_000, sizeOnlyStore: true }).target);
  const ms = performance.now() - t0;
  console.log(`\n| stress shape | events sent | unaccounted | wall time | events/s | RSS before → peak |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(
    `| 60,000 customers × 4 sessions, 2 connections, 8 TU | ${result.reconciliation.sent.toLocaleString('en-US')} | ${result.reconciliation.unaccounted} | ${(ms / 1000).toFixed(1)} s | ${Math.round(result.reconciliation.sent / (ms / 1000)).toLocaleString('en-US')} | ${(before / 2 ** 20).toFixed(0)} → ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB |`,
  );
  global.gc?.();
  // What the finished run still holds (its result: series, slices, 60,000 enriched profiles) vs the peak,
  // which also counts garbage V8 had not collected yet.
  console.log(`\nHeap still in use after the run (result kept, after a full GC): ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB.`);
  void result;
}
