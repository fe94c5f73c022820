// The application API end to end on a real pipeline: scenarios, runs in worker processes with live
// events, the SQLite history, profile queries, one customer's detail, training, ONNX import/export,
// matrix runs and CSV export.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppApi, type AppApi } from '../../engine/app/api.js';
import { wallClock } from '../../engine/sim/wall-clock.js';
import type { EngineEvent, RunSummaryDto } from '../../electron/common/contract.js';
import { repoRoot, tempWorkspace, waitForJob } from './helpers.js';

let ws: ReturnType<typeof tempWorkspace>;
let app: AppApi;
const events: EngineEvent[] = [];
let run: RunSummaryDto;

beforeAll(async () => {
  ws = tempWorkspace();
  app = createAppApi({ workspace: ws.workspace, clock: wallClock, scenariosDir: ws.scenarios });
  app.subscribe((e) => events.push(e));
  run = await app.handlers.startRun({ scenario: 'small-demo' });
  run = await waitForJob(app.handlers, run.id);
});

afterAll(async () => {
  await app?.close();
  ws?.cleanup();
});

describe('scenarios', () => {
  it('lists shipped scenarios as read-only, with matrix sizes', async () => {
    const list = await app.handlers.listScenarios({});
    const seed = list.find((s) => s.name === 'seed-demo')!;
    expect(seed).toMatchObject({ readOnly: true, isMatrix: false, valid: true });
    expect(list.find((s) => s.name === 'tu-su-matrix')).toMatchObject({ isMatrix: true, combinations: 12 });
  });

  it('reports problems with line and column, and saving keeps an edited copy without touching the shipped file', async () => {
    const shipped = path.join(ws.scenarios, 'seed-demo.yaml');
    const original = readFileSync(shipped, 'utf8');
    const broken = original.replace('throughputUnits: 1', 'throughputUnits: 3000');
    const check = await app.handlers.validateScenario({ text: broken });
    expect(check.valid).toBe(false);
    const line = broken.split('\n').findIndex((l) => l.includes('throughputUnits: 3000')) + 1;
    expect(check.problems[0]).toMatchObject({ line, field: 'eventHubs.throughputUnits' });

    const saved = await app.handlers.saveScenario({ name: 'seed-demo', text: broken });
    expect(saved.valid).toBe(false);
    expect(readFileSync(shipped, 'utf8')).toBe(original);
    expect(await app.handlers.readScenario({ name: 'seed-demo' })).toMatchObject({ text: broken, readOnly: false });
    expect((await app.handlers.listScenarios({})).find((s) => s.name === 'seed-demo')).toMatchObject({ valid: false, readOnly: false });
    await expect(app.handlers.startRun({ scenario: 'seed-demo' })).rejects.toThrow(/throughputUnits/);
    await expect(app.handlers.readScenario({ name: 'nope' })).rejects.toThrow(/not found/);
  });
});

describe('a finished run', () => {
  it('finished with KPIs and sent job, progress and metric events on the way', () => {
    expect(run.status).toBe('finished');
    expect(run.kpis?.eventsSent).toBeGreaterThan(0);
    const mine = events.filter((e) => ('jobId' in e ? e.jobId : e.type === 'job' ? e.job.id : '') === run.id);
    expect(mine.some((e) => e.type === 'progress')).toBe(true);
    expect(mine.some((e) => e.type === 'metrics' && e.points.length > 0)).toBe(true);
    expect(mine.filter((e) => e.type === 'job').map((e) => (e as { job: RunSummaryDto }).job.status)).toEqual(['running', 'finished']);
  });

  it('has chart points, slices, cost and a confusion matrix in its detail', async () => {
    const d = await app.handlers.getRun({ id: run.id });
    expect(d.points.length).toBeGreaterThan(10);
    // Per-second rates: accepted events/s integrate back to the events accepted.
    const accepted = d.points.reduce((a, p) => a + (p.values.AcceptedEvents ?? 0) * d.grainSeconds, 0);
    expect(accepted).toBeCloseTo(run.kpis!.eventsAccepted!, 0);
    expect(d.slices.length).toBe(run.kpis!.slices);
    expect(d.cost?.total).toBeGreaterThan(0);
    expect(d.confusion!.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(d.profileCount).toBe(600);
  });

  it('pages, filters and searches the profiles', async () => {
    const all = await app.handlers.queryProfiles({ runId: run.id, limit: 50 });
    expect(all.total).toBe(600);
    expect(all.rows.map((r) => r.customerID)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(all.labelCounts.reduce((a, b) => a + b, 0)).toBe(600);
    const page2 = await app.handlers.queryProfiles({ runId: run.id, offset: 50, limit: 50 });
    expect(page2.rows[0].customerID).toBe(51);
    const label = all.labelCounts.findIndex((n, i) => i > 0 && n > 0);
    const filtered = await app.handlers.queryProfiles({ runId: run.id, label, limit: 1000 });
    expect(filtered.total).toBe(all.labelCounts[label]);
    expect(filtered.rows.every((r) => r.label === label)).toBe(true);
    const byId = await app.handlers.queryProfiles({ runId: run.id, search: '12' });
    expect(byId.rows.map((r) => r.customerID)).toEqual([12, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129]);
    const byText = await app.handlers.queryProfiles({ runId: run.id, search: 'Less_than_10K', limit: 1000 });
    expect(byText.total).toBeGreaterThan(0);
    expect(byText.rows.every((r) => r.income === 'Less_than_10K')).toBe(true);
    const none = await app.handlers.queryProfiles({ runId: run.id, search: "%' OR 1=1 --" });
    expect(none.total).toBe(0);
    const sorted = await app.handlers.queryProfiles({ runId: run.id, sort: 'probability', limit: 20 });
    const top = sorted.rows.map((r) => Math.max(...r.probabilities));
    expect([...top].sort((a, b) => b - a)).toEqual(top);
  });

  it("explains one customer: history regenerated from the seed, and why the label", async () => {
    // Group 1 (ids 1–100 of 600) browses T1 heavily; its customers' purchases are T1.
    const c = await app.handlers.getCustomer({ runId: run.id, customerId: 7 });
    expect(c.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(c.browsing.length).toBeGreaterThan(20);
    const mean = (k: 't1' | 't2' | 't3') => c.browsing.reduce((a, b) => a + b[k], 0) / c.browsing.length;
    expect(mean('t1')).toBeGreaterThan(500);
    expect(mean('t2')).toBeLessThan(100);
    for (const p of c.purchases) expect(p.product).toMatch(/^T1/);
    expect(c.reasons.length).toBeGreaterThan(0);
    expect(c.reasons[0].text).toContain(c.reasons[0].feature);
    await expect(app.handlers.getCustomer({ runId: run.id, customerId: 99999 })).rejects.toThrow(/not found/);
  });

  it('exports profiles and metrics as CSV', async () => {
    const csv = await app.handlers.exportCsv({ id: run.id, kind: 'profiles' });
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('customerID,label,prob_categoryT0,prob_categoryT1,prob_categoryT2,prob_categoryT3,label_actual');
    expect(lines).toHaveLength(601);
    const metrics = await app.handlers.exportCsv({ id: run.id, kind: 'metrics' });
    expect(metrics.text.split('\n')[0]).toContain('AcceptedEvents');
    await expect(app.handlers.exportCsv({ id: run.id, kind: 'matrix' })).rejects.toThrow(/no matrix/);
  });

  it('survives a restart: the history is in SQLite', async () => {
    const again = createAppApi({ workspace: ws.workspace, clock: wallClock, scenariosDir: ws.scenarios });
    try {
      const d = await again.handlers.getRun({ id: run.id });
      expect(d.status).toBe('finished');
      expect(d.profileCount).toBe(600);
    } finally {
      await again.close();
    }
  });
});

describe('jobs', () => {
  it('stops a running job at once and records it as cancelled', async () => {
    const job = await app.handlers.startRun({ scenario: 'small-demo' });
    await new Promise((r) => setTimeout(r, 500));
    await app.handlers.stopJob({ id: job.id });
    const done = await waitForJob(app.handlers, job.id, 10_000);
    expect(done.status).toBe('cancelled');
    expect((await app.handlers.getRun({ id: job.id })).profileCount).toBe(0);
    expect(await app.handlers.deleteRun({ id: job.id })).toEqual({ deleted: true });
    await expect(app.handlers.getRun({ id: job.id })).rejects.toThrow(/not found/);
  });

  it('runs a matrix, one row per combination, exportable as CSV', async () => {
    const job = await app.handlers.startRun({ scenario: 'small-matrix' });
    expect(job.kind).toBe('matrix');
    expect(job.combinations).toBe(2);
    const done = await waitForJob(app.handlers, job.id);
    expect(done.status).toBe('finished');
    const d = await app.handlers.getRun({ id: job.id });
    expect(d.matrix.map((r) => r.overrides['eventHubs.throughputUnits'])).toEqual([1, 2]);
    // Twice the TUs accept more of the same load.
    expect(d.matrix[1].kpis.eventsAccepted!).toBeGreaterThan(d.matrix[0].kpis.eventsAccepted!);
    const csv = await app.handlers.exportCsv({ id: job.id, kind: 'matrix' });
    expect(csv.text.trim().split('\n')).toHaveLength(3);
  });
});

describe('models', () => {
  it('trains with the given parameters and reports the evaluation', async () => {
    const job = await app.handlers.trainModel({ trees: 8, depth: 3, learningRate: 0.2, testFraction: 0.2, seed: 3, dataset: 'original' });
    const done = await waitForJob(app.handlers, job.id);
    expect(done.status).toBe('finished');
    const model = (await app.handlers.listModels({})).find((m) => m.id === job.id)!;
    expect(model).toMatchObject({ source: 'trained', params: { trees: 8, depth: 3, learningRate: 0.2, seed: 3 } });
    const rows = model.confusion!.flat().reduce((a, b) => a + b, 0);
    expect(rows).toBe(model.perClass.reduce((a, c) => a + c.support, 0));
    expect(rows).toBeGreaterThan(1000);
    expect(model.importance.length).toBeGreaterThan(0);
  });

  it('exports the ONNX bytes and imports a model only if onnxruntime can load it', async () => {
    const exported = await app.handlers.exportModel({ id: 'default' });
    expect(Buffer.from(exported.base64, 'base64').equals(readFileSync(path.join(repoRoot, 'models/default.onnx')))).toBe(true);
    const imported = await app.handlers.importModel({ name: 'copy.onnx', base64: exported.base64 });
    expect(imported.source).toBe('imported');
    await expect(app.handlers.importModel({ name: 'junk.onnx', base64: Buffer.from('definitely not onnx').toString('base64') })).rejects.toThrow(/junk\.onnx/);
  });
});
