// Report results → the data each chart kind draws, and back → the table a chart's CSV export
// writes (exactly the numbers drawn, comparison values included). Pure functions, tested.
import type { BarData } from '../charts/bar/options';
import type { LineData } from '../charts/line/options';
import type { FunnelData } from '../charts/funnel/options';
import type { HeatmapData } from '../charts/heatmap/options';
import type { MapData, MapPoint } from '../charts/map/options';
import { labelOf, previousColumnOf } from '../format/columns';
import type { Meaning } from '../format/format';
import type { TableData } from '../table/table';
import { findColumn, hasColumn, meaningOfColumn, measureColumns, numberOrNull, pickDimension, pickMeasure, textOf, type ResultLike } from './columns';
import { isSuppressed, lowerBound, lowerBoundOf } from './suppressed';

export interface Shaped<D> {
  data: D;
  meaning: Meaning;
  /** The table behind the chart, for "show as table" and CSV export. */
  table: TableData;
}

export interface BarShape {
  category?: readonly string[];
  /** Measure columns, one bar series each (default: the first measure). */
  values?: readonly string[];
  labels?: Record<string, string>;
  /** Keep the N largest categories by the first value (the rest would be unreadable). */
  limit?: number;
}

export function barFromReport(result: ResultLike, shape: BarShape = {}): Shaped<BarData> {
  const category = pickDimension(result, shape.category ?? []);
  const values = (shape.values ?? []).filter((v) => hasColumn(result, v));
  if (!values.length) {
    const first = pickMeasure(result);
    if (first) values.push(first);
  }
  let rows = result.rows;
  if (shape.limit && values[0]) {
    const key = values[0];
    rows = [...rows].sort((a, b) => (numberOrNull(b[key]) ?? -Infinity) - (numberOrNull(a[key]) ?? -Infinity)).slice(0, shape.limit);
  }
  const meaning = meaningOfColumn(result, values[0]);
  const label = (name: string) => shape.labels?.[name] ?? labelOf(name);
  const data: BarData = {
    categories: category ? rows.map((r) => textOf(r[category])) : rows.map((_, i) => String(i + 1)),
    series: values.map((v) => ({ name: label(v), values: rows.map((r) => numberOrNull(r[v])) })),
  };
  const table: TableData = {
    columns: [
      ...(category ? [{ key: category, label: label(category), meaning: 'text' as const }] : []),
      ...values.map((v) => ({ key: v, label: label(v), meaning: meaningOfColumn(result, v) })),
    ],
    rows: rows.map((r) => Object.fromEntries([category, ...values].filter((k): k is string => !!k).map((k) => [k, r[k]]))),
  };
  return { data, meaning, table };
}

export interface PivotShape {
  category: readonly string[];
  group: readonly string[];
  value: readonly string[];
  limitCategories?: number;
  limitGroups?: number;
  /** Fixed series order (and so colours), e.g. champion before challenger on every chart. */
  groupOrder?: readonly string[];
}

/**
 * Long rows (city, campaign, contacts) → grouped bars: one category per city, one series per
 * campaign. Keeps the biggest cities and campaigns; the rest are summed into "Other".
 */
export function pivotFromReport(result: ResultLike, shape: PivotShape): Shaped<BarData> {
  const category = findColumn(result, shape.category);
  const group = findColumn(result, shape.group);
  const value = pickMeasure(result, shape.value);
  const meaning = meaningOfColumn(result, value);
  if (!category || !group || !value) return barFromReport(result, { category: shape.category, values: shape.value });

  const totals = (key: string) => {
    const sums = new Map<string, number>();
    for (const r of result.rows) sums.set(textOf(r[key]), (sums.get(textOf(r[key])) ?? 0) + (numberOrNull(r[value]) ?? 0));
    return [...sums.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  };
  const categories = totals(category).slice(0, shape.limitCategories ?? 12);
  const rank = (g: string) => {
    const i = shape.groupOrder?.indexOf(g) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const allGroups = totals(group).map((g, i) => ({ g, i })).sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i).map(({ g }) => g);
  const limit = shape.limitGroups ?? 6;
  const groups = allGroups.length > limit ? [...allGroups.slice(0, limit - 1), 'Other'] : allGroups;
  const kept = new Set(groups);
  const cell = new Map<string, number>();
  for (const r of result.rows) {
    const c = textOf(r[category]);
    if (!categories.includes(c)) continue;
    const g = kept.has(textOf(r[group])) ? textOf(r[group]) : 'Other';
    const v = numberOrNull(r[value]);
    if (v === null) continue;
    cell.set(`${c}\u0000${g}`, (cell.get(`${c}\u0000${g}`) ?? 0) + v);
  }
  const data: BarData = {
    categories,
    series: groups.map((g) => ({ name: g, values: categories.map((c) => cell.get(`${c}\u0000${g}`) ?? null) })),
  };
  const table: TableData = {
    columns: [
      { key: category, label: labelOf(category), meaning: 'text' },
      ...groups.map((g) => ({ key: g, label: g, meaning })),
    ],
    rows: categories.map((c) => Object.fromEntries([[category, c], ...groups.map((g) => [g, cell.get(`${c}\u0000${g}`) ?? null])])),
  };
  return { data, meaning, table };
}

export const PERIOD_COLUMNS = ['period', 'period_start', 'bucket', 'month', 'week', 'quarter', 'year', 'date', 'day'] as const;

export interface LineShape {
  period?: readonly string[];
  values?: readonly string[];
  labels?: Record<string, string>;
  /** Series split by a dimension column instead of by measure (e.g. one line per group). */
  splitBy?: readonly string[];
  /** Fixed order (and so colours) of the split series, e.g. champion before challenger on every chart. */
  groupOrder?: readonly string[];
}

/**
 * A time series. With compare=previous a report adds `previous_<measure>` (or `<measure>_previous`:
 * the value in the matching period of the previous window); those become the dashed lines.
 * Periods sort as dates, or as numbers when they are numbers (days since the start of a trial).
 */
export function lineFromReport(result: ResultLike, shape: LineShape = {}): Shaped<LineData> {
  const period = findColumn(result, shape.period ?? PERIOD_COLUMNS)
    ?? result.columns.find((c) => /^(DATE|TIMESTAMP)/i.test(c.type))?.name;
  const label = (name: string) => shape.labels?.[name] ?? labelOf(name);
  const requested = (shape.values ?? []).filter((v) => hasColumn(result, v));
  const values = requested.length ? requested : measureColumns(result).slice(0, 1);
  const meaning = meaningOfColumn(result, values[0]);
  const numericPeriods = !!period && result.rows.every((r) => numberOrNull(r[period]) !== null);
  const byPeriod = (a: Record<string, unknown>, b: Record<string, unknown>) => numericPeriods
    ? numberOrNull(a[period!])! - numberOrNull(b[period!])!
    : String(a[period!]).localeCompare(String(b[period!]));
  const rows = period ? [...result.rows].sort(byPeriod) : result.rows;
  const split = shape.splitBy ? findColumn(result, shape.splitBy) : undefined;

  if (split && values[0] && period) {
    const value = values[0];
    const periods = [...new Set(rows.map((r) => String(r[period])))];
    const at = new Map(rows.map((r) => [`${textOf(r[split])}\u0000${String(r[period])}`, numberOrNull(r[value])]));
    // A group with no value at all (a milestone nobody reached yet) would be a legend entry without a line.
    const rank = (g: string) => {
      const i = shape.groupOrder?.indexOf(g) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const groups = [...new Set(rows.map((r) => textOf(r[split])))]
      .filter((g) => periods.some((p) => (at.get(`${g}\u0000${p}`) ?? null) !== null))
      .map((g, i) => ({ g, i }))
      .sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i)
      .map(({ g }) => g);
    const data: LineData = { periods, series: groups.map((g) => ({ name: g, values: periods.map((p) => at.get(`${g}\u0000${p}`) ?? null) })) };
    const table: TableData = {
      columns: [{ key: period, label: label(period), meaning: numericPeriods ? 'number' : 'date' }, ...groups.map((g) => ({ key: g, label: g, meaning }))],
      rows: periods.map((p) => Object.fromEntries([[period, p], ...groups.map((g) => [g, at.get(`${g}\u0000${p}`) ?? null])])),
    };
    return { data, meaning, table };
  }

  // A previous-period column that is all NULL (the report has it, compare is off) is not drawn.
  const previous = values.flatMap((v) => {
    const column = previousColumnOf(result.columns, v);
    return column && rows.some((r) => numberOrNull(r[column]) !== null) ? [{ measure: v, column }] : [];
  });
  const data: LineData = {
    periods: period ? rows.map((r) => String(r[period])) : rows.map((_, i) => String(i + 1)),
    series: values.map((v) => ({ name: label(v), values: rows.map((r) => numberOrNull(r[v])) })),
    previous: previous.map((p) => ({ name: label(p.measure), values: rows.map((r) => numberOrNull(r[p.column])) })),
  };
  const shown = [...values, ...previous.map((p) => p.column)];
  const table: TableData = {
    columns: [
      ...(period ? [{ key: period, label: label(period), meaning: numericPeriods ? ('number' as const) : ('date' as const) }] : []),
      ...shown.map((v) => ({ key: v, label: label(v), meaning: meaningOfColumn(result, v) })),
    ],
    rows: rows.map((r) => Object.fromEntries([period, ...shown].filter((k): k is string => !!k).map((k) => [k, r[k]]))),
  };
  return { data, meaning, table };
}

export function funnelFromReport(result: ResultLike): Shaped<FunnelData> {
  const stage = pickDimension(result, ['stage', 'seeker_path']);
  const reached = pickMeasure(result, ['reached', 'contacts_reached', 'contacts']);
  const conversion = findColumn(result, ['conversion_from_previous_pct', 'conversion_pct']);
  const data: FunnelData = {
    stages: result.rows.map((r) => ({
      name: stage ? textOf(r[stage]) : '',
      reached: reached ? numberOrNull(r[reached]) : null,
      conversionPct: conversion ? numberOrNull(r[conversion]) : null,
    })),
  };
  const keys = [stage, findColumn(result, ['contacts_now']), reached, conversion].filter((k): k is string => !!k);
  const table: TableData = {
    columns: keys.map((k) => ({ key: k, label: labelOf(k), meaning: k === stage ? 'text' : meaningOfColumn(result, k) })),
    rows: result.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]]))),
  };
  return { data, meaning: 'count', table };
}

export function heatmapFromReport(result: ResultLike, valueCandidates: readonly string[] = ['contacts', 'demand']): Shaped<HeatmapData> {
  const year = findColumn(result, ['year', 'iso_year']);
  const week = findColumn(result, ['week', 'week_of_year', 'iso_week', 'period_of_year']);
  const value = pickMeasure(result, valueCandidates);
  const meaning = meaningOfColumn(result, value);
  const cells = year && week && value
    ? result.rows.map((r) => ({ year: numberOrNull(r[year]) ?? 0, week: numberOrNull(r[week]) ?? 0, value: numberOrNull(r[value]) }))
    : [];
  const keys = [year, week, value].filter((k): k is string => !!k);
  const table: TableData = {
    columns: keys.map((k) => ({ key: k, label: labelOf(k), meaning: k === value ? meaning : 'id' })),
    rows: result.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]]))),
  };
  return { data: { cells }, meaning, table };
}

export interface MapShape {
  demand?: readonly string[];
  supply?: readonly string[];
  /** Positions by region id, for reports that name regions without coordinates. */
  coordinates?: ReadonlyMap<string, { longitude: number; latitude: number }>;
}

export function mapFromReport(result: ResultLike, shape: MapShape = {}): Shaped<MapData> {
  const id = findColumn(result, ['location_id', 'region_id', 'grid_id', 'id']);
  const name = pickDimension(result, ['region_name', 'location_name', 'name', 'region', 'place', 'city']);
  const lon = findColumn(result, ['longitude', 'lon', 'lng']);
  const lat = findColumn(result, ['latitude', 'lat']);
  const demand = findColumn(result, shape.demand ?? ['demand', 'contacts', 'new_contacts']);
  const supply = findColumn(result, shape.supply ?? ['free_capacity', 'supply', 'capacity_free']);
  const position = (r: Record<string, unknown>): { longitude: number; latitude: number } => {
    if (lon && lat) return { longitude: numberOrNull(r[lon]) ?? Number.NaN, latitude: numberOrNull(r[lat]) ?? Number.NaN };
    const known = id ? shape.coordinates?.get(String(r[id])) : undefined;
    return known ?? { longitude: Number.NaN, latitude: Number.NaN };
  };
  const points: MapPoint[] = (lon && lat) || shape.coordinates
    ? result.rows.map((r, i) => ({
        id: id ? String(r[id]) : String(i),
        name: name ? textOf(r[name]) : String(i + 1),
        ...position(r),
        demand: demand ? numberOrNull(r[demand]) : null,
        supply: supply ? numberOrNull(r[supply]) : null,
      }))
    : [];
  const keys = [id, name, lon, lat, demand, supply].filter((k): k is string => !!k);
  const table: TableData = {
    columns: keys.map((k) => ({ key: k, label: labelOf(k), meaning: k === name ? 'text' : meaningOfColumn(result, k) })),
    rows: result.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]]))),
  };
  return { data: { points }, meaning: 'count', table };
}

export interface Headline {
  label: string;
  value: number | null;
  previous: number | null;
  /** value − previous, when both are known. */
  change: number | null;
  meaning: Meaning;
  /** The value is a sum that includes suppressed counts: it is at least this much. */
  atLeast?: boolean;
}

/**
 * A headline number: the column summed over the rows (counts) or taken from the first row (a
 * rate or a median cannot be summed), with the previous window's value when the report has it.
 */
export function headline(result: ResultLike, column: string, label = labelOf(column), how?: 'sum' | 'max' | 'first'): Headline {
  const meaning = meaningOfColumn(result, column);
  const rule = how ?? (meaning === 'count' ? 'sum' : 'first');
  const partial = new Set<string>();
  const read = (key: string): number | null => {
    if (!hasColumn(result, key) || !result.rows.length) return null;
    if (rule === 'first') return numberOrNull(result.rows[0]![key]);
    const values = result.rows.map((r) => numberOrNull(r[key])).filter((v): v is number => v !== null);
    if (rule === 'sum' && result.rows.some((r) => isSuppressed(r[key]) || lowerBoundOf(r[key]) !== null)) partial.add(key);
    if (!values.length) return null;
    return rule === 'max' ? Math.max(...values) : values.reduce((sum, v) => sum + v, 0);
  };
  const value = read(column);
  const previousColumn = previousColumnOf(result.columns, column);
  const previous = previousColumn ? read(previousColumn) : null;
  // A change between two totals that are only known from below is not known at all.
  const exact = !partial.size;
  return { label, value, previous, change: value !== null && previous !== null && exact ? value - previous : null, meaning, ...(partial.has(column) ? { atLeast: true } : {}) };
}

/**
 * Sums measures over rows that share the `by` columns (e.g. a region × language × gender report
 * seen per region). Sums of nothing stay null, not 0: unknown is not zero. A group with suppressed
 * parts ("<5", "hidden") is only known from below: its sum becomes "≥N" (or "hidden" when nothing
 * of it is published), so a suppressed count never silently shrinks a total.
 */
export function aggregate(result: ResultLike, by: readonly string[], sum: readonly string[], max: readonly string[] = []): ResultLike {
  const keys = by.filter((k) => hasColumn(result, k));
  const measures = sum.filter((k) => hasColumn(result, k));
  const maxima = max.filter((k) => hasColumn(result, k) && !measures.includes(k));
  const groups = new Map<string, Record<string, unknown>>();
  const partial = new Set<string>();
  for (const row of result.rows) {
    const id = JSON.stringify(keys.map((k) => row[k] ?? null));
    const group: Record<string, unknown> = groups.get(id)
      ?? Object.fromEntries([...keys.map((k) => [k, row[k]]), ...[...measures, ...maxima].map((m) => [m, null])]);
    groups.set(id, group);
    for (const m of measures) {
      const raw = row[m];
      const v = numberOrNull(raw);
      if (v !== null) group[m] = ((group[m] as number | null) ?? 0) + v;
      if (isSuppressed(raw) || lowerBoundOf(raw) !== null) partial.add(`${id}\u0000${m}`);
    }
    // Values repeated on every row of a group (multipliers serving a region) are not summed.
    for (const m of maxima) {
      const v = numberOrNull(row[m]);
      if (v !== null) group[m] = Math.max((group[m] as number | null) ?? Number.NEGATIVE_INFINITY, v);
    }
  }
  for (const [id, group] of groups) {
    for (const m of measures) {
      if (!partial.has(`${id}\u0000${m}`)) continue;
      const known = group[m] as number | null;
      group[m] = known === null ? 'hidden' : lowerBound(known);
    }
  }
  return {
    columns: result.columns.filter((c) => keys.includes(c.name) || measures.includes(c.name) || maxima.includes(c.name)),
    rows: [...groups.values()],
  };
}

/** Adds a text column joining others ("ar · female"), for charts by a combination of dimensions. */
export function withSegment(result: ResultLike, parts: readonly string[], name = 'segment', separator = ' · '): ResultLike {
  const present = parts.filter((p) => hasColumn(result, p));
  return {
    columns: [{ name, type: 'VARCHAR' }, ...result.columns],
    rows: result.rows.map((row) => ({ [name]: present.map((p) => textOf(row[p])).join(separator), ...row })),
  };
}

/** Share of the funnel's first stage that reached `stage`, in percentage points (null if unknown). */
export function stageShare(result: ResultLike, stage: string): number | null {
  const { data } = funnelFromReport(result);
  const first = data.stages[0]?.reached ?? null;
  const reached = data.stages.find((s) => s.name === stage)?.reached ?? null;
  if (!first || reached === null) return null;
  return (reached * 100) / first;
}

/** The rows that pass `keep` (e.g. one section of a multi-part report). */
export function filterRows(result: ResultLike, keep: (row: Record<string, unknown>) => boolean): ResultLike {
  return { columns: result.columns, rows: result.rows.filter(keep) };
}

/** Adds `name` = numerator / denominator per row (null when the denominator is 0 or unknown). */
export function withRatio(result: ResultLike, name: string, numerator: string, denominator: string, digits = 1): ResultLike {
  if (!hasColumn(result, numerator) || !hasColumn(result, denominator)) return result;
  const scale = 10 ** digits;
  return {
    columns: [...result.columns, { name, type: 'DOUBLE' }],
    rows: result.rows.map((row) => {
      const n = numberOrNull(row[numerator]);
      const d = numberOrNull(row[denominator]);
      const ratio = n !== null && d ? Math.round((n / d) * scale) / scale : null;
      // A lower bound over an exact count is a lower bound too.
      const bounded = lowerBoundOf(row[numerator]) !== null && lowerBoundOf(row[denominator]) === null;
      return { ...row, [name]: ratio !== null && bounded ? lowerBound(ratio) : ratio };
    }),
  };
}

/** Region positions from GET /api/dimensions, for the map of reports that carry only region ids. */
export function coordinatesOf(regions: readonly { id: string | number; longitude?: number | null; latitude?: number | null }[] | undefined): Map<string, { longitude: number; latitude: number }> {
  const out = new Map<string, { longitude: number; latitude: number }>();
  for (const r of regions ?? []) {
    if (typeof r.longitude === 'number' && typeof r.latitude === 'number') out.set(String(r.id), { longitude: r.longitude, latitude: r.latitude });
  }
  return out;
}
