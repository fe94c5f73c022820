// The run loop over the REAL emulators of this repository — Event Hubs (in-process API, TU throttling),
// Stream Analytics (the customer360 ARM job and query, unchanged) writing CSV to the in-memory Blob
// store — with the generator's sessions and ground truth. The ETL and scorer are still small test
// stand-ins (summing the job's CSV per customer, a rule), until engine/targets/local wires the
// warehouse ETL and the ONNX scorer. This checks the loop's ports against real implementations.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datagenConfig } from '../../engine/datagen/index.js';
import { DatagenEventSource, DatagenGroundTruth } from '../../engine/pipeline/datagen-source.js';
import { KernelProcessHost } from '../../engine/pipeline/process-host.js';
import { runPipeline } from '../../engine/pipeline/run.js';
import { NO_RETRY } from '../../engine/pipeline/retry-policy.js';
import type { ReceivedEvent } from '../../engine/ports/events.js';
import type { PipelineScenario, PipelineTarget, ProfileBuilder, ProfileRow, StreamMetricName, StreamProgress, StreamStage } from '../../engine/ports/pipeline.js';
import type { ObjectStore } from '../../engine/ports/storage.js';
import { MemoryObjectStore } from '../../engine/services/blob/index.js';
import { defaultNamespaceConfig } from '../../engine/services/event-hubs/model/config.js';
import { EventHubsNamespace } from '../../engine/services/event-hubs/model/namespace.js';
import { InProcessPublisher, InProcessSubscriber } from '../../engine/services/event-hubs/in-process.js';
import { DEFAULT_CAPACITY_PARAMS, loadArmJob, StreamAnalyticsJob } from '../../engine/services/stream-analytics/index.js';
import { SimKernel } from '../../engine/sim/index.js';
import { repoRoot } from '../helpers/cli.js';
import { MemoryWarehouse, RuleScorer, SequentialSliceRunner } from './fixtures/stages.js';

const MIN = 60_000;
const CONTAINER = 'customer360';
const INPUT = 'readDataFromInput';

/** The StreamStage port over the Stream Analytics emulator, with its documented ~1 MB/s per SU. */
class AsaStage implements StreamStage {
  constructor(
    private readonly job: StreamAnalyticsJob,
    private readonly streamingUnits: number,
  ) {}
  capacity(from: number, to: number) {
    const bytes = ((this.streamingUnits * DEFAULT_CAPACITY_PARAMS.mbPerSecondPerV1 * 1e6) / DEFAULT_CAPACITY_PARAMS.costMultiplier.windowAggregate) * ((to - from) / 1000);
    return { events: Math.floor(bytes / 64), bytes };
  }
  async process(events: readonly ReceivedEvent[], now: number, context: { caughtUp: boolean }): Promise<StreamProgress> {
    for (const e of events) this.job.push(INPUT, { partitionId: e.partitionId, enqueuedTime: e.enqueuedTime, body: e.body, sequenceNumber: e.sequenceNumber, offset: e.offset });
    if (context.caughtUp) this.job.advanceTo(now);
    await this.job.drain();
    return this.progress(now);
  }
  async flush(now: number): Promise<StreamProgress> {
    this.job.end();
    await this.job.drain();
    return { ...this.progress(now), outputWatermark: Infinity };
  }
  private progress(now: number): StreamProgress {
    const m = this.job.metrics();
    // Closed one-minute windows: every event enqueued at or before the last closed window's end is output.
    const watermark = this.job.now() - m.WatermarkDelay * 1000;
    return { outputWatermark: Math.floor(watermark / MIN) * MIN, watermarkDelayMs: Math.max(0, now - watermark), utilization: m.ResourceUtilization / 100 };
  }
  metrics(): Partial<Record<StreamMetricName, number>> {
    const m = this.job.metrics();
    return { InputEvents: m.InputEvents, InputEventBytes: m.InputEventBytes, OutputEvents: m.OutputEvents, InputDeserializationErrors: m.InputDeserializationErrors, LateInputEvents: m.LateInputEvents, EarlyInputEvents: m.EarlyInputEvents, OutOfOrderEvents: m.OutOfOrderEvents, RuntimeErrors: m.RuntimeErrors };
  }
}

/** Stand-in ETL: per customer, the browsing seconds in the job's CSV output (header row per blob). */
class CsvSumProfiles implements ProfileBuilder {
  constructor(
    private readonly store: ObjectStore,
    private readonly customers: number,
  ) {}
  async buildProfiles(): Promise<ProfileRow[]> {
    const sums = Array.from({ length: this.customers + 1 }, () => [0, 0, 0]);
    for (const blob of await this.store.list(CONTAINER)) {
      const lines = new TextDecoder().decode(await this.store.get(CONTAINER, blob.name)).split(/\r?\n/);
      const header = lines[0].split(',');
      const [c, t1, t2, t3] = ['customerid', 'category_t1', 'category_t2', 'category_t3'].map((n) => header.indexOf(n));
      for (const line of lines.slice(1)) {
        if (!line || line.startsWith('userdatetime')) continue;
        const f = line.split(',');
        const id = Number(f[c]);
        sums[id][0] += Number(f[t1]);
        sums[id][1] += Number(f[t2]);
        sums[id][2] += Number(f[t3]);
      }
    }
    return sums.slice(1).map((s, i) => ({ customerID: i + 1, T1count_30d: s[0], T2count_30d: s[1], T3count_30d: s[2] }));
  }
}

async function localServicesTarget(s: PipelineScenario) {
  const kernel = new SimKernel({ start: s.start });
  const host = new KernelProcessHost(kernel);
  const namespace = new EventHubsNamespace({ ...defaultNamespaceConfig(), throughputUnits: s.eventHubs.throughputUnits }, host.clock);
  const store = new MemoryObjectStore();
  const definition = await loadArmJob(path.join(repoRoot, 'infra-templates/asa/customer360-job.json'), { container: CONTAINER });
  const job = new StreamAnalyticsJob(definition, { store, seed: s.seed });
  const config = datagenConfig({ customers: s.generator.customers, seed: s.seed });
  const target: PipelineTarget = {
    name: 'local services (test wiring)',
    host,
    source: new DatagenEventSource(config),
    publisher: new InProcessPublisher(namespace, 'customer360'),
    subscriber: new InProcessSubscriber(namespace, 'customer360'),
    stream: new AsaStage(job, s.streamAnalytics.streamingUnits),
    objectStore: { store, container: CONTAINER },
    profiles: new CsvSumProfiles(store, s.generator.customers),
    scorer: new RuleScorer(),
    warehouse: new MemoryWarehouse(),
    slices: new SequentialSliceRunner(host, s.dataFactory.retries),
    truth: new DatagenGroundTruth(config),
  };
  return { target, namespace, job, store };
}

function demo(tu: number): PipelineScenario {
  return {
    name: `local-${tu}tu`,
    seed: 1,
    start: Date.parse('2017-03-08T06:00:00Z'),
    generator: { customers: 600, sessions: 2, sessionIntervalMs: 15 * MIN },
    sender: { batchSize: 1675, intervalMs: 5000, retry: NO_RETRY },
    eventHubs: { tier: 'standard', throughputUnits: tu, partitions: 2 },
    streamAnalytics: { streamingUnits: 1 },
    dataFactory: { sliceWidthMs: 15 * MIN, retries: 1, concurrency: 1 },
  };
}

describe('run loop over the real Event Hubs and Stream Analytics emulators', () => {
  it('every event is accounted for, the hub and the job agree with the ledger, profiles are written', async () => {
    const s = demo(1);
    const { target, namespace, job, store } = await localServicesTarget(s);
    const result = await runPipeline(s, target);
    const r = result.reconciliation;
    expect(r.sent).toBeGreaterThan(35_000); // 600 customers × 67 days × 50 % × 2 sessions ≈ 40k
    expect(r.unaccounted).toBe(0);
    // The hub's own counters agree with the ledger.
    expect(namespace.metrics.IncomingMessages).toBe(r.accepted);
    // The job read every accepted event and wrote aggregated rows to Blob storage.
    expect(job.metrics().InputEvents).toBe(r.accepted);
    expect(result.kpis.eventsReachedStream).toBe(r.accepted);
    expect(result.series.total('OutputEvents')).toBeGreaterThan(0);
    expect((await store.list(CONTAINER)).length).toBeGreaterThan(0);
    expect(result.latency.count).toBe(r.accepted);
    expect(result.profiles).toHaveLength(600);
    expect(result.slices.map((x) => x.state)).toEqual(['Ready', 'Ready']);
    expect(result.quality.accuracy).toBeGreaterThanOrEqual(0);
  });
});

