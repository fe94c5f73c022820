// The scenario file's schema: one typed description of a twin run, validated once at the edge.
// Every field has a default that reproduces the original Customer 360 deployment (DESIGN §1), so a
// scenario only states what it changes. Unknown keys are errors (strict objects): a typo must never
// silently fall back to a default. scenarios/scenario.schema.json is generated from this file
// (`c360 scenario schema`), which gives editors completion and hover help.
import { z } from 'zod';
import {
  EVENT_HUBS_TIERS,
  EVENT_HUBS_TIER_LIMITS,
  allowedStreamingUnitsText,
  describeAllowed,
  isOfferedStreamingUnits,
} from './azure-limits.js';

const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/, 'expected a UTC time such as 2017-03-08T06:00:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid date');

const clockSchema = z
  .strictObject({
    mode: z
      .enum(['virtual', 'paced'])
      .default('virtual')
      .describe('virtual: discrete-event time, as fast as the CPU allows; paced: live, `speed` times real time, front doors open'),
    speed: z
      .number()
      .positive()
      .max(10_000)
      .optional()
      .describe('paced mode only: scenario seconds per real second (default 1)'),
  })
  .superRefine((clock, ctx) => {
    if (clock.mode !== 'paced' && clock.speed !== undefined)
      ctx.addIssue({ code: 'custom', path: ['speed'], message: 'speed applies only to mode: paced' });
  });

const generatorSchema = z.strictObject({
  customers: z
    .number()
    .int()
    .min(6)
    .max(10_000_000)
    .multipleOf(6)
    .default(6000)
    .describe('customers, split into 6 equal behaviour groups as in the original (6 × 1,000)'),
  sessions: z.number().int().min(1).max(1000).default(4).describe('generator sessions; each re-sends a fresh history with a new seed'),
  sessionEveryMinutes: z
    .number()
    .positive()
    .optional()
    .describe('minutes between session starts (default: the slice width, one session per slice as in the original)'),
  historyDays: z.number().int().min(1).max(3650).default(67).describe('days of browsing history per session (67 in the original)'),
  historyStart: isoInstant.default('2017-01-01T06:00:00Z').describe('first simulated browsing day'),
  sampleFraction: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe('fraction of (customer, day) rows sent (0.5 in the original ⇒ ~201k messages per session)'),
});

const senderSchema = z.strictObject({
  protocol: z.enum(['rest', 'amqp']).default('rest').describe('rest: the REST batch API the original generator used; amqp: the SDK path'),
  batchSize: z.number().int().min(1).max(100_000).default(1675).describe('messages per send request'),
  intervalSeconds: z.number().min(0).max(3600).default(5).describe('pause after each batch'),
  retryPolicy: z
    .enum(['none', 'sdk-default'])
    .default('none')
    .describe('none: a throttled batch is lost (the original generator); sdk-default: exponential retries as the Azure SDKs do'),
  connections: z.number().int().min(1).max(64).default(1).describe('parallel senders per session'),
});

const eventHubsSchema = z
  .strictObject({
    tier: z.enum(EVENT_HUBS_TIERS as [string, ...string[]]).default('standard'),
    throughputUnits: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('capacity units: TUs (basic/standard 1–40), PUs (premium 1, 2, 4, 8, 16) or CUs (dedicated 1–20)'),
    partitions: z.number().int().min(1).default(2).describe('partitions of the hub (basic/standard ≤ 32, premium ≤ 100, dedicated ≤ 1024)'),
    retentionHours: z.number().int().min(1).default(24).describe('message retention (basic ≤ 24 h, standard ≤ 168 h, premium/dedicated ≤ 2160 h)'),
    hubName: z.string().min(1).max(256).default('customer360'),
    consumerGroup: z.string().min(1).max(50).default('$Default'),
  })
  .superRefine((eh, ctx) => {
    const limits = EVENT_HUBS_TIER_LIMITS[eh.tier as keyof typeof EVENT_HUBS_TIER_LIMITS];
    if (!limits.units.includes(eh.throughputUnits))
      ctx.addIssue({
        code: 'custom',
        path: ['throughputUnits'],
        message: `${eh.tier} tier offers ${limits.unitName} counts ${describeAllowed(limits.units)} (got ${eh.throughputUnits})`,
      });
    if (eh.partitions > limits.maxPartitions)
      ctx.addIssue({
        code: 'custom',
        path: ['partitions'],
        message: `${eh.tier} tier allows 1–${limits.maxPartitions} partitions per hub (got ${eh.partitions})`,
      });
    if (eh.retentionHours > limits.maxRetentionHours)
      ctx.addIssue({
        code: 'custom',
        path: ['retentionHours'],
        message: `${eh.tier} tier retains at most ${limits.maxRetentionHours} hours (got ${eh.retentionHours})`,
      });
  });

const streamingUnitsSchema = z
  .union([z.number().positive(), z.enum(['1/3', '2/3'])], { error: 'expected a number or one of "1/3", "2/3"' })
  .default(1)
  .describe('V1: 1, 3, 6, 12, 18, … (multiples of 6); V2: 1/3, 2/3, 1, 2, 3, …');

const streamAnalyticsSchema = z
  .strictObject({
    suModel: z.enum(['v1', 'v2']).default('v1').describe('v1: the 2017 deployment (1, 3, 6, 12 …); v2: today\'s SU V2 (1/3, 2/3, 1, 2 …)'),
    streamingUnits: streamingUnitsSchema,
    allowUnofferedStreamingUnits: z
      .boolean()
      .default(false)
      .describe('accept an SU count Azure does not sell, for replaying a measurement such as the guide\'s "2 SU" row'),
    compatibilityLevel: z
      .union([z.enum(['1.0', '1.1', '1.2']), z.literal([1, 1.1, 1.2])], { error: 'allowed values: "1.0", "1.1", "1.2"' })
      .default('1.0'),
    outOfOrderPolicy: z.enum(['adjust', 'drop']).default('adjust'),
    outOfOrderMaxDelaySeconds: z.number().int().min(0).max(599).default(0).describe('0 s – 9 min 59 s'),
    lateArrivalMaxDelaySeconds: z
      .number()
      .int()
      .min(0)
      .max(20 * 86400 + 86399)
      .default(5)
      .describe('0 s – 20 days 23:59:59'),
    outputErrorPolicy: z.enum(['stop', 'drop']).default('stop').describe('stop = the portal\'s "Retry": blocks until the output works'),
    query: z.string().min(1).default('infra-templates/asa/customer360.asaql').describe('the job query file (relative to the repository root or the scenario file)'),
  })
  .superRefine((sa, ctx) => {
    const su = sa.streamingUnits;
    if (typeof su === 'string' && sa.suModel === 'v1') {
      ctx.addIssue({
        code: 'custom',
        path: ['streamingUnits'],
        message: `fractional SU "${su}" exists only with suModel: v2; V1 allows ${allowedStreamingUnitsText('v1')}`,
      });
      return;
    }
    if (typeof su === 'number' && sa.allowUnofferedStreamingUnits) return;
    if (!isOfferedStreamingUnits(sa.suModel, su))
      ctx.addIssue({
        code: 'custom',
        path: ['streamingUnits'],
        message:
          `Azure does not offer ${su} SU ${sa.suModel.toUpperCase()}; allowed values: ${allowedStreamingUnitsText(sa.suModel)}` +
          ' (set allowUnofferedStreamingUnits: true to replay a measurement taken at another value)',
      });
  });

const etlClusterSchema = z.strictObject({
  workerNodes: z.number().int().min(1).max(500).default(4).describe('HDInsight Spark worker nodes running the ETL'),
  headNodes: z.number().int().min(0).max(2).default(2).describe('head nodes (billed, not used for compute)'),
  nodeSize: z.string().min(1).default('D12v2').describe('VM size; must have a node-hour price in the pricing file'),
  fixedSeconds: z.number().min(0).optional().describe('override: per-run overhead of the ETL activity (seconds)'),
  serialSecondsPerMillionRows: z.number().min(0).optional().describe('override: work that does not parallelise (seconds per million browsing rows)'),
  parallelSecondsPerMillionRows: z.number().min(0).optional().describe('override: work that splits across workers (node-seconds per million browsing rows)'),
});

const dataFactorySchema = z.strictObject({
  sliceMinutes: z.number().int().min(1).max(1440).default(15).describe('slice width; also each slice\'s deadline'),
  retry: z.number().int().min(0).max(10).default(1).describe('retries of a failed activity'),
  retryIntervalSeconds: z.number().min(0).max(86_400).default(30).describe('wait before a retry (ADF v2 policy default: 30 s)'),
  activityTimeoutMinutes: z.number().positive().max(7 * 1440).optional().describe('an activity run longer than this fails as timed out (default: none)'),
  concurrency: z.number().int().min(1).max(10).default(1).describe('slices processed at the same time'),
  etlCluster: etlClusterSchema.prefault({}),
  scoringFixedSeconds: z.number().min(0).optional().describe('override: per-run overhead of the scoring activity (seconds)'),
});

const scoringSchema = z.strictObject({
  model: z.string().min(1).default('train').describe('"train": train the GBM on the original data before the run; else an ONNX model path'),
  seedCompat: z.boolean().default(false).describe('use the original ETL\'s window filters and leaky label (DESIGN §4.5)'),
  trees: z.number().int().min(1).max(5000).default(50),
  depth: z.number().int().min(1).max(16).default(5),
  learningRate: z.number().gt(0).max(1).default(0.1),
});

const costSchema = z.strictObject({
  pricing: z.string().min(1).optional().describe('pricing file (default: the shipped engine/cost/pricing.json)'),
  overrides: z.record(z.string(), z.number().min(0)).default({}).describe('price id → value, e.g. eventHubs.standard.throughputUnitHour: 0.03'),
});

const referenceSchema = z.strictObject({
  table: z.string().min(1).describe('CSV of measured values (e.g. reference/guide-scaling-table.csv)'),
  row: z.number().int().min(1).describe('1-based data row this run is compared with'),
});

/** A scalar or object a matrix axis can take. */
const matrixValue = z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.unknown())]);

export const matrixSchema = z
  .object({
    include: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('extra combinations, each a map of dotted key → value applied to the base scenario'),
    exclude: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('partial combinations to drop from the cartesian product'),
  })
  .catchall(z.array(matrixValue).min(1))
  .describe('dotted key (e.g. eventHubs.throughputUnits) → list of values; the run sweeps their cartesian product');

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-"').describe('short id, used in output folder names'),
    description: z.string().optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).describe('one seed drives every random draw: same seed, same run'),
    target: z.enum(['local', 'azure']).default('local').describe('local: in-process emulators; azure: real resources via the Azure SDKs'),
    clock: clockSchema.prefault({}),
    start: isoInstant.default('2017-03-08T06:00:00Z').describe('scenario time at which the run starts'),
    durationMinutes: z.number().positive().max(525_600).optional().describe('run length (default: sessions × session spacing)'),
    generator: generatorSchema.prefault({}),
    sender: senderSchema.prefault({}),
    eventHubs: eventHubsSchema.prefault({}),
    streamAnalytics: streamAnalyticsSchema.prefault({}),
    dataFactory: dataFactorySchema.prefault({}),
    scoring: scoringSchema.prefault({}),
    cost: costSchema.prefault({}),
    reference: referenceSchema.optional().describe('measured values this run is calibrated against'),
    matrix: matrixSchema.optional(),
  })
  .describe('A c360-twin scenario: one run (or, with matrix, a sweep) of the Customer 360 pipeline');

/** The scenario as parsed, before normalisation (compatibility level may still be a YAML number). */
export type ParsedScenario = z.output<typeof scenarioSchema>;

/** A validated scenario with every default filled in. */
export type Scenario = Omit<ParsedScenario, 'streamAnalytics' | 'clock' | 'matrix' | 'eventHubs'> & {
  clock: { mode: 'virtual' | 'paced'; speed: number };
  eventHubs: Omit<ParsedScenario['eventHubs'], 'tier'> & { tier: 'basic' | 'standard' | 'premium' | 'dedicated' };
  streamAnalytics: Omit<ParsedScenario['streamAnalytics'], 'compatibilityLevel'> & { compatibilityLevel: '1.0' | '1.1' | '1.2' };
  generator: ParsedScenario['generator'] & { sessionEveryMinutes: number };
  durationMinutes: number;
};

/** Fills cross-field defaults and canonical spellings (e.g. compatibility level 1 → "1.0"). */
export function normalizeScenario(parsed: ParsedScenario): Scenario {
  const { matrix: _matrix, ...rest } = parsed;
  const cl = parsed.streamAnalytics.compatibilityLevel;
  const sessionEveryMinutes = parsed.generator.sessionEveryMinutes ?? parsed.dataFactory.sliceMinutes;
  return {
    ...rest,
    clock: { mode: parsed.clock.mode, speed: parsed.clock.speed ?? 1 },
    eventHubs: { ...parsed.eventHubs, tier: parsed.eventHubs.tier as Scenario['eventHubs']['tier'] },
    streamAnalytics: {
      ...parsed.streamAnalytics,
      compatibilityLevel: (typeof cl === 'number' ? cl.toFixed(1) : cl) as '1.0' | '1.1' | '1.2',
    },
    generator: { ...parsed.generator, sessionEveryMinutes },
    durationMinutes: parsed.durationMinutes ?? parsed.generator.sessions * sessionEveryMinutes,
  };
}

/** The JSON Schema editors use (written to scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://c360-twin.local/scenario.schema.json', title: 'c360-twin scenario' };
}

/** The exact text of scenarios/scenario.schema.json (a test keeps the committed file equal to it). */
export function scenarioJsonSchemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
}
