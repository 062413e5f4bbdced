// How to read a report column: its meaning (for formatting) and a human label. Reports follow a
// naming convention (queries/*.sql): `_pct` percentage points, `_rate`/`_share` shares 0..1,
// `_days`/`_hours` durations, `_previous` the previous period's value, `_change` the difference.
import type { Meaning } from './format';

export interface ColumnInfo {
  name: string;
  /** DuckDB type name as the API reports it, e.g. INTEGER, BIGINT, DOUBLE, DECIMAL(9,1), VARCHAR, DATE. */
  type: string;
}

const INTEGER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT\d*)$/i;
const DECIMAL_TYPES = /^(DOUBLE|FLOAT|REAL|DECIMAL(\(.*\))?|NUMERIC(\(.*\))?)$/i;
const DATE_TYPES = /^(DATE|TIMESTAMP.*|TIME.*)$/i;

export function isNumericType(type: string): boolean {
  return INTEGER_TYPES.test(type.trim()) || DECIMAL_TYPES.test(type.trim());
}

// Comparison columns (compare=previous) come as `previous_<m>` or `<m>_previous` for the previous
// window's value, and `<m>_delta`, `<m>_delta_pct`, `<m>_delta_pts`, `<m>_change…`, or a bare
// `delta` / `delta_pct` for the change.
const COMPARISON_SUFFIX = /_(previous|change|change_pct|delta|delta_pct|delta_pts)$/;

/** The measure a comparison column compares: contacts_previous / previous_contacts → contacts. */
export function baseName(name: string): string {
  return name.replace(/^previous_/, '').replace(COMPARISON_SUFFIX, '');
}

export function isComparisonColumn(name: string): boolean {
  return name.startsWith('previous_') || COMPARISON_SUFFIX.test(name) || name === 'delta' || name === 'delta_pct';
}

/** The previous-window column of a measure, in either spelling, if the result has one. */
export function previousColumnOf(columns: readonly { name: string }[], measure: string): string | undefined {
  return [`previous_${measure}`, `${measure}_previous`].find((name) => columns.some((c) => c.name === name));
}

export function meaningOf(column: ColumnInfo): Meaning {
  const name = column.name.toLowerCase();
  const type = column.type.trim();
  if (name === 'id' || name.endsWith('_id') || name.endsWith('_ids')) return 'id';
  if (/(^|_)p_?value$/.test(name)) return 'pvalue';
  if (['longitude', 'latitude', 'lon', 'lat', 'lng'].includes(name)) return 'coordinate';
  if (name.endsWith('_pts')) return 'number';
  if (name.endsWith('_pct') || name.endsWith('_percent')) return 'percent';
  if (/_(rate|share)$/.test(name) || name === 'utilisation' || name === 'utilization') return 'ratio';
  if (name.endsWith('_days')) return 'days';
  if (name.endsWith('_hours')) return 'hours';
  if (DATE_TYPES.test(type) || name.endsWith('_date') || name.endsWith('_at')) return 'date';
  if (INTEGER_TYPES.test(type)) return 'count';
  if (DECIMAL_TYPES.test(type)) {
    // A comparison column means what its measure means: contacts_previous is still a count.
    if (isComparisonColumn(name) && baseName(name) !== name) {
      const base = meaningOf({ name: baseName(name), type });
      if (base !== 'text') return base;
    }
    return 'number';
  }
  return 'text';
}

const WORDS: Record<string, string> = {
  pct: '%', dt: 'D.T', id: 'ID', ids: 'IDs', p: 'p', srm: 'SRM', ci: 'CI', kpi: 'KPI',
};

/** 'conversion_from_previous_pct' → 'Conversion from previous %'; 'latency_p90_days' → 'Latency p90 (days)'. */
export function labelOf(name: string): string {
  let unit = '';
  let stem = name;
  const unitMatch = /_(days|hours)$/.exec(stem);
  if (unitMatch) {
    unit = ` (${unitMatch[1]})`;
    stem = stem.slice(0, -unitMatch[0].length);
  }
  const words = stem.split('_').filter(Boolean).map((w) => WORDS[w.toLowerCase()] ?? w);
  const text = words.join(' ');
  return (text.charAt(0).toUpperCase() + text.slice(1)) + unit;
}
