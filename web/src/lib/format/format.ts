// Numbers formatted by what they mean and where they are shown, with Intl.NumberFormat in the
// browser's locale (pass `locale` only in tests). One function decides every number on screen,
// so a percentage reads the same in a table, on an axis, in a tooltip and in a headline.

/**
 * count    whole things (contacts, multipliers): never fractional
 * number   any other quantity (ratios such as contacts per multiplier)
 * percent  percentage points, 0..100 (the server's `_pct` columns)
 * ratio    a share 0..1, shown as a percentage (`_rate`, `_share`)
 * days     a duration in days; shown in hours when under one day
 * hours    a duration in hours; shown in days from 48 hours up
 * pvalue   a probability: small values in scientific form, never rounded to 0
 * coordinate  longitude/latitude in degrees, to 4 decimals (about 10 m)
 * text, date, id   shown as they are (ids without digit grouping)
 */
export type Meaning = 'count' | 'number' | 'percent' | 'ratio' | 'days' | 'hours' | 'pvalue' | 'coordinate' | 'text' | 'date' | 'id';

/**
 * table     exact, full units ("1,234", "12.5%", "3.2 days")
 * axis      short: compact numbers, no decimals where avoidable ("1.2K", "40%", "3d")
 * tooltip   like a table, with the long unit name
 * headline  a big number: compact above 10,000, one decimal for shares
 */
export type FormatContext = 'table' | 'axis' | 'tooltip' | 'headline';

export interface FormatOptions {
  locale?: string | string[];
  /** Show + for increases (comparison columns: change vs previous period). */
  signed?: boolean;
}

export const MISSING = '–';

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string | string[] | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify([locale ?? null, options]);
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

/** Numbers arrive as numbers, or as strings for DuckDB's 64-bit and decimal types. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) {
    return Number(value);
  }
  return null;
}

function options(meaning: Meaning, context: FormatContext, magnitude: number): Intl.NumberFormatOptions {
  const compact = (context === 'axis' && magnitude >= 1000) || (context === 'headline' && magnitude >= 10_000);
  switch (meaning) {
    case 'count':
      return compact ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 0 };
    case 'percent':
    case 'ratio':
      // The value is scaled by the caller (percent points / 100) so Intl adds the locale's % sign.
      return { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: context === 'axis' ? 0 : 1 };
    case 'days':
    case 'hours': {
      const digits = context === 'axis' ? (magnitude < 10 ? 1 : 0) : 1;
      return { maximumFractionDigits: digits };
    }
    case 'number':
    default:
      if (compact) return { notation: 'compact', maximumFractionDigits: 1 };
      return { maximumFractionDigits: magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2 };
  }
}

function durationParts(meaning: 'days' | 'hours', value: number): { amount: number; unit: 'day' | 'hour' } {
  const hours = meaning === 'days' ? value * 24 : value;
  // Zero keeps the column's own unit (an axis reads "0d, 1d, 2d", not "0h, 1d, 2d").
  if (hours === 0) return { amount: 0, unit: meaning === 'days' ? 'day' : 'hour' };
  // Under a day reads better in hours; from two days on, in days.
  if (Math.abs(hours) < 24) return { amount: hours, unit: 'hour' };
  if (meaning === 'hours' && Math.abs(hours) < 48) return { amount: hours, unit: 'hour' };
  return { amount: hours / 24, unit: 'day' };
}

/** Formats one value. Non-numeric values of a numeric meaning (e.g. a suppressed "<5") pass through. */
export function formatValue(value: unknown, meaning: Meaning, context: FormatContext = 'table', opts: FormatOptions = {}): string {
  if (value === null || value === undefined || value === '') return MISSING;
  // Lists (contact ids, languages) read as "1, 2, 3", not JavaScript's "1,2,3".
  if (Array.isArray(value)) return value.length ? value.map((v) => formatValue(v, meaning === 'id' ? 'id' : 'text', context, opts)).join(', ') : MISSING;
  if (meaning === 'text' || meaning === 'date') return String(value);
  if (meaning === 'id') return String(value);

  const n = toNumber(value);
  if (n === null) {
    // A total known only from below ("≥118", see lib/reports/suppressed.ts) reads like its number.
    const bound = typeof value === 'string' && value.startsWith('≥') ? toNumber(value.slice(1)) : null;
    return bound === null ? String(value) : `≥ ${formatValue(bound, meaning, context, opts)}`;
  }
  const { locale, signed = false } = opts;
  const sign: Intl.NumberFormatOptions = signed ? { signDisplay: 'exceptZero' } : {};

  if (meaning === 'coordinate') return numberFormat(locale, { maximumFractionDigits: 4, useGrouping: false }).format(n);

  if (meaning === 'pvalue') {
    if (n > 0 && n < 0.001) return numberFormat(locale, { notation: 'scientific', maximumFractionDigits: 1 }).format(n);
    return numberFormat(locale, { maximumFractionDigits: 3, minimumFractionDigits: context === 'axis' ? 0 : 3 }).format(n);
  }

  if (meaning === 'days' || meaning === 'hours') {
    const { amount, unit } = durationParts(meaning, n);
    const unitDisplay = context === 'axis' ? 'narrow' : context === 'tooltip' ? 'long' : 'short';
    return numberFormat(locale, { ...options(meaning, context, Math.abs(amount)), ...sign, style: 'unit', unit, unitDisplay }).format(amount);
  }

  const scaled = meaning === 'percent' ? n / 100 : n;
  return numberFormat(locale, { ...options(meaning, context, Math.abs(n)), ...sign }).format(scaled);
}

/** A formatter bound to a meaning and context, e.g. for an ECharts axis label. */
export function formatter(meaning: Meaning, context: FormatContext, opts: FormatOptions = {}): (value: unknown) => string {
  return (value) => formatValue(value, meaning, context, opts);
}
