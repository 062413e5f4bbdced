// Marketers and leaders get aggregates with small counts suppressed by the server: a count under 5
// arrives as "<5", and a number that would let someone work a suppressed count out from totals as
// "hidden". The page never recomputes them; it only says why a number, or a whole chart, is missing.
import { isNumericType } from '../format/columns';
import type { ResultLike } from './columns';

export function isSuppressed(value: unknown): boolean {
  return typeof value === 'string' && (value === 'hidden' || /^<\s*\d+$/.test(value.trim()));
}

/** 'none': nothing suppressed; 'some': some numbers are; 'all': rows exist but not one number is shown. */
export type Suppression = 'none' | 'some' | 'all';

export function suppressionIn(result: ResultLike): Suppression {
  const numeric = result.columns.filter((c) => isNumericType(c.type)).map((c) => c.name);
  let suppressed = 0;
  let shown = 0;
  for (const row of result.rows) {
    for (const name of numeric) {
      const value = row[name];
      if (isSuppressed(value)) suppressed += 1;
      else if (typeof value === 'number' && Number.isFinite(value)) shown += 1;
    }
  }
  if (suppressed === 0) return 'none';
  return shown === 0 ? 'all' : 'some';
}

/**
 * A total of published numbers and suppressed ones is only known from below: the page shows it as
 * "≥N" (N = the sum of what is published) and draws it at N, never as if it were exact.
 */
export const AT_LEAST = '≥';

export function lowerBound(sum: number): string {
  return `${AT_LEAST}${sum}`;
}

/** The N of "≥N", or null. */
export function lowerBoundOf(value: unknown): number | null {
  if (typeof value !== 'string' || !value.startsWith(AT_LEAST)) return null;
  const n = Number(value.slice(AT_LEAST.length).trim());
  return value.length > 1 && Number.isFinite(n) ? n : null;
}

export const SUPPRESSED_NOTE = 'Small counts are protected: “<5”, “hidden”, and totals marked “≥” leave them out.';
export const ALL_SUPPRESSED_TEXT =
  'Every number here is too small to show without risking that someone is recognised (counts under 5 are suppressed). A longer period or a wider region shows more.';
