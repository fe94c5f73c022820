// How many Data Factory slices a scenario gets when its duration is not a multiple of the slice width.
// A tumbling-window trigger runs a window only once it has ended in full, so both the scenario adapter
// (from-scenario.ts) and the Data Factory twin's window cutter (services/data-factory/slices.ts) take
// whole windows only; the partial tail of the run gets no slice.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../engine/core/errors.js';
import { parseScenario } from '../../engine/index.js';
import { toPipelineScenario, wholeSlices } from '../../engine/pipeline/from-scenario.js';
import { runPipeline, sliceWindows } from '../../engine/pipeline/run.js';
import { sliceWindows as dataFactoryWindows } from '../../engine/services/data-factory/index.js';
import { createLocalTarget } from '../../engine/targets/local/target.js';

const MIN = 60_000;

describe('slice count for a duration that is not a multiple of the slice width', () => {
  it('counts whole slices only, like a tumbling-window trigger', () => {
    expect(wholeSlices(60, 15)).toBe(4);
    expect(wholeSlices(40, 15)).toBe(2);
    expect(wholeSlices(44.9, 15)).toBe(2);
    expect(wholeSlices(45, 15)).toBe(3);
    expect(wholeSlices(15, 15)).toBe(1);
  });

  it('refuses a run shorter than one slice instead of running a partial one', () => {
    expect(() => wholeSlices(10, 15)).toThrow(UserError);
    expect(() => wholeSlices(10, 15)).toThrow(/durationMinutes \(10\) is shorter than one Data Factory slice \(dataFactory.sliceMinutes: 15\)/);
  });

  it('a scenario file shorter than one slice fails with its file:line', async () => {
    const loaded = parseScenario('name: short\ndurationMinutes: 10\n', path.join('/tmp', 'short.yaml'));
    await expect(createLocalTarget(loaded.base, loaded)).rejects.toThrow(/short\.yaml:2:\d+ \(durationMinutes\): durationMinutes \(10\) is shorter than one Data Factory slice/);
  });

  it('the loop\'s windows and the Data Factory twin\'s windows agree for a 40-minute run of 15-minute slices', () => {
    const loaded = parseScenario('name: forty\ndurationMinutes: 40\ngenerator: { sessions: 3, sessionEveryMinutes: 15 }\n', path.join('/tmp', 'forty.yaml'));
    const s = toPipelineScenario(loaded.base);
    expect(s.dataFactory.slices).toBe(2);
    const loop = sliceWindows(s);
    const twin = dataFactoryWindows(s.start, s.start + 40 * MIN, 15 * MIN);
    expect(loop).toEqual(twin);
    expect(loop.map((w) => [(w.start - s.start) / MIN, (w.end - s.start) / MIN])).toEqual([
      [0, 15],
      [15, 30],
    ]);
  });

  it('a local run of 7 minutes with 2-minute slices runs 3 slices and ends with the third', { timeout: 60_000 }, async () => {
    const text = `name: seven
seed: 3
durationMinutes: 7
generator: { customers: 60, sessions: 1, historyDays: 10 }
sender: { batchSize: 100, intervalSeconds: 5 }
dataFactory: { sliceMinutes: 2, etlCluster: { fixedSeconds: 10 }, scoringFixedSeconds: 5 }
`;
    const loaded = parseScenario(text, path.join('/tmp', 'seven.yaml'));
    const local = await createLocalTarget(loaded.base, loaded);
    try {
      const result = await runPipeline(local.scenario, local.target);
      expect(result.slices.map((x) => [(x.start - result.startedAt) / MIN, (x.end - result.startedAt) / MIN, x.state])).toEqual([
        [0, 2, 'Ready'],
        [2, 4, 'Ready'],
        [4, 6, 'Ready'],
      ]);
      expect(result.usage.slices).toBe(3);
      // The last slice is due at 6:00 and takes 15 s: the run ends there, not at a partial slice's end (8:00).
      expect(result.endedAt - result.startedAt).toBeLessThan(7 * MIN);
    } finally {
      await local.close();
    }
  });
});
