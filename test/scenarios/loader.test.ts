import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse as parseYaml } from 'yaml';
import {
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  scenarioJsonSchemaText,
  v1EquivalentStreamingUnits,
  isOfferedStreamingUnits,
} from '../../engine/scenarios/index.js';
import { repoRoot } from '../helpers/cli.js';

const scenariosDir = path.join(repoRoot, 'scenarios');
const shipped = readdirSync(scenariosDir).filter((f) => f.endsWith('.yaml'));

/** Parses text expected to fail and returns the ScenarioError. */
function problemsOf(text: string): ScenarioError {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('shipped scenarios', () => {
  it('are all present', () => {
    expect(shipped.sort()).toEqual(
      ['batch-size-sweep.yaml', 'seed-demo.yaml', 'seed-scaling-table.yaml', 'slice-width-sweep.yaml', 'stress.yaml', 'tu-su-matrix.yaml'].sort(),
    );
  });

  it.each(shipped)('%s validates and points editors at the JSON Schema', (file) => {
    const text = readFileSync(path.join(scenariosDir, file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./scenario.schema.json');
    const loaded = loadScenarioFile(path.join(scenariosDir, file));
    expect(loaded.runs.length).toBeGreaterThan(0);
    expect(new Set(loaded.runs.map((r) => r.id)).size).toBe(loaded.runs.length);
  });

  it('seed-demo is the original deployment', () => {
    const { base, runs } = loadScenarioFile(path.join(scenariosDir, 'seed-demo.yaml'));
    expect(runs).toHaveLength(1);
    expect(base.generator).toMatchObject({ customers: 6000, sessions: 4, historyDays: 67, sampleFraction: 0.5 });
    expect(base.sender).toMatchObject({ protocol: 'rest', batchSize: 1675, intervalSeconds: 5, retryPolicy: 'none' });
    expect(base.eventHubs).toMatchObject({ tier: 'standard', throughputUnits: 1, partitions: 2 });
    expect(base.streamAnalytics).toMatchObject({ suModel: 'v1', streamingUnits: 1, compatibilityLevel: '1.0', outOfOrderPolicy: 'adjust', lateArrivalMaxDelaySeconds: 5 });
    expect(base.dataFactory).toMatchObject({ sliceMinutes: 15, retry: 1, concurrency: 1 });
    expect(base.clock).toEqual({ mode: 'virtual', speed: 1 });
    expect(base.durationMinutes).toBe(60);
  });

  it('seed-scaling-table has the guide\'s four rows, each tied to its measured row', () => {
    const { runs } = loadScenarioFile(path.join(scenariosDir, 'seed-scaling-table.yaml'));
    expect(runs.map((r) => [r.scenario.eventHubs.throughputUnits, r.scenario.streamAnalytics.streamingUnits, r.scenario.reference?.row])).toEqual([
      [1, 1, 1],
      [1, 1, 2],
      [2, 1, 3],
      [2, 2, 4],
    ]);
    const table = readFileSync(path.join(scenariosDir, 'reference/guide-scaling-table.csv'), 'utf8').trim().split('\n');
    expect(table[0]).toBe('row,tu,su,measured_batched,measured_reached_asa,note');
    expect(table.slice(1).map((l) => l.split(',').slice(1, 5).map(Number))).toEqual([
      [1, 1, 44600, 44600],
      [1, 1, 58000, 58000],
      [2, 1, 143000, 128000],
      [2, 2, 150000, 150000],
    ]);
    for (const run of runs) {
      const file = path.join(scenariosDir, run.scenario.reference!.table);
      expect(readFileSync(file, 'utf8')).toContain(`\n${run.scenario.reference!.row},`);
    }
  });

  it('tu-su-matrix sweeps TU 1, 2, 4, 8 × SU 1, 3, 6', () => {
    const { runs } = loadScenarioFile(path.join(scenariosDir, 'tu-su-matrix.yaml'));
    const pairs = runs.map((r) => `${r.scenario.eventHubs.throughputUnits}x${r.scenario.streamAnalytics.streamingUnits}`);
    expect(pairs).toEqual(['1x1', '1x3', '1x6', '2x1', '2x3', '2x6', '4x1', '4x3', '4x6', '8x1', '8x3', '8x6']);
  });

  it('slice-width-sweep and stress have the issue\'s values', () => {
    const slices = loadScenarioFile(path.join(scenariosDir, 'slice-width-sweep.yaml'));
    expect(slices.runs.map((r) => r.scenario.dataFactory.sliceMinutes)).toEqual([5, 15, 30, 60]);
    expect(slices.runs.every((r) => r.scenario.durationMinutes === 60 && r.scenario.generator.sessionEveryMinutes === 15)).toBe(true);
    const stress = loadScenarioFile(path.join(scenariosDir, 'stress.yaml'));
    expect(stress.base.generator.customers).toBe(60000);
  });
});

describe('JSON Schema', () => {
  it('scenarios/scenario.schema.json is up to date (regenerate: c360 scenario schema --write)', () => {
    expect(readFileSync(path.join(scenariosDir, 'scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('an independent validator (ajv, draft-07) accepts the shipped scenarios and rejects bad ones', () => {
    // ajv 6 comes with ESLint; it checks the generated schema the way editors read it.
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: { dataPath: string }[] } };
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(scenarioJsonSchemaText()));
    for (const file of shipped) expect(validate(parseYaml(readFileSync(path.join(scenariosDir, file), 'utf8')))).toBe(true);
    expect(validate({ name: 'x', eventHubs: { throughputUnit: 2 } })).toBe(false);
    expect(validate({ name: 'x', sender: { retryPolicy: 'always' } })).toBe(false);
    expect(validate({ name: 'x', streamAnalytics: { streamingUnits: '1/2' } })).toBe(false);
  });
});

describe('invalid scenarios are rejected with file:line, the key and the allowed values', () => {
  it('unknown key', () => {
    const e = problemsOf('name: x\neventHubs:\n  tier: standard\n  throughputUnit: 2\n');
    expect(e.location).toMatchObject({ file: 'bad.yaml', line: 4, column: 3, field: 'eventHubs.throughputUnit' });
    expect(e.message).toMatch(/^bad\.yaml:4:3 \(eventHubs\.throughputUnit\): unknown key "throughputUnit" in eventHubs; allowed keys: tier, throughputUnits, partitions/);
  });

  it('unknown top-level key', () => {
    const e = problemsOf('name: x\nsenders:\n  batchSize: 10\n');
    expect(e.message).toMatch(/^bad\.yaml:2:1 \(senders\): unknown key "senders"; allowed keys: name, description, seed, target, clock/);
  });

  it('wrong type', () => {
    const e = problemsOf('name: x\nsender:\n  batchSize: lots\n');
    expect(e.message).toBe('bad.yaml:3:14 (sender.batchSize): expected a number, got string "lots"');
    expect(problemsOf('name: x\nmatrix:\n').message).toBe('bad.yaml:2:8 (matrix): expected a mapping, got null');
  });

  it('value outside an enum lists the allowed values', () => {
    const e = problemsOf('name: x\nsender:\n  retryPolicy: always\n');
    expect(e.message).toBe('bad.yaml:3:16 (sender.retryPolicy): string "always" is not allowed; allowed values: none, sdk-default');
  });

  it('an SU count Azure does not offer', () => {
    const e = problemsOf('name: x\nstreamAnalytics:\n  streamingUnits: 4\n');
    expect(e.location).toMatchObject({ line: 3, field: 'streamAnalytics.streamingUnits' });
    expect(e.message).toContain('Azure does not offer 4 SU V1; allowed values: 1, 3, 6, 12, 18, 24');
  });

  it('fractional SUs need SU V2; V2 accepts 1/3 and 2/3 but not 7/3', () => {
    expect(problemsOf('name: x\nstreamAnalytics:\n  streamingUnits: 2/3\n').message).toContain('exists only with suModel: v2');
    const ok = parseScenario('name: x\nstreamAnalytics:\n  suModel: v2\n  streamingUnits: 2/3\n', 'ok.yaml');
    expect(ok.base.streamAnalytics.streamingUnits).toBe('2/3');
    expect(problemsOf('name: x\nstreamAnalytics:\n  suModel: v2\n  streamingUnits: 7/3\n').message).toContain('1/3');
    expect(problemsOf('name: x\nstreamAnalytics:\n  suModel: v2\n  streamingUnits: 2.5\n').message).toContain('allowed values: 1/3, 2/3, 1, 2, 3');
  });

  it('allowUnofferedStreamingUnits admits a measured SU value', () => {
    const ok = parseScenario('name: x\nstreamAnalytics:\n  streamingUnits: 2\n  allowUnofferedStreamingUnits: true\n', 'ok.yaml');
    expect(ok.base.streamAnalytics.streamingUnits).toBe(2);
  });

  it('TU, partitions and retention are checked per tier', () => {
    expect(problemsOf('name: x\neventHubs:\n  tier: standard\n  throughputUnits: 41\n').message).toContain('standard tier offers TU counts 1–40 (got 41)');
    expect(problemsOf('name: x\neventHubs:\n  tier: premium\n  throughputUnits: 3\n').message).toContain('premium tier offers PU counts 1, 2, 4, 8, 16 (got 3)');
    expect(problemsOf('name: x\neventHubs:\n  tier: basic\n  retentionHours: 48\n').message).toContain('basic tier retains at most 24 hours');
    expect(problemsOf('name: x\neventHubs:\n  partitions: 33\n').message).toContain('standard tier allows 1–32 partitions');
    expect(parseScenario('name: x\neventHubs:\n  tier: dedicated\n  throughputUnits: 3\n  partitions: 100\n', 'ok.yaml').base.eventHubs.partitions).toBe(100);
  });

  it('every problem is reported, in file order', () => {
    const e = problemsOf('name: x\nsender:\n  batchSize: 0\n  retryPolicy: maybe\neventHubs:\n  colour: blue\n');
    expect(e.problems.map((p) => p.location.line)).toEqual([3, 4, 6]);
    expect(e.message.split('\n')).toHaveLength(3);
    expect(e.problems[0].message).toBe('must be ≥ 1 (got 0)');
  });

  it('a missing required key and a non-mapping document', () => {
    expect(problemsOf('seed: 3\n').message).toMatch(/\(name\): required key is missing/);
    expect(problemsOf('- just\n- a list\n').message).toContain('must be a YAML mapping');
  });

  it('YAML syntax errors and duplicate keys carry a line', () => {
    expect(problemsOf('name: x\nname: y\n').message).toMatch(/^bad\.yaml:2:1: YAML syntax: Map keys must be unique/);
    expect(problemsOf('name: x\nsender: [1, 2\n').location.line).toBeGreaterThanOrEqual(2);
    expect(problemsOf('name: x\n---\nname: y\n').message).toBe('bad.yaml:2:1: a scenario file holds one YAML document; remove the second one (after "---")');
  });

  it('clock.speed only with paced mode; compatibility level accepts 1.0 written as a number', () => {
    expect(problemsOf('name: x\nclock:\n  speed: 10\n').message).toContain('(clock.speed): speed applies only to mode: paced');
    const paced = parseScenario('name: x\nclock:\n  mode: paced\n  speed: 60\nstreamAnalytics:\n  compatibilityLevel: 1.0\n', 'ok.yaml');
    expect(paced.base.clock).toEqual({ mode: 'paced', speed: 60 });
    expect(paced.base.streamAnalytics.compatibilityLevel).toBe('1.0');
    expect(problemsOf('name: x\nstreamAnalytics:\n  compatibilityLevel: 1.3\n').message).toContain('allowed values: "1.0", "1.1", "1.2"');
  });
});

describe('matrix', () => {
  it('expands the cartesian product in file order, last key fastest', () => {
    const { runs, isMatrix } = parseScenario(
      'name: x\nmatrix:\n  eventHubs.throughputUnits: [1, 2]\n  sender.batchSize: [100, 200, 300]\n',
      'm.yaml',
    );
    expect(isMatrix).toBe(true);
    expect(runs.map((r) => [r.scenario.eventHubs.throughputUnits, r.scenario.sender.batchSize])).toEqual([
      [1, 100], [1, 200], [1, 300], [2, 100], [2, 200], [2, 300],
    ]);
    expect(runs[4].id).toBe('throughputUnits-2_batchSize-200');
    expect(runs[4].overrides).toEqual({ 'eventHubs.throughputUnits': 2, 'sender.batchSize': 200 });
    // Keys not in the matrix keep the base value.
    expect(runs.every((r) => r.scenario.eventHubs.partitions === 2)).toBe(true);
  });

  it('exclude drops combinations and include adds explicit ones', () => {
    const { runs } = parseScenario(
      [
        'name: x',
        'matrix:',
        '  eventHubs.throughputUnits: [1, 2]',
        '  streamAnalytics.streamingUnits: [1, 3]',
        '  exclude:',
        '    - { eventHubs.throughputUnits: 1, streamAnalytics.streamingUnits: 3 }',
        '  include:',
        '    - { eventHubs.throughputUnits: 8, streamAnalytics.streamingUnits: 6, dataFactory: { etlCluster: { workerNodes: 16 } } }',
      ].join('\n'),
      'm.yaml',
    );
    expect(runs.map((r) => `${r.scenario.eventHubs.throughputUnits}x${r.scenario.streamAnalytics.streamingUnits}`)).toEqual(['1x1', '2x1', '2x3', '8x6']);
    // An object value is merged into the base, not substituted for it.
    expect(runs[3].scenario.dataFactory.etlCluster).toMatchObject({ workerNodes: 16, headNodes: 2, nodeSize: 'D12v2' });
    expect(runs[3].scenario.dataFactory.sliceMinutes).toBe(15);
  });

  it('a bad matrix value is reported at the list element that holds it', () => {
    const e = problemsOf('name: x\nmatrix:\n  streamAnalytics.streamingUnits: [1, 3, 4]\n');
    expect(e.problems).toHaveLength(1);
    expect(e.location).toMatchObject({ line: 3, column: 42, field: 'streamAnalytics.streamingUnits' });
    expect(e.message).toContain('Azure does not offer 4 SU V1');
    expect(e.message).toContain('matrix combination streamingUnits-4');
  });

  it('a matrix key that is not a scenario key lists the keys that exist at that level', () => {
    const e = problemsOf('name: x\nmatrix:\n  eventHubs.throughput: [1, 2]\n');
    expect(e.message).toBe(
      'bad.yaml:3:3 (matrix.eventHubs.throughput): matrix key "eventHubs.throughput": unknown key "throughput" in eventHubs; allowed keys: tier, throughputUnits, partitions, retentionHours, hubName, consumerGroup',
    );
    expect(problemsOf('name: x\nmatrix:\n  matrix.x: [1]\n').message).toContain('matrix cannot vary "matrix"');
  });

  it('a matrix whose every combination is excluded is an error', () => {
    const e = problemsOf('name: x\nmatrix:\n  seed: [1]\n  exclude:\n    - { seed: 1 }\n');
    expect(e.message).toContain('the matrix has no combinations');
    expect(problemsOf('name: x\nmatrix:\n  include: []\n').message).toContain('the matrix has no combinations');
  });

  it('an axis must be a non-empty list', () => {
    expect(problemsOf('name: x\nmatrix:\n  seed: 3\n').message).toMatch(/bad\.yaml:3:\d+ \(matrix\.seed\): expected a list, got number 3/);
    expect(problemsOf('name: x\nmatrix:\n  seed: []\n').message).toMatch(/\(matrix\.seed\)/);
  });
});

describe('streaming units', () => {
  it('maps V2 to V1-equivalent capacity as the 2022 docs do', () => {
    expect(v1EquivalentStreamingUnits('v2', '1/3')).toBe(1);
    expect(v1EquivalentStreamingUnits('v2', '2/3')).toBe(3);
    expect(v1EquivalentStreamingUnits('v2', 1)).toBe(6);
    expect(v1EquivalentStreamingUnits('v2', 3)).toBe(18);
    expect(v1EquivalentStreamingUnits('v1', 12)).toBe(12);
  });

  it('knows which counts are offered', () => {
    expect([1, 2, 3, 4, 6, 12, 13, 18, 396, 402].filter((n) => isOfferedStreamingUnits('v1', n))).toEqual([1, 3, 6, 12, 18, 396]);
    expect(isOfferedStreamingUnits('v2', '1/3')).toBe(true);
    expect(isOfferedStreamingUnits('v2', 67)).toBe(false);
  });
});

describe('paths in scenarios', () => {
  it('resolve next to the scenario first, then in the installation', () => {
    const loaded = loadScenarioFile(path.join(scenariosDir, 'seed-scaling-table.yaml'));
    expect(loaded.resolvePath('reference/guide-scaling-table.csv', 'reference.table')).toBe(path.join(scenariosDir, 'reference/guide-scaling-table.csv'));
    expect(loaded.resolvePath('data/customer360-original/customer.csv', 'x')).toBe(path.join(repoRoot, 'data/customer360-original/customer.csv'));
    expect(() => loaded.resolvePath('nope.csv', 'reference.table')).toThrow(/seed-scaling-table\.yaml \(reference\.table\): file not found: nope\.csv/);
  });

  it('locate() points later errors at the right line', () => {
    const loaded = loadScenarioFile(path.join(scenariosDir, 'seed-demo.yaml'));
    const text = readFileSync(path.join(scenariosDir, 'seed-demo.yaml'), 'utf8').split('\n');
    const loc = loaded.locate(['eventHubs', 'throughputUnits']);
    expect(text[loc.line! - 1]).toMatch(/^\s+throughputUnits: 1$/);
  });

  it('an unreadable file is a UserError naming it', () => {
    expect(() => loadScenarioFile('/nonexistent/x.yaml')).toThrow(/\/nonexistent\/x\.yaml: cannot read scenario: no such file/);
  });
});

describe('--set overrides', () => {
  const text = 'name: x\neventHubs:\n  throughputUnits: 1\n';

  it('replace values of the file, read as YAML scalars', () => {
    const { base } = parseScenario(text, 'f.yaml', {
      set: { 'eventHubs.throughputUnits': '4', 'streamAnalytics.compatibilityLevel': '"1.2"', 'sender.retryPolicy': 'sdk-default', 'scoring.seedCompat': 'true' },
    });
    expect(base.eventHubs.throughputUnits).toBe(4);
    expect(base.streamAnalytics.compatibilityLevel).toBe('1.2');
    expect(base.sender.retryPolicy).toBe('sdk-default');
    expect(base.scoring.seedCompat).toBe(true);
  });

  it('apply to every matrix combination, and refuse to flatten a key the matrix varies', () => {
    const matrix = 'name: x\nmatrix:\n  streamAnalytics.streamingUnits: [1, 3]\n';
    const { runs } = parseScenario(matrix, 'm.yaml', { set: { 'eventHubs.throughputUnits': '2' } });
    expect(runs.map((r) => [r.scenario.eventHubs.throughputUnits, r.scenario.streamAnalytics.streamingUnits])).toEqual([
      [2, 1],
      [2, 3],
    ]);
    expect(() => parseScenario(matrix, 'm.yaml', { set: { 'streamAnalytics.streamingUnits': '6' } })).toThrow(
      /--set streamAnalytics\.streamingUnits conflicts with the matrix, which varies streamAnalytics\.streamingUnits/,
    );
  });

  it('an unknown key or a bad value names the --set', () => {
    expect(() => parseScenario(text, 'f.yaml', { set: { 'eventHubs.tu': '2' } })).toThrow(
      'f.yaml (eventHubs.tu): --set key "eventHubs.tu": unknown key "tu" in eventHubs; allowed keys: tier, throughputUnits',
    );
    expect(() => parseScenario(text, 'f.yaml', { set: { 'streamAnalytics.streamingUnits': '4' } })).toThrow(
      /f\.yaml \(streamAnalytics\.streamingUnits\): Azure does not offer 4 SU V1; .* \(from --set streamAnalytics\.streamingUnits=4\)/,
    );
  });
});
