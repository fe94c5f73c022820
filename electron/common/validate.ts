// Tiny runtime validators for the IPC/HTTP contract. Hand-written rather than zod so the contract has
// no dependencies and runs unchanged in a sandboxed preload, the main process and the renderer.
// Objects are strict: unknown keys are refused, because a key the engine ignores today may be
// trusted by accident tomorrow.

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };
export type Validator<T> = (input: unknown, path: string) => Checked<T>;

const fail = (path: string, message: string): Checked<never> => ({ ok: false, message: `${path}: ${message}` });

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return `string of length ${x.length}`;
  return typeof x;
}

type Inner<V> = V extends Validator<infer T> ? Exclude<T, undefined> : never;
/** Optional validators become optional keys, so callers may leave them out. */
export type ObjectOf<S> = { [K in keyof S as S[K] extends { optional: true } ? never : K]: Inner<S[K]> } & {
  [K in keyof S as S[K] extends { optional: true } ? K : never]?: Inner<S[K]>;
};

export const v = {
  string(opts: { max?: number; pattern?: RegExp } = {}): Validator<string> {
    return (x, path) => {
      if (typeof x !== 'string') return fail(path, `expected a string, got ${describe(x)}`);
      if (opts.max !== undefined && x.length > opts.max) return fail(path, `longer than ${opts.max} characters`);
      if (opts.pattern && !opts.pattern.test(x)) return fail(path, `has characters that are not allowed`);
      return { ok: true, value: x };
    };
  },
  number(opts: { min?: number; max?: number } = {}): Validator<number> {
    return (x, path) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) return fail(path, `expected a finite number, got ${describe(x)}`);
      if (opts.min !== undefined && x < opts.min) return fail(path, `must be ≥ ${opts.min} (got ${x})`);
      if (opts.max !== undefined && x > opts.max) return fail(path, `must be ≤ ${opts.max} (got ${x})`);
      return { ok: true, value: x };
    };
  },
  integer(opts: { min?: number; max?: number } = {}): Validator<number> {
    const num = v.number(opts);
    return (x, path) => {
      if (typeof x === 'number' && !Number.isInteger(x)) return fail(path, `expected an integer, got ${x}`);
      return num(x, path);
    };
  },
  oneOf<const T extends readonly string[]>(values: T): Validator<T[number]> {
    return (x, path) =>
      typeof x === 'string' && values.includes(x) ? { ok: true, value: x as T[number] } : fail(path, `must be one of ${values.join(', ')}`);
  },
  optional<T>(inner: Validator<T>): Validator<T | undefined> & { optional: true } {
    const f = ((x: unknown, path: string) => (x === undefined ? { ok: true, value: undefined } : inner(x, path))) as Validator<T | undefined> & {
      optional: true;
    };
    f.optional = true;
    return f;
  },
  object<S extends Record<string, Validator<unknown>>>(shape: S): Validator<ObjectOf<S>> {
    type Out = ObjectOf<S>;
    return (x, path) => {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) return fail(path, `expected an object, got ${describe(x)}`);
      // Only plain objects: a class instance or a proxy is not something a renderer should be sending.
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return fail(path, 'expected a plain object');
      const input = x as Record<string, unknown>;
      for (const key of Object.keys(input)) if (!Object.prototype.hasOwnProperty.call(shape, key)) return fail(path, `unknown key "${key}"`);
      const out: Record<string, unknown> = {};
      for (const [key, check] of Object.entries(shape)) {
        const r = check(input[key], `${path}.${key}`);
        if (!r.ok) return r;
        if (r.value !== undefined) out[key] = r.value;
      }
      return { ok: true, value: out as Out };
    };
  },
};
