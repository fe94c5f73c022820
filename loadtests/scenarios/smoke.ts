// Smoke: one VU sends ten batches and checks each gets 201. Run it before a long test.
import type { Options } from 'k6/options';
import { sendOneBatch } from './common.ts';

export const options: Options = {
  scenarios: { smoke: { executor: 'shared-iterations', vus: 1, iterations: 10, maxDuration: '30s' } },
  thresholds: { checks: ['rate==1'] },
};

export default function (): void {
  sendOneBatch();
}
