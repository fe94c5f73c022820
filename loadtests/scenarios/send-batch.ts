// Constant arrival rate: RATE batches/s of BATCH_SIZE events for DURATION. No retries: in an open
// model a retry hides throttling, so throttles are counted instead.
//   k6 run -e TARGET=local -e RATE=50 loadtests/scenarios/send-batch.ts
import type { Options } from 'k6/options';
import { config, sendOneBatch, writeSummary } from './common.ts';
import { ingestionThresholds, summaryTrendStats } from './thresholds.ts';

export const options: Options = {
  discardResponseBodies: false,
  scenarios: {
    send: {
      executor: 'constant-arrival-rate',
      rate: config.rate,
      timeUnit: '1s',
      duration: `${config.durationSec}s`,
      preAllocatedVUs: config.preVus,
      maxVUs: config.maxVus,
      tags: { target: config.target },
    },
  },
  thresholds: ingestionThresholds,
  summaryTrendStats,
};

export default function (): void {
  sendOneBatch();
}

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return writeSummary(data);
}
