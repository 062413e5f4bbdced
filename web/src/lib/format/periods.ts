// Labels for time buckets. A period arrives as the ISO date of its first day (DuckDB
// date_trunc), or as a bare year; it is labelled for the grain in the user's locale.
import type { Grain } from '../state/filters';

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string | string[] | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale ?? null, options]);
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    cache.set(key, format);
  }
  return format;
}

function asDate(period: unknown): Date | null {
  if (typeof period === 'number' && Number.isInteger(period)) return new Date(Date.UTC(period, 0, 1));
  if (typeof period !== 'string') return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(period);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1));
}

/** week → "2 Mar 2026", month → "Mar 2026", quarter → "Q1 2026", year → "2026". */
export function formatPeriod(period: unknown, grain: Grain, locale?: string | string[]): string {
  const date = asDate(period);
  if (!date) return period === null || period === undefined ? '' : String(period);
  switch (grain) {
    case 'year':
      return String(date.getUTCFullYear());
    case 'quarter':
      return `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`;
    case 'month':
      return dateFormat(locale, { month: 'short', year: 'numeric' }).format(date);
    case 'week':
    default:
      return dateFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
  }
}

/** Guesses the grain of a period column from its values (when a report does not say). */
export function guessGrain(periods: readonly unknown[]): Grain {
  const dates = periods.map(asDate).filter((d): d is Date => d !== null);
  if (dates.length < 2) return 'month';
  const gaps = dates.slice(1).map((d, i) => (d.getTime() - dates[i]!.getTime()) / 86_400_000);
  const gap = Math.min(...gaps.map(Math.abs).filter((g) => g > 0));
  if (gap <= 7) return 'week';
  if (gap <= 31) return 'month';
  if (gap <= 92) return 'quarter';
  return 'year';
}
