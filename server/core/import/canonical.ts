// The canonical format (docs/import-format.md) for teams not on D.T. CSV files are read by DuckDB's
// own read_csv straight into a TEMP table of text columns and validated in SQL, so a million-row
// file never passes through JS row by row; JSON files are appended into the same text table, so
// both forms share one validation and one conversion.
import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../db/database.ts';
import { stageSqlType } from './columns.ts';
import { STAGE_SHAPES } from './load.ts';
import { CONTACT_TYPES, OVERALL_STATUSES, SEEKER_PATHS, ImportRefused, type ImportIssue } from './types.ts';

type ValueType =
  | 'text' | 'list' | 'int_list' | 'timestamp' | 'date' | 'bool' | 'int' | 'double' | 'ranges'
  | { oneOf: readonly string[] };

export interface CanonicalKind {
  kind: 'contacts' | 'multipliers' | 'events' | 'locations';
  stageTable: string;
  idColumn: string;
  /** Columns that must be present and non-empty. */
  required: string[];
  columns: Record<string, ValueType>;
}

const EVENT_KINDS = [
  'created', 'assigned', 'accepted', 'declined', 'status_changed', 'seeker_path_changed', 'attempt', 'established',
  'scheduled', 'met', 'no_show', 'update_requested', 'update_answered', 'comment', 'field_changed',
] as const;

export const CANONICAL_KINDS: CanonicalKind[] = [
  {
    kind: 'contacts', stageTable: 'stage_contacts', idColumn: 'contact_id',
    required: ['contact_id', 'created_at', 'contact_type'],
    columns: {
      contact_id: 'text', name: 'text', created_at: 'timestamp', contact_type: { oneOf: CONTACT_TYPES },
      overall_status: { oneOf: OVERALL_STATUSES }, seeker_path: { oneOf: SEEKER_PATHS }, gender: 'text', age_band: 'text',
      languages: 'list', sources: 'list', campaigns: 'list', tags: 'list', location_ids: 'int_list', assigned_to: 'text',
      accepted: 'bool', requires_update: 'bool', reason_closed: 'text', reason_paused: 'text', reason_unassignable: 'text',
      milestones: 'list', faith_status: 'text', baptism_date: 'date', attempts_count: 'int', established_count: 'int',
      scheduled_count: 'int', met_count: 'int', no_show_count: 'int', phones: 'list', emails: 'list', last_modified: 'timestamp',
    },
  },
  {
    kind: 'multipliers', stageTable: 'stage_multipliers', idColumn: 'user_id', required: ['user_id'],
    columns: {
      user_id: 'text', display_name: 'text', login: 'text', roles: 'list', user_status: 'text', gender: 'text',
      languages: 'list', location_ids: 'int_list', workload_status: { oneOf: ['active', 'existing', 'too_many'] },
      capacity: 'int', unavailable: 'ranges',
    },
  },
  {
    kind: 'events', stageTable: 'stage_events', idColumn: 'event_id', required: ['event_id', 'contact_id', 'occurred_at', 'kind'],
    columns: {
      event_id: 'text', contact_id: 'text', occurred_at: 'timestamp', kind: { oneOf: EVENT_KINDS }, actor_id: 'text',
      actor_name: 'text', target_user_id: 'text', field: 'text', old_value: 'text', new_value: 'text', note: 'text',
    },
  },
  {
    kind: 'locations', stageTable: 'stage_locations', idColumn: 'location_id', required: ['location_id', 'name'],
    columns: {
      location_id: 'int', name: 'text', level: 'int', level_name: 'text', parent_id: 'int', country_code: 'text',
      longitude: 'double', latitude: 'double', population: 'int',
    },
  },
];

/** Recognises a canonical CSV by its header: the identifying columns of exactly one kind. */
export function detectCanonicalHeader(header: string[]): CanonicalKind | null {
  const set = new Set(header.map((h) => h.trim()));
  if (set.has('event_id') && set.has('occurred_at')) return kindNamed('events');
  if (set.has('contact_id') && set.has('created_at')) return kindNamed('contacts');
  if (set.has('user_id') && !set.has('contact_id')) return kindNamed('multipliers');
  if (set.has('location_id') && set.has('name') && !set.has('contact_id')) return kindNamed('locations');
  return null;
}

function kindNamed(kind: CanonicalKind['kind']): CanonicalKind {
  return CANONICAL_KINDS.find((k) => k.kind === kind)!;
}

/** The SQL for a column's value as text, trimmed, NULL when empty; the checks and conversions start from it. */
type ValueOf = (col: string) => string;
// Spaces (U+0020) around a value or a list item are ignored; other characters, tabs and no-break
// spaces included, are kept (docs/import-format.md). A plain space is cheap to look for at the ends
// of millions of values, which the one-pass import relies on.
const spaceTrimmed = (sql: string) => `trim(${sql}, ' ')`;
const trimmedValue: ValueOf = (col) => `nullif(${spaceTrimmed(`r."${col}"`)}, '')`;
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL condition under which a non-empty value is invalid, and the reason given. */
function invalidWhen(v: string, type: ValueType): { condition: string; reason: string } | null {
  if (typeof type === 'object') {
    return { condition: `${v} NOT IN (${type.oneOf.map(sqlString).join(', ')})`, reason: `unknown value; allowed: ${type.oneOf.join(', ')}` };
  }
  switch (type) {
    case 'timestamp':
      return { condition: `TRY_CAST(${v} AS TIMESTAMP) IS NULL OR TRY_CAST(${v} AS TIMESTAMP) > now()::TIMESTAMP + INTERVAL 1 DAY`, reason: 'not a date/time (ISO 8601), or in the future' };
    case 'date':
      return { condition: `TRY_CAST(${v} AS DATE) IS NULL OR TRY_CAST(${v} AS DATE) > current_date + 1`, reason: 'not a date (YYYY-MM-DD), or in the future' };
    case 'bool':
      return { condition: `lower(${v}) NOT IN ('true', 'false', '1', '0', 'yes', 'no')`, reason: 'not a boolean (true/false)' };
    case 'int':
      return { condition: `TRY_CAST(${v} AS BIGINT) IS NULL`, reason: 'not a whole number' };
    case 'double':
      return { condition: `TRY_CAST(${v} AS DOUBLE) IS NULL`, reason: 'not a number' };
    case 'int_list':
      return { condition: `list_bool_or(list_transform(string_split(${v}, ';'), x -> TRY_CAST(${spaceTrimmed('x')} AS BIGINT) IS NULL))`, reason: 'not a ;-separated list of whole numbers' };
    case 'ranges':
      return { condition: `NOT regexp_full_match(${v}, '\\d{4}-\\d{2}-\\d{2}/\\d{4}-\\d{2}-\\d{2}(;\\d{4}-\\d{2}-\\d{2}/\\d{4}-\\d{2}-\\d{2})*')`, reason: 'not a ;-separated list of YYYY-MM-DD/YYYY-MM-DD ranges' };
    default:
      return null;
  }
}

/**
 * The SQL turning a raw text value into its staged value. Strict (the one-pass import): a
 * number, date, boolean or id list that the checks would reject raises an error instead of
 * becoming NULL.
 */
function convert(v: string, type: ValueType, strict = false): string {
  const cast = (value: string, target: string) => `${strict ? 'CAST' : 'TRY_CAST'}(${value} AS ${target})`;
  if (typeof type === 'object') return v;
  switch (type) {
    case 'text': case 'ranges': return v;
    case 'list': return `CASE WHEN ${v} IS NULL THEN []::VARCHAR[] ELSE list_filter(list_transform(string_split(${v}, ';'), x -> ${spaceTrimmed('x')}), x -> x <> '') END`;
    case 'int_list': return `CASE WHEN ${v} IS NULL THEN []::BIGINT[] ELSE list_transform(string_split(${v}, ';'), x -> ${cast(spaceTrimmed('x'), 'BIGINT')}) END`;
    case 'timestamp': return `epoch_ms(${cast(v, 'TIMESTAMP')})`;
    case 'date': return `epoch_ms(${cast(v, 'DATE')}::TIMESTAMP)`;
    case 'bool': return `CASE WHEN lower(${v}) IN ('true', '1', 'yes') THEN true WHEN lower(${v}) IN ('false', '0', 'no') THEN false
      ${strict ? `WHEN ${v} IS NOT NULL THEN error('not a boolean')` : ''} END`;
    case 'int': return cast(v, 'BIGINT');
    case 'double': return cast(v, 'DOUBLE');
  }
}

export interface CanonicalStageResult { rowsRead: number; issues: ImportIssue[] }

interface RowCheck { field: string; required: boolean; failsWhen: string; shownValue: string; reason: string }

/** Every check a row of this kind must pass, in the order a rejected row reports the first failure. */
function rowChecks(kind: CanonicalKind, header: string[], value: ValueOf): RowCheck[] {
  const checks: RowCheck[] = kind.required.map((col) => ({
    field: col, required: true, failsWhen: `${value(col)} IS NULL`, shownValue: `r."${col}"`, reason: 'required value is missing',
  }));
  for (const col of header) {
    const invalid = invalidWhen(value(col), kind.columns[col]!);
    if (!invalid) continue;
    checks.push({
      field: col,
      required: false,
      failsWhen: `${value(col)} IS NOT NULL AND (${invalid.condition})`,
      shownValue: col === 'phones' || col === 'emails' ? `'[redacted]'` : `r."${col}"`,
      reason: invalid.reason,
    });
  }
  return checks;
}

/**
 * Validates temp table `raw` (text columns + row_number) of one canonical kind and stages the valid rows.
 * Rejected rows are reported with row, field, value and reason; the first problem of a row is enough.
 */
async function validateAndStage(connection: DuckDBConnection, kind: CanonicalKind, file: string, header: string[]): Promise<CanonicalStageResult> {
  // One pass over the rows: the first problem of each row, as a struct (a row needs one reason to be
  // rejected). Each check used to be its own scan, which dominated imports of millions of events.
  const problems = rowChecks(kind, header, trimmedValue).map((check) =>
    `WHEN ${check.failsWhen} THEN {'field': ${sqlString(check.field)}, 'value': ${check.shownValue}, 'reason': ${sqlString(check.reason)}}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE raw_rejects AS
    SELECT row_number, p.field AS field, p.value AS value, p.reason AS reason
    FROM (SELECT row_number, CASE ${problems.join('\n      ')} END AS p FROM raw r)
    WHERE p IS NOT NULL`);
  await connection.run(`INSERT INTO raw_rejects
    SELECT row_number, ${sqlString(kind.idColumn)}, r."${kind.idColumn}", 'id repeated within the file (first occurrence kept)'
    FROM (SELECT row_number, r."${kind.idColumn}", row_number() OVER (PARTITION BY ${trimmedValue(kind.idColumn)} ORDER BY row_number) AS occurrence FROM raw r) r
    WHERE occurrence > 1 AND ${trimmedValue(kind.idColumn)} IS NOT NULL
      AND row_number NOT IN (SELECT row_number FROM raw_rejects)`);

  await connection.run(`INSERT INTO ${kind.stageTable} (${header.join(', ')}, carried, source_format, file, row_number)
    SELECT ${header.map((col) => convert(trimmedValue(col), kind.columns[col]!)).join(', ')}, ${carriedList(header)}, 'canonical', ${sqlString(file)}, r.row_number
    FROM raw r ANTI JOIN raw_rejects x ON x.row_number = r.row_number`);

  const rejects = await queryRows<{ row_number: number; field: string; value: string | null; reason: string }>(connection,
    'SELECT row_number::INTEGER AS row_number, field, value, reason FROM raw_rejects ORDER BY row_number');
  const rowsRead = (await queryRows<{ n: number }>(connection, 'SELECT count(*)::INTEGER AS n FROM raw'))[0]?.n ?? 0;
  await connection.run('DROP TABLE IF EXISTS temp.raw_rejects');
  await connection.run('DROP TABLE IF EXISTS temp.raw');
  return {
    rowsRead,
    issues: rejects.map((r) => ({ kind: 'reject', file, row: r.row_number, field: r.field, value: r.value, reason: r.reason })),
  };
}

const carriedList = (header: string[]) => `[${header.map(sqlString).join(', ')}]::VARCHAR[]`;

const READ_CSV = `read_csv($file, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', strict_mode = true)`;

/**
 * A one-pass import (see mergeInOnePass): the rows of a canonical CSV as a stage relation
 * read straight from the file, bound to `$file`. Where the validating path would reject a row, this
 * raises an error instead: one bad row abandons the pass, and the caller stages the files the
 * validating way, which names every bad row. The row checks are folded into the work that must be
 * done anyway: strict conversions fail on bad numbers, dates, booleans and id lists; the stored
 * tables' NOT NULL constraints fail on missing required values; dates in the future are looked for
 * in the stored columns afterwards (futureDatesSql). Only values from a fixed list and date ranges
 * are checked row by row. Row numbers are left out (a window over the whole file; only rejects
 * need them), and so is trimming: a text value with a space at either end abandons the pass,
 * so both paths store the same values. (Typed values need no such test: a padded number or date
 * converts to the same value, and a padded list item is trimmed like any other.)
 */
export function canonicalCsvRelation(kind: CanonicalKind, header: string[], file: string): string {
  const shape = STAGE_SHAPES[kind.kind];
  const unstaged = header.filter((col) => col !== shape.id.name && !shape.columns.some((c) => c.name === col));
  if (unstaged.length > 0) throw new Error(`canonical ${kind.kind} columns without a stage column: ${unstaged.join(', ')}`);
  const value: ValueOf = (col) => `nullif(r."${col}", '')`;
  const columns = [shape.id, ...shape.columns].map((spec) => header.includes(spec.name)
    ? `${convert(value(spec.name), kind.columns[spec.name]!, true)} AS ${spec.name}`
    : `NULL::${stageSqlType(spec.stage)} AS ${spec.name}`);
  const padded = header.filter((col) => kind.columns[col] === 'text')
    .map((col) => `starts_with(r."${col}", ' ') OR ends_with(r."${col}", ' ')`);
  const inline = rowChecks(kind, header, value).filter((check) => {
    const type = kind.columns[check.field]!;
    return !check.required && (typeof type === 'object' || type === 'ranges');
  });
  const firstProblem = [
    ...(padded.length > 0 ? [`WHEN ${padded.join(' OR ')} THEN error(${sqlString(`${file}: a value has spaces around it`)})`] : []),
    ...inline.map((check) => `WHEN ${check.failsWhen} THEN error(${sqlString(`${file}: ${check.field}: ${check.reason}`)})`),
  ];
  return `(SELECT ${columns.join(', ')}, ${carriedList(header)} AS carried, 'canonical' AS source_format,
      ${sqlString(file)} AS file, NULL::INTEGER AS row_number
    FROM ${READ_CSV} r
    ${firstProblem.length > 0 ? `WHERE CASE ${firstProblem.join('\n      ')} ELSE true END` : ''})`;
}

/** After a one-pass import stored a file: a query whose `future` is true when a date it stored is in the future. */
export function futureDatesSql(kind: CanonicalKind, header: string[], version: number): string | null {
  const dated = header.filter((col) => kind.columns[col] === 'timestamp' || kind.columns[col] === 'date');
  if (dated.length === 0) return null;
  const limit = (col: string) => (kind.columns[col] === 'date' ? 'current_date + 1' : 'now()::TIMESTAMP + INTERVAL 1 DAY');
  return `SELECT coalesce(${dated.map((col) => `max(${col}) > ${limit(col)}`).join(' OR ')}, false) AS future
    FROM ${kind.kind} WHERE import_version = ${Number(version)}`;
}

export function checkHeader(kind: CanonicalKind, header: string[], file: string): void {
  for (const col of header) {
    if (!(col in kind.columns)) {
      throw new ImportRefused(`${file}: unknown column "${col}" for canonical ${kind.kind}; allowed: ${Object.keys(kind.columns).join(', ')}`, file, 1, col);
    }
  }
  for (const col of kind.required) {
    if (!header.includes(col)) throw new ImportRefused(`${file}: required column "${col}" is missing`, file, 1, col);
  }
}

export async function readCsvHeader(connection: DuckDBConnection, file: string): Promise<string[]> {
  const rows = await queryRows<{ column_name: string }>(connection,
    `DESCRIBE SELECT * FROM read_csv($file, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`, { file });
  return rows.map((r) => r.column_name);
}

export async function stageCanonicalCsv(connection: DuckDBConnection, file: string, displayName = file): Promise<CanonicalStageResult> {
  const header = await readCsvHeader(connection, file);
  const kind = detectCanonicalHeader(header);
  if (!kind) throw new ImportRefused(`${displayName}: not a canonical CSV (no identifying columns in the header)`, displayName, 1);
  checkHeader(kind, header, displayName);
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE raw AS
      SELECT row_number() OVER ()::INTEGER AS row_number, *
      FROM ${READ_CSV}`, { file });
  } catch (error) {
    throw new ImportRefused(`${displayName}: the CSV cannot be read: ${(error as Error).message.split('\n')[0]}`, displayName);
  }
  return validateAndStage(connection, kind, displayName, header);
}

/** Canonical JSON: `{"format":"handoff-canonical","version":1,"contacts":[...],...}`. */
export function isCanonicalJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === 'handoff-canonical';
}

function toText(value: unknown, type: ValueType): string | null {
  if (value === undefined || value === null) return null;
  if (type === 'ranges' && Array.isArray(value)) {
    return value.map((r: { start_date: string; end_date: string }) => `${r.start_date}/${r.end_date}`).join(';');
  }
  if (Array.isArray(value)) return value.map(String).join(';');
  return String(value);
}

export async function stageCanonicalJson(connection: DuckDBConnection, json: unknown, file: string): Promise<CanonicalStageResult> {
  const doc = json as Record<string, unknown>;
  if (doc.version !== 1) throw new ImportRefused(`${file}: unsupported canonical version ${String(doc.version)} (expected 1)`, file, null, 'version');
  const result: CanonicalStageResult = { rowsRead: 0, issues: [] };
  for (const kind of CANONICAL_KINDS) {
    const rows = doc[kind.kind];
    if (rows === undefined) continue;
    if (!Array.isArray(rows)) throw new ImportRefused(`${file}: "${kind.kind}" must be an array`, file, null, kind.kind);
    const header = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
    for (const col of kind.required) if (!header.includes(col)) header.push(col);
    checkHeader(kind, header, `${file} (${kind.kind})`);
    await connection.run(`CREATE OR REPLACE TEMP TABLE raw (row_number INTEGER, ${header.map((h) => `"${h}" VARCHAR`).join(', ')})`);
    const appender = await connection.createAppender('raw', 'main', 'temp');
    rows.forEach((row, index) => {
      appender.appendInteger(index + 1);
      for (const col of header) {
        const text = toText((row as Record<string, unknown>)[col], kind.columns[col]!);
        if (text === null) appender.appendNull();
        else appender.appendVarchar(text);
      }
      appender.endRow();
    });
    appender.closeSync();
    const staged = await validateAndStage(connection, kind, `${file}#${kind.kind}`, header);
    result.rowsRead += staged.rowsRead;
    result.issues.push(...staged.issues);
  }
  return result;
}

export function readFirstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

