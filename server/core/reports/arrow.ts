// Arrow IPC stream of a report result. The DuckDB binding has no Arrow export, and results are
// aggregates, so building the table in JS from the rows is cheap.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { ReportResult } from './registry.ts';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

export function toArrowStream(result: ReportResult): Uint8Array {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const column of result.columns) {
    // A suppressed cell ("<5", "hidden") makes its column text, so the marker is never read as a number.
    const allNumeric = result.rows.every((r) => r[column.name] === null || typeof r[column.name] === 'number');
    if (NUMERIC.test(column.type) && allNumeric) {
      columns[column.name] = Float64Array.from(result.rows, (r) => (r[column.name] === null ? NaN : Number(r[column.name])));
    } else {
      columns[column.name] = result.rows.map((r) => {
        const v = r[column.name];
        if (v === null || v === undefined) return null;
        return typeof v === 'object' ? JSON.stringify(v) : String(v);
      });
    }
  }
  return tableToIPC(tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]), 'stream');
}
