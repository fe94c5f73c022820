// Reads a job definition from an ARM template (the Microsoft.StreamAnalytics/streamingjobs resource), so a
// deployed job's settings are read, not retyped. `[parameters('x')]` expressions are resolved from
// overrides, defaultValue, or a parameter's `metadata.queryFile` (the one query file shared with Azure).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../../core/errors.js';
import { DEFAULT_FLAGS, type BlobOutputDefinition, type InputDefinition, type JobDefinition, type OutputDefinition } from '../job-config.js';
import type { CompatLevel } from '../query/compile-expr.js';

// ARM JSON is schemaless here; fields are checked where they are read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const PARAM_RE = /^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$/i;

export async function loadArmJob(file: string, overrides: Record<string, string> = {}): Promise<JobDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError('job template not found', { file });
  }
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(`not valid JSON: ${(e as Error).message}`, { file });
  }
  const resource = findJobResource(doc.resources ?? []);
  if (!resource) throw new UserError('no Microsoft.StreamAnalytics/streamingjobs resource in the template', { file, field: 'resources' });
  const params: Json = doc.parameters ?? {};
  const dir = path.dirname(file);

  const resolve = async (value: unknown, field: string): Promise<unknown> => {
    if (typeof value !== 'string') return value;
    const m = PARAM_RE.exec(value);
    if (!m) {
      if (value.startsWith('[') && !value.startsWith('[[')) return undefined; // other ARM expressions: not evaluated
      return value;
    }
    const name = m[1];
    if (name in overrides) return overrides[name];
    const p = params[name];
    if (!p) throw new UserError(`parameter '${name}' is not declared`, { file, field });
    if (p.metadata?.queryFile) {
      const qf = path.resolve(dir, p.metadata.queryFile);
      try {
        return await readFile(qf, 'utf8');
      } catch {
        throw new UserError(`query file of parameter '${name}' not found: ${qf}`, { file, field });
      }
    }
    if ('defaultValue' in p) return p.defaultValue;
    throw new UserError(`parameter '${name}' has no value (pass it as --param ${name}=VALUE)`, { file, field });
  };

  const props: Json = resource.properties ?? {};
  const get = async (obj: Json, key: string, field: string) => resolve(obj?.[key], field);
  const queryParam = /\[\s*parameters\(\s*'([^']+)'/i.exec(String(props.transformation?.properties?.query ?? ''))?.[1];
  const query = await get(props.transformation?.properties ?? {}, 'query', 'properties.transformation.properties.query');
  if (typeof query !== 'string' || query.trim() === '')
    throw new UserError('the job has no query', { file, field: 'properties.transformation.properties.query' });
  const queryFile = queryParam && params[queryParam]?.metadata?.queryFile ? path.resolve(dir, params[queryParam].metadata.queryFile) : file;

  const compat = String((await get(props, 'compatibilityLevel', 'properties.compatibilityLevel')) ?? '1.0');
  if (!['1.0', '1.1', '1.2'].includes(compat))
    throw new UserError(`compatibilityLevel must be 1.0, 1.1 or 1.2 (got "${compat}")`, { file, field: 'properties.compatibilityLevel' });
  const policy = String((await get(props, 'eventsOutOfOrderPolicy', 'properties.eventsOutOfOrderPolicy')) ?? 'Adjust');
  if (!['Adjust', 'Drop'].includes(policy))
    throw new UserError(`eventsOutOfOrderPolicy must be Adjust or Drop (got "${policy}")`, { file, field: 'properties.eventsOutOfOrderPolicy' });
  const num = async (key: string, dflt: number, min: number, max: number) => {
    const v = (await get(props, key, `properties.${key}`)) ?? dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UserError(`${key} must be an integer in [${min}, ${max}] (got "${v}")`, { file, field: `properties.${key}` });
    return n;
  };
  const outputStart = async (): Promise<Pick<JobDefinition, 'outputStartMode' | 'outputStartTime'>> => {
    const mode = String((await get(props, 'outputStartMode', 'properties.outputStartMode')) ?? 'JobStartTime');
    if (!['JobStartTime', 'CustomTime', 'LastOutputEventTime'].includes(mode))
      throw new UserError(`outputStartMode must be JobStartTime, CustomTime or LastOutputEventTime (got "${mode}")`, { file, field: 'properties.outputStartMode' });
    const time = await get(props, 'outputStartTime', 'properties.outputStartTime');
    if (mode === 'CustomTime' && (typeof time !== 'string' || Number.isNaN(Date.parse(time))))
      throw new UserError('outputStartTime must be an ISO-8601 time with CustomTime', { file, field: 'properties.outputStartTime' });
    return { outputStartMode: mode as JobDefinition['outputStartMode'], ...(typeof time === 'string' ? { outputStartTime: time } : {}) };
  };
  const ooo = await num('eventsOutOfOrderMaxDelayInSeconds', 0, 0, 599);
  const late = await num('eventsLateArrivalMaxDelayInSeconds', 5, -1, 1814399);
  const skuName = String((await resolve(props.sku?.name ?? resource.sku?.name, 'properties.sku.name')) ?? 'Standard');
  const suRaw = Number((await resolve(props.transformation?.properties?.streamingUnits, 'transformation.streamingUnits')) ?? 1);
  const v2 = /v2/i.test(skuName);
  const partitionCounts = findEventHubPartitionCounts(doc.resources ?? []);

  const inputs: Record<string, InputDefinition> = {};
  for (const [i, inp] of (props.inputs ?? []).entries()) {
    const name = inp.name;
    const field = `properties.inputs[${i}]`;
    if (typeof name !== 'string') throw new UserError('input without a name', { file, field });
    const type = String(inp.properties?.type ?? 'Stream');
    if (type.toLowerCase() === 'reference') inputs[name] = { kind: 'reference' };
    else {
      const count = partitionCounts.size === 1 ? [...partitionCounts.values()][0] : undefined;
      inputs[name] = { kind: 'stream', ...(count ? { partitionIds: Array.from({ length: count }, (_, k) => k) } : {}) };
    }
  }
  const outputs: Record<string, OutputDefinition> = {};
  for (const [i, out] of (props.outputs ?? []).entries()) {
    const name = out.name;
    const field = `properties.outputs[${i}]`;
    if (typeof name !== 'string') throw new UserError('output without a name', { file, field });
    const ds = out.properties?.datasource ?? {};
    const ser = out.properties?.serialization ?? {};
    if (String(ds.type).toLowerCase() === 'microsoft.storage/blob') {
      const p = ds.properties ?? {};
      const blob: BlobOutputDefinition = {
        kind: 'blob',
        container: String((await resolve(p.container, `${field}.datasource.properties.container`)) ?? 'output'),
        pathPattern: String((await resolve(p.pathPattern, `${field}.pathPattern`)) ?? ''),
        dateFormat: String((await resolve(p.dateFormat, `${field}.dateFormat`)) ?? 'yyyy/MM/dd'),
        timeFormat: String((await resolve(p.timeFormat, `${field}.timeFormat`)) ?? 'HH'),
        format: String(ser.type).toLowerCase() === 'csv' ? 'Csv' : 'Json',
        delimiter: String(ser.properties?.fieldDelimiter ?? ','),
        minRows: Number(out.properties?.sizeWindow ?? 2000),
        maxWaitSeconds: parseTimeSpan(out.properties?.timeWindow) ?? 60,
      };
      outputs[name] = blob;
    } else outputs[name] = { kind: 'memory' };
  }
  return {
    name: String((await resolve(resource.name, 'name')) ?? 'job'),
    query,
    queryFile,
    compatibilityLevel: compat as CompatLevel,
    eventsOutOfOrderPolicy: policy as 'Adjust' | 'Drop',
    eventsOutOfOrderMaxDelayInSeconds: ooo,
    eventsLateArrivalMaxDelayInSeconds: late,
    outputErrorPolicy: String((await get(props, 'outputErrorPolicy', 'properties.outputErrorPolicy')) ?? 'Stop') === 'Drop' ? 'Drop' : 'Stop',
    dataLocale: String((await get(props, 'dataLocale', 'properties.dataLocale')) ?? 'en-US'),
    ...(await outputStart()),
    sku: v2 ? { model: 'V2', streamingUnits: suRaw / 10 } : { model: 'V1', streamingUnits: suRaw },
    inputs,
    outputs,
    emulator: { ...DEFAULT_FLAGS },
  };
}

function findJobResource(resources: Json[]): Json | undefined {
  for (const r of resources) {
    if (String(r.type).toLowerCase() === 'microsoft.streamanalytics/streamingjobs') return r;
    const nested = r.resources ? findJobResource(r.resources) : undefined;
    if (nested) return nested;
  }
  return undefined;
}

/** Event Hubs declared in the same template, with their partition counts (the job's input partitions). */
function findEventHubPartitionCounts(resources: Json[], out = new Map<string, number>()): Map<string, number> {
  for (const r of resources) {
    const type = String(r.type).toLowerCase();
    if ((type === 'eventhubs' || type.endsWith('/eventhubs')) && Number.isInteger(r.properties?.partitionCount))
      out.set(String(r.name), r.properties.partitionCount);
    if (r.resources) findEventHubPartitionCounts(r.resources, out);
  }
  return out;
}

function parseTimeSpan(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(v);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}
