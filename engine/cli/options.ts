// Parsers for CLI option values that turn bad input into a clear error naming the flag.
import { InvalidArgumentError } from 'commander';

export function intOption(name: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ''} (got "${value}")`);
    return n;
  };
}

export function numberOption(name: string, min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}] (got "${value}")`);
    return n;
  };
}

export function isoTimeOption(name: string) {
  return (value: string): number => {
    const t = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
      throw new InvalidArgumentError(`${name} must be an ISO-8601 time such as 2017-03-08T06:00:00Z (got "${value}")`);
    return t;
  };
}

/** Collects repeated `--flag NAME=VALUE` options into a map. */
export function keyValueOption(name: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${name} takes NAME=VALUE (got "${value}")`);
    return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
  };
}
