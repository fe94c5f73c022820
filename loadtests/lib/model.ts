// The twin's prediction for an ingestion load test: offered λ events/s against a capacity of
// TU × min(1000 events/s, 1 MiB/s ÷ average event size). Shown next to measured k6 / `c360 load` runs.

export const EVENTS_PER_SEC_PER_TU = 1000;
export const BYTES_PER_SEC_PER_TU = 1024 * 1024;

export interface Prediction {
  capacityPerSec: number;
  acceptedPerSec: number;
  throttledFrac: number;
}

export function predicted(offeredPerSec: number, throughputUnits: number, avgEventBytes: number): Prediction {
  const perTu = Math.min(EVENTS_PER_SEC_PER_TU, BYTES_PER_SEC_PER_TU / Math.max(1, avgEventBytes));
  const capacityPerSec = throughputUnits * perTu;
  const acceptedPerSec = Math.min(offeredPerSec, capacityPerSec);
  const throttledFrac = offeredPerSec > 0 ? Math.max(0, 1 - capacityPerSec / offeredPerSec) : 0;
  return { capacityPerSec, acceptedPerSec, throttledFrac };
}
