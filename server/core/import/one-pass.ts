// Canonical CSVs are merged in one pass per file. The staged path (read into a TEMP table, validate,
// look for repeated ids, convert into a stage table, merge into a copy, replace) made five passes
// and took 4–14× DuckDB's bare read_csv on a million contacts. Here each file goes in with one
// INSERT … SELECT straight from read_csv, using the staged path's own conversion and merge SQL, and
// the rows it replaces are then deleted. Any row the staged path would reject makes the pass fail;
// the caller then rolls back and stages the files the validating way, which reports every bad row
// by file, row and field. Clean files take one pass; bad files lose nothing.
import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalCsvRelation, checkHeader, detectCanonicalHeader, futureDatesSql, readCsvHeader, type CanonicalKind } from './canonical.ts';
import { queryRows } from '../db/database.ts';
import { mayRepeatIds, mergeInOnePass, type MergeCounts, type StoredTable } from './load.ts';

interface OnePassFile { file: string; shown: string; kind: CanonicalKind; table: StoredTable; header: string[] }

// The staged merge's order: multipliers before the contacts and events whose names resolve to them.
const MERGE_ORDER: StoredTable[] = ['multipliers', 'contacts', 'events', 'locations'];

/**
 * The files in merge order when one pass applies: every file is a canonical CSV with a valid header,
 * and no two carry the same table (two files of one table merge with each other first, which the
 * staged path does). Otherwise null.
 */
export async function planOnePassImport(
  connection: DuckDBConnection, files: { file: string; shown: string; canonicalCsv: boolean }[],
): Promise<OnePassFile[] | null> {
  if (files.length === 0 || files.some((f) => !f.canonicalCsv)) return null;
  const plan: OnePassFile[] = [];
  for (const { file, shown } of files) {
    const header = await readCsvHeader(connection, file);
    const kind = detectCanonicalHeader(header);
    if (!kind || plan.some((p) => p.table === kind.kind)) return null;
    try {
      checkHeader(kind, header, shown);
    } catch {
      return null; // the staged path refuses the file with the reason
    }
    plan.push({ file, shown, kind, table: kind.kind, header });
  }
  return plan.sort((a, b) => MERGE_ORDER.indexOf(a.table) - MERGE_ORDER.indexOf(b.table));
}

class OnePassAbandoned extends Error {}

/** Runs inside the caller's transaction; throws (and the caller rolls back) at the first bad row. */
export async function runOnePassImport(
  connection: DuckDBConnection, plan: OnePassFile[], version: number,
  onProgress: (shown: string, fileIndex: number, shareOfFile: number) => void,
): Promise<{ counts: MergeCounts; rowsRead: number }> {
  const counts: MergeCounts = {
    contacts: { added: 0, updated: 0 }, multipliers: { added: 0, updated: 0 },
    events: { added: 0, updated: 0 }, locations: { added: 0, updated: 0 },
  };
  let rowsRead = 0;
  for (const [index, item] of plan.entries()) {
    const relation = canonicalCsvRelation(item.kind, item.header, item.shown);
    const merged = await withQueryProgress(connection, (share) => onProgress(item.shown, index, share),
      () => mergeInOnePass(connection, item.table, relation, item.header, version, { file: item.file }));
    // Only this file stored rows of this version in this table: a repeated id is a repeat within it.
    if (await mayRepeatIds(connection, item.table, version)) throw new OnePassAbandoned(`${item.shown}: an id is repeated`);
    const future = futureDatesSql(item.kind, item.header, version);
    if (future && (await queryRows<{ future: boolean }>(connection, future))[0]?.future) {
      throw new OnePassAbandoned(`${item.shown}: a date is in the future`);
    }
    counts[item.table] = merged;
    rowsRead += merged.added + merged.updated;
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
