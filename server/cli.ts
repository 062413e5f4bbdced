// `handoff import|report`: thin adapter from the command line to server/core.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DB_PATH, openDatabase } from './core/db/database.ts';
import { ImportFailed, importFiles, type ImportProgress, type ImportSummary } from './core/import/index.ts';
import { loadOrCreatePiiKey } from './core/import/pii.ts';
import { ParamError } from './core/reports/params.ts';
import { UnknownReport, installReportMacros, runReport } from './core/reports/registry.ts';
import { toCsv } from './core/reports/csv.ts';
import { DuckDbAuthStore, UserError, createUser, isRole, listUsers, resetUser } from './core/auth/index.ts';
import { setupLink } from './routes/admin.ts';

const USAGE = `usage:
  handoff import <file-or-folder>... [--db FILE]
  handoff report <name> [--db FILE] [--param key=value ...] [--format json|csv]
  handoff user add <login> --role admin|dispatcher|marketer|leader [--db FILE] [--url http://localhost:3000]
  handoff user reset <login> [--db FILE] [--url ...]
  handoff user list [--db FILE]`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'import') return await importCommand(rest);
    if (command === 'report') return await reportCommand(rest);
    if (command === 'user') return await userCommand(rest);
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' ? 0 : 2;
  } catch (error) {
    process.stderr.write(`handoff: ${(error as Error).message}\n`);
    return 1;
  }
}

function progressPrinter(): (p: ImportProgress) => void {
  if (!process.stderr.isTTY) return () => undefined;
  return (p) => {
    if (p.note) process.stderr.write(`\n${p.note}\n`);
    const width = 30;
    const share = p.total === 0 ? 1 : p.done / p.total;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const label = p.file ? ` ${path.basename(p.file)}` : '';
    process.stderr.write(`\r[${bar}] ${p.phase.padEnd(6)} ${Math.floor(p.done)}/${p.total} ${String(Math.round(share * 100)).padStart(3)}%${label}`.padEnd(100).slice(0, 100));
    if (p.phase === 'done') process.stderr.write('\n');
  };
}

export function formatSummary(summary: ImportSummary): string {
  const lines: string[] = [];
  if (summary.counts) {
    lines.push(`${summary.message}`);
    lines.push('table        added  updated');
    for (const [table, c] of Object.entries(summary.counts)) {
      lines.push(`${table.padEnd(12)} ${String(c.added).padStart(5)}  ${String(c.updated).padStart(7)}`);
    }
  }
  lines.push(`rows read ${summary.rowsRead}, rejects ${summary.rejects}, unparsed notes ${summary.unparsed}, skipped files ${summary.skipped}`);
  if (summary.onePassAbandoned) lines.push(`staged row by row (one pass gave way: ${summary.onePassAbandoned})`);
  const shown = summary.issues.filter((i) => i.kind !== 'skipped').slice(0, 20);
  for (const issue of shown) {
    lines.push(`  ${issue.kind}: ${issue.file}${issue.row !== null ? ` row ${issue.row}` : ''}${issue.field ? ` field ${issue.field}` : ''}` +
      `${issue.value !== null ? ` value "${issue.value}"` : ''}: ${issue.reason}`);
  }
  const more = summary.issues.filter((i) => i.kind !== 'skipped').length - shown.length;
  if (more > 0) lines.push(`  ... and ${more} more (stored with the import; see the Data view)`);
  return lines.join('\n');
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' } } });
  if (positionals.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const dbPath = values.db ?? DEFAULT_DB_PATH;
  const db = await openDatabase(dbPath);
  try {
    const summary = await importFiles(db, positionals, { piiKey: loadOrCreatePiiKey(dbPath), onProgress: progressPrinter(), actor: 'cli' });
    process.stdout.write(`${formatSummary(summary)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ImportFailed) {
      process.stderr.write(`\nimport ${error.summary.outcome}: ${error.message}\nthe data and dataset version ${error.summary.datasetVersion} are unchanged\n`);
      process.stderr.write(`${formatSummary(error.summary)}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}

async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { db: { type: 'string' }, param: { type: 'string', multiple: true }, format: { type: 'string', default: 'json' } },
  });
  const name = positionals[0];
  if (!name) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (values.format !== 'json' && values.format !== 'csv') {
    process.stderr.write(`handoff: --format must be json or csv\n`);
    return 2;
  }
  const raw: Record<string, string> = {};
  for (const pair of values.param ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) {
      process.stderr.write(`handoff: --param takes key=value, got "${pair}"\n`);
      return 2;
    }
    raw[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const db = await openDatabase(values.db ?? DEFAULT_DB_PATH);
  try {
    await installReportMacros(db.connection);
    const result = await runReport(db.connection, name, raw);
    process.stdout.write(values.format === 'csv' ? toCsv(result.columns, result.rows) : `${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ParamError || error instanceof UnknownReport) {
      process.stderr.write(`handoff: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    db.close();
  }
}

async function userCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { db: { type: 'string' }, role: { type: 'string' }, url: { type: 'string', default: 'http://localhost:3000' } },
  });
  const [action, login] = positionals;
  const db = await openDatabase(values.db ?? DEFAULT_DB_PATH);
  const store = new DuckDbAuthStore(db.connection);
  const actor = { login: `cli:${process.env.USER ?? 'operator'}` };
  try {
    if (action === 'list') {
      for (const u of await listUsers(store)) {
        process.stdout.write(`${u.login.padEnd(24)} ${u.role.padEnd(10)} ${u.setupPending ? 'setup pending' : 'active'}${u.disabled ? ', disabled' : ''}\n`);
      }
      return 0;
    }
    if ((action === 'add' || action === 'reset') && login) {
      if (action === 'add' && !isRole(values.role)) {
        process.stderr.write('handoff: --role must be admin, dispatcher, marketer or leader\n');
        return 2;
      }
      const ticket = action === 'add'
        ? await createUser(store, { login, role: values.role as 'admin' }, actor)
        : await resetUser(store, login, actor);
      process.stdout.write(`${action === 'add' ? 'created' : 'reset'} ${ticket.login}; one-time setup link (valid until ${new Date(ticket.expiresAtMs).toISOString()}):\n` +
        `  ${setupLink(values.url!.replace(/\/$/, ''), ticket.setupToken)}\n`);
      return 0;
    }
    process.stderr.write(`${USAGE}\n`);
    return 2;
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`handoff: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}
