// `c360 asa run`: runs a job over envelope files and writes DIR/<OutputAlias>.jsonl and DIR/diagnostics.json
// (DESIGN §3). Events of all inputs are replayed in arrival (enqueued time) order on a virtual clock.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SkipLog, UserError } from '../../core/errors.js';
import type { ObjectStore } from '../../ports/storage.js';
import { loadArmJob } from './io/arm-template.js';
import { readEnvelopeFile, readReferenceFile, type EnvelopeEvent } from './io/envelope.js';
import { defaultJobDefinition, type JobDefinition } from './job-config.js';
import type { CompatLevel } from './query/compile-expr.js';
import { StreamAnalyticsJob } from './runtime/job.js';
import { rowToJson } from './runtime/outputs.js';
import type { JobMetrics } from './runtime/metrics.js';
import { readFile } from 'node:fs/promises';

export interface RunFilesOptions {
  query?: string;
  job?: string;
  params?: Record<string, string>;
  inputs: Record<string, string>;
  refs?: Record<string, string>;
  out: string;
  compat?: CompatLevel;
  late?: number;
  outOfOrder?: number;
  policy?: 'adjust' | 'drop';
  castFailure?: 'stopJob' | 'nullAndCount';
  /** Output start time (CustomTime): rows stamped earlier are not written. */
  outputStart?: string;
  /** When given, Blob outputs of the job definition are written to this store as well. */
  store?: ObjectStore;
  onProgress?: (done: number, total: number) => void;
}

export interface RunFilesResult {
  jobState: string;
  failure?: { message: string; origin?: string };
  metrics: JobMetrics;
  outputs: Record<string, number>;
  skipped: SkipLog;
  files: string[];
}

export async function loadDefinition(
  opts: Pick<RunFilesOptions, 'query' | 'job' | 'params' | 'compat' | 'late' | 'outOfOrder' | 'policy' | 'castFailure' | 'outputStart'>,
): Promise<JobDefinition> {
  let def: JobDefinition;
  if (opts.job) def = await loadArmJob(opts.job, opts.params ?? {});
  else if (opts.query) {
    let text: string;
    try {
      text = await readFile(opts.query, 'utf8');
    } catch {
      throw new UserError('query file not found', { file: opts.query });
    }
    def = defaultJobDefinition(text, { queryFile: opts.query, name: path.basename(opts.query).replace(/\.[^.]*$/, '') });
  } else throw new UserError('give the query with --query FILE or a job template with --job FILE');
  if (opts.job && opts.query) {
    try {
      def.query = await readFile(opts.query, 'utf8');
      def.queryFile = opts.query;
    } catch {
      throw new UserError('query file not found', { file: opts.query });
    }
  }
  if (opts.compat) def.compatibilityLevel = opts.compat;
  if (opts.late !== undefined) def.eventsLateArrivalMaxDelayInSeconds = opts.late;
  if (opts.outOfOrder !== undefined) def.eventsOutOfOrderMaxDelayInSeconds = opts.outOfOrder;
  if (opts.policy) def.eventsOutOfOrderPolicy = opts.policy === 'drop' ? 'Drop' : 'Adjust';
  if (opts.castFailure) def.emulator.castFailure = opts.castFailure;
  if (opts.outputStart) {
    def.outputStartMode = 'CustomTime';
    def.outputStartTime = opts.outputStart;
  }
  return def;
}

export async function runFiles(opts: RunFilesOptions): Promise<RunFilesResult> {
  const def = await loadDefinition(opts);
  const declared = Object.keys(def.inputs);
  for (const name of Object.keys(opts.inputs)) {
    const known = declared.find((d) => d.toLowerCase() === name.toLowerCase());
    if (known) {
      if (def.inputs[known].kind !== 'stream') throw new UserError(`input '${known}' is reference data in the job; pass it with --ref`);
    } else if (opts.job) throw new UserError(`the job has no input '${name}' (inputs: ${declared.join(', ') || 'none'})`);
    else def.inputs[name] = { kind: 'stream' };
  }
  const referenceData: Record<string, Record<string, unknown>[]> = {};
  for (const [name, file] of Object.entries(opts.refs ?? {})) {
    const known = declared.find((d) => d.toLowerCase() === name.toLowerCase()) ?? name;
    if (opts.job && !declared.includes(known)) throw new UserError(`the job has no input '${name}' (inputs: ${declared.join(', ')})`);
    def.inputs[known] = { kind: 'reference' };
    referenceData[known] = await readReferenceFile(file);
  }
  if (!opts.store) for (const [alias, o] of Object.entries(def.outputs)) if (o.kind === 'blob') def.outputs[alias] = { kind: 'memory' };

  const job = new StreamAnalyticsJob(def, { store: opts.store, referenceData });
  const rows = new Map<string, Record<string, unknown>[]>();
  for (const alias of job.outputAliases) rows.set(alias, []);
  job.onOutput((alias, row) => {
    let list = rows.get(alias);
    if (!list) rows.set(alias, (list = []));
    list.push(rowToJson(row));
  });

  const skipped = new SkipLog();
  let events: EnvelopeEvent[] = [];
  for (const [name, file] of Object.entries(opts.inputs)) {
    const inputName = Object.keys(def.inputs).find((d) => d.toLowerCase() === name.toLowerCase())!;
    events = events.concat(await readEnvelopeFile(inputName, file, skipped, events.length));
  }
  // Arrival order = enqueued time; the file order breaks ties (stable).
  events.sort((a, b) => a.enqueuedTime - b.enqueuedTime || a.seq - b.seq);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    job.push(e.input, e);
    if (opts.onProgress && (i & 0xffff) === 0) opts.onProgress(i, events.length);
  }
  opts.onProgress?.(events.length, events.length);
  job.end();
  await job.drain();

  await mkdir(opts.out, { recursive: true });
  const files: string[] = [];
  const outputs: Record<string, number> = {};
  for (const [alias, list] of rows) {
    const file = path.join(opts.out, `${alias}.jsonl`);
    await writeFile(file, list.map((r) => JSON.stringify(r)).join('\n') + (list.length ? '\n' : ''));
    files.push(file);
    outputs[alias] = list.length;
  }
  const metrics = job.metrics();
  const diagnostics = {
    jobState: job.state,
    ...metrics,
    failure: job.failure,
    malformedEnvelopes: skipped.count,
    malformedEnvelopeExamples: skipped.examples,
    dataErrors: job.dataErrors,
    missingFields: [...job.missingFields],
    outputs,
    settings: {
      compatibilityLevel: def.compatibilityLevel,
      eventsOutOfOrderPolicy: def.eventsOutOfOrderPolicy,
      eventsOutOfOrderMaxDelayInSeconds: def.eventsOutOfOrderMaxDelayInSeconds,
      eventsLateArrivalMaxDelayInSeconds: def.eventsLateArrivalMaxDelayInSeconds,
      emulator: def.emulator,
    },
  };
  const diagFile = path.join(opts.out, 'diagnostics.json');
  await writeFile(diagFile, JSON.stringify(diagnostics, null, 2) + '\n');
  files.push(diagFile);
  return { jobState: job.state, failure: job.failure, metrics, outputs, skipped, files };
}
