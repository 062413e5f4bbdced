// A team's first import of canonical CSVs is also its largest (a million contacts, twelve million
// events), and it lands in empty tables: there is nothing to merge with and nothing to keep. So each
// file goes in with one INSERT … SELECT straight from read_csv, with the same conversion and merge
// SQL as the staged path, instead of five passes through TEMP tables. Any row the staged path would
// reject makes the shortcut fail; the caller then rolls back and stages the files the validating
// way, which reports every bad row by file, row and field. Clean files take one pass; bad files lose
// nothing.
import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalCsvRelation, checkHeader, detectCanonicalHeader, futureDatesSql, readCsvHeader, type CanonicalKind } from './canonical.ts';
import { queryRows } from '../db/database.ts';
import { isEmpty, mayRepeatIds, mergeIntoEmpty, type MergeCounts, type StoredTable } from './load.ts';

interface FirstImportFile { file: string; shown: string; kind: CanonicalKind; table: StoredTable; header: string[] }

// The staged merge's order: multipliers before the contacts and events whose names resolve to them.
const MERGE_ORDER: StoredTable[] = ['multipliers', 'contacts', 'events', 'locations'];

/**
 * The files in merge order when the shortcut applies: every file is a canonical CSV, no two carry the
 * same table, and each of their tables is empty. Otherwise null.
 */
export async function planFirstImport(
  connection: DuckDBConnection, files: { file: string; shown: string; canonicalCsv: boolean }[],
): Promise<FirstImportFile[] | null> {
  if (files.length === 0 || files.some((f) => !f.canonicalCsv)) return null;
  const plan: FirstImportFile[] = [];
  for (const { file, shown } of files) {
    const header = await readCsvHeader(connection, file);
    const kind = detectCanonicalHeader(header);
    if (!kind || plan.some((p) => p.table === kind.kind)) return null;
    try {
      checkHeader(kind, header, shown);
    } catch {
      return null; // the staged path refuses the file with the reason
    }
    if (!(await isEmpty(connection, kind.kind))) return null;
    plan.push({ file, shown, kind, table: kind.kind, header });
  }
  return plan.sort((a, b) => MERGE_ORDER.indexOf(a.table) - MERGE_ORDER.indexOf(b.table));
}

export class FirstImportAbandoned extends Error {}

/** Runs inside the caller's transaction; throws (and the caller rolls back) at the first bad row. */
export async function runFirstImport(
  connection: DuckDBConnection, plan: FirstImportFile[], version: number,
  onProgress: (shown: string, fileIndex: number, shareOfFile: number) => void,
): Promise<{ counts: MergeCounts; rowsRead: number }> {
  const counts: MergeCounts = {
    contacts: { added: 0, updated: 0 }, multipliers: { added: 0, updated: 0 },
    events: { added: 0, updated: 0 }, locations: { added: 0, updated: 0 },
  };
  let rowsRead = 0;
  for (const [index, item] of plan.entries()) {
    const relation = canonicalCsvRelation(item.kind, item.header, item.shown);
    const stored = await withQueryProgress(connection, (share) => onProgress(item.shown, index, share),
      () => mergeIntoEmpty(connection, item.table, relation, item.header, version, { file: item.file }));
    // The table was empty, so a repeated id is a repeat within this file: the staged path reports it.
    if (await mayRepeatIds(connection, item.table)) throw new FirstImportAbandoned(`${item.shown}: an id is repeated`);
    const future = futureDatesSql(item.kind, item.header);
    if (future && (await queryRows<{ future: boolean }>(connection, future))[0]?.future) {
      throw new FirstImportAbandoned(`${item.shown}: a date is in the future`);
    }
    counts[item.table].added = stored;
    rowsRead += stored;
    onProgress(item.shown, index, 1);
  }
  return { counts, rowsRead };
}

/** One statement over a twelve-million-row file runs for many seconds: report DuckDB's own progress of it meanwhile. */
async function withQueryProgress<T>(connection: DuckDBConnection, onShare: (share: number) => void, run: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    const percentage = connection.progress.percentage;
    if (percentage >= 0) onShare(Math.min(0.99, percentage / 100));
  }, 250);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}
