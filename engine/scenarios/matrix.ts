// `matrix:` expansion. A matrix maps dotted scenario keys to lists of values and the run sweeps their
// cartesian product, like a GitHub Actions matrix: `exclude` drops partial combinations from the product
// and `include` adds extra, explicitly listed combinations (the only ones when there are no axes).
// Expansion works on plain data; the loader validates every resulting scenario with the schema.

export type Overrides = Record<string, unknown>;

export interface MatrixSpec {
  /** Axes in file order: dotted key and its values. */
  axes: [string, unknown[]][];
  include: Overrides[];
  exclude: Overrides[];
}

export interface MatrixCombination {
  /** 0-based position in the expansion. */
  index: number;
  /** A short, file-system-safe, unique label, e.g. "throughputUnits-2_streamingUnits-6". */
  id: string;
  /** Dotted key → value applied to the base scenario. */
  overrides: Overrides;
  /** Where the combination came from, for error locations. */
  origin: { kind: 'axes'; valueIndices: number[] } | { kind: 'include'; entry: number };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A copy of `target` with `value` at the dotted `path`; plain objects are merged into what is there. */
export function withPath(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const existing = target[head];
  let next: unknown;
  if (rest.length > 0) next = withPath(isPlainObject(existing) ? existing : {}, rest.join('.'), value);
  else if (isPlainObject(value) && isPlainObject(existing)) {
    next = Object.entries(value).reduce<Record<string, unknown>>((acc, [k, v]) => withPath(acc, k, v), existing);
  } else next = value;
  return { ...target, [head]: next };
}

function formatValue(v: unknown): string {
  if (isPlainObject(v)) return Object.values(v).map(formatValue).join('-');
  return String(v);
}

function makeId(overrides: Overrides): string {
  if (typeof overrides.name === 'string') return overrides.name;
  const parts = Object.entries(overrides).map(([k, v]) => `${k.split('.').pop()}-${formatValue(v)}`);
  const id = parts.join('_').replace(/[^A-Za-z0-9._-]+/g, '_');
  return id === '' ? 'base' : id.slice(0, 120);
}

/** Splits the raw `matrix:` mapping into axes, include and exclude. */
export function readMatrix(raw: Record<string, unknown>): MatrixSpec {
  const axes: [string, unknown[]][] = [];
  for (const [key, values] of Object.entries(raw)) if (key !== 'include' && key !== 'exclude') axes.push([key, values as unknown[]]);
  return {
    axes,
    include: (raw.include as Overrides[] | undefined) ?? [],
    exclude: (raw.exclude as Overrides[] | undefined) ?? [],
  };
}

/** All combinations: the cartesian product of the axes minus excluded ones, then the included ones. */
export function expandMatrix(spec: MatrixSpec): MatrixCombination[] {
  const out: Omit<MatrixCombination, 'index' | 'id'>[] = [];
  if (spec.axes.length > 0) {
    const counts = spec.axes.map(([, values]) => values.length);
    const indices = counts.map(() => 0);
    for (;;) {
      const overrides: Overrides = {};
      spec.axes.forEach(([key, values], a) => (overrides[key] = values[indices[a]]));
      const excluded = spec.exclude.some((ex) => Object.entries(ex).every(([k, v]) => deepEqual(overrides[k], v)));
      if (!excluded) out.push({ overrides, origin: { kind: 'axes', valueIndices: [...indices] } });
      // Odometer increment: the last axis varies fastest, so the order reads like nested loops in file order.
      let a = counts.length - 1;
      while (a >= 0 && ++indices[a] === counts[a]) indices[a--] = 0;
      if (a < 0) break;
    }
  }
  spec.include.forEach((entry, i) => out.push({ overrides: { ...entry }, origin: { kind: 'include', entry: i } }));
  const seen = new Map<string, number>();
  return out.map((c, index) => {
    let id = makeId(c.overrides);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    if (n > 1) id = `${id}-${n}`;
    return { ...c, index, id };
  });
}

/** Applies a combination's overrides to a raw scenario object. */
export function applyOverrides(base: Record<string, unknown>, overrides: Overrides): Record<string, unknown> {
  return Object.entries(overrides).reduce((acc, [path, value]) => withPath(acc, path, value), base);
}
