// Loads a scenario YAML file: parse (keeping line positions), validate against the schema, expand the
// matrix, and turn every problem into an error that names the file, line, column, key and — where the
// schema knows them — the allowed keys or values.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, parse as parseYaml, type Document } from 'yaml';
import type { z } from 'zod';
import { INSTALL_ROOT } from '../io/install-root.js';
import { UserError, formatLocation, type ErrorLocation } from '../core/errors.js';
import { scenarioSchema, matrixSchema, normalizeScenario, type Scenario } from './schema.js';
import { objectKeys, schemaAtPath } from './schema-walk.js';
import { positionOf } from './yaml-positions.js';
import { applyOverrides, expandMatrix, readMatrix, type MatrixCombination, type Overrides } from './matrix.js';

/** The installation root: the second place relative paths are looked up. */
export { INSTALL_ROOT };

export interface ScenarioProblem {
  location: ErrorLocation;
  message: string;
}

/** One or more problems in a scenario file. The first is the headline; all are listed in the message. */
export class ScenarioError extends UserError {
  readonly problems: ScenarioProblem[];
  constructor(problems: ScenarioProblem[]) {
    super(problems[0].message, problems[0].location);
    this.name = 'ScenarioError';
    this.problems = problems;
    if (problems.length > 1)
      this.message += problems
        .slice(1)
        .map((p) => `\n  ${formatLocation(p.location)}: ${p.message}`)
        .join('');
  }
}

export interface ScenarioRun {
  /** "base" for a scenario without matrix, else the combination id. */
  id: string;
  index: number;
  overrides: Overrides;
  scenario: Scenario;
}

export interface LoadedScenario {
  file: string;
  /** The scenario as written, without its matrix, validated and with defaults filled in. */
  base: Scenario;
  /** One run per matrix combination; a single "base" run without matrix. */
  runs: ScenarioRun[];
  isMatrix: boolean;
  /** Where a scenario key is in the file, for errors found later (e.g. an unknown price id). */
  locate(keyPath: readonly (string | number)[]): ErrorLocation;
  /** Resolves a path written in the scenario: relative to the scenario file, else to the installation root. */
  resolvePath(written: string, field: string): string;
}

const dotted = (p: readonly PropertyKey[]): string => p.map(String).join('.');

/** zod's type names in the words of a YAML file. */
const YAML_TYPE_NAMES: Record<string, string> = { object: 'a mapping', record: 'a mapping', array: 'a list', string: 'text', number: 'a number', int: 'an integer', boolean: 'true or false' };

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `string "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let node = root;
  for (const seg of p) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg as string];
  }
  return node;
}

/** Words one zod issue for a person editing YAML. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { path: PropertyKey[]; atKey: boolean; message: string }[] {
  // The field is shown by the location ("file:line:col (eventHubs.tier): …"), so messages don't repeat it.
  const where = dotted(issue.path);
  const actual = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = objectKeys(schemaAtPathOrRoot(issue.path)) ?? [];
      return issue.keys.map((key) => ({
        path: [...issue.path, key],
        atKey: true,
        message: `unknown key "${key}"${where ? ` in ${where}` : ''}; allowed keys: ${keys.filter((k) => k !== '$schema').join(', ')}`,
      }));
    }
    case 'invalid_type':
      if (actual === undefined)
        return [{ path: issue.path, atKey: true, message: `required key is missing (expected ${YAML_TYPE_NAMES[issue.expected] ?? issue.expected})` }];
      return [{ path: issue.path, atKey: false, message: `expected ${YAML_TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(actual)}` }];
    case 'invalid_value':
      return [
        {
          path: issue.path,
          atKey: false,
          message: `${describeValue(actual)} is not allowed; allowed values: ${issue.values.map((v) => String(v)).join(', ')}`,
        },
      ];
    case 'too_small':
      return [{ path: issue.path, atKey: false, message: `must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)} (got ${String(actual)})` }];
    case 'too_big':
      return [{ path: issue.path, atKey: false, message: `must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)} (got ${String(actual)})` }];
    case 'not_multiple_of':
      return [{ path: issue.path, atKey: false, message: `must be a multiple of ${String(issue.divisor)} (got ${String(actual)})` }];
    case 'invalid_union':
      return [{ path: issue.path, atKey: false, message: `${issue.message} (got ${describeValue(actual)})` }];
    default:
      return [{ path: issue.path, atKey: false, message: `${issue.message}` }];
  }
}

function schemaAtPathOrRoot(p: readonly PropertyKey[]): z.ZodType {
  // Matrix keys are free-form (dotted paths); everything else follows the scenario schema.
  if (p[0] === 'matrix') return matrixSchema;
  const found = schemaAtPath(scenarioSchema, p as (string | number)[]);
  return 'schema' in found ? found.schema : scenarioSchema;
}

export interface ParseOptions {
  /**
   * Command-line overrides, dotted key → value as typed (`--set eventHubs.throughputUnits=2`); values
   * are read as YAML scalars. They win over the file, matrix combinations included.
   */
  set?: Record<string, string>;
}

class ScenarioParser {
  private readonly lines = new LineCounter();
  private readonly doc: Document;
  private readonly problems: ScenarioProblem[] = [];
  private readonly setValues: Record<string, unknown> = {};

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly options: ParseOptions = {},
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: true, uniqueKeys: true });
  }

  locate(keyPath: readonly (string | number)[], atKey = false): ErrorLocation {
    const pos = positionOf(this.doc, this.lines, keyPath, atKey);
    return { file: this.file, line: pos.line, column: pos.column, field: keyPath.length ? dotted(keyPath) : undefined };
  }

  private fail(): never {
    const line = (p: ScenarioProblem) => (p.location.line ?? 0) * 1e6 + (p.location.column ?? 0);
    throw new ScenarioError([...this.problems].sort((a, b) => line(a) - line(b)));
  }

  parse(): LoadedScenario {
    for (const error of this.doc.errors) {
      const pos = error.linePos?.[0];
      this.problems.push({
        location: { file: this.file, line: pos?.line, column: pos?.col },
        message: /multiple documents/.test(error.message)
          ? 'a scenario file holds one YAML document; remove the second one (after "---")'
          : `YAML syntax: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      });
    }
    if (this.problems.length) this.fail();
    const raw: unknown = this.doc.toJS();
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.problems.push({ location: { file: this.file, line: 1 }, message: 'a scenario must be a YAML mapping (key: value lines)' });
      this.fail();
    }
    this.readSetOptions();
    if (this.problems.length) this.fail();
    const rawObject = applyOverrides(raw as Record<string, unknown>, this.setValues);
    const { matrix: rawMatrix, ...rawBase } = rawObject;

    const parsed = scenarioSchema.safeParse(rawObject);
    if (!parsed.success) {
      this.addIssues(parsed.error.issues, rawObject, (p) => p as (string | number)[]);
      this.fail();
    }
    const base = normalizeScenario(parsed.data);

    if (rawMatrix === undefined) {
      return this.result(base, [{ id: 'base', index: 0, overrides: {}, scenario: base }], false);
    }
    const spec = readMatrix(rawMatrix as Record<string, unknown>);
    this.checkMatrixKeys(spec);
    // A --set on a key the matrix varies would silently flatten the sweep: refuse it.
    const varied = [...spec.axes.map(([k]) => k), ...spec.include.flatMap((e) => Object.keys(e))];
    for (const key of Object.keys(this.setValues)) {
      const clash = varied.find((v) => v === key || v.startsWith(key + '.') || key.startsWith(v + '.'));
      if (clash)
        this.problems.push({
          location: this.locate(['matrix'], true),
          message: `--set ${key} conflicts with the matrix, which varies ${clash}; drop the --set or the matrix key`,
        });
    }
    if (this.problems.length) this.fail();
    const combinations = expandMatrix(spec);
    if (combinations.length === 0) {
      this.problems.push({
        location: this.locate(['matrix'], true),
        message: 'the matrix has no combinations (no axes and no include entries, or every combination excluded)',
      });
      this.fail();
    }
    const runs: ScenarioRun[] = [];
    for (const combo of combinations) {
      const candidate = applyOverrides(applyOverrides(rawBase, combo.overrides), this.setValues);
      const result = scenarioSchema.safeParse(candidate);
      if (!result.success) {
        this.addIssues(result.error.issues, candidate, (issuePath) => this.matrixSourcePath(combo, spec, issuePath), combo.id);
        continue;
      }
      runs.push({ id: combo.id, index: combo.index, overrides: combo.overrides, scenario: normalizeScenario(result.data) });
    }
    if (this.problems.length) this.fail();
    return this.result(base, runs, true);
  }

  private result(base: Scenario, runs: ScenarioRun[], isMatrix: boolean): LoadedScenario {
    const file = this.file;
    return {
      file,
      base,
      runs,
      isMatrix,
      locate: (keyPath) => this.locate(keyPath),
      resolvePath: (written, field) => resolveScenarioPath(file, written, field),
    };
  }

  /** Checks a dotted key against the schema; returns a problem message naming the allowed keys, or undefined. */
  private keyProblem(key: string, what: string): string | undefined {
    const segments = key.split('.');
    if (segments[0] === 'matrix' || segments[0] === '$schema') return `${what} cannot set "${segments[0]}"`;
    const found = schemaAtPath(scenarioSchema, segments);
    if (!('missingAt' in found)) return undefined;
    const parent = segments.slice(0, found.missingAt);
    const parentSchema = schemaAtPath(scenarioSchema, parent);
    const keys = 'schema' in parentSchema ? (objectKeys(parentSchema.schema) ?? []) : [];
    const within = parent.length ? ` in ${parent.join('.')}` : '';
    return keys.length
      ? `${what} "${key}": unknown key "${segments[found.missingAt]}"${within}; allowed keys: ${keys.filter((k) => k !== '$schema' && k !== 'matrix').join(', ')}`
      : `${what} "${key}": ${parent.join('.')} has no sub-keys`;
  }

  /** Reads --set overrides: known keys only, values as YAML scalars. */
  private readSetOptions(): void {
    for (const [key, text] of Object.entries(this.options.set ?? {})) {
      const problem = this.keyProblem(key, '--set key');
      if (problem) {
        this.problems.push({ location: { file: this.file, field: key }, message: problem });
        continue;
      }
      try {
        this.setValues[key] = parseYaml(text);
      } catch (error) {
        this.problems.push({ location: { file: this.file, field: key }, message: `--set ${key}=${text}: not a YAML value (${(error as Error).message.split('\n')[0]})` });
      }
    }
  }

  /** The --set key an issue path falls under, if any. */
  private setKeyFor(issuePath: readonly PropertyKey[]): string | undefined {
    const issueKey = dotted(issuePath);
    return Object.keys(this.setValues).find((key) => issueKey === key || issueKey.startsWith(key + '.'));
  }

  /** Every matrix key must name a scenario key; errors list what exists at the level that went wrong. */
  private checkMatrixKeys(spec: ReturnType<typeof readMatrix>): void {
    const check = (key: string, filePath: (string | number)[]) => {
      const problem = this.keyProblem(key, 'matrix key');
      if (problem) this.problems.push({ location: this.locate(filePath, true), message: problem.replace('matrix key cannot set', 'matrix cannot vary') });
    };
    for (const [key] of spec.axes) check(key, ['matrix', key]);
    spec.include.forEach((entry, i) => Object.keys(entry).forEach((key) => check(key, ['matrix', 'include', i, key])));
    spec.exclude.forEach((entry, i) => Object.keys(entry).forEach((key) => check(key, ['matrix', 'exclude', i, key])));
  }

  /** For an error in an expanded combination, the place in the file that supplied the bad value. */
  private matrixSourcePath(combo: MatrixCombination, spec: ReturnType<typeof readMatrix>, issuePath: PropertyKey[]): (string | number)[] {
    const issueKey = dotted(issuePath);
    for (const key of Object.keys(combo.overrides)) {
      if (issueKey === key || issueKey.startsWith(key + '.')) {
        if (combo.origin.kind === 'include') return ['matrix', 'include', combo.origin.entry, key];
        const axis = spec.axes.findIndex(([k]) => k === key);
        return ['matrix', key, combo.origin.valueIndices[axis]];
      }
    }
    return issuePath as (string | number)[];
  }

  private addIssues(
    issues: readonly z.core.$ZodIssue[],
    raw: unknown,
    sourcePath: (issuePath: PropertyKey[]) => (string | number)[],
    comboId?: string,
  ): void {
    for (const issue of issues) {
      for (const d of describeIssue(issue, raw)) {
        const setKey = this.setKeyFor(d.path);
        if (setKey !== undefined) {
          // The value came from the command line, not from a line of the file.
          const message = `${d.message} (from --set ${setKey}=${this.options.set?.[setKey]})`;
          if (!this.problems.some((p) => p.message === message)) this.problems.push({ location: { file: this.file, field: dotted(d.path) }, message });
          continue;
        }
        const src = sourcePath(d.path);
        const fromMatrix = src[0] === 'matrix' && d.path[0] !== 'matrix';
        const location = this.locate(src, d.atKey && !fromMatrix);
        location.field = dotted(d.path) || undefined;
        // One bad matrix value breaks every combination that uses it: report it once, at the value.
        const seen = this.problems.some(
          (p) => p.location.line === location.line && p.location.column === location.column && p.message.startsWith(d.message),
        );
        if (!seen) this.problems.push({ location, message: comboId && fromMatrix ? `${d.message} (matrix combination ${comboId})` : d.message });
      }
    }
  }
}

/** Parses scenario text; `file` is used in error messages and to resolve relative paths. */
export function parseScenario(text: string, file: string, options: ParseOptions = {}): LoadedScenario {
  return new ScenarioParser(text, file, options).parse();
}

/** Reads and parses a scenario file. */
export function loadScenarioFile(file: string, options: ParseOptions = {}): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read scenario: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { file });
  }
  return parseScenario(text, file, options);
}

/** A path written in a scenario: absolute, or relative to the scenario's folder, or to the installation root. */
export function resolveScenarioPath(scenarioFile: string, written: string, field: string): string {
  if (path.isAbsolute(written)) {
    if (existsSync(written)) return written;
    throw new UserError(`file not found: ${written}`, { file: scenarioFile, field });
  }
  const candidates = [path.resolve(path.dirname(scenarioFile), written), path.resolve(INSTALL_ROOT, written)];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  throw new UserError(`file not found: ${written} (looked in ${candidates.join(' and ')})`, { file: scenarioFile, field });
}
