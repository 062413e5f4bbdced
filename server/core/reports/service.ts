// Running reports for many callers: a small pool of read connections (each with the report macros and its own prepared statements),
// a result cache keyed by report + normalised params + dataset version (+ role), shared in-flight
// queries so identical concurrent requests run once, and a time limit that interrupts DuckDB.
import type { DuckDBConnection } from '@duckdb/node-api';
import { datasetVersion, type Database } from '../db/database.ts';
import { datasetAsOf, findReport, installReportMacros, runReport, type DatasetStamp, type ReportResult, type StatementCache } from './registry.ts';
import { normaliseParams } from './params.ts';

export class ReportTimeout extends Error {
  constructor(readonly report: string, readonly seconds: number) {
    super(`report "${report}" ran longer than ${seconds} s and was cancelled; narrow the filters (date window, region) and try again`);
    this.name = 'ReportTimeout';
  }
}

const INTERRUPT_REPEAT_MS = 20;

export interface ReportServiceOptions {
  poolSize?: number;
  timeoutMs?: number;
  /** 0 turns the result cache off (the benchmark measures uncached runs so). */
  cacheEntries?: number;
}

export interface ReportService {
  /** `scope` separates cache entries (the caller's role); `transform` (e.g. small-count suppression) runs once, before caching. */
  run(name: string, raw: Record<string, string | undefined>, scope?: string, transform?: (result: ReportResult) => ReportResult): Promise<{ result: ReportResult; cached: boolean }>;
  datasetVersion(): Promise<number>;
  close(): void;
}

export async function createReportService(db: Database, options: ReportServiceOptions = {}): Promise<ReportService> {
  const timeoutMs = options.timeoutMs ?? Number(process.env.HANDOFF_REPORT_TIMEOUT_MS ?? 30_000);
  const maxEntries = options.cacheEntries ?? 500;
  const idle: DuckDBConnection[] = [];
  const waiting: ((c: DuckDBConnection) => void)[] = [];
  const all: DuckDBConnection[] = [];
  // Each connection keeps its prepared statements; an import drops them (DuckDB would rebind them
  // itself, but nothing stale should outlive a new dataset). They are dropped when the connection is
  // next taken from the pool, so never while a statement runs.
  const statements = new Map<DuckDBConnection, { cache: StatementCache; generation: number }>();
  let statementGeneration = 0;
  for (let i = 0; i < (options.poolSize ?? 2); i++) {
    const connection = await db.instance.connect();
    await installReportMacros(connection);
    idle.push(connection);
    all.push(connection);
    statements.set(connection, { cache: new Map(), generation: statementGeneration });
  }
  const statementsOf = (connection: DuckDBConnection): StatementCache => {
    const entry = statements.get(connection)!;
    if (entry.generation !== statementGeneration) {
      for (const prepared of entry.cache.values()) prepared.destroySync();
      entry.cache.clear();
      entry.generation = statementGeneration;
    }
    return entry.cache;
  };
  const acquire = () => new Promise<DuckDBConnection>((resolve) => {
    const c = idle.pop();
    if (c) resolve(c); else waiting.push(resolve);
  });
  const release = (c: DuckDBConnection) => {
    const next = waiting.shift();
    if (next) next(c); else idle.push(c);
  };

  const cache = new Map<string, ReportResult>();
  const inFlight = new Map<string, Promise<ReportResult>>();
  let versionSeen = -1;
  // The as-of date scans every event: compute it once per dataset version, not per request.
  let stamp: Promise<DatasetStamp> | null = null;

  let knownVersion: number | null = null;
  // Counts finished imports: a version read that an import overtook must not be remembered.
  let importsSeen = 0;
  db.events.on('imported', () => { knownVersion = null; importsSeen++; statementGeneration++; });
  async function currentVersion(): Promise<number> {
    if (knownVersion !== null) return knownVersion;
    const before = importsSeen;
    const connection = await acquire();
    try {
      const version = await datasetVersion(connection);
      if (importsSeen === before) knownVersion = version;
      return version;
    } finally {
      release(connection);
    }
  }

  async function currentStamp(version: number): Promise<DatasetStamp> {
    if (!stamp) {
      const pending = (async () => {
        const connection = await acquire();
        try {
          return { version, asOf: await datasetAsOf(connection) };
        } finally {
          release(connection);
        }
      })();
      stamp = pending;
      // A failed read is not kept: the next request tries again.
      pending.catch(() => { if (stamp === pending) stamp = null; });
    }
    return stamp;
  }

  async function execute(name: string, raw: Record<string, string | undefined>, version: number): Promise<ReportResult> {
    const datasetStampNow = await currentStamp(version);
    const connection = await acquire();
    // An interrupt only stops a statement that is executing: one that lands while a statement is
    // being prepared, or between two statements of a report, is lost. So past the limit, interrupt
    // again until the run gives up.
    let interrupting: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
      interrupting = setInterval(() => connection.interrupt(), INTERRUPT_REPEAT_MS);
    }, timeoutMs);
    try {
      return await runReport(connection, name, raw, datasetStampNow, statementsOf(connection));
    } catch (error) {
      if (timedOut && /interrupt/i.test((error as Error).message)) {
        throw new ReportTimeout(name, timeoutMs / 1000);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      clearInterval(interrupting);
      release(connection);
    }
  }

  return {
    datasetVersion: currentVersion,
    async run(name, raw, scope = '', transform = (r) => r) {
      const version = await currentVersion();
      if (version !== versionSeen) {
        // An import bumped the version: every cached result is stale.
        cache.clear();
        stamp = null;
        versionSeen = version;
      }
      // Key on the parameters as the report will bind them (defaults filled in, relative dates
      // resolved, in declaration order), so "from=as_of-89d", the same date written out and no
      // "from" at all share one entry. Bad parameters are refused here, before any query.
      const { asOf } = await currentStamp(version);
      const key = JSON.stringify([name, scope, version, normaliseParams(findReport(name).params, raw, asOf)]);
      const hit = cache.get(key);
      if (hit) return { result: hit, cached: true };
      let pending = inFlight.get(key);
      if (!pending) {
        pending = execute(name, raw, version).then(transform).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const result = await pending;
      if (maxEntries > 0 && result.datasetVersion === version) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(key, result);
      }
      return { result, cached: false };
    },
    close() {
      for (const { cache } of statements.values()) for (const prepared of cache.values()) prepared.destroySync();
      for (const c of all) c.closeSync();
    },
  };
}
