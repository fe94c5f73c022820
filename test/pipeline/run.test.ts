import { describe, expect, it } from 'vitest';
import { runPipeline, sliceWindows } from '../../engine/pipeline/run.js';
import { SDK_DEFAULT_RETRY } from '../../engine/pipeline/retry-policy.js';
import type { EventPublisher } from '../../engine/ports/events.js';
import { fixtureTarget, scenario, START } from './fixtures/target.js';

const MIN = 60_000;

describe('runPipeline on the virtual clock', () => {
  it('moves every event from the generator to enriched profiles and accounts for all of them', async () => {
    const s = scenario({ customers: 60 });
    const { target, hub, warehouse } = fixtureTarget(s);
    const result = await runPipeline(s, target);
    const r = result.reconciliation;
    // ~60 customers × 67 days × 50% × 2 sessions.
    expect(r.sent).toBeGreaterThan(3500);
    expect(r.sent).toBeLessThan(4600);
    expect(r.unaccounted).toBe(0);
    expect(r.throttled).toBe(0);
    expect(r.accepted).toBe(r.sent);
    // The hub's own count agrees with the ledger's.
    expect(hub.storedTotal).toBe(r.accepted);
    // Every accepted event reached the stream job and was profiled.
    expect(result.kpis.eventsReachedStream).toBe(r.accepted);
    expect(result.latency.count).toBe(r.accepted);
    expect(result.latency.notProfiled).toBe(0);
    expect(result.profiles).toHaveLength(60);
    expect(warehouse.writes).toHaveLength(2);
    expect(result.slices.map((x) => x.state)).toEqual(['Ready', 'Ready']);
    expect(result.slices.every((x) => x.deadlineMet)).toBe(true);
    // The rule scorer recovers the designed groups once a full history is in.
    expect(result.slices[1].quality!.accuracy).toBe(1);
    // Recorded series: counters add up to the ledger.
    expect(result.series.total('AcceptedEvents')).toBe(r.accepted);
    expect(result.series.total('OutgoingMessages')).toBe(r.accepted);
    expect(result.series.total('IncomingRequests')).toBe(hub.publishCalls);
    expect(result.endedAt).toBe(START + 30 * MIN);
  });

  it('is deterministic: the same scenario and seed give the same run', async () => {
    const a = await runPipeline(scenario(), fixtureTarget(scenario()).target);
    const b = await runPipeline(scenario(), fixtureTarget(scenario()).target);
    expect(b.reconciliation).toEqual(a.reconciliation);
    expect(b.series.rows(1)).toEqual(a.series.rows(1));
    expect(b.latency).toEqual(a.latency);
    const c = await runPipeline(scenario({ seed: 8 }), fixtureTarget(scenario({ seed: 8 })).target);
    expect(c.reconciliation.sent).not.toBe(a.reconciliation.sent);
  });

  it('end-to-end latency is enqueue → profile written (hand-computed case)', async () => {
    // One session of 2 customers × 1 day: events sent at START in one batch; the slice's profiles are
    // written at the slice end plus the modelled ETL (2 min) and scoring (1 min) durations.
    const s = scenario({ customers: 6, generator: { customers: 6, sessions: 1, sessionIntervalMs: 5 * MIN }, dataFactory: { sliceWidthMs: 5 * MIN, retries: 0, concurrency: 1 } });
    const { target } = fixtureTarget(s, { days: 1, durations: { etlMs: () => 2 * MIN, scoreMs: () => MIN } });
    const result = await runPipeline(s, target);
    expect(result.reconciliation.sent).toBeGreaterThan(0);
    const expected = 5 * MIN + 3 * MIN;
    expect(result.latency.count).toBe(result.reconciliation.sent);
    for (const p of [result.latency.p50, result.latency.p99]) expect(Math.abs(p - expected) / expected).toBeLessThanOrEqual(0.01);
    expect(result.slices[0].etlMs).toBe(2 * MIN);
    expect(result.slices[0].finishedAt).toBe(START + 8 * MIN);
  });

  it('a stream job short of capacity builds a backlog, lags its watermark and leaves events unprofiled', async () => {
    const s = scenario({ customers: 120 });
    const fast = await runPipeline(s, fixtureTarget(s).target);
    // 2 events/s: far below the ~9 events/s the senders offer.
    const slow = await runPipeline(s, fixtureTarget(s, { eventsPerSecondPerSu: 2 }).target);
    expect(fast.kpis.peakBacklog).toBeLessThan(200);
    expect(slow.kpis.peakBacklog).toBeGreaterThan(5000);
    expect(slow.kpis.peakWatermarkDelayMs).toBeGreaterThan(10 * MIN);
    expect(slow.kpis.peakUtilizationPercent).toBe(100);
    expect(slow.kpis.eventsReachedStream).toBeLessThan(fast.kpis.eventsReachedStream);
    expect(slow.latency.notProfiled).toBeGreaterThan(0);
    // Everything still reconciles: the hub accepted them; they are just late.
    expect(slow.reconciliation.unaccounted).toBe(0);
    // Profiled, or not (still in the hub, in the job, or in the store waiting for a slice).
    expect(slow.latency.count + slow.latency.notProfiled).toBe(slow.reconciliation.accepted);
  });

  it('reports progress once per simulated minute, up to the planned end', async () => {
    const s = scenario();
    const seen: [number, number][] = [];
    await runPipeline(s, fixtureTarget(s, { days: 5 }).target, { onProgress: (now, end) => seen.push([now, end]) });
    expect(seen.length).toBeGreaterThanOrEqual(30);
    expect(seen.every(([, end]) => end === START + 30 * MIN)).toBe(true);
    expect(seen.map(([now]) => now)).toEqual([...seen.map(([now]) => now)].sort((a, b) => a - b));
  });

  it('derives slice windows from the scenario', () => {
    const w = sliceWindows(scenario({ dataFactory: { sliceWidthMs: 5 * MIN, retries: 0, concurrency: 1 } }));
    expect(w).toHaveLength(6);
    expect(w[5]).toEqual({ index: 5, start: START + 25 * MIN, end: START + 30 * MIN });
  });
});

describe('reconciliation under throttling', () => {
  // 1 TU with a 1 s bucket: 1,000 events/s; batches of 1,500 never fit, batches of 600 fit at most
  // once a second — two concurrent sessions sending 600 every 0.5 s get throttled often.
  const throttling = () =>
    scenario({
      customers: 300,
      generator: { customers: 300, sessions: 2, sessionIntervalMs: 0 },
      sender: { batchSize: 600, intervalMs: 500, retry: { kind: 'none' } },
      dataFactory: { sliceWidthMs: 15 * MIN, slices: 2, retries: 0, concurrency: 1 },
    });

  it('retry policy none: throttled batches are lost, and every event is accounted for', async () => {
    const s = throttling();
    const { target, hub } = fixtureTarget(s, { hub: { burstSeconds: 1 }, days: 20 });
    const result = await runPipeline(s, target);
    const r = result.reconciliation;
    expect(r.throttled).toBeGreaterThan(0);
    expect(r.accepted).toBeGreaterThan(0);
    expect(r.sent).toBe(r.accepted + r.throttled + r.dropped + r.inFlight);
    expect(r.unaccounted).toBe(0);
    expect(hub.storedTotal).toBe(r.accepted);
    expect(result.series.total('ThrottledRequests')).toBe(r.throttled / 600);
    expect(result.kpis.throttledRequestShare).toBeGreaterThan(0);
  });

  it('sdk-default: throttled batches are retried 30 s later and get in', async () => {
    const s = { ...throttling(), sender: { batchSize: 600, intervalMs: 500, retry: SDK_DEFAULT_RETRY } };
    const { target, hub } = fixtureTarget(s, { hub: { burstSeconds: 1 }, days: 20 });
    const result = await runPipeline(s, target);
    const r = result.reconciliation;
    expect(result.series.total('ThrottledRequests')).toBeGreaterThan(0);
    expect(r.throttled).toBe(0); // with retries nothing ends as merely "throttled"
    expect(r.accepted).toBe(r.sent - r.dropped - r.inFlight);
    expect(r.unaccounted).toBe(0);
    expect(hub.storedTotal).toBe(r.accepted);
  });

  it('sdk-default: a batch that can never fit is dropped after 1 + 3 attempts as retries-exhausted', async () => {
    const s = scenario({ customers: 30, generator: { customers: 30, sessions: 1, sessionIntervalMs: MIN }, sender: { batchSize: 1500, intervalMs: 1000, retry: SDK_DEFAULT_RETRY } });
    const { target, hub } = fixtureTarget(s, { hub: { burstSeconds: 1 }, days: 100 });
    const result = await runPipeline(s, target);
    const r = result.reconciliation;
    const fullBatches = Math.floor(r.sent / 1500);
    expect(fullBatches).toBeGreaterThan(0);
    expect(r.droppedByReason['retries-exhausted']).toBe(fullBatches * 1500);
    expect(hub.publishCalls).toBe(fullBatches * 4 + (r.sent % 1500 ? 1 : 0));
    expect(r.unaccounted).toBe(0);
  });

  it('an oversize batch is dropped as oversize and counted as a user error', async () => {
    const s = scenario({ customers: 30, generator: { customers: 30, sessions: 1, sessionIntervalMs: MIN } });
    // Batches of 100 events of ~100 bytes are ~10 KB: over a 2,000-byte limit.
    const { target } = fixtureTarget(s, { hub: { maxBatchBytes: 2000 }, days: 10 });
    const result = await runPipeline(s, target);
    expect(result.reconciliation.droppedByReason.oversize).toBe(result.reconciliation.sent);
    expect(result.series.total('UserErrors')).toBe(result.series.total('IncomingRequests'));
    expect(result.reconciliation.unaccounted).toBe(0);
  });

  it('a hard stop while a sender waits to retry leaves its batch in flight, not lost', async () => {
    const s = { ...throttling(), sender: { batchSize: 600, intervalMs: 500, retry: SDK_DEFAULT_RETRY }, endAt: START + 2 * MIN };
    const { target } = fixtureTarget(s, { hub: { burstSeconds: 1 }, days: 60 });
    const result = await runPipeline(s, target);
    const r = result.reconciliation;
    expect(r.inFlight).toBeGreaterThan(0);
    expect(r.unaccounted).toBe(0);
    expect(result.endedAt).toBe(START + 2 * MIN);
  });

  it('a publisher that silently loses events is caught: they are reported, never hidden', async () => {
    const s = scenario({ customers: 30, generator: { customers: 30, sessions: 1, sessionIntervalMs: MIN } });
    // Claims the whole batch was accepted but stores only part of it.
    const lossy = (hub: import('./fixtures/hub.js').FixtureHub): EventPublisher => ({
      publish: async (batch) => {
        const outcome = await hub.publish(batch.slice(0, batch.length - 1));
        return outcome.status === 'accepted' ? { ...outcome, count: batch.length } : outcome;
      },
      close: async () => {},
    });
    const { target, hub } = fixtureTarget(s, { days: 10, wrapPublisher: lossy });
    const result = await runPipeline(s, target);
    // The sender's ledger believes the claim, but the hub holds fewer: the stream side sees the difference.
    expect(result.reconciliation.accepted).toBeGreaterThan(hub.storedTotal);
    expect(result.kpis.eventsReachedStream).toBe(hub.storedTotal);
    expect(result.latency.count).toBe(hub.storedTotal);
  });
});

describe('runPipeline on a paced clock (live)', () => {
  it('runs the same loop in real time at 600× speed and accounts for every event', async () => {
    const { PacedClock, wallClock } = await import('../../engine/sim/index.js');
    const { RealTimeProcessHost } = await import('../../engine/pipeline/process-host.js');
    const clock = new PacedClock({ base: wallClock, speed: 600, origin: START });
    // A 10-minute slice is 1 s of real time; the two batches are 5 s of scenario time (8 ms) apart.
    const s = scenario({ customers: 12, generator: { customers: 12, sessions: 1, sessionIntervalMs: 10 * MIN }, sender: { batchSize: 50, intervalMs: 5000, retry: { kind: 'none' } }, dataFactory: { sliceWidthMs: 10 * MIN, retries: 0, concurrency: 1 } });
    const { target, hub } = fixtureTarget(s, { days: 10, host: new RealTimeProcessHost(clock) });
    const t0 = performance.now();
    const result = await runPipeline(s, target);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(result.reconciliation.sent).toBeGreaterThan(30);
    expect(result.reconciliation.unaccounted).toBe(0);
    expect(result.reconciliation.accepted).toBe(result.reconciliation.sent);
    expect(result.slices[0].state).toBe('Ready');
    expect(result.profiles).toHaveLength(12);
    // Enqueue times came from the paced clock: the batches are ~5 s of scenario time apart.
    const times = hub.logs.flat().map((e) => e.enqueuedTime);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(5000);
  });
});

describe('server errors', () => {
  // Fails every other request with a service-side error (as a 500 / amqp:internal-error would).
  const flaky = (hub: import('./fixtures/hub.js').FixtureHub): EventPublisher => {
    let calls = 0;
    return {
      publish: async (batch) => (calls++ % 2 === 0 ? { status: 'rejected', count: batch.length, bytes: 0, reason: '500 internal server error' } : hub.publish(batch)),
      close: async () => {},
    };
  };
  const s = scenario({ customers: 30, generator: { customers: 30, sessions: 1, sessionIntervalMs: MIN } });

  it('sdk-default retries them 30 s later; every failed request is a ServerError', async () => {
    const retrying = { ...s, sender: { ...s.sender, retry: SDK_DEFAULT_RETRY } };
    const { target, hub } = fixtureTarget(retrying, { days: 10, wrapPublisher: flaky });
    const result = await runPipeline(retrying, target);
    const batches = hub.publishCalls;
    expect(result.reconciliation.accepted).toBe(result.reconciliation.sent);
    expect(result.series.total('ServerErrors')).toBe(batches);
    expect(result.series.total('IncomingRequests')).toBe(2 * batches);
    expect(result.reconciliation.unaccounted).toBe(0);
  });

  it('retry policy none drops the failed batches as server-error', async () => {
    const { target } = fixtureTarget(s, { days: 10, wrapPublisher: flaky });
    const result = await runPipeline(s, target);
    const r = result.reconciliation;
    expect(r.droppedByReason['server-error']).toBeGreaterThan(0);
    expect(r.accepted + (r.droppedByReason['server-error'] ?? 0)).toBe(r.sent);
    expect(result.series.total('ServerErrors')).toBe(result.series.total('IncomingRequests') - result.series.total('SuccessfulRequests'));
    expect(r.unaccounted).toBe(0);
  });
});
