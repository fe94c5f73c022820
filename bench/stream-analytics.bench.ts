// Events/s through the customer360 query (the repository's query file, CL 1.0, 2 partitions) on one core,
// against a hand-written Map-based aggregation of the same events measured in the same run.
// Events are pre-parsed objects (the engine's cost alone); a third scenario hands both sides JSON bytes, as Event Hubs
// delivers them, so the deserialisation is measured too.
import { readFileSync } from 'node:fs';
import { Random } from '../engine/core/random.js';
import { StreamAnalyticsJob, defaultJobDefinition } from '../engine/services/stream-analytics/index.js';
import { machineSummary } from './machine.js';

const N = Number(process.env.ASA_BENCH_EVENTS ?? 1_000_000);
const query = readFileSync(new URL('../infra-templates/asa/customer360.asaql', import.meta.url), 'utf8');
const T0 = Date.parse('2017-03-08T06:00:00Z');

interface Ev {
  t: number;
  p: number;
  body: Record<string, unknown> | Uint8Array;
}

const utf8 = new TextDecoder();

// The original generator: 6,000 customers, one row per customer-day, 50% sample, sent in batches of
// 1,675 every 5 s (≈ 335 events/s), round-robin over 2 partitions.
function makeEvents(n: number): Ev[] {
  const rnd = new Random(7);
  const days = Array.from({ length: 67 }, (_, d) => new Date(Date.parse('2017-01-01T06:00:00Z') + d * 86_400_000).toISOString().replace('T', ' ').slice(0, 19));
  const out: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const batch = Math.floor(i / 1675);
    out.push({
      t: T0 + batch * 5000 + (i % 1675),
      p: i % 2,
      body: {
        userdatetime: days[rnd.int(0, 66)],
        customerid: rnd.int(1, 6000),
        category_t1: Math.abs(Math.round(rnd.normal(10, 10))),
        category_t2: Math.abs(Math.round(rnd.normal(10, 10))),
        category_t3: Math.abs(Math.round(rnd.normal(15, 10))),
      },
    });
  }
  return out;
}

function runEmulator(events: Ev[]): number {
  const job = new StreamAnalyticsJob(defaultJobDefinition(query, { inputs: { readDataFromInput: { kind: 'stream', partitionIds: [0, 1] } } }));
  let rows = 0;
  job.onOutput(() => rows++);
  for (const e of events) job.push('readDataFromInput', { partitionId: e.p, enqueuedTime: e.t, body: e.body });
  job.end();
  if (job.state !== 'Stopped') throw new Error(`job ${job.state}: ${job.failure?.message}`);
  return rows;
}

/** The same aggregation written by hand: 1-minute windows on arrival time, keys joined into a string, sums in arrays. */
function runBaseline(events: Ev[]): number {
  const windows = new Map<number, Map<string, { u: unknown; c: unknown; p: number; s: number[] }>>();
  const maxT = [-Infinity, -Infinity];
  let rows = 0;
  let emittedUpTo = -Infinity;
  const out: unknown[] = [];
  for (const e of events) {
    const end = Math.ceil(e.t / 60_000) * 60_000;
    let w = windows.get(end);
    if (!w) windows.set(end, (w = new Map()));
    const b = e.body instanceof Uint8Array ? (JSON.parse(utf8.decode(e.body)) as Record<string, unknown>) : e.body;
    const key = `${b.userdatetime}|${b.customerid}|${e.p}`;
    let g = w.get(key);
    if (!g) w.set(key, (g = { u: b.userdatetime, c: b.customerid, p: e.p, s: [0, 0, 0] }));
    g.s[0] += Number(b.category_t1);
    g.s[1] += Number(b.category_t2);
    g.s[2] += Number(b.category_t3);
    if (e.t > maxT[e.p]) maxT[e.p] = e.t;
    const wm = Math.min(maxT[0], maxT[1]);
    if (wm > emittedUpTo) {
      emittedUpTo = wm;
      for (const [wend, groups] of windows) {
        if (wend >= wm) continue;
        for (const gg of groups.values()) {
          out.push({ userdatetime: gg.u, customerid: gg.c, category_t1: gg.s[0], category_t2: gg.s[1], category_t3: gg.s[2], partitionid: gg.p });
          rows++;
        }
        windows.delete(wend);
      }
      out.length = 0;
    }
  }
  for (const groups of windows.values()) rows += groups.size;
  return rows;
}

/** Median wall time and CPU time (user+sys) of `repeats` runs after one warm-up; CPU time is robust to other load on the machine. */
async function measure(fn: () => unknown, repeats = 5): Promise<{ wallMs: number; cpuMs: number }> {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { wallMs: med(wall), cpuMs: med(cpu) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;

async function scenario(title: string, events: Ev[]): Promise<string> {
  const rowsA = runEmulator(events);
  const rowsB = runBaseline(events);
  if (rowsA !== rowsB) throw new Error(`${title}: emulator produced ${rowsA} rows, baseline ${rowsB}`);
  const base = await measure(() => runBaseline(events));
  const emu = await measure(() => runEmulator(events));
  const n = events.length;
  const rate = (ms: number) => n / (ms / 1000);
  return `### ${title}

${fmt(n)} events ⇒ ${fmt(rowsA)} output rows (${(n / rowsA).toFixed(1)} events per group).

| implementation | wall (median) | events/s (wall) | CPU (median) | events/s per CPU-second | vs baseline (CPU) |
|---|---:|---:|---:|---:|---:|
| hand-written Map aggregation (baseline) | ${base.wallMs.toFixed(0)} ms | ${fmt(rate(base.wallMs))} | ${base.cpuMs.toFixed(0)} ms | ${fmt(rate(base.cpuMs))} | 100% |
| emulator, \`customer360.asaql\` unchanged | ${emu.wallMs.toFixed(0)} ms | ${fmt(rate(emu.wallMs))} | ${emu.cpuMs.toFixed(0)} ms | ${fmt(rate(emu.cpuMs))} | ${pct(rate(emu.cpuMs), rate(base.cpuMs))} |

Targets: ≥ 1,000,000 events/s per CPU-second — ${rate(emu.cpuMs) >= 1e6 ? 'met' : 'NOT met'}; ≥ 30% of the baseline — ${rate(emu.cpuMs) / rate(base.cpuMs) >= 0.3 ? 'met' : 'NOT met'}.
`;
}

// Few keys per window: the same 50 customers on one day, so each group collects hundreds of events.
function makeRepeatedKeyEvents(n: number): Ev[] {
  const rnd = new Random(11);
  return makeEvents(n).map((e) => ({ ...e, body: { ...e.body, userdatetime: '2017-01-01 06:00:00', customerid: rnd.int(1, 50) } }));
}

// The generator's bodies as UTF-8 JSON bytes (what the Event Hub hands the job): both sides decode and parse.
function makeJsonBodyEvents(n: number): Ev[] {
  const encoder = new TextEncoder();
  return makeEvents(n).map((e) => ({ ...e, body: encoder.encode(JSON.stringify(e.body)) }));
}

const out = [
  `## Stream Analytics emulator: customer360 query throughput\n\n${machineSummary()}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' / ')} at start.\n\nOne core, events pre-parsed unless the scenario says otherwise, 2 partitions, ≈ 335 events/s of virtual time (the original generator's pace), median of 5 runs after a warm-up. The machine is shared, so CPU time (user + system of this process) is reported next to wall time.\n`,
  await scenario('customer360 generator shape (6,000 customers × 67 days: almost every event is its own group)', makeEvents(N)),
  await scenario('repeated keys (50 customers, one day: groups collect many events)', makeRepeatedKeyEvents(N)),
  await scenario('generator shape with JSON bodies (UTF-8 bytes decoded and parsed on both sides)', makeJsonBodyEvents(N)),
];
console.log(out.join('\n'));
