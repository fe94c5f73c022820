// The emulator's namespace configuration. Two file shapes are accepted: our own (hubs, policies,
// throughput units, tier) and Microsoft's Event Hubs emulator Config.json (UserConfig.NamespaceConfig),
// so a config written for that emulator works unchanged. Errors name the file and the field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import YAML from 'yaml';
import { UserError } from '../../../core/errors.js';
import type { AccessPolicy } from './sas.js';

export type Tier = 'basic' | 'standard' | 'premium' | 'dedicated';

export interface HubConfig {
  name: string;
  partitionCount: number;
  /** Consumer groups besides `$Default` (which always exists). */
  consumerGroups: string[];
  retentionMs: number;
}

export interface NamespaceConfig {
  name: string;
  hubs: HubConfig[];
  policies: AccessPolicy[];
  /** Without a TU setting there is no throttling, as in Microsoft's emulator. */
  throughputUnits?: number;
  tier: Tier;
  /** 'validate' checks SAS signatures; 'accept-any' lets any token through (for clients that cannot sign). */
  auth: 'validate' | 'accept-any';
}

export const DEVELOPMENT_POLICY: AccessPolicy = { name: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' };
export const DAY_MS = 86_400_000;

export function defaultNamespaceConfig(): NamespaceConfig {
  return {
    name: 'emulatorNs1',
    hubs: [{ name: 'customer360', partitionCount: 2, consumerGroups: [], retentionMs: DAY_MS }],
    policies: [DEVELOPMENT_POLICY],
    tier: 'standard',
    auth: 'validate',
  };
}

export function maxMessageBytes(tier: Tier): number {
  return tier === 'basic' ? 256 * 1024 : 1024 * 1024;
}

const entityName = z.string().min(1).max(256).regex(/^[A-Za-z0-9][\w.\-/]*$/, 'letters, digits, . - _ / only');
const groupName = z.string().min(1).max(50);

const ownShape = z.strictObject({
  namespace: z.string().min(1).optional(),
  throughputUnits: z.number().int().min(1).max(40).optional(),
  tier: z.enum(['basic', 'standard', 'premium', 'dedicated']).optional(),
  auth: z.enum(['validate', 'accept-any']).optional(),
  hubs: z
    .array(
      z.strictObject({
        name: entityName,
        partitions: z.number().int().min(1).max(1024).optional(),
        consumerGroups: z.array(groupName).optional(),
        retentionHours: z.number().positive().optional(),
      }),
    )
    .min(1),
  policies: z.array(z.strictObject({ name: z.string().min(1), key: z.string().min(1) })).optional(),
});

// Microsoft's emulator schema (Schema/Config-schema.json): PartitionCount may be a string or a number.
const microsoftShape = z.object({
  UserConfig: z.object({
    NamespaceConfig: z
      .array(
        z.object({
          Type: z.literal('EventHub').optional(),
          Name: z.string().min(1),
          Entities: z
            .array(
              z.object({
                Name: entityName,
                PartitionCount: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number).pipe(z.number().int().min(1).max(1024)),
                ConsumerGroups: z.array(z.object({ Name: groupName })).optional(),
              }),
            )
            .min(1),
        }),
      )
      .length(1, 'exactly one namespace'),
    LoggingConfig: z.unknown().optional(),
  }),
});

function zodError(file: string, error: z.ZodError): UserError {
  const issue = error.issues[0];
  return new UserError(issue.message, { file, field: issue.path.join('.') || undefined });
}

/** Parses a config object (already read from `file`, which only labels errors). */
export function parseNamespaceConfig(raw: unknown, file: string): NamespaceConfig {
  const base = defaultNamespaceConfig();
  if (raw && typeof raw === 'object' && 'UserConfig' in raw) {
    const parsed = microsoftShape.safeParse(raw);
    if (!parsed.success) throw zodError(file, parsed.error);
    const ns = parsed.data.UserConfig.NamespaceConfig[0];
    return {
      ...base,
      name: ns.Name,
      hubs: ns.Entities.map((e) => ({
        name: e.Name,
        partitionCount: e.PartitionCount,
        consumerGroups: (e.ConsumerGroups ?? []).map((g) => g.Name),
        // Microsoft's emulator keeps events for one hour
        retentionMs: 3_600_000,
      })),
    };
  }
  const parsed = ownShape.safeParse(raw);
  if (!parsed.success) throw zodError(file, parsed.error);
  const c = parsed.data;
  const names = new Set<string>();
  for (const [i, h] of c.hubs.entries()) {
    if (names.has(h.name.toLowerCase())) throw new UserError(`duplicate hub name '${h.name}'`, { file, field: `hubs.${i}.name` });
    names.add(h.name.toLowerCase());
  }
  return {
    name: c.namespace ?? base.name,
    hubs: c.hubs.map((h) => ({
      name: h.name,
      partitionCount: h.partitions ?? 2,
      consumerGroups: h.consumerGroups ?? [],
      retentionMs: (h.retentionHours ?? 24) * 3_600_000,
    })),
    policies: c.policies ?? base.policies,
    throughputUnits: c.throughputUnits,
    tier: c.tier ?? base.tier,
    auth: c.auth ?? base.auth,
  };
}

export function loadNamespaceConfig(file: string): NamespaceConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read config: ${(e as Error).message}`, { file });
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    const err = e as Error & { linePos?: { line: number; col: number }[] };
    const pos = err.linePos?.[0];
    throw new UserError(`not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${err.message.split('\n')[0]}`, { file, line: pos?.line, column: pos?.col });
  }
  return parseNamespaceConfig(raw, file);
}
