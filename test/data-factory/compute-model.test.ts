import { describe, it, expect } from 'vitest';
import {
  DEFAULT_ETL_COMPUTE_MODEL,
  etlComputeModel,
  etlDurationMs,
  scoringDurationMs,
  workersNeeded,
  DEFAULT_SCORING_COMPUTE_MODEL,
} from '../../engine/services/data-factory/index.js';

describe('ETL cluster compute-duration model', () => {
  it('matches a hand-computed case: 201,000 rows on 4 workers', () => {
    // 180 s fixed + 30 s × 0.201 serial + 600 s × 0.201 / 4 parallel = 180 + 6.03 + 30.15 = 216.18 s
    expect(etlDurationMs(DEFAULT_ETL_COMPUTE_MODEL, { rows: 201_000, workerNodes: 4 })).toBe(216_180);
  });

  it('more workers shorten only the parallel part (Amdahl)', () => {
    const m = DEFAULT_ETL_COMPUTE_MODEL;
    const rows = 2_000_000;
    const t1 = etlDurationMs(m, { rows, workerNodes: 1 });
    const t8 = etlDurationMs(m, { rows, workerNodes: 8 });
    const t1000 = etlDurationMs(m, { rows, workerNodes: 1000 });
    expect(t1).toBe(1_440_000); // 180 + 60 + 1200 s: misses a 15-minute slice
    expect(t8).toBe(390_000); // 180 + 60 + 150 s
    expect(t1000).toBeGreaterThan((180 + 60) * 1000); // never below fixed + serial
  });

  it('finds the fewest workers that fit a budget, or none when fixed + serial already exceed it', () => {
    const m = DEFAULT_ETL_COMPUTE_MODEL;
    // 2M rows in 15 min minus 60 s scoring = 840 s: 180 + 60 + 1200 / w ≤ 840 ⇒ w ≥ 2
    expect(workersNeeded(m, 2_000_000, 840_000)).toBe(2);
    expect(workersNeeded(m, 2_000_000, 200_000)).toBeUndefined();
  });

  it('accepts scenario overrides and rejects nonsense', () => {
    expect(etlComputeModel({ fixedSeconds: 60 })).toEqual({ ...DEFAULT_ETL_COMPUTE_MODEL, fixedSeconds: 60 });
    expect(etlComputeModel({ fixedSeconds: undefined })).toEqual(DEFAULT_ETL_COMPUTE_MODEL);
    expect(() => etlComputeModel({ parallelSecondsPerMillionRows: -1 })).toThrow(RangeError);
    expect(() => etlDurationMs(DEFAULT_ETL_COMPUTE_MODEL, { rows: 1, workerNodes: 0 })).toThrow(/workerNodes/);
  });

  it('scoring: 6,000 profiles take the fixed minute plus 0.6 s', () => {
    expect(scoringDurationMs(DEFAULT_SCORING_COMPUTE_MODEL, { rows: 6000 })).toBe(60_600);
  });
});
