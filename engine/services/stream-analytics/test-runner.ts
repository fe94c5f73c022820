// `c360 asa test`: runs test cases in the format of the official npm tool `azure-streamanalytics-cicd test`
// (testConfig.json → testResultSummary.json, spec §7), so a suite is portable between the two. Outputs are
// compared as multisets of objects (order-insensitive, as the official tool does since 2.2.4), after removing
// IgnoreFields.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { readLines } from '../../io/lines.js';
import { readReferenceFile } from './io/envelope.js';
import { defaultJobDefinition } from './job-config.js';
import { StreamAnalyticsJob, type InputEvent } from './runtime/job.js';
import { rowToJson } from './runtime/outputs.js';
import type { CompatLevel } from './query/compile-expr.js';

interface TestInput {
  InputAlias: string;
  Type?: string;
  Format?: string;
  FilePath: string;
  ScriptType?: string;
}
interface TestOutput {
  OutputAlias: string;
  FilePath: string;
  IgnoreFields?: string[];
  Required?: boolean;
}
interface TestCase {
  Name: string;
  Inputs: TestInput[];
  ExpectedOutputs: TestOutput[];
}
interface TestConfig {
  Script: string;
  TestCases: TestCase[];
}

export interface TestCaseResult {
  Name: string;
  /** 0 = passed, 1 = failed (the official tool's encoding). */
  Status: 0 | 1;
  Time: string;
  OutputMatched: string[];
  OutputNotEqual: string[];
  OutputMissing: string[];
  OutputUnexpected: string[];
  OutputUnrequired: string[];
}

export interface TestSummary {
  Total: number;
  Passed: number;
  Failed: number;
  Script: string;
  Results: TestCaseResult[];
  Time: string;
}

/** Input mock files hold event bodies (JSON array or lines); envelopes with enqueuedTime/partitionId are accepted too. */
async function readMockEvents(file: string, baseMs: number): Promise<InputEvent[]> {
  let items: unknown[];
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UserError('input file not found', { file });
  });
  if (text.trim().startsWith('[')) {
    try {
      items = JSON.parse(text);
    } catch (e) {
      throw new UserError(`not valid JSON: ${(e as Error).message}`, { file });
    }
  } else {
    items = [];
    for await (const { text: line, line: n } of readLines(file)) {
      if (line.trim() === '') continue;
      try {
        items.push(JSON.parse(line));
      } catch {
        throw new UserError('not a JSON object', { file, line: n });
      }
    }
  }
  return items.map((item, i) => {
    const o = item as Record<string, unknown>;
    if (o && typeof o === 'object' && 'body' in o && typeof o.enqueuedTime === 'string')
      return { partitionId: Number(o.partitionId ?? 0), enqueuedTime: Date.parse(o.enqueuedTime), body: o.body as Record<string, unknown>, origin: `${file}:${i + 1}` };
    // Bare bodies: arrival time from their EventEnqueuedUtcTime if present, else 1 ms apart from a fixed base.
    const enq = typeof o?.EventEnqueuedUtcTime === 'string' ? Date.parse(o.EventEnqueuedUtcTime) : NaN;
    return { partitionId: Number(o?.PartitionId ?? 0), enqueuedTime: Number.isNaN(enq) ? baseMs + i : enq, body: o as Record<string, unknown>, origin: `${file}:${i + 1}` };
  });
}

function canonicalRow(row: Record<string, unknown>, ignore: Set<string>): string {
  const keys = Object.keys(row).filter((k) => !ignore.has(k.toLowerCase())).sort();
  return JSON.stringify(keys.map((k) => [k.toLowerCase(), row[k]]));
}

function sameMultiset(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

export async function runTestConfig(configFile: string, options: { compat?: CompatLevel; clockMs?: () => number } = {}): Promise<TestSummary> {
  const dir = path.dirname(configFile);
  let config: TestConfig;
  try {
    config = JSON.parse(await readFile(configFile, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read test config: ${(e as Error).message}`, { file: configFile });
  }
  if (typeof config.Script !== 'string') throw new UserError('Script is missing', { file: configFile, field: 'Script' });
  if (!Array.isArray(config.TestCases)) throw new UserError('TestCases must be a list', { file: configFile, field: 'TestCases' });
  const scriptFile = path.resolve(dir, config.Script);
  const query = await readFile(scriptFile, 'utf8').catch(() => {
    throw new UserError('query script not found', { file: configFile, field: 'Script' });
  });
  const clock = options.clockMs ?? (() => 0);
  const results: TestCaseResult[] = [];
  const start = clock();
  for (const [ci, tc] of config.TestCases.entries()) {
    const t0 = clock();
    const field = `TestCases[${ci}]`;
    if (!Array.isArray(tc.Inputs) || !Array.isArray(tc.ExpectedOutputs)) throw new UserError('Inputs and ExpectedOutputs must be lists', { file: configFile, field });
    const inputs: Record<string, { kind: 'stream' } | { kind: 'reference' }> = {};
    const refData: Record<string, Record<string, unknown>[]> = {};
    const streams: { alias: string; events: InputEvent[] }[] = [];
    for (const inp of tc.Inputs) {
      const file = path.resolve(dir, inp.FilePath);
      if (/reference/i.test(inp.Type ?? '')) {
        inputs[inp.InputAlias] = { kind: 'reference' };
        refData[inp.InputAlias] = await readReferenceFile(file);
      } else {
        inputs[inp.InputAlias] = { kind: 'stream' };
        streams.push({ alias: inp.InputAlias, events: await readMockEvents(file, Date.parse('2000-01-01T00:00:00Z')) });
      }
    }
    const def = defaultJobDefinition(query, { queryFile: scriptFile, inputs, ...(options.compat ? { compatibilityLevel: options.compat } : {}) });
    const job = new StreamAnalyticsJob(def, { referenceData: refData });
    const actual = new Map<string, Record<string, unknown>[]>();
    for (const a of job.outputAliases) actual.set(a.toLowerCase(), []);
    job.onOutput((alias, row) => actual.get(alias.toLowerCase())!.push(rowToJson(row)));
    const all = streams.flatMap((s) => s.events.map((e, i) => ({ ...e, alias: s.alias, i })));
    all.sort((x, y) => x.enqueuedTime - y.enqueuedTime || x.i - y.i);
    for (const e of all) job.push(e.alias, e);
    job.end();

    const r: TestCaseResult = { Name: tc.Name, Status: 0, Time: '', OutputMatched: [], OutputNotEqual: [], OutputMissing: [], OutputUnexpected: [], OutputUnrequired: [] };
    const expectedAliases = new Set<string>();
    for (const exp of tc.ExpectedOutputs) {
      expectedAliases.add(exp.OutputAlias.toLowerCase());
      const required = exp.Required !== false;
      const got = actual.get(exp.OutputAlias.toLowerCase());
      if (!got) {
        if (required) r.OutputMissing.push(exp.OutputAlias);
        else r.OutputUnrequired.push(exp.OutputAlias);
        continue;
      }
      if (!required) {
        r.OutputUnrequired.push(exp.OutputAlias);
        continue;
      }
      const expectedRows = (await readMockEvents(path.resolve(dir, exp.FilePath), 0)).map((e) => e.body as Record<string, unknown>);
      const ignore = new Set((exp.IgnoreFields ?? []).map((f) => f.toLowerCase()));
      if (sameMultiset(got.map((x) => canonicalRow(x, ignore)), expectedRows.map((x) => canonicalRow(x, ignore)))) r.OutputMatched.push(exp.OutputAlias);
      else r.OutputNotEqual.push(exp.OutputAlias);
    }
    for (const a of job.outputAliases) if (!expectedAliases.has(a.toLowerCase())) r.OutputUnexpected.push(a);
    if (job.state === 'Failed' || r.OutputNotEqual.length || r.OutputMissing.length) r.Status = 1;
    r.Time = `${((clock() - t0) / 1000).toFixed(3)}s`;
    results.push(r);
  }
  const passed = results.filter((r) => r.Status === 0).length;
  return { Total: results.length, Passed: passed, Failed: results.length - passed, Script: config.Script, Results: results, Time: `${((clock() - start) / 1000).toFixed(3)}s` };
}

export async function writeSummary(outDir: string, summary: TestSummary): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'testResultSummary.json');
  await writeFile(file, JSON.stringify(summary, null, 2) + '\n');
  return file;
}
