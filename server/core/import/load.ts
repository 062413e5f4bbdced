// The only module that writes imported data. Parsers hand it typed rows; it stages them in TEMP
// tables (in memory, never in the database file — raw phones and e-mails pass through here only),
// then merges them into the stored tables by source id inside the caller's transaction.
// A field a format does not carry is left as stored ("carried" lists), so a CSV with 8 columns
// does not blank the other 38.
import {
  BIGINT, BOOLEAN, DOUBLE, INTEGER, LIST, VARCHAR,
  type DuckDBAppender, type DuckDBConnection,
} from '@duckdb/node-api';
import {
  CONTACT_COLUMNS, CONTACT_STAGE_ONLY, EVENT_COLUMNS, EVENT_STAGE_ONLY, LOCATION_COLUMNS,
  MULTIPLIER_COLUMNS, stageSqlType, type ColumnSpec,
} from './columns.ts';
import type { ImportIssue, ParsedFile, SourceFormat } from './types.ts';
import { queryRows } from '../db/database.ts';

const CONTACT_STAGE = [...CONTACT_COLUMNS, ...CONTACT_STAGE_ONLY];
const EVENT_STAGE = [...EVENT_COLUMNS, ...EVENT_STAGE_ONLY];

export interface TableCounts { added: number; updated: number }
export interface MergeCounts {
  contacts: TableCounts;
  multipliers: TableCounts;
  events: TableCounts;
  locations: TableCounts;
}

function stageColumnsSql(columns: ColumnSpec[]): string {
  return columns.map((c) => `${c.name} ${stageSqlType(c.stage)}`).join(', ');
}

export type StoredTable = 'contacts' | 'multipliers' | 'events' | 'locations';

/** The columns of each stage relation, after the id (then carried, source_format, file, row_number). */
export const STAGE_SHAPES: Record<StoredTable, { id: ColumnSpec; columns: ColumnSpec[] }> = {
  contacts: { id: { name: 'contact_id', stage: 'VARCHAR' }, columns: CONTACT_STAGE },
  multipliers: { id: { name: 'user_id', stage: 'VARCHAR' }, columns: MULTIPLIER_COLUMNS },
  events: { id: { name: 'event_id', stage: 'VARCHAR' }, columns: EVENT_STAGE },
  locations: { id: { name: 'location_id', stage: 'BIGINT' }, columns: LOCATION_COLUMNS },
};

export async function createStageTables(connection: DuckDBConnection): Promise<void> {
  const meta = 'carried VARCHAR[], source_format VARCHAR, file VARCHAR, row_number INTEGER';
  for (const [table, shape] of Object.entries(STAGE_SHAPES)) {
    await connection.run(`CREATE OR REPLACE TEMP TABLE stage_${table} (${shape.id.name} ${stageSqlType(shape.id.stage)}, ${stageColumnsSql(shape.columns)}, ${meta})`);
  }
}

export async function dropStageTables(connection: DuckDBConnection): Promise<void> {
  for (const t of ['stage_contacts', 'stage_multipliers', 'stage_events', 'stage_locations']) {
    await connection.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}

function appendValue(appender: DuckDBAppender, spec: ColumnSpec, value: unknown): void {
  if (value === undefined || value === null) {
    appender.appendNull();
    return;
  }
  switch (spec.stage) {
    case 'VARCHAR': appender.appendVarchar(String(value)); break;
    case 'VARCHAR[]': appender.appendList((value as unknown[]).map(String), LIST(VARCHAR)); break;
    case 'BIGINT[]': appender.appendList((value as number[]).map((n) => BigInt(n)), LIST(BIGINT)); break;
    case 'BOOLEAN': appender.appendBoolean(Boolean(value)); break;
    case 'INTEGER': appender.appendInteger(Number(value)); break;
    case 'BIGINT': appender.appendBigInt(BigInt(value as number)); break;
    case 'DOUBLE': appender.appendDouble(Number(value)); break;
    case 'EPOCH_MS': appender.appendBigInt(BigInt((value as Date).getTime())); break;
  }
}

interface StagedRecord { id: string | number; values: Record<string, unknown>; carried: Set<string>; format: SourceFormat; file: string; row: number }

/** Later files win, field by field; fields a file leaves undefined keep what earlier files said. */
function mergeRecords<T extends object>(
  parsed: ParsedFile[], pick: (p: ParsedFile) => T[], idOf: (row: T) => string | number,
): StagedRecord[] {
  const byId = new Map<string | number, StagedRecord>();
  for (const file of parsed) {
    pick(file).forEach((row, index) => {
      const id = idOf(row);
      const record = byId.get(id) ?? { id, values: {}, carried: new Set<string>(), format: file.format, file: file.file, row: index + 1 };
      for (const [key, value] of Object.entries(row)) {
        if (value === undefined) continue;
        record.values[key] = value;
        record.carried.add(key);
      }
      record.format = file.format;
      byId.set(id, record);
    });
  }
  return [...byId.values()];
}

function unavailableText(ranges: unknown): string | null | undefined {
  if (ranges === undefined || ranges === null) return ranges as null | undefined;
  return (ranges as { start_date: Date; end_date: Date }[])
    .map((r) => `${r.start_date.toISOString().slice(0, 10)}/${r.end_date.toISOString().slice(0, 10)}`)
    .join(';');
}

async function appendRecords(
  connection: DuckDBConnection, table: string, idSpec: ColumnSpec, columns: ColumnSpec[], records: StagedRecord[],
): Promise<void> {
  if (records.length === 0) return;
  const appender = await connection.createAppender(table, 'main', 'temp');
  for (const record of records) {
    appendValue(appender, idSpec, record.id);
    for (const spec of columns) {
      const raw = record.values[spec.name];
      appendValue(appender, spec, spec.name === 'unavailable' ? unavailableText(raw) : raw);
    }
    appender.appendList([...record.carried], LIST(VARCHAR));
    appender.appendVarchar(record.format);
    appender.appendVarchar(record.file);
    appender.appendInteger(record.row);
    appender.endRow();
  }
  appender.closeSync();
}

async function appendStaged<T extends object>(
  connection: DuckDBConnection, table: StoredTable, parsed: ParsedFile[], pick: (p: ParsedFile) => T[], idOf: (row: T) => string | number,
): Promise<void> {
  const shape = STAGE_SHAPES[table];
  await appendRecords(connection, `stage_${table}`, shape.id, shape.columns, mergeRecords(parsed, pick, idOf));
}

/** Stages the rows the JS parsers produced, one record per id (later files win field by field). */
export async function stageParsed(connection: DuckDBConnection, parsed: ParsedFile[]): Promise<void> {
  await appendStaged(connection, 'multipliers', parsed, (p) => p.multipliers, (m) => m.user_id);
  await appendStaged(connection, 'contacts', parsed, (p) => p.contacts, (c) => c.contact_id);
  await appendStaged(connection, 'events', parsed, (p) => p.events, (e) => e.event_id);
  await appendStaged(connection, 'locations', parsed, (p) => p.locations, (l) => l.location_id);
}

/**
 * Which fields the staged rows carry: `null` when it varies by row (the stage tables, fed by formats
 * that carry different fields; read from `s.carried`), or the same list for every row (one canonical
 * CSV, known from its header), which spares a list lookup per field per row.
 */
type Carried = string[] | null;

function ifCarried(carried: Carried, field: string, then: string, otherwise: string): string {
  if (carried) return carried.includes(field) ? then : otherwise;
  return `CASE WHEN list_contains(s.carried, '${field}') THEN ${then} ELSE ${otherwise} END`;
}

function carriedCase(column: ColumnSpec, storedAlias: string, carried: Carried): string {
  return `${ifCarried(carried, column.name, column.store ?? `s.${column.name}`, `${storedAlias}.${column.name}`)} AS ${column.name}`;
}

async function count(connection: DuckDBConnection, sql: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(connection, sql);
  return rows[0]?.n ?? 0;
}

async function replaceRows(
  connection: DuckDBConnection, table: string, idColumn: string, columns: string[], merged: string,
): Promise<TableCounts> {
  const added = await count(connection, `SELECT count(*)::INTEGER AS n FROM ${merged} WHERE is_new`);
  const total = await count(connection, `SELECT count(*)::INTEGER AS n FROM ${merged}`);
  await connection.run(`DELETE FROM ${table} WHERE ${idColumn} IN (SELECT ${idColumn} FROM ${merged})`);
  const list = [idColumn, ...columns, 'source_format', 'import_version'].join(', ');
  await connection.run(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${merged}`);
  return { added, updated: total - added };
}

const NAME_TO_USER = `(SELECT display_name, min(user_id) AS user_id FROM multipliers GROUP BY display_name)`;

// The merge of each table as one SELECT over a staged relation `s` (a stage table, or for a
// one-pass import straight from a file, a subquery over read_csv) and the stored table, so both
// paths store exactly the same values. `countNew` false leaves is_new out where working it out
// costs a join with the whole stored table and nothing else needs that join (events, locations).

function mergedMultipliersSql(source: string, v: number, carried: Carried): string {
  return `SELECT s.user_id, ${MULTIPLIER_COLUMNS.map((c) => carriedCase(c, 'm', carried)).join(', ')}, s.source_format, ${v} AS import_version, m.user_id IS NULL AS is_new
    FROM ${source} s LEFT JOIN multipliers m ON m.user_id = s.user_id`;
}

function mergedContactsSql(source: string, v: number, carried: Carried): string {
  const contactCols = CONTACT_COLUMNS.map((c) => c.name === 'assigned_to'
    ? `${ifCarried(carried, 'assigned_to', 's.assigned_to', ifCarried(carried, 'assigned_to_name', 'u.user_id', 'c.assigned_to'))} AS assigned_to`
    : carriedCase(c, 'c', carried));
  return `SELECT s.contact_id, ${contactCols.join(', ')},
      ${ifCarried(carried, 'phones', 'pii_phone_hashes(s.phones)', 'c.phone_hashes')} AS phone_hashes,
      ${ifCarried(carried, 'emails', 'pii_email_hashes(s.emails)', 'c.email_hashes')} AS email_hashes,
      s.source_format, ${v} AS import_version, c.contact_id IS NULL AS is_new,
      s.file, s.row_number, s.assigned_to_name, u.user_id IS NULL AND s.assigned_to_name IS NOT NULL AS unresolved_assignee
    FROM ${source} s
    LEFT JOIN contacts c ON c.contact_id = s.contact_id
    LEFT JOIN ${NAME_TO_USER} u ON u.display_name = s.assigned_to_name`;
}

function mergedEventsSql(source: string, v: number, _carried: Carried, countNew = true): string {
  const eventCols = EVENT_COLUMNS.map((c) => {
    if (c.name === 'actor_id') return `coalesce(s.actor_id, a.user_id) AS actor_id`;
    if (c.name === 'target_user_id') return `coalesce(s.target_user_id, t.user_id) AS target_user_id`;
    // Free text may carry a number or address whatever its source format: redact before storing.
    // (Not old/new values: those are keys, ids and dates, which a phone pattern would mangle.)
    if (c.name === 'note') return `pii_redact(s.note) AS note`;
    return `${c.store ?? `s.${c.name}`} AS ${c.name}`;
  });
  return `SELECT s.event_id, ${eventCols.join(', ')}, s.source_format, ${v} AS import_version,
      ${countNew ? 'e.event_id IS NULL' : 'NULL::BOOLEAN'} AS is_new
    FROM ${source} s
    ${countNew ? 'LEFT JOIN events e ON e.event_id = s.event_id' : ''}
    LEFT JOIN ${NAME_TO_USER} a ON a.display_name = s.actor_name
    LEFT JOIN ${NAME_TO_USER} t ON t.display_name = s.target_name`;
}

function mergedLocationsSql(source: string, v: number, _carried: Carried, countNew = true): string {
  return `SELECT s.location_id, ${LOCATION_COLUMNS.map((c) => `s.${c.name}`).join(', ')}, ${v} AS import_version,
      ${countNew ? 'l.location_id IS NULL' : 'NULL::BOOLEAN'} AS is_new
    FROM ${source} s ${countNew ? 'LEFT JOIN locations l ON l.location_id = s.location_id' : ''}`;
}

/** The stored columns each merge writes. */
const STORED_COLUMNS: Record<StoredTable, string[]> = {
  contacts: ['contact_id', ...CONTACT_COLUMNS.map((c) => c.name), 'phone_hashes', 'email_hashes', 'source_format', 'import_version'],
  multipliers: ['user_id', ...MULTIPLIER_COLUMNS.map((c) => c.name), 'source_format', 'import_version'],
  events: ['event_id', ...EVENT_COLUMNS.map((c) => c.name), 'source_format', 'import_version'],
  locations: ['location_id', ...LOCATION_COLUMNS.map((c) => c.name), 'import_version'],
};
const MERGED_SQL: Record<StoredTable, (source: string, v: number, carried: Carried, countNew: boolean) => string> = {
  contacts: mergedContactsSql, multipliers: mergedMultipliersSql, events: mergedEventsSql, locations: mergedLocationsSql,
};

/**
 * A one-pass import (one-pass.ts): merges a stage relation (a subquery, `values` its bound
 * parameters) into its stored table with the staged merge's own SELECT, so no stage table or merged
 * copy is written. The new versions go in first, joined to the rows they replace (one statement
 * reads the table as it was), then the replaced rows go. Returns how many rows were added and
 * how many replaced.
 */
export async function mergeInOnePass(
  connection: DuckDBConnection, table: StoredTable, source: string, carried: string[], version: number, values: Record<string, string>,
): Promise<TableCounts> {
  const v = Number(version);
  const list = STORED_COLUMNS[table].join(', ');
  const id = STAGE_SHAPES[table].id.name;
  const hadRows = (await count(connection, `SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM ${table} LIMIT 1)`)) > 0;
  const inserted = await connection.run(`INSERT INTO ${table} (${list}) SELECT ${list} FROM (${MERGED_SQL[table](source, v, carried, false)})`, values);
  // Into an empty table (a first import) nothing is replaced, and looking would cost a pass.
  const replaced = hadRows ? await connection.run(`DELETE FROM ${table} WHERE import_version <> ${v}
    AND ${id} IN (SELECT ${id} FROM ${table} WHERE import_version = ${v})`) : null;
  const updated = Number(replaced?.rowsChanged ?? 0);
  return { added: Number(inserted.rowsChanged) - updated, updated };
}

/**
 * Whether two rows this import stored in a table may share an id (after mergeInOnePass: a repeat
 * within the file). Sorting the ids' 64-bit hashes and comparing neighbours is faster than counting
 * distinct strings (1.6 s against 2.6 s for 12 M events). Every repeat is found; two different ids
 * with one hash (about once in 250,000 imports of that size) only send the import down the staged path.
 */
export async function mayRepeatIds(connection: DuckDBConnection, table: StoredTable, version: number): Promise<boolean> {
  const id = STAGE_SHAPES[table].id.name;
  return (await count(connection, `SELECT count(*)::INTEGER AS n
    FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT hash(${id}) AS h FROM ${table} WHERE import_version = ${Number(version)}))
    WHERE h = previous`)) > 0;
}

/**
 * Merges the stage tables into the stored ones (caller holds the transaction). New contacts lacking a
 * creation date or type become rejects; unresolved assignee names are reported, never guessed.
 */
export async function mergeStaged(connection: DuckDBConnection, version: number): Promise<{ counts: MergeCounts; issues: ImportIssue[] }> {
  const issues: ImportIssue[] = [];
  const v = Number(version);
  // The same id can arrive from two files of one import (a CSV and its JSON twin, staged by different
  // paths): the one staged last wins, as it does between files parsed in JS.
  // Within one file a repeated id is already a reject, so only tables fed by several files need the pass.
  for (const [table, id] of [['stage_contacts', 'contact_id'], ['stage_multipliers', 'user_id'], ['stage_events', 'event_id'], ['stage_locations', 'location_id']]) {
    if (await count(connection, `SELECT count(DISTINCT file)::INTEGER AS n FROM ${table}`) <= 1) continue;
    await connection.run(`DELETE FROM ${table} WHERE rowid NOT IN (SELECT max(rowid) FROM ${table} GROUP BY ${id})`);
  }

  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_multipliers AS ${mergedMultipliersSql('stage_multipliers', v, null)}`);
  const multipliers = await replaceRows(connection, 'multipliers', 'user_id', MULTIPLIER_COLUMNS.map((c) => c.name), 'merged_multipliers');

  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_contacts AS ${mergedContactsSql('stage_contacts', v, null)}`);

  const incomplete = await queryRows<{ contact_id: string; file: string; row_number: number | null; field: string }>(connection,
    `SELECT contact_id, file, row_number, CASE WHEN created_at IS NULL THEN 'created_at' ELSE 'contact_type' END AS field
     FROM merged_contacts WHERE created_at IS NULL OR contact_type IS NULL ORDER BY file, row_number`);
  for (const r of incomplete) {
    issues.push({ kind: 'reject', file: r.file, row: r.row_number, field: r.field, value: r.contact_id,
      reason: `new contact ${r.contact_id} has no ${r.field}; import a file that carries it (e.g. the REST list) first` });
  }
  await connection.run('DELETE FROM merged_contacts WHERE created_at IS NULL OR contact_type IS NULL');
  const unresolved = await queryRows<{ contact_id: string; file: string; row_number: number | null; assigned_to_name: string }>(connection,
    'SELECT contact_id, file, row_number, assigned_to_name FROM merged_contacts WHERE unresolved_assignee ORDER BY file, row_number');
  for (const r of unresolved) {
    issues.push({ kind: 'unparsed', file: r.file, row: r.row_number, field: 'assigned_to', value: r.assigned_to_name,
      reason: 'assigned-to name matches no imported user; import the users files to resolve it' });
  }
  const contacts = await replaceRows(connection, 'contacts', 'contact_id',
    [...CONTACT_COLUMNS.map((c) => c.name), 'phone_hashes', 'email_hashes'], 'merged_contacts');

  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_events AS ${mergedEventsSql('stage_events', v, null, true)}`);
  const events = await replaceRows(connection, 'events', 'event_id', EVENT_COLUMNS.map((c) => c.name), 'merged_events');

  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_locations AS ${mergedLocationsSql('stage_locations', v, null, true)}`);
  const locationList = ['location_id', ...LOCATION_COLUMNS.map((c) => c.name), 'import_version'].join(', ');
  const locationsAdded = await count(connection, 'SELECT count(*)::INTEGER AS n FROM merged_locations WHERE is_new');
  const locationsTotal = await count(connection, 'SELECT count(*)::INTEGER AS n FROM merged_locations');
  await connection.run('DELETE FROM locations WHERE location_id IN (SELECT location_id FROM merged_locations)');
  await connection.run(`INSERT INTO locations (${locationList}) SELECT ${locationList} FROM merged_locations`);
  const locations = { added: locationsAdded, updated: locationsTotal - locationsAdded };

  for (const t of ['merged_multipliers', 'merged_contacts', 'merged_events', 'merged_locations']) {
    await connection.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
  return { counts: { contacts, multipliers, events, locations }, issues };
}
