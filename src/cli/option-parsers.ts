/**
 * Argument parsers for numeric options. They throw a plain Error starting with
 * {@link WHOLE_NUMBER_EXPECTED}, which main.ts turns into a USAGE error.
 */
export const WHOLE_NUMBER_EXPECTED = "expected a whole number";

function wholeNumber(value: string, pattern: RegExp, min: number): number {
  if (!pattern.test(value) || Number(value) < min) throw new Error(`${WHOLE_NUMBER_EXPECTED}, got '${value}'`);
  return Number(value);
}

/** Any whole number, negative included (e.g. `--indent -1`). */
export function parseInteger(value: string): number {
  return wholeNumber(value, /^-?\d+$/, Number.NEGATIVE_INFINITY);
}

/** 0 or more (e.g. a count where 0 has a meaning). */
export function parseCount(value: string): number {
  return wholeNumber(value, /^\d+$/, 0);
}

/** 1 or more (page sizes, concurrency, jobs). */
export function parsePositiveInteger(value: string): number {
  return wholeNumber(value, /^\d+$/, 1);
}
