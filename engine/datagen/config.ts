// Generator configuration. Defaults reproduce the original session: 6,000 customers, one row per
// customer-day from 2017-01-01T06:00Z to the as-of time 2017-03-08T06:00Z (67 days), a 50% sample.
import type { EpochMs } from '../ports/clock.js';

export const DAY_MS = 86_400_000;

export interface DatagenConfig {
  customers: number;
  seed: number;
  /** The first browsing day (the original's start, 2017-01-01T06:00Z). */
  start: EpochMs;
  /** The as-of time: the last browsing day; ground-truth purchases follow it. */
  asOf: EpochMs;
  /** Share of customer-days sent per session (the original's `sample(frac=0.5)`). */
  sampleFraction: number;
  /**
   * Customers whose session rows are shuffled together. The original shuffled all 6,000 customers'
   * rows at once; a bounded block keeps 1M customers streaming (memory ∝ block, not population).
   */
  shuffleBlockCustomers: number;
  /** Weekly purchase days before as-of (the original has 9: as-of − 1 day, then every 7 days back). */
  purchaseWeeks: number;
  /** Days after as-of that hold the ground-truth purchases (the `future` label horizon). */
  futureDays: number;
}

export const DEFAULT_START = Date.UTC(2017, 0, 1, 6, 0, 0);
export const DEFAULT_AS_OF = Date.UTC(2017, 2, 8, 6, 0, 0);

export function datagenConfig(overrides: Partial<DatagenConfig> = {}): DatagenConfig {
  const config: DatagenConfig = {
    customers: 6000,
    seed: 1,
    start: DEFAULT_START,
    asOf: DEFAULT_AS_OF,
    sampleFraction: 0.5,
    shuffleBlockCustomers: 6000,
    purchaseWeeks: 9,
    futureDays: 3,
    ...overrides,
  };
  if (!Number.isInteger(config.customers) || config.customers < 1) throw new RangeError('customers must be a positive integer');
  if (config.asOf < config.start) throw new RangeError('as-of must not be before start');
  if ((config.asOf - config.start) % DAY_MS !== 0) throw new RangeError('as-of − start must be a whole number of days');
  if (!(config.sampleFraction > 0 && config.sampleFraction <= 1)) throw new RangeError('sampleFraction must be in (0, 1]');
  if (!Number.isInteger(config.shuffleBlockCustomers) || config.shuffleBlockCustomers < 1) throw new RangeError('shuffleBlockCustomers must be ≥ 1');
  return config;
}

/** Number of browsing days (67 for the defaults). */
export function browsingDays(config: DatagenConfig): number {
  return (config.asOf - config.start) / DAY_MS + 1;
}
