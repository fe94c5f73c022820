// The end of a run: when the last slice has run, the Stream Analytics job is stopped and writes out its
// open windows, so the Blob holds every event the job read — including the last minute's, and even when
// the generator is still sending at the end. The same scenario on the paced clock (live, front doors
// open, nobody else sending) must agree with the virtual clock on what reached the job and the Blob.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.js';
import { runPipeline } from '../../engine/pipeline/run.js';
import type { PipelineTarget, RunResult } from '../../engine/ports/pipeline.js';
import { createLocalTarget } from '../../engine/targets/local/target.js';

// 198 customers × 10 days × ½ = 990 events in 10 batches 30 s apart (0 … 270 s); one 2-minute slice, so
// the run ends at ~135 s with the generator mid-session and its last batches in the job's open windows.
const TEXT = `name: end-of-run
seed: 5
generator: { customers: 198, sessions: 1, historyDays: 10 }
sender: { batchSize: 99, intervalSeconds: 30 }
dataFactory: { sliceMinutes: 2, etlCluster: { fixedSeconds: 10 }, scoringFixedSeconds: 5 }
`;

async function blobBytesAndRows(target: PipelineTarget): Promise<{ bytes: number; rows: number }> {
  const { store, container } = target.objectStore!;
  let bytes = 0;
  let rows = 0;
  for (const o of await store.list(container)) {
    const data = await store.get(container, o.name);
    bytes += data.length;
    for (const line of new TextDecoder().decode(data).split('\n')) if (line.trim() && !line.startsWith('userdatetime,')) rows++;
  }
  return { bytes, rows };
}

async function run(speed?: number): Promise<{ result: RunResult; blob: { bytes: number; rows: number } }> {
  const loaded = parseScenario(TEXT, path.join('/tmp', 'end-of-run.yaml'));
  const local = await createLocalTarget(loaded.base, loaded, speed ? { speed } : {});
  try {
    const result = await runPipeline(local.scenario, local.target);
    return { result, blob: await blobBytesAndRows(local.target) };
  } finally {
    await local.close();
  }
}

describe('the end of a run', () => {
  it('flushes the job: every event it read is in the Blob, and the paced clock agrees with the virtual one', { timeout: 60_000 }, async () => {
    const virtual = await run();
    const v = virtual.result;
    // The generator was still sending when the run stopped: some of its events never left the sender.
    expect(v.reconciliation.sent).toBeLessThan(990);
    expect(v.reconciliation.unaccounted).toBe(0);
    const reached = v.kpis.eventsReachedStream;
    expect(reached).toBe(v.reconciliation.accepted);
    // Every event is its own group (customer, day): one Blob row per event the job read.
    expect(v.series.total('OutputEvents')).toBe(reached);
    expect(virtual.blob.rows).toBe(reached);

    const paced = await run(600);
    const p = paced.result;
    expect(p.target).toMatch(/paced/);
    expect(p.kpis.eventsReachedStream).toBe(reached);
    expect(p.series.total('OutputEvents')).toBe(v.series.total('OutputEvents'));
    expect(paced.blob).toEqual(virtual.blob);
    expect(p.reconciliation).toEqual(v.reconciliation);
    expect(p.slices.map((s) => [s.state, s.newEvents, s.profiles])).toEqual(v.slices.map((s) => [s.state, s.newEvents, s.profiles]));
  });
});
