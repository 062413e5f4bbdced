// Shared test setup: real DuckDB files in a temp folder, the real importer, the real samples.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, openDatabase, type Database } from '../server/core/db/database.ts';
import { importFiles, type ImportSummary } from '../server/core/import/index.ts';
import { loadOrCreatePiiKey } from '../server/core/import/pii.ts';
import { installReportMacros } from '../server/core/reports/registry.ts';

export const DT_SAMPLES = path.join(REPO_ROOT, 'fixtures', 'dt-samples');
export const DEMO_CANONICAL = path.join(REPO_ROOT, 'fixtures', 'demo', 'canonical');

export function tempDir(prefix = 'handoff-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestDb { db: Database; dbPath: string; dir: string; key: Buffer; importAll(inputs: string[], opts?: Partial<Parameters<typeof importFiles>[2]>): Promise<ImportSummary>; close(): void }

export async function createTestDb(): Promise<TestDb> {
  const dir = tempDir();
  const dbPath = path.join(dir, 'handoff.duckdb');
  const db = await openDatabase(dbPath);
  const key = loadOrCreatePiiKey(dbPath);
  return {
    db, dbPath, dir, key,
    importAll: (inputs, opts = {}) => importFiles(db, inputs, { piiKey: key, ...opts }),
    close: () => db.close(),
  };
}

export async function rows<T = Record<string, unknown>>(db: Database, sql: string, params?: Record<string, string | number | null>): Promise<T[]> {
  const reader = await db.connection.runAndReadAll(sql, params as Record<string, string>);
  return reader.getRowObjectsJson() as unknown as T[];
}

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The REST list posts of the samples, as D.T sent them (deduplicated by ID; the GET pages as admin). */
export function sampleListPosts(): Record<string, any>[] {
  const dir = path.join(DT_SAMPLES, 'rest', 'contacts_list');
  const byId = new Map<string, Record<string, any>>();
  for (const f of fs.readdirSync(dir).filter((f) => f.startsWith('get_contacts_limit100'))) {
    for (const p of (readJson(path.join(dir, f)) as { posts: Record<string, any>[] }).posts) byId.set(String(p.ID), p);
  }
  return [...byId.values()];
}

/** A test database with the given files imported and the report macros installed, ready for runReport. */
export async function createReportDb(inputs: string[]): Promise<TestDb> {
  const t = await createTestDb();
  await t.importAll(inputs);
  await installReportMacros(t.db.connection);
  return t;
}
