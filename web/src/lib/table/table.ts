// What a table (or a chart's data) shows: columns with their meaning, and rows. The same
// structure feeds the DataTable, the CSV export and a chart's "show as table".
import { labelOf, meaningOf } from '../format/columns';
import type { Meaning } from '../format/format';
import type { ReportColumn, ReportRow } from '../api/types';

export interface TableColumn {
  /** The key in each row; also the CSV header (the API's column name, so exports compare 1:1). */
  key: string;
  label: string;
  meaning: Meaning;
  /** Changes vs the previous period: shown with a sign. */
  signed?: boolean;
}

export interface TableData {
  columns: TableColumn[];
  rows: ReportRow[];
}

export interface TableFromReportOptions {
  /** Show only these columns, in this order (others hidden). */
  only?: string[];
  hide?: string[];
  /** Move these columns (those the result has) to the front, in this order; the rest follow as they come. */
  first?: string[];
  labels?: Record<string, string>;
  meanings?: Record<string, Meaning>;
}

export function isChangeColumn(key: string): boolean {
  return /_(change|change_pct|delta|delta_pct|delta_pts)$/.test(key) || key === 'delta' || key === 'delta_pct';
}

/** Every column the report returned (comparison columns included), read by name and type. */
export function tableFromReport(
  result: { readonly columns: readonly ReportColumn[]; readonly rows: readonly ReportRow[] },
  options: TableFromReportOptions = {},
): TableData {
  const hidden = new Set(options.hide ?? []);
  let columns = result.columns.filter((c) => !hidden.has(c.name));
  if (options.only) {
    const byName = new Map(columns.map((c) => [c.name, c]));
    columns = options.only.map((name) => byName.get(name)).filter((c): c is NonNullable<typeof c> => c !== undefined);
  }
  if (options.first) {
    const front = options.first.filter((name) => columns.some((c) => c.name === name));
    columns = [...front.map((name) => columns.find((c) => c.name === name)!), ...columns.filter((c) => !front.includes(c.name))];
  }
  return {
    columns: columns.map((c) => ({
      key: c.name,
      label: options.labels?.[c.name] ?? labelOf(c.name),
      meaning: options.meanings?.[c.name] ?? meaningOf(c),
      signed: isChangeColumn(c.name),
    })),
    rows: [...result.rows],
  };
}

/** A report shown as a table panel (ChartFrame with chart={false}): what is drawn is what is exported. */
export function asTable(
  result: { readonly columns: readonly ReportColumn[]; readonly rows: readonly ReportRow[] },
  options: TableFromReportOptions = {},
): { data: TableData; table: TableData } {
  const table = tableFromReport(result, options);
  return { data: table, table };
}

export function isNumericMeaning(meaning: Meaning): boolean {
  return meaning !== 'text' && meaning !== 'date' && meaning !== 'id';
}

/**
 * A table from plain JSON records (admin lists without declared column types): the columns are
 * the keys of the records in first-seen order; numbers are read as counts, the rest by name.
 */
export function tableOfRecords(
  records: readonly ReportRow[],
  read: { labelOf: (name: string) => string; meaningOf: (c: { name: string; type: string }) => Meaning },
): TableData {
  const keys: string[] = [];
  for (const record of records) for (const key of Object.keys(record)) if (!keys.includes(key)) keys.push(key);
  const typeOf = (key: string) => {
    const sample = records.find((r) => r[key] !== null && r[key] !== undefined)?.[key];
    return typeof sample === 'number' ? (Number.isInteger(sample) ? 'BIGINT' : 'DOUBLE') : 'VARCHAR';
  };
  return {
    columns: keys.map((key) => ({ key, label: read.labelOf(key), meaning: read.meaningOf({ name: key, type: typeOf(key) }) })),
    rows: records.map((r) => Object.fromEntries(keys.map((k) => [k, Array.isArray(r[k]) ? (r[k] as unknown[]).join(', ') : r[k]]))),
  };
}
