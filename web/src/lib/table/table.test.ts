import { describe, expect, it } from 'vitest';
import { tableFromReport, type TableColumn } from './table';
import { nextSort, sortRows } from './sort';
import { csvCell, exportFileName, toCsv } from './csv';

const columns: TableColumn[] = [
  { key: 'multiplier', label: 'Multiplier', meaning: 'text' },
  { key: 'load', label: 'Load', meaning: 'count' },
];
const rows = [
  { multiplier: 'item 10', load: 3 },
  { multiplier: 'Item 2', load: null },
  { multiplier: 'item 1', load: 12 },
  { multiplier: null, load: 3 },
  { multiplier: 'Émile', load: '<5' },
];

describe('sortRows', () => {
  it.each([
    ['multiplier', 'ascending', ['Émile', 'item 1', 'Item 2', 'item 10', null]],
    ['multiplier', 'descending', ['item 10', 'Item 2', 'item 1', 'Émile', null]],
    ['load', 'descending', [12, 3, 3, '<5', null]],
    ['load', 'ascending', ['<5', 3, 3, 12, null]],
  ] as const)('by %s %s, missing last', (key, direction, expected) => {
    const sorted = sortRows(rows, { key, direction }, columns, 'en');
    expect(sorted.map((r) => r[key])).toEqual(expected);
  });

  it('is stable for equal values and leaves rows alone without a sort', () => {
    const sorted = sortRows(rows, { key: 'load', direction: 'descending' }, columns, 'en');
    expect(sorted.filter((r) => r.load === 3).map((r) => r.multiplier)).toEqual(['item 10', null]);
    expect(sortRows(rows, null, columns)).toEqual(rows);
    expect(sortRows(rows, { key: 'gone', direction: 'ascending' }, columns)).toEqual(rows);
  });

  it('starts numbers largest first, text A→Z, and reverses on a second press', () => {
    expect(nextSort(null, columns[1]!)).toEqual({ key: 'load', direction: 'descending' });
    expect(nextSort(null, columns[0]!)).toEqual({ key: 'multiplier', direction: 'ascending' });
    expect(nextSort({ key: 'load', direction: 'descending' }, columns[1]!)).toEqual({ key: 'load', direction: 'ascending' });
    expect(nextSort({ key: 'load', direction: 'ascending' }, columns[0]!)).toEqual({ key: 'multiplier', direction: 'ascending' });
  });
});

describe('csv', () => {
  it.each([
    [12.5, '12.5'],
    [null, ''],
    ['Amman', 'Amman'],
    ['Smith, "Jo"', '"Smith, ""Jo"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['@cmd', "'@cmd"],
    ['-12', '-12'],
    [-3, '-3'],
    [['en', 'ar'], 'en;ar'],
    [Number.NaN, ''],
  ])('csvCell(%j) = %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes exactly the shown columns and rows, headed by API names', () => {
    const table = { columns: [columns[1]!, columns[0]!], rows: rows.slice(0, 2) };
    expect(toCsv(table)).toBe('load,multiplier\r\n3,item 10\r\n,Item 2\r\n');
  });

  it('names files safely', () => {
    expect(exportFileName('Campaign response 2026-01-01..2026-03-31', 'csv')).toBe('campaign-response-2026-01-01..2026-03-31.csv');
    expect(exportFileName('../../etc/passwd', 'png')).toBe('..-..-etc-passwd.png');
    expect(exportFileName('', 'csv')).toBe('handoff.csv');
  });
});

describe('tableFromReport', () => {
  it('shows every column with its meaning, comparison columns signed', () => {
    const table = tableFromReport({
      columns: [{ name: 'city', type: 'VARCHAR' }, { name: 'contacts', type: 'BIGINT' }, { name: 'contacts_previous', type: 'BIGINT' }, { name: 'contacts_change_pct', type: 'DOUBLE' }],
      rows: [],
    });
    expect(table.columns.map((c) => [c.key, c.meaning, c.signed])).toEqual([
      ['city', 'text', false], ['contacts', 'count', false], ['contacts_previous', 'count', false], ['contacts_change_pct', 'percent', true],
    ]);
    const server = tableFromReport({ columns: [{ name: 'delta', type: 'INTEGER' }, { name: 'met_delta_pts', type: 'DOUBLE' }, { name: 'previous_contacts', type: 'INTEGER' }], rows: [] });
    expect(server.columns.map((c) => c.signed)).toEqual([true, true, false]);
  });

  it('hides, orders and relabels', () => {
    const table = tableFromReport(
      { columns: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'INTEGER' }, { name: 'c', type: 'INTEGER' }], rows: [] },
      { only: ['c', 'a', 'missing'], labels: { c: 'See' } },
    );
    expect(table.columns.map((c) => c.label)).toEqual(['See', 'A']);
  });

  it('moves chosen columns to the front and keeps the rest in order', () => {
    const table = tableFromReport(
      { columns: ['id', 'value', 'kind', 'evidence'].map((name) => ({ name, type: 'VARCHAR' })), rows: [] },
      { first: ['evidence', 'missing', 'kind'] },
    );
    expect(table.columns.map((c) => c.key)).toEqual(['evidence', 'kind', 'id', 'value']);
  });
});

import { defaultSort } from './sort';

describe('defaultSort', () => {
  it('picks the first key the table has', () => {
    expect(defaultSort(columns, ['utilisation', 'load'])).toEqual({ key: 'load', direction: 'descending' });
    expect(defaultSort(columns, ['nothing'])).toBeNull();
  });
});

import { tableOfRecords } from './table';
import { labelOf, meaningOf } from '../format/columns';

describe('tableOfRecords', () => {
  it('takes columns from the records and reads them by name and value', () => {
    const table = tableOfRecords(
      [{ login: 'amal', role: 'admin', created_at: '2026-01-01' }, { login: 'sami', roles: ['a', 'b'], failed_logins: 2 }],
      { labelOf, meaningOf },
    );
    expect(table.columns.map((c) => [c.key, c.meaning])).toEqual([
      ['login', 'text'], ['role', 'text'], ['created_at', 'date'], ['roles', 'text'], ['failed_logins', 'count'],
    ]);
    expect(table.rows[1]).toEqual({ login: 'sami', role: undefined, created_at: undefined, roles: 'a, b', failed_logins: 2 });
  });
});
