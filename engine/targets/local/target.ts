// The local target: every port of the pipeline loop implemented by the in-process emulators on one
// clock — the Event Hubs namespace model, the Stream Analytics job running the repository's query,
// the Blob store, the SQLite warehouse with the ETL SQL, onnxruntime scoring and the Data Factory
// slice scheduler. Virtual clock by default (a discrete-event kernel: an hour in seconds, the same
// seed gives the same run); paced (`speed`) runs the same kernel against the wall clock with the
// Event Hubs front doors (AMQP, REST) open so outside clients can add load.
import { readFileSync } from 'node:fs';
import { formatLocation, UserError } from '../../core/errors.js';
import path from 'node:path';
import { PricingCostEstimator } from '../../pipeline/cost-estimator.js';
import { costDeployment, toPipelineScenario } from '../../pipeline/from-scenario.js';
import { KernelProcessHost } from '../../pipeline/process-host.js';
import type { PipelineScenario, PipelineTarget } from '../../ports/pipeline.js';
import { loadPricing, withOverrides } from '../../cost/index.js';
import { INSTALL_ROOT, v1EquivalentStreamingUnits, type LoadedScenario, type Scenario } from '../../scenarios/index.js';
import { defaultNamespaceConfig, type NamespaceConfig } from '../../services/event-hubs/model/config.js';
import { EventHubsNamespace } from '../../services/event-hubs/model/namespace.js';
import type { RunningEmulator } from '../../services/event-hubs/emulator.js';
import { StreamAnalyticsJob, loadArmJob, type JobDefinition } from '../../services/stream-analytics/index.js';
import { SimKernel, wallClock } from '../../sim/index.js';
import { DEFAULT_CALIBRATION, type LocalCalibration } from './calibration.js';
import { ClusterDurations, DataFactorySliceRunner, type SlicePolicy } from './data-factory.js';
import { GeneratedSessions, generatorConfig } from './generator.js';
import { LocalHubSubscriber } from './hub-subscriber.js';
import { CalibratedIngress } from './ingress.js';
import { loadScorer } from './model.js';
import { ChunkedMemoryStore } from './chunked-store.js';
import { AsaStreamStage } from './stream-stage.js';
import { WarehouseThread } from './warehouse-thread.js';

export const ASA_TEMPLATE = path.join(INSTALL_ROOT, 'infra-templates/asa/customer360-job.json');
export const ORIGINAL_PROFILES = path.join(INSTALL_ROOT, 'data/customer360-original/customer_profile_label.csv');
/** Non-partitioned steps scale to 6 V1 SU at most (DOC, spec stream-analytics §6). */
const MAX_USEFUL_V1_NON_PARTITIONED = 6;

export interface LocalTargetOptions {
  /** SQLite file for the warehouse (default: in memory). */
  warehouseFile?: string;
  /** Paced clock: scenario seconds per real second; opens the Event Hubs front doors. */
  speed?: number;
  /** Front-door ports in paced mode (0 = pick a free one). */
  amqpPort?: number;
  httpPort?: number;
  calibration?: LocalCalibration;
}

export interface LocalTarget {
  target: PipelineTarget;
  scenario: PipelineScenario;
  namespace: EventHubsNamespace;
  ingress: CalibratedIngress;
  /** The warehouse on its own thread: the ETL activity, the ground truth and the enriched profiles. */
  warehouse: WarehouseThread;
  job: StreamAnalyticsJob;
  /** The emulator's front doors (paced mode only). */
  emulator?: RunningEmulator;
  close(): Promise<void>;
}

function namespaceConfig(s: Scenario): NamespaceConfig {
  const config = defaultNamespaceConfig();
  config.name = `${s.name.replace(/[^A-Za-z0-9-]/g, '-')}-ns`;
  config.tier = s.eventHubs.tier;
  config.throughputUnits = s.eventHubs.throughputUnits;
  config.hubs = [{ name: s.eventHubs.hubName, partitionCount: s.eventHubs.partitions, consumerGroups: s.eventHubs.consumerGroup === '$Default' ? [] : [s.eventHubs.consumerGroup], retentionMs: s.eventHubs.retentionHours * 3_600_000 }];
  return config;
}

async function jobDefinition(s: Scenario, loaded: LoadedScenario | undefined): Promise<JobDefinition> {
  const def = await loadArmJob(ASA_TEMPLATE);
  const sa = s.streamAnalytics;
  const queryFile = loaded ? loaded.resolvePath(sa.query, 'streamAnalytics.query') : path.resolve(INSTALL_ROOT, sa.query);
  return {
    ...def,
    name: s.name,
    query: readFileSync(queryFile, 'utf8'),
    queryFile,
    compatibilityLevel: sa.compatibilityLevel,
    eventsOutOfOrderPolicy: sa.outOfOrderPolicy === 'drop' ? 'Drop' : 'Adjust',
    eventsOutOfOrderMaxDelayInSeconds: sa.outOfOrderMaxDelaySeconds,
    eventsLateArrivalMaxDelayInSeconds: sa.lateArrivalMaxDelaySeconds,
    outputErrorPolicy: sa.outputErrorPolicy === 'drop' ? 'Drop' : 'Stop',
    sku: { model: sa.suModel === 'v2' ? 'V2' : 'V1', streamingUnits: typeof sa.streamingUnits === 'number' ? sa.streamingUnits : sa.streamingUnits === '1/3' ? 1 / 3 : 2 / 3 },
    inputs: { readDataFromInput: { kind: 'stream', partitionIds: Array.from({ length: s.eventHubs.partitions }, (_, i) => i) } },
  };
}

/** The loop's scenario; a scenario the loop cannot run (shorter than one slice) is reported at its line in the file. */
function pipelineScenario(s: Scenario, loaded: LoadedScenario | undefined): PipelineScenario {
  try {
    return toPipelineScenario(s);
  } catch (error) {
    if (!(error instanceof UserError) || !loaded || error.location.field === undefined) throw error;
    const message = error.message.slice(formatLocation(error.location).length + 2);
    throw new UserError(message, { ...loaded.locate([error.location.field]), field: error.location.field });
  }
}

/** The scenario's Data Factory activity policy in the scheduler's units (retry interval and timeout on the engine clock). */
export function dataFactoryPolicy(s: Scenario): SlicePolicy {
  const df = s.dataFactory;
  return {
    retry: df.retry,
    concurrency: df.concurrency,
    retryIntervalMs: df.retryIntervalSeconds * 1000,
    ...(df.activityTimeoutMinutes !== undefined ? { activityTimeoutMs: df.activityTimeoutMinutes * 60_000 } : {}),
  };
}

export async function createLocalTarget(s: Scenario, loaded?: LoadedScenario, options: LocalTargetOptions = {}): Promise<LocalTarget> {
  const calibration = options.calibration ?? DEFAULT_CALIBRATION;
  const scenario = pipelineScenario(s, loaded);
  const kernel = new SimKernel({ start: scenario.start, ...(options.speed ? { pacing: { wall: wallClock, speed: options.speed } } : {}) });
  const host = new KernelProcessHost(kernel);
  const closers: (() => Promise<void> | void)[] = [];
  try {
    // First, so the generator's worker makes the sessions' events while the rest is set up.
    const config = generatorConfig(s.generator, s.seed);
    const source = new GeneratedSessions(config, s.generator.sessions);
    closers.push(() => source.close());
    let namespace: EventHubsNamespace;
    let emulator: RunningEmulator | undefined;
    if (options.speed) {
      const { startEventHubsEmulator } = await import('../../services/event-hubs/emulator.js');
      emulator = await startEventHubsEmulator({ config: namespaceConfig(s), clock: host.clock, amqpPort: options.amqpPort ?? 0, httpPort: options.httpPort ?? 0 });
      const emu = emulator;
      closers.push(() => emu.close());
      namespace = emulator.namespace;
    } else {
      namespace = new EventHubsNamespace(namespaceConfig(s), host.clock);
    }
    const hub = s.eventHubs.hubName;
    const ingress = new CalibratedIngress(namespace, hub, s.eventHubs.throughputUnits, calibration, s.seed);
    const subscriber = new LocalHubSubscriber(namespace, hub, s.eventHubs.consumerGroup);

    const store = new ChunkedMemoryStore();
    const definition = await jobDefinition(s, loaded);
    const blob = Object.values(definition.outputs).find((o) => o.kind === 'blob');
    const container = blob && blob.kind === 'blob' ? blob.container : 'customer360';
    const job = new StreamAnalyticsJob(definition, { store, seed: s.seed });
    const v1 = Math.min(MAX_USEFUL_V1_NON_PARTITIONED, v1EquivalentStreamingUnits(s.streamAnalytics.suModel, s.streamAnalytics.streamingUnits));
    const stream = new AsaStreamStage(job, definition, v1, calibration);

    // Its own thread loads the reference tables while the rest is set up, then stages what the job appends.
    const warehouse = new WarehouseThread(
      { file: options.warehouseFile ?? ':memory:', generator: config, asOf: config.asOf, seedCompat: s.scoring.seedCompat },
      { holdUntil: source.blocksDelivered },
    );
    closers.push(() => warehouse.close());
    store.onAppend = (c, name, bytes) => {
      if (c === container) warehouse.append(c, name, bytes);
    };

    const modelPath = s.scoring.model === 'train' ? 'train' : loaded ? loaded.resolvePath(s.scoring.model, 'scoring.model') : path.resolve(s.scoring.model);
    const scorer = await loadScorer({ model: modelPath, trees: s.scoring.trees, depth: s.scoring.depth, learningRate: s.scoring.learningRate, seed: s.seed, trainingData: ORIGINAL_PROFILES });

    const pricingFile = s.cost.pricing ? (loaded ? loaded.resolvePath(s.cost.pricing, 'cost.pricing') : path.resolve(s.cost.pricing)) : undefined;
    const pricing = withOverrides(loadPricing(pricingFile), s.cost.overrides, loaded ? loaded.locate(['cost', 'overrides']) : {});
    const etlCluster = s.dataFactory.etlCluster;
    const slicePolicy = dataFactoryPolicy(s);

    const target: PipelineTarget = {
      name: options.speed ? `local (paced ×${options.speed})` : 'local (virtual clock)',
      host,
      source,
      publisher: ingress,
      subscriber,
      stream,
      objectStore: { store, container },
      profiles: warehouse,
      scorer,
      warehouse,
      slices: new DataFactorySliceRunner(host, slicePolicy),
      durations: new ClusterDurations(
        { fixedSeconds: etlCluster.fixedSeconds, serialSecondsPerMillionRows: etlCluster.serialSecondsPerMillionRows, parallelSecondsPerMillionRows: etlCluster.parallelSecondsPerMillionRows },
        s.dataFactory.scoringFixedSeconds,
        slicePolicy.activityTimeoutMs,
      ),
      truth: warehouse,
      cost: new PricingCostEstimator(pricing, costDeployment(s), s.dataFactory.sliceMinutes),
    };
    return {
      target,
      scenario,
      namespace,
      ingress,
      warehouse,
      job,
      emulator,
      close: async () => {
        for (const c of closers.reverse()) await c();
      },
    };
  } catch (error) {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => {});
    throw error;
  }
}

