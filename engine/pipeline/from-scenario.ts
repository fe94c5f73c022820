// From a validated scenario file (engine/scenarios, minutes and seconds as people write them) to the
// loop's PipelineScenario (milliseconds and counts), and the deployment the cost model prices.
import { UserError } from '../core/errors.js';
import type { Deployment } from '../cost/index.js';
import type { PipelineScenario } from '../ports/pipeline.js';
import type { Scenario } from '../scenarios/index.js';
import { NO_RETRY, SDK_DEFAULT_RETRY } from './retry-policy.js';

const MINUTE = 60_000;

/** SU V2 fractions ("1/3", "2/3") as numbers. */
export function streamingUnitsNumber(su: number | '1/3' | '2/3'): number {
  return su === '1/3' ? 1 / 3 : su === '2/3' ? 2 / 3 : su;
}

/**
 * How many Data Factory slices a run of `durationMinutes` has: only whole windows. A tumbling-window
 * trigger (and an ADF v1 schedule) runs a window once it has ended in full; the part of the run after
 * the last whole window gets no slice (engine/services/data-factory/slices.ts cuts windows the same way).
 * A run shorter than one slice has none, which is an error in the scenario, not a run with no output.
 */
export function wholeSlices(durationMinutes: number, sliceMinutes: number): number {
  const count = Math.floor((durationMinutes * MINUTE) / (sliceMinutes * MINUTE));
  if (count < 1)
    throw new UserError(`durationMinutes (${durationMinutes}) is shorter than one Data Factory slice (dataFactory.sliceMinutes: ${sliceMinutes}): no slice would run`, {
      field: 'durationMinutes',
    });
  return count;
}

export function toPipelineScenario(s: Scenario): PipelineScenario {
  const sliceWidthMs = s.dataFactory.sliceMinutes * MINUTE;
  return {
    name: s.name,
    seed: s.seed,
    start: Date.parse(s.start),
    generator: {
      customers: s.generator.customers,
      sessions: s.generator.sessions,
      sessionIntervalMs: s.generator.sessionEveryMinutes * MINUTE,
    },
    sender: {
      batchSize: s.sender.batchSize,
      intervalMs: s.sender.intervalSeconds * 1000,
      retry: s.sender.retryPolicy === 'sdk-default' ? SDK_DEFAULT_RETRY : NO_RETRY,
      connections: s.sender.connections,
    },
    eventHubs: {
      tier: s.eventHubs.tier,
      throughputUnits: s.eventHubs.throughputUnits,
      partitions: s.eventHubs.partitions,
      retentionMs: s.eventHubs.retentionHours * 60 * MINUTE,
    },
    streamAnalytics: { streamingUnits: streamingUnitsNumber(s.streamAnalytics.streamingUnits) },
    dataFactory: {
      sliceWidthMs,
      slices: wholeSlices(s.durationMinutes, s.dataFactory.sliceMinutes),
      retries: s.dataFactory.retry,
      concurrency: s.dataFactory.concurrency,
      etlWorkerNodes: s.dataFactory.etlCluster.workerNodes,
    },
  };
}

/** What the cost model prices: the capacity the scenario deploys. */
export function costDeployment(s: Scenario): Deployment {
  return {
    eventHubs: { tier: s.eventHubs.tier, throughputUnits: s.eventHubs.throughputUnits },
    streamAnalytics: { suModel: s.streamAnalytics.suModel, streamingUnits: s.streamAnalytics.streamingUnits },
    etlCluster: {
      workerNodes: s.dataFactory.etlCluster.workerNodes,
      headNodes: s.dataFactory.etlCluster.headNodes,
      nodeSize: s.dataFactory.etlCluster.nodeSize,
    },
  };
}
