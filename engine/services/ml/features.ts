// The model's inputs: which profile columns it reads, in which order, and how text columns become
// numbers. The same FeatureSpec list is written into the ONNX model's metadata, so a scorer can take
// raw profile rows (Gender "M", Income "10K_50K", …) and feed the model exactly what it was trained on.

import { LABEL_COLUMN, ORIGINAL_PREDICTORS, PROBABILITY_COLUMNS } from '../../core/profile-columns.js';

// Named once in engine/core (the warehouse and the reports use the same names); re-exported for ml's callers.
export { LABEL_COLUMN, ORIGINAL_PREDICTORS, PROBABILITY_COLUMNS } from '../../core/profile-columns.js';
/** One probability column per class. */
export const CLASS_COUNT = PROBABILITY_COLUMNS.length;

/** Codes for the warehouse's text columns. Income is ordinal, so its codes keep the order of the bands. */
export const DEFAULT_CATEGORIES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  Gender: { F: 0, M: 1 },
  Income: { Less_than_10K: 0, '10K_50K': 1, '50K_100K': 2, Greater_than_100K: 3 },
  HeadofHousehold: { F: 0, T: 1 },
};

export type FeatureSpec =
  | { name: string; kind: 'numeric' }
  | { name: string; kind: 'categorical'; categories: Record<string, number> };

export function defaultFeatureSpecs(names: readonly string[] = ORIGINAL_PREDICTORS): FeatureSpec[] {
  return names.map((name) => {
    const categories = DEFAULT_CATEGORIES[name];
    return categories ? { name, kind: 'categorical', categories: { ...categories } } : { name, kind: 'numeric' };
  });
}

/** Why a raw value could not be encoded; the caller adds the file/line/row. */
export class EncodingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One raw value → the number the model sees. An empty value is "missing" (NaN; trees send it to the
 * right/false branch, as onnxruntime does). Unknown categories and non-numeric text are errors, never
 * silently turned into a number.
 */
export function encodeValue(spec: FeatureSpec, raw: string | number | null | undefined): number {
  if (raw === null || raw === undefined) return NaN;
  if (typeof raw === 'number') {
    if (spec.kind === 'categorical' && !Object.values(spec.categories).includes(raw))
      throw new EncodingError(spec.name, `code ${raw} is not one of ${describeCategories(spec)}`);
    return raw;
  }
  const text = raw.trim();
  if (text === '') return NaN;
  if (spec.kind === 'categorical') {
    const code = spec.categories[text];
    if (code === undefined) throw new EncodingError(spec.name, `unknown value "${text}" (expected ${describeCategories(spec)})`);
    return code;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new EncodingError(spec.name, `"${text}" is not a number`);
  return value;
}

function describeCategories(spec: FeatureSpec & { kind: 'categorical' }): string {
  return Object.keys(spec.categories).join(' / ');
}

/** Parses a class label 0..3; anything else is an error. */
export function parseLabel(raw: string): number {
  const text = raw.trim();
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < 0 || value >= CLASS_COUNT)
    throw new EncodingError(LABEL_COLUMN, `label "${raw}" is not a class 0..${CLASS_COUNT - 1}`);
  return value;
}
