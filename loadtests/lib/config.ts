// The environment contract shared by the k6 scripts (`-e NAME=…`) and `c360 load` (environment or flags).
// Guards: load never goes to a non-loopback address unless TARGET=azure and ALLOW_REMOTE=1, and an
// Azure run needs its key.

export type Target = 'local' | 'azure';

export interface LoadConfig {
  target: Target;
  baseUrl: string;
  hub: string;
  resourceUri: string;
  keyName: string;
  key: string;
  /** Batches (requests) per second. */
  rate: number;
  durationSec: number;
  batchSize: number;
  eventBytes: number;
  preVus: number;
  maxVus: number;
  sasTtlSec: number;
  summaryPath: string;
  /** Throughput units the prediction assumes. */
  tu: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const PRESETS: Record<Target, Partial<Record<string, string>>> = {
  local: { EH_BASE_URL: 'http://127.0.0.1:8080', EH_HUB: 'customer360', EH_KEY_NAME: 'RootManageSharedAccessKey', EH_KEY: 'SAS_KEY_VALUE' },
  azure: { EH_KEY_NAME: 'RootManageSharedAccessKey' },
};

/** Parses "2m", "30s", "1h30m" or a plain number of seconds. */
export function parseDuration(text: string, variable = 'DURATION'): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0) throw new ConfigError(variable, `not a duration like 30s, 2m or 1h (got "${text}")`);
  return total;
}

function positive(env: Record<string, string | undefined>, name: string, fallback: number, integer = true): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new ConfigError(name, `must be a positive ${integer ? 'integer' : 'number'} (got "${raw}")`);
  return n;
}

export function isLoopback(url: string): boolean {
  const match = /^https?:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(url);
  if (!match) return false;
  const host = match[1].toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function readEnv(env: Record<string, string | undefined>): LoadConfig {
  const targetText = env.TARGET ?? 'local';
  if (targetText !== 'local' && targetText !== 'azure') throw new ConfigError('TARGET', `must be local or azure (got "${targetText}")`);
  const target: Target = targetText;
  const get = (name: string): string | undefined => env[name] || PRESETS[target][name];
  const baseUrl = (get('EH_BASE_URL') ?? '').replace(/\/+$/, '');
  if (!baseUrl) throw new ConfigError('EH_BASE_URL', 'is required for TARGET=azure (https://<namespace>.servicebus.windows.net)');
  if (!/^https?:\/\//.test(baseUrl)) throw new ConfigError('EH_BASE_URL', `must be an http(s) URL (got "${baseUrl}")`);
  if (!isLoopback(baseUrl) && !(target === 'azure' && env.ALLOW_REMOTE === '1'))
    throw new ConfigError('EH_BASE_URL', `${baseUrl} is not a loopback address: set TARGET=azure and ALLOW_REMOTE=1 to send load there`);
  const hub = get('EH_HUB');
  if (!hub) throw new ConfigError('EH_HUB', 'is required');
  const key = get('EH_KEY');
  if (!key) throw new ConfigError('EH_KEY', 'is required for TARGET=azure');
  return {
    target,
    baseUrl,
    hub,
    resourceUri: env.EH_RESOURCE_URI || `${baseUrl}/${hub}`,
    keyName: get('EH_KEY_NAME') ?? 'RootManageSharedAccessKey',
    key,
    rate: positive(env, 'RATE', 50, false),
    durationSec: env.DURATION ? parseDuration(env.DURATION) : 120,
    batchSize: positive(env, 'BATCH_SIZE', 10),
    eventBytes: positive(env, 'EVENT_BYTES', 512),
    preVus: positive(env, 'PRE_VUS', 20),
    maxVus: positive(env, 'MAX_VUS', 200),
    sasTtlSec: positive(env, 'SAS_TTL_SEC', 3600),
    summaryPath: env.SUMMARY_PATH || 'results/summary.json',
    tu: positive(env, 'TU', 1, false),
  };
}
