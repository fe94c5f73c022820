// Benchmark: the discrete-event kernel (engine/sim).
//  1. Pure callback events (settle: false) with 10,000 entries pending — e.g. 10,000 simulated senders.
//     Baseline in the same run: the same workload on a naive agenda (a sorted array kept with binary-search
//     insert + splice and shift), what a quick implementation would use.
//  2. Async processes on the VirtualClock (each wake-up resolves a promise and the kernel yields one
//     macrotask so the process can run). Baseline: the bare cost of that many
//     `await new Promise(setImmediate)` round trips — the floor of the settle strategy.
//  3. The seed demo's timing skeleton for one simulated hour: 4 generator sessions sending a batch every
//     5 s for 10 minutes each, a 1 s metrics ticker, and four 15-minute Data Factory slices
//     (ETL 216 s + scoring 60 s) — wall time and speed-up over real time.
import { machineSummary, medianMs } from './machine.js';
import { SimKernel, VirtualClock } from '../engine/sim/index.js';
import { DataFactorySliceScheduler } from '../engine/services/data-factory/index.js';

const T0 = Date.UTC(2017, 2, 8, 6);

// 1. callbacks --------------------------------------------------------------------------------------
let PENDING = 10_000;
let CALLBACK_EVENTS = 1_000_000;

/** The delays (1..10,000 ms) both sides schedule: the same cheap LCG sequence, so they do the same work. */
function delaySequence(): () => number {
  let state = 12345;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 1 + (state % 10_000);
  };
}

function kernelCallbacks(): number {
  const k = new SimKernel({ start: T0 });
  let fired = 0;
  const nextDelay = delaySequence();
  const tick = () => {
    if (++fired < CALLBACK_EVENTS) k.scheduleIn(nextDelay(), tick, { settle: false });
  };
  for (let i = 0; i < PENDING; i++) k.scheduleIn(nextDelay(), tick, { settle: false });
  while (k.step());
  return fired;
}

function naiveCallbacks(): number {
  const agenda: { time: number; seq: number; fn: () => void }[] = [];
  let now = T0;
  let seq = 0;
  const schedule = (time: number, fn: () => void) => {
    let lo = 0;
    let hi = agenda.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (agenda[mid].time < time || (agenda[mid].time === time && agenda[mid].seq < seq)) lo = mid + 1;
      else hi = mid;
    }
    agenda.splice(lo, 0, { time, seq: seq++, fn });
  };
  let fired = 0;
  const nextDelay = delaySequence();
  const tick = () => {
    if (++fired < CALLBACK_EVENTS) schedule(now + nextDelay(), tick);
  };
  for (let i = 0; i < PENDING; i++) schedule(now + nextDelay(), tick);
  while (agenda.length) {
    const e = agenda.shift()!;
    now = e.time;
    e.fn();
  }
  return fired;
}

// 2. async processes -------------------------------------------------------------------------------
const PROCESSES = 1000;
const WAKES_EACH = 100;

async function kernelProcesses(): Promise<void> {
  const k = new SimKernel({ start: T0 });
  const clock = new VirtualClock(k);
  for (let p = 0; p < PROCESSES; p++)
    k.process(`p${p}`, async () => {
      for (let i = 0; i < WAKES_EACH; i++) await clock.sleep(1 + ((p * 7 + i * 13) % 1000));
    });
  await k.run();
}

async function setImmediateFloor(): Promise<void> {
  for (let i = 0; i < PROCESSES * WAKES_EACH; i++) await new Promise((r) => setImmediate(r));
}

// 3. seed-demo skeleton ----------------------------------------------------------------------------
async function seedSkeleton(): Promise<number> {
  const k = new SimKernel({ start: T0 });
  const clock = new VirtualClock(k);
  const HOUR = 3_600_000;
  for (let s = 0; s < 4; s++)
    k.process(`session-${s}`, async () => {
      await clock.sleepUntil(T0 + s * 15 * 60_000);
      for (let b = 0; b < 120; b++) await clock.sleep(5000);
    });
  k.process('metrics', async () => {
    while (clock.now() < T0 + HOUR) await clock.sleep(1000);
  });
  const df = new DataFactorySliceScheduler({
    clock,
    periodStart: T0,
    periodEnd: T0 + HOUR,
    sliceWidthMs: 15 * 60_000,
    pipeline: [
      { name: 'etl', run: async (c) => c.clock.sleepUntil(c.clock.now() + 216_000) },
      { name: 'scoring', run: async (c) => c.clock.sleepUntil(c.clock.now() + 60_000) },
    ],
  });
  k.process('data-factory', () => df.run());
  const r = await k.run();
  return r.events;
}

const cbKernel = await medianMs(() => kernelCallbacks(), 5, 1);
const cbNaive = await medianMs(() => naiveCallbacks(), 3, 1);
if (kernelCallbacks() !== naiveCallbacks()) throw new Error('kernel and naive agenda disagree');
const small = { pending: PENDING, events: CALLBACK_EVENTS };
// A larger agenda (30,000 pending, e.g. one entry per simulated customer): the heap's
// O(log n) shows, while the sorted array's O(n) insert dominates (kept short: it is slow).
PENDING = 30_000;
CALLBACK_EVENTS = 30_000;
const bigKernel = await medianMs(() => kernelCallbacks(), 3, 1);
const bigNaive = await medianMs(() => naiveCallbacks(), 1, 0);
const procKernel = await medianMs(kernelProcesses, 5, 1);
const procFloor = await medianMs(setImmediateFloor, 5, 1);
let skeletonEvents = 0;
const skeleton = await medianMs(async () => (skeletonEvents = await seedSkeleton()), 5, 1);

const rate = (n: number, ms: number) => `${((n / ms) * 1000 / 1e6).toFixed(2)} M/s`;
const wakes = PROCESSES * WAKES_EACH;
console.log(`## Simulation kernel (engine/sim)

${machineSummary()}

| workload | engine/sim | baseline | ratio |
|---|---|---|---|
| ${small.events.toLocaleString('en-US')} callback events, ${small.pending.toLocaleString('en-US')} pending | ${cbKernel.toFixed(0)} ms (${rate(small.events, cbKernel)}) | naive sorted-array agenda: ${cbNaive.toFixed(0)} ms (${rate(small.events, cbNaive)}) | ${(cbNaive / cbKernel).toFixed(1)}× faster |
| ${CALLBACK_EVENTS.toLocaleString('en-US')} callback events, ${PENDING.toLocaleString('en-US')} pending | ${bigKernel.toFixed(0)} ms (${rate(CALLBACK_EVENTS, bigKernel)}) | naive sorted-array agenda: ${bigNaive.toFixed(0)} ms (${rate(CALLBACK_EVENTS, bigNaive)}) | ${(bigNaive / bigKernel).toFixed(1)}× faster |
| ${wakes.toLocaleString('en-US')} process wake-ups (${PROCESSES} async processes) | ${procKernel.toFixed(0)} ms (${((procKernel * 1000) / wakes).toFixed(2)} µs/wake) | bare setImmediate round trips: ${procFloor.toFixed(0)} ms (${((procFloor * 1000) / wakes).toFixed(2)} µs each) | ${(procKernel / procFloor).toFixed(2)}× the floor |
| seed-demo timing skeleton, 1 simulated hour (${skeletonEvents.toLocaleString('en-US')} events) | ${skeleton.toFixed(1)} ms | real time: 3,600,000 ms | ${Math.round(3_600_000 / skeleton).toLocaleString('en-US')}× faster than real time |
`);
