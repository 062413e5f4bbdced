// Finding the columns a chart needs in a report's result. Reports name their columns in the
// product's words (queries/*.sql); a chart asks for the names it expects and otherwise falls back
// to the report's first text column / first measure, so a renamed column degrades to a sensible
// chart instead of an empty one.
import { isComparisonColumn, isNumericType, meaningOf } from '../format/columns';
import type { Meaning } from '../format/format';
import type { ReportColumn, ReportRow } from '../api/types';
import { lowerBoundOf } from './suppressed';

export interface ResultLike {
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly ReportRow[];
}

export function hasColumn(result: ResultLike, name: string): boolean {
  return result.columns.some((c) => c.name === name);
}

export function columnInfo(result: ResultLike, name: string): ReportColumn | undefined {
  return result.columns.find((c) => c.name === name);
}

/** The first of `candidates` the result has. */
export function findColumn(result: ResultLike, candidates: readonly string[]): string | undefined {
  return candidates.find((name) => hasColumn(result, name));
}

function isId(name: string): boolean {
  return name === 'id' || name.endsWith('_id') || name.endsWith('_ids');
}

/** Text columns that name things (not ids). */
export function dimensionColumns(result: ResultLike): string[] {
  return result.columns.filter((c) => meaningOf(c) === 'text' && !isId(c.name)).map((c) => c.name);
}

/** Numeric columns that are measures of this window (not ids, not comparison columns). */
export function measureColumns(result: ResultLike): string[] {
  return result.columns
    .filter((c) => isNumericType(c.type) && !isId(c.name) && !isComparisonColumn(c.name) && !['year', 'week', 'month', 'longitude', 'latitude'].includes(c.name))
    .map((c) => c.name);
}

export function pickDimension(result: ResultLike, candidates: readonly string[] = []): string | undefined {
  return findColumn(result, candidates) ?? dimensionColumns(result)[0];
}

export function pickMeasure(result: ResultLike, candidates: readonly string[] = []): string | undefined {
  return findColumn(result, candidates) ?? measureColumns(result)[0];
}

export function meaningOfColumn(result: ResultLike, name: string | undefined, fallback: Meaning = 'count'): Meaning {
  const info = name ? columnInfo(result, name) : undefined;
  return info ? meaningOf(info) : fallback;
}

/** A number to draw: numbers, numeric strings, and a lower bound "≥N" at N (see suppressed.ts). */
export function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return lowerBoundOf(value);
}

export function textOf(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Measure columns that are counts (queue sizes, contacts). */
export function countColumns(result: ResultLike): string[] {
  return measureColumns(result).filter((name) => meaningOfColumn(result, name) === 'count');
}
