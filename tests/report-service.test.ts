// The report service over a real DuckDB file: the engine's settings, identical concurrent requests
// answered by one query, prepared statements kept per pooled connection that never serve a stale
// dataset, a run that is interrupted must not poison the next one, and a report that runs too long
// is cancelled with an error that says what to do.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportService, ReportTimeout } from '../server/core/reports/service.ts';
import { installReportMacros, runReport, runSql, type StatementCache } from '../server/core/reports/registry.ts';
import { buildApp } from '../server/app.ts';
import { openDatabase, type Database } from '../server/core/db/database.ts';
import { DEMO_CANONICAL, DT_SAMPLES, createTestDb, type TestDb } from './helpers.ts';
import { signIn } from './session.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await t.importAll([path.join(DT_SAMPLES, 'rest/contacts_list'), path.join(DT_SAMPLES, 'rest/users')]);
});
afterAll(() => t?.close());

/** The test database, with its connections' prepare and run watched (and able to fail on cue). */
function spiedDatabase(spy: { onPrepare?: (sql: string) => void; onRun?: (sql: string) => void }): Database {
  return {
    ...t.db,
    instance: {
      connect: async () => {
        const connection = await t.db.instance.connect();
        const prepare = connection.prepare.bind(connection);
        const runAndReadAll = connection.runAndReadAll.bind(connection);
        connection.prepare = async (sql: string) => { spy.onPrepare?.(sql); return prepare(sql); };
        connection.runAndReadAll = (async (sql: string, ...rest: unknown[]) => {
          spy.onRun?.(sql);
          return (runAndReadAll as (...args: unknown[]) => unknown)(sql, ...rest);
        }) as typeof connection.runAndReadAll;
        return connection;
      },
    } as unknown as Database['instance'],
  };
}

/** The slow test query's answer, counted in plain loops: pairs (a, b) in 0..2999 whose sum is a multiple of m. */
function pairsSummingToMultipleOf(m: number): number {
  let n = 0;
  for (let a = 0; a < 3000; a++) for (let b = 0; b < 3000; b++) if ((a + b) % m === 0) n++;
  return n;
}

/** The same report on a fresh connection that has never prepared anything. */
async function freshRun(name: string, raw: Record<string, string> = {}) {
  const connection = await t.db.instance.connect();
  try {
    await installReportMacros(connection);
    return await runReport(connection, name, raw);
  } finally {
    connection.closeSync();
  }
}

describe('the database file', () => {
  it('runs DuckDB with the threads and memory limit it is given, 2 threads and 2 GB by default', async () => {
    const setting = async (db: Database, name: string) =>
      (await db.connection.runAndReadAll('SELECT current_setting($name)::VARCHAR AS v', { name })).getRowObjectsJson()[0]!.v;
    // HANDOFF_DB_THREADS and HANDOFF_DB_MEMORY override the defaults for the server.
    expect(await setting(t.db, 'threads')).toBe(process.env.HANDOFF_DB_THREADS ?? '2');
    if (!process.env.HANDOFF_DB_MEMORY) expect(await setting(t.db, 'memory_limit')).toMatch(/^1\.8 GiB$|^2\.0 GB$|^1907\.3 MiB$/);
    const other = await openDatabase(path.join(t.dir, 'settings.duckdb'), { threads: 1, memoryLimit: '512MB' });
    try {
      expect(await setting(other, 'threads')).toBe('1');
      expect(await setting(other, 'memory_limit')).toMatch(/^488\.2 MiB$|^512\.0 MB$/);
    } finally {
      other.close();
    }
  });
});

describe('report service', () => {
  it('serves the new dataset after an import, although its statements were prepared on the old one', async () => {
    const service = await createReportService(t.db, { cacheEntries: 0, poolSize: 1 });
    try {
      const before = (await service.run('contacts_by_status', {})).result;
      expect(before.rows).toStrictEqual((await freshRun('contacts_by_status')).rows);
      await t.importAll([DEMO_CANONICAL]);
      const after = (await service.run('contacts_by_status', {})).result;
      expect(after.rows).not.toStrictEqual(before.rows);
      expect(after.rows).toStrictEqual((await freshRun('contacts_by_status')).rows);
      expect(after.datasetVersion).toBe(before.datasetVersion + 1);
    } finally {
      service.close();
    }
  });

  it('runs identical concurrent requests once: every caller gets the one result', async () => {
    const service = await createReportService(t.db, { cacheEntries: 0 });
    try {
      const same = await Promise.all([1, 2, 3].map(() => service.run('funnel', { from: '2026-01-01' })));
      expect(same[1]!.result).toBe(same[0]!.result);
      expect(same[2]!.result).toBe(same[0]!.result);
      // Without a cache, calls one after another each run the query: different result objects.
      const later = await service.run('funnel', { from: '2026-01-01' });
      expect(later.result).not.toBe(same[0]!.result);
      expect(later.result).toStrictEqual(same[0]!.result);
    } finally {
      service.close();
    }
  });

  it('caches by the parameters as bound: a default, a relative date and the same date written out are one entry', async () => {
    const service = await createReportService(t.db);
    try {
      const first = await service.run('funnel', {});
      expect(first.cached).toBe(false);
      const from = first.result.params.from as string;
      expect(from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((await service.run('funnel', { from })).cached).toBe(true);
      expect((await service.run('funnel', { from: 'as_of-89d', compare: 'none' })).cached).toBe(true);
      expect((await service.run('funnel', { from, compare: 'previous' })).cached).toBe(false);
      expect((await service.run('funnel', {}, 'leader')).cached).toBe(false);
    } finally {
      service.close();
    }
  });

  it('prepares a report once per connection, and again after an import', async () => {
    const prepared: string[] = [];
    const service = await createReportService(spiedDatabase({ onPrepare: (sql) => prepared.push(sql) }), { cacheEntries: 0, poolSize: 1 });
    try {
      const funnel = (sql: string) => sql.includes('seeker-path stages');
      for (let i = 0; i < 3; i++) await service.run('funnel', {});
      expect(prepared.filter(funnel)).toHaveLength(1);
      await t.importAll([path.join(DT_SAMPLES, 'rest/users')]);
      await service.run('funnel', {});
      await service.run('funnel', {});
      expect(prepared.filter(funnel)).toHaveLength(2);
    } finally {
      service.close();
    }
  });

  it('tries the as-of date again after reading it failed, instead of failing every request', async () => {
    let failures = 1;
    const service = await createReportService(spiedDatabase({
      onRun: (sql) => {
        if (sql.includes('greatest(') && failures-- > 0) throw new Error('simulated read failure');
      },
    }), { cacheEntries: 0 });
    try {
      await expect(service.run('funnel', {})).rejects.toThrow(/simulated read failure/);
      const again = await service.run('funnel', {});
      expect(again.result.rows.length).toBeGreaterThan(0);
    } finally {
      service.close();
    }
  });

  it('prepares afresh after an interrupted run and gives the same rows as an unprepared run', async () => {
    const connection = await t.db.instance.connect();
    const statements: StatementCache = new Map();
    try {
      // Slow on purpose: a self-join of a few million rows, with a bound parameter like the reports.
      const slow = 'SELECT count(*)::INTEGER AS n FROM range(3000) a, range(3000) b WHERE (a.range + b.range) % $m = 0';
      const timer = setTimeout(() => connection.interrupt(), 5);
      await expect(runSql(connection, slow, { m: 7 }, statements)).rejects.toThrow(/interrupt/i);
      clearTimeout(timer);
      expect(statements.has(slow)).toBe(false);
      const again = await runSql(connection, slow, { m: 7 }, statements);
      expect(again.rows).toStrictEqual([{ n: pairsSummingToMultipleOf(7) }]);
      expect(statements.has(slow)).toBe(true);
      // Reused with another value, the statement binds it anew.
      const other = await runSql(connection, slow, { m: 11 }, statements);
      expect(other.rows).toStrictEqual([{ n: pairsSummingToMultipleOf(11) }]);
    } finally {
      for (const prepared of statements.values()) prepared.destroySync();
      connection.closeSync();
    }
  });

  // On the demo set (imported by the first test), wellbeing takes tens of milliseconds: far past a 1 ms limit.
  it('cancels a report that runs too long with a 503 that names it and says what to do', async () => {
    const app = await buildApp({ db: t.db, piiKey: t.key, webDir: path.join(t.dir, 'no-web'), reportTimeoutMs: 1, reportCacheEntries: 0 });
    try {
      const dispatcher = await signIn(app, t.db, 'dispatcher');
      const res = await app.inject({ url: '/api/reports/wellbeing', headers: { cookie: dispatcher.cookie } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toStrictEqual({ error: 'timeout', message: expect.stringMatching(/^report "wellbeing" ran longer than .* was cancelled; narrow the filters/) });
      const service = await createReportService(t.db, { timeoutMs: 1, cacheEntries: 0 });
      try {
        await expect(service.run('wellbeing', {})).rejects.toBeInstanceOf(ReportTimeout);
      } finally {
        service.close();
      }
    } finally {
      await app.close();
    }
  });
});
