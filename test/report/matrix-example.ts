// A small TU × SU sweep on the fixture ports, for the matrix report test and its example screenshot.
import path from 'node:path';
import { runPipeline } from '../../engine/pipeline/run.js';
import type { PipelineScenario } from '../../engine/ports/pipeline.js';
import type { MatrixEntry } from '../../engine/report/matrix.js';
import { writeRunReport } from '../../engine/report/write-run.js';
import { fixtureTarget, scenario } from '../pipeline/fixtures/target.js';
import { exampleCost } from './example-run.js';

const MIN = 60_000;

/** A TU × SU sweep on the fixture ports: 0.3/1 TU (the fixture hub scales its rate) × 1/3 SU. */
export async function tuSuEntries(base: string, tus = [0.3, 1], sus = [1, 3]): Promise<MatrixEntry[]> {
  const entries: MatrixEntry[] = [];
  for (const tu of tus) {
    for (const su of sus) {
      const s: PipelineScenario = scenario({
        name: `tu-${tu}_su-${su}`,
        customers: 600,
        generator: { customers: 600, sessions: 2, sessionIntervalMs: 15 * MIN },
        sender: { batchSize: 1675, intervalMs: 5000, retry: { kind: 'none' } },
        eventHubs: { tier: 'standard', throughputUnits: tu, partitions: 2 },
        streamAnalytics: { streamingUnits: su },
      });
      const result = await runPipeline(s, fixtureTarget(s, { hub: { burstSeconds: 6 }, eventsPerSecondPerSu: 120, cost: exampleCost }).target);
      const id = `throughputUnits-${tu}_streamingUnits-${su}`;
      await writeRunReport(path.join(base, id), result);
      entries.push({ id, folder: id, overrides: { 'eventHubs.throughputUnits': tu, 'streamAnalytics.streamingUnits': su }, result });
    }
  }
  return entries;
}

