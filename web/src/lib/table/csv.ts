// CSV of exactly what a table or chart shows: the shown columns, in the shown order, the shown
// rows in the shown sort. Values are written raw (12.5, not "12.5 %") so the file reads back into
// a spreadsheet as numbers and compares 1:1 with the API's own CSV.
import type { TableData } from './table';

const NEEDS_QUOTES = /[",\r\n]/;
// A cell starting with one of these is run as a formula by spreadsheets (CSV injection). Text from
// contacts (names, campaign names) is untrusted, so such text is prefixed with an apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (Array.isArray(value)) text = value.join(';');
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !/^[-+]?\d/.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: TableData): string {
  const lines = [table.columns.map((c) => csvCell(c.key)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A safe file name: "Campaign response 2026-01-01..2026-03-31" → "campaign-response-2026-01-01..2026-03-31.csv". */
export function exportFileName(title: string, extension: 'csv' | 'png'): string {
  const base = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w.\-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `${base || 'handoff'}.${extension}`;
}
