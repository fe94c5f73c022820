// A staircase of arrival rates (25%, 50%, 100%, 150%, 200% of RATE), each level tagged, to find where
// the hub starts throttling. The per-level `max>=0` thresholds make k6 print one row per level.
import type { Options } from 'k6/options';
import exec from 'k6/execution';
import { config, sendOneBatch, writeSummary } from './common.ts';
import { summaryTrendStats } from './thresholds.ts';

const LEVELS = [0.25, 0.5, 1, 1.5, 2];
const stepSec = Math.max(1, Math.round(config.durationSec / LEVELS.length));

const perLevelThresholds: Record<string, string[]> = { dropped_iterations: ['count==0'] };
LEVELS.forEach((_, i) => {
  perLevelThresholds[`eh_throttled{level:${i}}`] = ['rate>=0'];
  perLevelThresholds[`http_req_duration{level:${i}}`] = ['max>=0'];
});

export const options: Options = {
  discardResponseBodies: false,
  scenarios: {
    ramp: {
      executor: 'ramping-arrival-rate',
      startRate: Math.max(1, Math.round(config.rate * LEVELS[0])),
      timeUnit: '1s',
      stages: LEVELS.map((f) => ({ target: Math.max(1, Math.round(config.rate * f)), duration: `${stepSec}s` })),
      preAllocatedVUs: config.preVus,
      maxVUs: config.maxVus,
      tags: { target: config.target },
    },
  },
  thresholds: perLevelThresholds,
  summaryTrendStats,
};

export default function (): void {
  const elapsedSec = (Date.now() - exec.scenario.startTime) / 1000;
  const level = Math.min(LEVELS.length - 1, Math.floor(elapsedSec / stepSec));
  sendOneBatch({ level: String(level) });
}

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return writeSummary(data);
}
