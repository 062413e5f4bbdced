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

export async function createStageTables(connection: DuckDBConnection): Promise<void> {
  const meta = 'carried VARCHAR[], source_format VARCHAR, file VARCHAR, row_number INTEGER';
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_contacts (contact_id VARCHAR, ${stageColumnsSql(CONTACT_STAGE)}, ${meta})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_multipliers (user_id VARCHAR, ${stageColumnsSql(MULTIPLIER_COLUMNS)}, ${meta})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_events (event_id VARCHAR, ${stageColumnsSql(EVENT_STAGE)}, ${meta})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_locations (location_id BIGINT, ${stageColumnsSql(LOCATION_COLUMNS)}, ${meta})`);
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

/** Stages parsed rows; returns the number of staged records per table. */
export async function stageParsed(connection: DuckDBConnection, parsed: ParsedFile[]): Promise<void> {
  await appendRecords(connection, 'stage_multipliers', { name: 'user_id', stage: 'VARCHAR' }, MULTIPLIER_COLUMNS,
    mergeRecords(parsed, (p) => p.multipliers, (m) => m.user_id));
  await appendRecords(connection, 'stage_contacts', { name: 'contact_id', stage: 'VARCHAR' }, CONTACT_STAGE,
    mergeRecords(parsed, (p) => p.contacts, (c) => c.contact_id));
  await appendRecords(connection, 'stage_events', { name: 'event_id', stage: 'VARCHAR' }, EVENT_STAGE,
    mergeRecords(parsed, (p) => p.events, (e) => e.event_id));
  await appendRecords(connection, 'stage_locations', { name: 'location_id', stage: 'BIGINT' }, LOCATION_COLUMNS,
    mergeRecords(parsed, (p) => p.locations, (l) => l.location_id));
}

function carriedCase(column: ColumnSpec, storedAlias: string, staged = column.store ?? `s.${column.name}`): string {
  return `CASE WHEN list_contains(s.carried, '${column.name}') THEN ${staged} ELSE ${storedAlias}.${column.name} END AS ${column.name}`;
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

  const multiplierCols = MULTIPLIER_COLUMNS.map((c) => carriedCase(c, 'm'));
  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_multipliers AS
    SELECT s.user_id, ${multiplierCols.join(', ')}, s.source_format, ${v} AS import_version, m.user_id IS NULL AS is_new
    FROM stage_multipliers s LEFT JOIN multipliers m ON m.user_id = s.user_id`);
  const multipliers = await replaceRows(connection, 'multipliers', 'user_id', MULTIPLIER_COLUMNS.map((c) => c.name), 'merged_multipliers');

  const contactCols = CONTACT_COLUMNS.map((c) => {
    if (c.name === 'assigned_to') {
      return `CASE WHEN list_contains(s.carried, 'assigned_to') THEN s.assigned_to
        WHEN list_contains(s.carried, 'assigned_to_name') THEN u.user_id ELSE c.assigned_to END AS assigned_to`;
    }
    return carriedCase(c, 'c');
  });
  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_contacts AS
    SELECT s.contact_id, ${contactCols.join(', ')},
      CASE WHEN list_contains(s.carried, 'phones') THEN pii_phone_hashes(s.phones) ELSE c.phone_hashes END AS phone_hashes,
      CASE WHEN list_contains(s.carried, 'emails') THEN pii_email_hashes(s.emails) ELSE c.email_hashes END AS email_hashes,
      s.source_format, ${v} AS import_version, c.contact_id IS NULL AS is_new,
      s.file, s.row_number, s.assigned_to_name, u.user_id IS NULL AND s.assigned_to_name IS NOT NULL AS unresolved_assignee
    FROM stage_contacts s
    LEFT JOIN contacts c ON c.contact_id = s.contact_id
    LEFT JOIN ${NAME_TO_USER} u ON u.display_name = s.assigned_to_name`);

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

  const eventCols = EVENT_COLUMNS.map((c) => {
    if (c.name === 'actor_id') return `coalesce(s.actor_id, a.user_id) AS actor_id`;
    if (c.name === 'target_user_id') return `coalesce(s.target_user_id, t.user_id) AS target_user_id`;
    // Free text may carry a number or address whatever its source format: redact before storing.
    // (Not old/new values: those are keys, ids and dates, which a phone pattern would mangle.)
    if (c.name === 'note') return `pii_redact(s.note) AS note`;
    return `${c.store ?? `s.${c.name}`} AS ${c.name}`;
  });
  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_events AS
    SELECT s.event_id, ${eventCols.join(', ')}, s.source_format, ${v} AS import_version, e.event_id IS NULL AS is_new
    FROM stage_events s
    LEFT JOIN events e ON e.event_id = s.event_id
    LEFT JOIN ${NAME_TO_USER} a ON a.display_name = s.actor_name
    LEFT JOIN ${NAME_TO_USER} t ON t.display_name = s.target_name`);
  const events = await replaceRows(connection, 'events', 'event_id', EVENT_COLUMNS.map((c) => c.name), 'merged_events');

  await connection.run(`CREATE OR REPLACE TEMP TABLE merged_locations AS
    SELECT s.location_id, ${LOCATION_COLUMNS.map((c) => `s.${c.name}`).join(', ')}, ${v} AS import_version, l.location_id IS NULL AS is_new
    FROM stage_locations s LEFT JOIN locations l ON l.location_id = s.location_id`);
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
