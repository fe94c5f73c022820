// A job worker: one child process per run, matrix run or training. The engine's runs and the GBM
// training are CPU-bound; in their own process they can never stall the UI's event loop (the HTTP
// server keeps answering, the Electron utility process keeps relaying), and stopping a job is simply
// ending its process. Messages: engine/app/worker-protocol.ts.
import path from 'node:path';
import type { KpisDto, SliceDto } from '../../electron/common/contract.js';
import { runScenarioRun } from './run-binding.js';
import { ScenarioLibrary } from './scenario-library.js';
import { pointGrain, seriesPoints } from './series-points.js';
import { actualLabels, datagenOf } from './ground-truth.js';
import type { WorkerMessage, WorkerRequest } from './worker-protocol.js';
import type { RunResult } from '../ports/pipeline.js';

const send = (m: WorkerMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

/** KPIs as JSON-safe numbers (NaN and ±Infinity become null). */
export function kpisDto(result: RunResult): KpisDto {
  const out: KpisDto = {};
  for (const [k, val] of Object.entries(result.kpis)) out[k] = typeof val === 'number' && Number.isFinite(val) ? val : null;
  return out;
}

function sliceDtos(result: RunResult): SliceDto[] {
  const finite = (x: number | undefined | null) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return result.slices.map((s) => ({
    index: s.index,
    state: s.state,
    deadlineMet: s.deadlineMet ?? null,
    profiles: s.profiles,
    accuracy: finite(s.quality?.accuracy),
    macroF1: finite(s.quality?.macroF1),
    latencyP50Ms: finite(s.latency?.p50),
    latencyP95Ms: finite(s.latency?.p95),
    latencyP99Ms: finite(s.latency?.p99),
    cost: finite(result.cost?.perSlice),
  }));
}

async function run(req: Extract<WorkerRequest, { type: 'run' }>): Promise<void> {
  const library = new ScenarioLibrary(req.shippedDir, req.userDir);
  const loaded = library.load(req.scenarioName);
  if (loaded.isMatrix) {
    const total = loaded.runs.length;
    for (const [i, combo] of loaded.runs.entries()) {
      await send({ type: 'progress', progress: i / total, message: `combination ${i + 1} of ${total}: ${combo.id}` });
      const result = await runScenarioRun({
        loaded,
        run: combo,
        index: i,
        total,
        outDir: path.join(req.outDir, combo.id),
        onProgress: (p) => void send({ type: 'progress', progress: (i + p.share) / total, message: `combination ${i + 1} of ${total}: ${combo.id}` }),
      });
      await send({ type: 'matrix-row', index: i, id: combo.id, overrides: { ...combo.overrides }, kpis: kpisDto(result) });
    }
    await send({ type: 'done', kpis: null, detail: { outDir: req.outDir } });
    return;
  }
  const combo = loaded.runs[0];
  const scenario = combo.scenario;
  const plannedSeconds = scenario.durationMinutes * 60;
  const grain = pointGrain(plannedSeconds);
  let sentUpTo = -1;
  const result = await runScenarioRun({
    loaded,
    run: combo,
    index: 0,
    total: 1,
    speed: req.speed,
    outDir: req.outDir,
    onProgress: (p) => {
      // The bar shows the percentage itself; the message says where the run is in scenario time.
      const minutes = (share: number) => Math.round(share * scenario.durationMinutes);
      void send({ type: 'progress', progress: p.share, message: `scenario minute ${minutes(p.share)} of ${scenario.durationMinutes}` });
      if (!p.series) return;
      // Complete intervals only: the last one is still filling up.
      const points = seriesPoints(p.series, grain, sentUpTo + grain).slice(0, -1);
      if (points.length === 0) return;
      sentUpTo = points[points.length - 1].t;
      void send({ type: 'points', grainSeconds: grain, points, replace: false });
    },
  });
  await send({ type: 'points', grainSeconds: grain, points: seriesPoints(result.series, grain), replace: true });
  const config = datagenOf(scenario);
  const actual = actualLabels(config);
  const rows = result.profiles.map((p) => ({
    customerID: p.customerID,
    label: p.label,
    probabilities: [...p.probabilities],
    actual: actual.get(p.customerID) ?? null,
    features: p.features,
  }));
  for (let i = 0; i < rows.length; i += 2000) await send({ type: 'profiles', rows: rows.slice(i, i + 2000) });
  await send({
    type: 'done',
    kpis: kpisDto(result),
    detail: {
      slices: sliceDtos(result),
      cost: result.cost
        ? { total: result.cost.total, perHour: result.cost.perHour, currency: result.cost.currency, lines: result.cost.lines.map((l) => ({ item: l.item, cost: l.cost })) }
        : null,
      confusion: result.quality.compared > 0 ? result.quality.confusion : null,
      datagen: {
        customers: config.customers,
        seed: config.seed,
        sessions: scenario.generator.sessions,
        sampleFraction: config.sampleFraction,
        start: config.start,
        asOf: config.asOf,
      },
      outDir: req.outDir,
    },
  });
}

async function train(req: Extract<WorkerRequest, { type: 'train' }>): Promise<void> {
  const { runTrainJob } = await import('../services/ml/train-job.js');
  const report = await runTrainJob({
    data: req.data,
    out: req.outModel,
    metrics: req.outMetrics,
    params: { trees: req.params.trees, maxDepth: req.params.depth, learningRate: req.params.learningRate, seed: req.params.seed },
    testFraction: req.params.testFraction,
    onRound: (round, total) => {
      if (round % 2 === 0 || round === total) void send({ type: 'progress', progress: round / total, message: `round ${round} of ${total}` });
    },
  });
  await send({
    type: 'done',
    kpis: { accuracy: report.test?.accuracy ?? null, macroF1: report.test?.macroF1 ?? null, trainSeconds: report.trainMs / 1000 },
    detail: {},
  });
}

process.once('message', (req: WorkerRequest) => {
  const job = req.type === 'run' ? run(req) : train(req);
  job.then(
    () => process.disconnect(),
    async (error: unknown) => {
      await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.disconnect();
    },
  );
});
