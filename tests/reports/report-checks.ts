// Assertions that line report rows up with the oracle's, so each test states what it compares
// rather than how it loops.
import { expect } from 'vitest';
import type { Filters } from '../oracle/world.ts';

/**
 * Checks that the report and the oracle have exactly the same row keys (as many of each), then
 * pairs every oracle row with the report row of its key.
 */
export function pairRowsByKey<Row, Want>(
  rows: readonly Row[], keyOfRow: (row: Row) => string, expected: readonly Want[], keyOfExpected: (want: Want) => string,
): { key: string; row: Row; want: Want }[] {
  expect(rows.map(keyOfRow).sort(), 'the report rows\' keys').toEqual(expected.map(keyOfExpected).sort());
  const rowByKey = new Map(rows.map((row) => [keyOfRow(row), row]));
  return expected.map((want) => {
    const key = keyOfExpected(want);
    return { key, row: rowByKey.get(key)!, want };
  });
}

/**
 * Checks that the report's rows are the oracle's, in the same order, as far as `identify` tells them
 * apart, then pairs them up by position.
 */
export function pairRowsInOrder<Row, Want>(
  rows: readonly Row[], identifyRow: (row: Row) => unknown, expected: readonly Want[], identifyExpected: (want: Want) => unknown,
): { row: Row; want: Want }[] {
  expect(rows.map(identifyRow)).toEqual(expected.map(identifyExpected));
  return rows.map((row, i) => ({ row, want: expected[i]! }));
}

/** A report number rounded to `decimals` against the oracle's unrounded one; null exactly where the oracle has none. */
export function expectNear(actual: unknown, expected: number | null, decimals: number, what: string): void {
  if (expected === null) {
    expect(actual, `${what}: expected null`).toBeNull();
    return;
  }
  // Half a unit in the last reported decimal, and a hair for the binary representation.
  const near = typeof actual === 'number' && Math.abs(actual - expected) <= 0.5 * 10 ** -decimals + 1e-9;
  expect(near, `${what}: expected ${expected} (to ${decimals} decimals), got ${String(actual)}`).toBe(true);
}

/** The report parameters that ask for the oracle's filters. */
export const filterParams = (filters: Filters): Record<string, string> =>
  Object.fromEntries(Object.entries(filters).map(([name, value]) => [name, String(value)]));
