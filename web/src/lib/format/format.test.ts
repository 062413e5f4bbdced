import { describe, expect, it } from 'vitest';
import { formatValue, toNumber, MISSING, type FormatContext, type Meaning } from './format';
import { labelOf, meaningOf, isNumericType, baseName } from './columns';

const en = { locale: 'en-US' };
const de = { locale: 'de-DE' };

describe('formatValue by meaning and context (en-US)', () => {
  const cases: [unknown, Meaning, FormatContext, string][] = [
    [1234, 'count', 'table', '1,234'],
    [1234.6, 'count', 'table', '1,235'],
    [1234, 'count', 'axis', '1.2K'],
    [999, 'count', 'axis', '999'],
    [1234, 'count', 'headline', '1,234'],
    [123456, 'count', 'headline', '123.5K'],
    ['98765432109', 'count', 'table', '98,765,432,109'],
    [12.345, 'percent', 'table', '12.3%'],
    [12.345, 'percent', 'axis', '12%'],
    [100, 'percent', 'headline', '100%'],
    [0.4567, 'ratio', 'table', '45.7%'],
    [0.4567, 'ratio', 'axis', '46%'],
    [3.25, 'days', 'table', '3.3 days'],
    [1, 'days', 'table', '1 day'],
    [0.5, 'days', 'table', '12 hr'],
    [0.5, 'days', 'tooltip', '12 hours'],
    [3.25, 'days', 'axis', '3.3d'],
    [30, 'hours', 'table', '30 hr'],
    [72, 'hours', 'table', '3 days'],
    [12.3456, 'number', 'table', '12.3'],
    [2.3456, 'number', 'table', '2.35'],
    [0.0003, 'pvalue', 'table', '3E-4'],
    [0.0456, 'pvalue', 'table', '0.046'],
    [1, 'pvalue', 'table', '1.000'],
    ['100089589', 'id', 'table', '100089589'],
    [35.928374, 'coordinate', 'table', '35.9284'],
    [-1234.5, 'coordinate', 'table', '-1234.5'],
    ['Amman', 'text', 'table', 'Amman'],
    [null, 'count', 'table', MISSING],
    [undefined, 'percent', 'table', MISSING],
    ['<5', 'count', 'table', '<5'],
    [0, 'days', 'axis', '0d'],
    [0, 'hours', 'axis', '0h'],
    [[701, 826, 998], 'id', 'table', '701, 826, 998'],
    [['ar', 'fr'], 'text', 'table', 'ar, fr'],
    [[], 'text', 'table', MISSING],
    ['≥1234', 'count', 'table', '≥ 1,234'],
    ['≥3.25', 'number', 'table', '≥ 3.25'],
    ['hidden', 'count', 'table', 'hidden'],
  ];
  it.each(cases)('%j as %s in %s → %s', (value, meaning, context, expected) => {
    expect(formatValue(value, meaning, context, en)).toBe(expected);
  });
});

describe('locale and sign', () => {
  // Intl separates number and unit with a (narrow) no-break space in some locales.
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  it('follows the locale', () => {
    expect(formatValue(1234.5, 'number', 'table', de)).toBe('1.235');
    expect(plain(formatValue(12.5, 'percent', 'table', de))).toBe('12,5 %');
    expect(plain(formatValue(2.5, 'days', 'table', de))).toBe('2,5 Tg.');
  });

  it('signs changes', () => {
    expect(formatValue(12, 'count', 'table', { ...en, signed: true })).toBe('+12');
    expect(formatValue(-3.5, 'percent', 'table', { ...en, signed: true })).toBe('-3.5%');
    expect(formatValue(0, 'count', 'table', { ...en, signed: true })).toBe('0');
  });

  it('reads numbers sent as strings and refuses junk', () => {
    expect(toNumber('12.5')).toBe(12.5);
    expect(toNumber('-3')).toBe(-3);
    expect(toNumber('1e3')).toBe(1000);
    expect(toNumber('12abc')).toBeNull();
    expect(toNumber('')).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
  });
});

describe('column meaning and labels', () => {
  it.each([
    [{ name: 'contacts', type: 'INTEGER' }, 'count'],
    [{ name: 'contacts', type: 'BIGINT' }, 'count'],
    [{ name: 'share_pct', type: 'DOUBLE' }, 'percent'],
    [{ name: 'conversion_from_previous_pct', type: 'DOUBLE' }, 'percent'],
    [{ name: 'met_rate', type: 'DOUBLE' }, 'ratio'],
    [{ name: 'utilisation', type: 'DOUBLE' }, 'ratio'],
    [{ name: 'median_days', type: 'DOUBLE' }, 'days'],
    [{ name: 'queue_age_hours', type: 'DOUBLE' }, 'hours'],
    [{ name: 'p_value', type: 'DOUBLE' }, 'pvalue'],
    [{ name: 'contact_id', type: 'VARCHAR' }, 'id'],
    [{ name: 'location_id', type: 'BIGINT' }, 'id'],
    [{ name: 'created_at', type: 'TIMESTAMP' }, 'date'],
    [{ name: 'period', type: 'DATE' }, 'date'],
    [{ name: 'contacts_per_multiplier', type: 'DOUBLE' }, 'number'],
    [{ name: 'contacts_previous', type: 'INTEGER' }, 'count'],
    [{ name: 'share_pct_previous', type: 'DOUBLE' }, 'percent'],
    [{ name: 'previous_met_pct', type: 'DOUBLE' }, 'percent'],
    [{ name: 'met_delta_pts', type: 'DOUBLE' }, 'number'],
    [{ name: 'delta_pct', type: 'DOUBLE' }, 'percent'],
    [{ name: 'city', type: 'VARCHAR' }, 'text'],
    [{ name: 'longitude', type: 'DOUBLE' }, 'coordinate'],
    [{ name: 'ratio', type: 'DECIMAL(9,2)' }, 'number'],
  ] as const)('%j is %s', (column, meaning) => {
    expect(meaningOf(column)).toBe(meaning);
  });

  it.each([
    ['conversion_from_previous_pct', 'Conversion from previous %'],
    ['latency_p90_days', 'Latency p90 (days)'],
    ['contact_id', 'Contact ID'],
    ['overall_status', 'Overall status'],
  ])('labelOf(%s) = %s', (name, label) => {
    expect(labelOf(name)).toBe(label);
  });

  it('knows numeric DuckDB types and comparison stems', () => {
    expect(isNumericType('DECIMAL(18,3)')).toBe(true);
    expect(isNumericType('VARCHAR')).toBe(false);
    expect(baseName('contacts_change_pct')).toBe('contacts');
  });
});

import { formatPeriod, guessGrain } from './periods';

describe('periods', () => {
  it.each([
    ['2026-03-02', 'week', '2 Mar 2026'],
    ['2026-03-01', 'month', 'Mar 2026'],
    ['2026-04-01', 'quarter', 'Q2 2026'],
    ['2026-01-01', 'year', '2026'],
    [2025, 'year', '2025'],
    ['2026-03-01T00:00:00', 'month', 'Mar 2026'],
    ['not a date', 'month', 'not a date'],
  ] as const)('%j by %s = %s', (period, grain, label) => {
    expect(formatPeriod(period, grain, 'en-GB')).toBe(label);
  });

  it.each([
    [['2026-01-05', '2026-01-12'], 'week'],
    [['2026-01-01', '2026-02-01', '2026-03-01'], 'month'],
    [['2026-01-01', '2026-04-01'], 'quarter'],
    [['2024-01-01', '2025-01-01'], 'year'],
    [['2024-01-01'], 'month'],
  ] as const)('guessGrain(%j) = %s', (periods, grain) => {
    expect(guessGrain(periods)).toBe(grain);
  });
});
