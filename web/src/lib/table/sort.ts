// Sorting for tables: numbers as numbers, text in the user's collation ("item 2" before "item 10"),
// missing values always last whichever the direction, and stable so equal rows keep their order.
import { toNumber } from '../format/format';
import { isNumericMeaning, type TableColumn } from './table';
import type { ReportRow } from '../api/types';

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  key: string;
  direction: SortDirection;
}

/**
 * What a header press does: a new column sorts numbers largest first (the question is usually
 * "who has the most") and text A→Z; pressing the sorted column again reverses it.
 */
export function nextSort(current: SortState | null, column: TableColumn): SortState {
  if (current?.key === column.key) {
    return { key: column.key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  return { key: column.key, direction: isNumericMeaning(column.meaning) ? 'descending' : 'ascending' };
}

const collators = new Map<string, Intl.Collator>();
function collator(locale?: string): Intl.Collator {
  const key = locale ?? '';
  let c = collators.get(key);
  if (!c) {
    c = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    collators.set(key, c);
  }
  return c;
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

export function sortRows(rows: readonly ReportRow[], sort: SortState | null, columns: readonly TableColumn[], locale?: string): ReportRow[] {
  if (!sort) return [...rows];
  const column = columns.find((c) => c.key === sort.key);
  if (!column) return [...rows];
  const numeric = isNumericMeaning(column.meaning);
  const factor = sort.direction === 'ascending' ? 1 : -1;
  const compareText = collator(locale).compare;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const va = a.row[sort.key];
      const vb = b.row[sort.key];
      const ma = isMissing(va);
      const mb = isMissing(vb);
      if (ma || mb) return ma === mb ? a.index - b.index : ma ? 1 : -1;
      let order: number;
      if (numeric) {
        // A lower bound "≥N" sorts at N.
        const na = toNumber(va) ?? (typeof va === 'string' && va.startsWith('≥') ? toNumber(va.slice(1)) : null);
        const nb = toNumber(vb) ?? (typeof vb === 'string' && vb.startsWith('≥') ? toNumber(vb.slice(1)) : null);
        // A suppressed count ("<5") sorts as the smallest number.
        order = (na ?? Number.NEGATIVE_INFINITY) - (nb ?? Number.NEGATIVE_INFINITY);
        if (Number.isNaN(order)) order = 0;
      } else {
        order = compareText(String(va), String(vb));
      }
      return order !== 0 ? order * factor : a.index - b.index;
    })
    .map(({ row }) => row);
}

/** Sorts by the first of `keys` the table has (largest first), or not at all. */
export function defaultSort(columns: readonly TableColumn[], keys: readonly string[], direction: SortDirection = 'descending'): SortState | null {
  const key = keys.find((k) => columns.some((c) => c.key === k));
  return key ? { key, direction } : null;
}
