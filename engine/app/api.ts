// The application API the UI calls (electron/common/contract.ts). One instance per workspace; the
// Electron utility process and the `c360 ui` HTTP server both host it, so the desktop app and browser
// mode behave the same. Heavy work (runs, matrix runs, training) goes to worker processes via JobManager.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { formatCsvRow } from '../core/csv.js';
import { LABEL_COLUMN, PROBABILITY_COLUMNS } from '../core/profile-columns.js';
import type { Clock } from '../ports/clock.js';
import type {
  ApiHandlers,
  EngineEvent,
  ModelInfoDto,
  RunDetailDto,
  SliceDto,
} from '../../electron/common/contract.js';
import { INSTALL_ROOT } from '../io/install-root.js';
import { AppStore, type ModelRow } from './store.js';
import { JobManager, toSummary } from './jobs.js';
import { NotFoundError, ScenarioLibrary } from './scenario-library.js';
import { customerBrowsing, customerPurchaseHistory, explainLabel } from './customer-detail.js';

export const REPO_ROOT = INSTALL_ROOT;

export interface AppOptions {
  /** Where the app keeps its database, saved scenarios, run outputs and models. */
  workspace: string;
  clock: Clock;
  /** Shipped scenarios (default: the repository's scenarios/). */
  scenariosDir?: string;
  /** The labelled profiles the Model page trains on (default: the original data in the repository). */
  trainingData?: string;
  /** Most jobs running at once; more are refused, so a UI cannot fork the machine to death. */
  maxConcurrentJobs?: number;
}

export interface AppApi {
  handlers: ApiHandlers;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  close(): Promise<void>;
}

export function createAppApi(options: AppOptions): AppApi {
  const workspace = path.resolve(options.workspace);
  const dirs = {
    scenarios: path.join(workspace, 'scenarios'),
    runs: path.join(workspace, 'runs'),
    models: path.join(workspace, 'models'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const shippedDir = options.scenariosDir ?? path.join(REPO_ROOT, 'scenarios');
  const trainingData = options.trainingData ?? path.join(REPO_ROOT, 'data/customer360-original/customer_profile_label.csv');
  const maxJobs = options.maxConcurrentJobs ?? 2;
  const store = new AppStore(path.join(workspace, 'app.db'));
  const library = new ScenarioLibrary(shippedDir, dirs.scenarios);
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => {
    for (const l of listeners) l(event);
  };
  const iso = () => new Date(options.clock.now()).toISOString();

  registerDefaultModel(store, iso());

  const jobs = new JobManager({
    store,
    clock: options.clock,
    emit,
    onFinished: (job) => {
      if (job.kind !== 'train') return;
      const file = path.join(dirs.models, `${job.id}.onnx`);
      const metrics = JSON.parse(readFileSync(path.join(dirs.models, `${job.id}.metrics.json`), 'utf8')) as Record<string, unknown>;
      store.insertModel({ id: job.id, createdAt: iso(), source: 'trained', params: (metrics.params as Record<string, unknown>) ?? null, metrics, file, bytes: statSync(file).size });
    },
  });

  const requireJob = (id: string) => {
    const job = store.job(id);
    if (!job) throw new NotFoundError(`run "${id}"`);
    return job;
  };
  const guardCapacity = () => {
    if (jobs.active >= maxJobs) throw new UserError(`${jobs.active} jobs are already running; stop one or wait for it to finish`);
  };

  const handlers: ApiHandlers = {
    async listScenarios() {
      return library.list();
    },
    async readScenario({ name }) {
      return library.read(name);
    },
    async validateScenario({ text }) {
      const { loaded: _loaded, ...check } = library.validate(text, path.join(shippedDir, 'edited.yaml'));
      return check;
    },
    async saveScenario({ name, text }) {
      return library.save(name, text);
    },
    async startRun({ scenario, speed }) {
      guardCapacity();
      const loaded = library.load(scenario);
      const kind = loaded.isMatrix ? 'matrix' : 'run';
      const jobId = jobs.newId(kind);
      return jobs.start(kind, scenario, loaded.isMatrix ? loaded.runs.length : 0, {
        type: 'run',
        jobId,
        scenarioName: scenario,
        shippedDir,
        userDir: dirs.scenarios,
        outDir: path.join(dirs.runs, jobId),
        speed,
      });
    },
    async stopJob({ id }) {
      requireJob(id);
      jobs.stop(id);
      return toSummary(requireJob(id));
    },
    async listRuns({ limit }) {
      return store.jobs(limit ?? 200).map(toSummary);
    },
    async getRun({ id }) {
      const job = requireJob(id);
      const detail = job.detail ?? {};
      const out: RunDetailDto = {
        ...toSummary(job),
        grainSeconds: job.grainSeconds,
        points: store.points(id),
        slices: (detail.slices as SliceDto[] | undefined) ?? [],
        cost: (detail.cost as RunDetailDto['cost']) ?? null,
        confusion: detail.confusion ?? null,
        profileCount: store.profileCount(id),
        matrix: store.matrixRows(id),
      };
      return out;
    },
    async deleteRun({ id }) {
      if (jobs.isRunning(id)) throw new UserError(`run "${id}" is still running; stop it first`);
      return { deleted: store.deleteJob(id) };
    },
    async queryProfiles({ runId, search, label, offset, limit, sort }) {
      requireJob(runId);
      const page = store.queryProfiles(runId, { search, label, offset: offset ?? 0, limit: limit ?? 100, sort: sort ?? 'customerID' });
      return {
        total: page.total,
        offset: offset ?? 0,
        labelCounts: store.labelCounts(runId),
        rows: page.rows.map((r) => ({
          customerID: r.customerID,
          label: r.label,
          probabilities: r.probabilities,
          actual: r.actual,
          age: r.features.age ?? null,
          gender: typeof r.features.Gender === 'string' ? r.features.Gender : null,
          income: typeof r.features.Income === 'string' ? r.features.Income : null,
        })),
      };
    },
    async getCustomer({ runId, customerId }) {
      const job = requireJob(runId);
      const profile = store.profile(runId, customerId);
      if (!profile) throw new NotFoundError(`customer ${customerId} in run "${runId}"`);
      const datagen = job.detail?.datagen;
      const importance = new Map<string, number>();
      const model = store.models()[0];
      for (const f of (model?.metrics?.importance as { feature: string; share: number }[] | undefined) ?? []) importance.set(f.feature, f.share);
      return {
        customerID: profile.customerID,
        label: profile.label,
        actual: profile.actual,
        probabilities: profile.probabilities,
        features: profile.features,
        purchases: datagen ? customerPurchaseHistory(datagen, customerId) : [],
        browsing: datagen ? customerBrowsing(datagen, customerId, datagen.sessions - 1) : [],
        reasons: explainLabel(profile, store.featureStats(runId), importance),
      };
    },
    async trainModel(params) {
      guardCapacity();
      if (!existsSync(trainingData)) throw new UserError('training data not found', { file: trainingData });
      const jobId = jobs.newId('train');
      return jobs.start('train', 'model training', 0, {
        type: 'train',
        jobId,
        data: trainingData,
        outModel: path.join(dirs.models, `${jobId}.onnx`),
        outMetrics: path.join(dirs.models, `${jobId}.metrics.json`),
        params,
      });
    },
    async listModels() {
      return store.models().map(modelInfo);
    },
    async exportModel({ id }) {
      const model = store.model(id);
      if (!model) throw new NotFoundError(`model "${id}"`);
      return { filename: `${id}.onnx`, base64: readFileSync(model.file).toString('base64') };
    },
    async importModel({ name, base64 }) {
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length === 0) throw new UserError('the model file is empty', { file: name });
      const id = `import-${jobs.newId('train').slice(6)}`;
      const file = path.join(dirs.models, `${id}.onnx`);
      writeFileSync(file, bytes);
      // Loading it in onnxruntime is the check: a file it cannot score must not become a model.
      const { OnnxClassifier } = await import('../services/ml/onnx-model.js');
      let features: string[];
      try {
        const model = await OnnxClassifier.load(file);
        features = model.features.map((f) => f.name);
        await model.close(); // only its inputs were needed; a session left open would hold native memory
      } catch (error) {
        rmSync(file, { force: true });
        throw new UserError((error as Error).message.replace(file, name), { file: name });
      }
      store.insertModel({ id, createdAt: iso(), source: 'imported', params: null, metrics: { features, importedFrom: name }, file, bytes: bytes.length });
      return modelInfo(store.model(id)!);
    },
    async exportCsv({ id, kind }) {
      const job = requireJob(id);
      if (kind === 'profiles') {
        const lines = [formatCsvRow(['customerID', LABEL_COLUMN, ...PROBABILITY_COLUMNS, 'label_actual'])];
        for (const p of store.allProfiles(id)) lines.push(formatCsvRow([p.customerID, p.label, ...p.probabilities, p.actual ?? '']));
        return { filename: `${id}-profiles.csv`, text: lines.join('\n') + '\n' };
      }
      if (kind === 'metrics') {
        const points = store.points(id);
        const names = [...new Set(points.flatMap((p) => Object.keys(p.values)))];
        const lines = [formatCsvRow(['t_seconds', ...names])];
        for (const p of points) lines.push(formatCsvRow([p.t, ...names.map((n) => p.values[n] ?? '')]));
        return { filename: `${id}-metrics.csv`, text: lines.join('\n') + '\n' };
      }
      const rows = store.matrixRows(id);
      if (rows.length === 0) throw new UserError(`run "${job.id}" has no matrix results`);
      const keys = [...new Set(rows.flatMap((r) => Object.keys(r.overrides)))];
      const kpis = [...new Set(rows.flatMap((r) => Object.keys(r.kpis)))];
      const lines = [formatCsvRow(['combination', ...keys, ...kpis])];
      for (const r of rows) lines.push(formatCsvRow([r.id, ...keys.map((k) => String(r.overrides[k] ?? '')), ...kpis.map((k) => r.kpis[k] ?? '')]));
      return { filename: `${id}-matrix.csv`, text: lines.join('\n') + '\n' };
    },
  };

  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await jobs.stopAll();
      listeners.clear();
      store.close();
    },
  };
}

function registerDefaultModel(store: AppStore, now: string): void {
  if (store.model('default')) return;
  const file = path.join(REPO_ROOT, 'models/default.onnx');
  const metricsFile = path.join(REPO_ROOT, 'models/default.metrics.json');
  if (!existsSync(file) || !existsSync(metricsFile)) return;
  const metrics = JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, unknown>;
  store.insertModel({ id: 'default', createdAt: now, source: 'default', params: (metrics.params as Record<string, unknown>) ?? null, metrics, file, bytes: statSync(file).size });
}

interface MetricsFile {
  params?: { trees?: number; maxDepth?: number; learningRate?: number; seed?: number };
  test?: { accuracy: number; macroF1: number; confusion: number[][]; perClass: { class: number; precision: number; recall: number; f1: number; support: number }[] } | null;
  majorityBaseline?: { accuracy: number } | null;
  importance?: { feature: string; share: number }[];
}

export function modelInfo(m: ModelRow): ModelInfoDto {
  const metrics = (m.metrics ?? {}) as MetricsFile;
  const p = metrics.params;
  return {
    id: m.id,
    createdAt: m.createdAt,
    source: m.source,
    params: p ? { trees: p.trees, depth: p.maxDepth, learningRate: p.learningRate, seed: p.seed } : null,
    accuracy: metrics.test?.accuracy ?? null,
    macroF1: metrics.test?.macroF1 ?? null,
    baselineAccuracy: metrics.majorityBaseline?.accuracy ?? null,
    confusion: metrics.test?.confusion ?? null,
    perClass: (metrics.test?.perClass ?? []).map((c) => ({ class: c.class, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
    importance: (metrics.importance ?? []).map((f) => ({ feature: f.feature, share: f.share })),
    bytes: m.bytes,
  };
}

