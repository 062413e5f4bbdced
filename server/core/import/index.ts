// One import = one transaction. Files are detected, parsed (D.T formats in JS, canonical CSV inside
// DuckDB), staged in TEMP tables, merged by source id, and recorded with their rejects under a new
// dataset version. Anything that goes wrong before COMMIT rolls everything back: the previous data
// and version stay exactly as they were, and the failed attempt is recorded on its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { INTEGER, LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { datasetVersion, type Database } from '../db/database.ts';
import { detectCanonicalHeader, isCanonicalJson, readFirstLine, stageCanonicalCsv, stageCanonicalJson } from './canonical.ts';
import { buildDtLabels, type DtLabels } from './dt-labels.ts';
import { detectDtRest, isDtSettings, parseDtRest, readDtJson } from './dt-rest.ts';
import { detectDtCsv, parseDtCsv } from './dt-csv.ts';
import { detectLocationGrid, parseLocationGrid } from './location-grid.ts';
import { createStageTables, dropStageTables, mergeStaged, stageParsed, type MergeCounts } from './load.ts';
import { planOnePassImport, runOnePassImport } from './one-pass.ts';
import { installPiiMacros, redactContactDetails } from './pii.ts';
import { ImportRefused, type ImportIssue, type ParsedFile } from './types.ts';

export { ImportRefused } from './types.ts';

export interface ImportProgress {
  phase: 'read' | 'stage' | 'merge' | 'commit' | 'done';
  /** Files (or steps) done, with a fraction for the one under way. */
  done: number;
  total: number;
  file?: string;
  /** Said once, when the work changes course: the one-pass load gave way to the row-by-row checks,
   *  so the stage count starts again. */
  note?: string;
}

export interface ImportOptions {
  /** HMAC key for phones and e-mails (pii.ts). */
  piiKey: Buffer;
  /** Share of rejected rows above which the whole import is refused. */
  rejectThreshold?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Names to show for uploaded temp files (path -> original name). */
  displayNames?: Map<string, string>;
  /** Test seam: runs just before COMMIT, so a test can simulate a crash mid-import. */
  beforeCommit?: () => Promise<void> | void;
  actor?: string;
  /** Callers that report progress before the import ends (the upload route) choose the id. */
  attemptId?: string;
  /** Test seam: false makes an import of canonical CSVs take the staged path, to compare the two. */
  onePass?: boolean;
}

export interface ImportSummary {
  attemptId: string;
  outcome: 'ok' | 'refused' | 'failed';
  version: number | null;
  datasetVersion: number;
  files: string[];
  /** 'one-pass': canonical CSVs merged straight from the files (one-pass.ts); 'staged': validated row by row in TEMP tables. */
  method: 'one-pass' | 'staged';
  /** Why a one-pass import gave way to the staged path (its first error, phones and e-mails redacted), or null. */
  onePassAbandoned: string | null;
  rowsRead: number;
  counts: MergeCounts | null;
  rejects: number;
  unparsed: number;
  skipped: number;
  issues: ImportIssue[];
  message: string;
}

export class ImportFailed extends Error {
  constructor(message: string, readonly summary: ImportSummary) {
    super(message);
    this.name = 'ImportFailed';
  }
}

const DATA_EXTENSIONS = new Set(['.json', '.csv', '.tsv']);

/** Expands folders (sorted, recursive). Inside a folder, files that are not data (a README) are skipped and
 *  reported; a file named explicitly must be importable. */
export function expandInputs(inputs: string[]): { files: string[]; skipped: ImportIssue[] } {
  const files: string[] = [];
  const skipped: ImportIssue[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (DATA_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(full);
      else skipped.push({ kind: 'skipped', file: full, row: null, field: null, value: null, reason: 'not a data file (.json, .csv, .tsv)' });
    }
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new ImportRefused(`${input}: no such file or folder`, input);
    if (fs.statSync(input).isDirectory()) walk(input);
    else files.push(input);
  }
  return { files, skipped };
}

type Planned =
  | { kind: 'parsed'; file: string; parsed: ParsedFile }
  | { kind: 'canonical-csv'; file: string }
  | { kind: 'canonical-json'; file: string; json: unknown };

function parseJsonFile(file: string, shown: string): unknown {
  return readDtJson(shown, fs.readFileSync(file, 'utf8'));
}

interface Plan { planned: Planned[]; settings: unknown | null; siteUrl: string | null }

/** The D.T site's address, from a post's permalink, so the dashboard can link contacts back to D.T. */
function siteUrlOf(json: unknown): string | null {
  const body = json as { posts?: { permalink?: unknown }[]; permalink?: unknown } | null;
  const permalink = body?.posts?.[0]?.permalink ?? body?.permalink;
  if (typeof permalink !== 'string') return null;
  try {
    return new URL(permalink.replace(/\/contacts\/\d+\/?$/, '')).toString().replace(/\/$/, '');
  } catch {
    return null;
  }
}

/** Detects every file's format and parses the D.T ones; settings files go first so labels map back to keys.
 *  Each JSON file is read once: the settings and the site address are kept for the caller to store. */
function planFiles(files: string[], labelsFromDb: DtLabels, shownName: (f: string) => string): Plan {
  const jsonByFile = new Map<string, unknown>();
  let labels = labelsFromDb;
  let settings: unknown | null = null;
  for (const file of files) {
    if (path.extname(file).toLowerCase() !== '.json') continue;
    const json = parseJsonFile(file, shownName(file));
    jsonByFile.set(file, json);
    if (isDtSettings(json)) {
      settings = json;
      labels = buildDtLabels(json);
    }
  }
  let siteUrl: string | null = null;
  const planned: Planned[] = [];
  for (const file of files) {
    const shown = shownName(file);
    if (fs.statSync(file).size === 0) throw new ImportRefused(`${shown}: the file is empty`, shown);
    const ext = path.extname(file).toLowerCase();
    if (ext === '.json') {
      const json = jsonByFile.get(file);
      if (isDtSettings(json)) continue;
      if (isCanonicalJson(json)) {
        planned.push({ kind: 'canonical-json', file, json });
        continue;
      }
      const dtKind = detectDtRest(path.basename(shown), json);
      if (!dtKind) throw new ImportRefused(`${shown}: unknown format (neither a D.T REST export nor canonical JSON)`, shown);
      planned.push({ kind: 'parsed', file, parsed: parseDtRest(shown, json, dtKind, labels) });
      siteUrl ??= siteUrlOf(json);
      continue;
    }
    const firstLine = readFirstLine(file);
    if (ext === '.tsv' || detectLocationGrid(path.basename(shown), firstLine)) {
      if (!detectLocationGrid(path.basename(shown), firstLine)) throw new ImportRefused(`${shown}: unknown TSV format (expected a D.T location grid)`, shown, 1);
      planned.push({ kind: 'parsed', file, parsed: parseLocationGrid(shown, fs.readFileSync(file, 'utf8')) });
      continue;
    }
    const header = firstLine.split(',').map((h) => h.replace(/^"|"$/g, '').trim());
    if (detectCanonicalHeader(header)) {
      planned.push({ kind: 'canonical-csv', file });
    } else if (detectDtCsv(path.basename(shown), firstLine)) {
      planned.push({ kind: 'parsed', file, parsed: parseDtCsv(shown, fs.readFileSync(file, 'utf8'), labels) });
    } else {
      throw new ImportRefused(`${shown}: unknown CSV format (header "${firstLine.slice(0, 80)}" is neither canonical nor a D.T list export)`, shown, 1);
    }
  }
  return { planned, settings, siteUrl };
}

async function storedLabels(connection: DuckDBConnection): Promise<DtLabels> {
  const reader = await connection.runAndReadAll("SELECT value FROM meta WHERE key = 'dt_settings'");
  const value = reader.getRowObjectsJson()[0]?.value;
  return buildDtLabels(typeof value === 'string' ? JSON.parse(value) : null);
}

/** Remembers the D.T settings (labels for later imports) and the site address, when this import had them. */
async function rememberDtMeta(connection: DuckDBConnection, plan: Plan): Promise<void> {
  for (const [key, value] of [['dt_settings', plan.settings === null ? null : JSON.stringify(plan.settings)], ['dt_site_url', plan.siteUrl]] as const) {
    if (value === null) continue;
    await connection.run('DELETE FROM meta WHERE key = $key', { key });
    await connection.run('INSERT INTO meta VALUES ($key, $value)', { key, value });
  }
}

async function recordAttempt(connection: DuckDBConnection, summary: ImportSummary, startedAt: Date): Promise<void> {
  await connection.run(
    `INSERT INTO imports (version, attempt_id, files, started_at, finished_at, outcome, message, counts_json, rejects_count, unparsed_count, skipped_count)
     VALUES ($version, $attempt, $files, epoch_ms($started::BIGINT), now()::TIMESTAMP, $outcome, $message, $counts, $rejects, $unparsed, $skipped)`,
    {
      version: summary.version,
      attempt: summary.attemptId,
      files: listValue(summary.files),
      started: startedAt.getTime(),
      outcome: summary.outcome,
      message: summary.message,
      counts: JSON.stringify({ ...summary.counts, rowsRead: summary.rowsRead }),
      rejects: summary.rejects,
      unparsed: summary.unparsed,
      skipped: summary.skipped,
    },
    { files: LIST(VARCHAR) },
  );
  if (summary.issues.length === 0) return;
  const appender = await connection.createAppender('import_issues');
  for (const issue of summary.issues) {
    appender.appendVarchar(summary.attemptId);
    appender.appendVarchar(issue.kind);
    appender.appendVarchar(issue.file);
    if (issue.row === null) appender.appendNull(); else appender.appendValue(issue.row, INTEGER);
    if (issue.field === null) appender.appendNull(); else appender.appendValue(issue.field, VARCHAR);
    if (issue.value === null) appender.appendNull(); else appender.appendVarchar(redactContactDetails(issue.value).slice(0, 500));
    appender.appendVarchar(issue.reason);
    appender.endRow();
  }
  appender.closeSync();
}

function tally(issues: ImportIssue[]) {
  return {
    rejects: issues.filter((i) => i.kind === 'reject').length,
    unparsed: issues.filter((i) => i.kind === 'unparsed').length,
    skipped: issues.filter((i) => i.kind === 'skipped').length,
  };
}

let importQueue: Promise<unknown> = Promise.resolve();

/** Imports files and folders atomically. Resolves with the summary; rejects with ImportFailed (refused or failed). */
export function importFiles(db: Database, inputs: string[], options: ImportOptions): Promise<ImportSummary> {
  // One import at a time per process: two transactions upserting the same ids would conflict.
  const run = importQueue.then(() => runImport(db, inputs, options)).finally(() => db.events.emit('imported'));
  importQueue = run.catch(() => undefined);
  return run;
}

async function runImport(db: Database, inputs: string[], options: ImportOptions): Promise<ImportSummary> {
  const startedAt = new Date();
  const attemptId = options.attemptId ?? crypto.randomUUID();
  const threshold = options.rejectThreshold ?? 0.05;
  const progress = options.onProgress ?? (() => undefined);
  const shownName = (f: string) => options.displayNames?.get(f) ?? f;
  const connection = await db.instance.connect();
  const summary: ImportSummary = {
    attemptId, outcome: 'failed', version: null, datasetVersion: 0, files: [], method: 'staged', onePassAbandoned: null, rowsRead: 0, counts: null,
    rejects: 0, unparsed: 0, skipped: 0, issues: [], message: '',
  };
  let inTransaction = false;
  try {
    summary.datasetVersion = await datasetVersion(connection);
    await installPiiMacros(connection, options.piiKey);
    const expanded = expandInputs(inputs);
    summary.files = expanded.files.map(shownName);
    summary.issues.push(...expanded.skipped);
    if (expanded.files.length === 0) throw new ImportRefused('no data files to import', inputs.join(', '));

    progress({ phase: 'read', done: 0, total: expanded.files.length });
    const plan = planFiles(expanded.files, await storedLabels(connection), shownName);
    const planned = plan.planned;
    progress({ phase: 'read', done: expanded.files.length, total: expanded.files.length });

    const version = summary.datasetVersion + 1;
    await connection.run('BEGIN TRANSACTION');
    inTransaction = true;
    const onePass = options.onePass === false ? null : await planOnePassImport(connection,
      planned.map((p) => ({ file: p.file, shown: shownName(p.file), canonicalCsv: p.kind === 'canonical-csv' })));
    let merged: { counts: MergeCounts; issues: ImportIssue[] } | null = null;
    if (onePass) {
      try {
        const direct = await runOnePassImport(connection, onePass, version,
          (file, index, share) => progress({ phase: 'stage', done: index + share, total: planned.length, file }));
        summary.rowsRead = direct.rowsRead;
        summary.method = 'one-pass';
        merged = { counts: direct.counts, issues: [] };
      } catch (error) {
        // A bad row (or anything else) ends the one pass; the staged path below finds and reports it.
        summary.onePassAbandoned = redactContactDetails(((error as Error).message ?? String(error)).split('\n')[0]!).slice(0, 300);
        await connection.run('ROLLBACK');
        await connection.run('BEGIN TRANSACTION');
        progress({ phase: 'stage', done: 0, total: planned.length, note: 'a row does not fit the fast load: checking every row, to name the ones that are wrong' });
      }
    }
    if (!merged) {
      await createStageTables(connection);
      const parsed: ParsedFile[] = [];
      let staged = 0;
      for (const item of planned) {
        if (item.kind === 'parsed') {
          parsed.push(item.parsed);
          summary.rowsRead += item.parsed.rowsRead;
          summary.issues.push(...item.parsed.issues);
        } else {
          const result = item.kind === 'canonical-csv'
            ? await stageCanonicalCsv(connection, item.file, shownName(item.file))
            : await stageCanonicalJson(connection, item.json, shownName(item.file));
          summary.rowsRead += result.rowsRead;
          summary.issues.push(...result.issues);
        }
        progress({ phase: 'stage', done: ++staged, total: planned.length, file: shownName(item.file) });
      }
      await stageParsed(connection, parsed);
      progress({ phase: 'merge', done: 0, total: 1 });
      merged = await mergeStaged(connection, version);
    }
    summary.issues.push(...merged.issues);
    Object.assign(summary, tally(summary.issues));
    summary.counts = merged.counts;

    const rejectShare = summary.rowsRead === 0 ? 0 : summary.rejects / summary.rowsRead;
    if (rejectShare > threshold) {
      const first = summary.issues.find((i) => i.kind === 'reject')!;
      throw new ImportRefused(
        `${summary.rejects} of ${summary.rowsRead} rows rejected (${(rejectShare * 100).toFixed(1)}%, above the ${(threshold * 100).toFixed(0)}% limit); ` +
        `first: ${first.file} row ${first.row ?? '-'} field ${first.field ?? '-'}: ${first.reason}`,
        first.file, first.row, first.field);
    }
    await rememberDtMeta(connection, plan);
    summary.outcome = 'ok';
    summary.version = version;
    summary.message = `imported ${summary.files.length} file(s) as dataset version ${version}`;
    await recordAttempt(connection, summary, startedAt);
    await dropStageTables(connection);
    progress({ phase: 'commit', done: 0, total: 1 });
    await options.beforeCommit?.();
    await connection.run('COMMIT');
    inTransaction = false;
    summary.datasetVersion = version;
    progress({ phase: 'done', done: 1, total: 1 });
    return summary;
  } catch (error) {
    if (inTransaction) await connection.run('ROLLBACK').catch(() => undefined);
    Object.assign(summary, tally(summary.issues));
    summary.outcome = error instanceof ImportRefused ? 'refused' : 'failed';
    summary.version = null;
    summary.counts = null;
    summary.message = error instanceof Error ? error.message : String(error);
    await connection.run('BEGIN TRANSACTION');
    await recordAttempt(connection, summary, startedAt);
    await connection.run('COMMIT');
    throw new ImportFailed(summary.message, summary);
  } finally {
    connection.closeSync();
  }
}

