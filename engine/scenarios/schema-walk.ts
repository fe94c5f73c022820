// Reading the zod schema as data: which keys an object level allows, and whether a dotted path exists.
// Used to word errors ("allowed keys: …") and to check matrix axes before expanding them.
import type { z } from 'zod';

type AnySchema = z.ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  shape?: Record<string, AnySchema>;
  in?: AnySchema;
}

const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strips optional/default/prefault/nullable/pipe wrappers down to the schema that does the checking. */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The keys an object schema declares, or undefined if the schema is not an object. */
export function objectKeys(schema: AnySchema): string[] | undefined {
  const def = defOf(unwrap(schema));
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/** The schema at a path of object keys, or the index of the first segment that does not exist. */
export function schemaAtPath(root: AnySchema, path: readonly (string | number)[]): { schema: AnySchema } | { missingAt: number } {
  let current: AnySchema = root;
  for (let i = 0; i < path.length; i++) {
    const def = defOf(unwrap(current));
    const seg = path[i];
    if (def.type !== 'object' || !def.shape || typeof seg !== 'string' || !(seg in def.shape)) return { missingAt: i };
    current = def.shape[seg];
  }
  return { schema: current };
}
