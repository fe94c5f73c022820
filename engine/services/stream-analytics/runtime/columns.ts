// Setting a record's column by name. A column may be called `__proto__` (an alias `[__proto__]`, or a key
// of the input JSON, which JSON.parse keeps as an own property): a plain assignment would replace the
// record's prototype and drop the column, so that one name is defined as an own property instead.

/** Sets column `name` of `record` to `value`, `__proto__` included. */
export function putColumn(record: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}
