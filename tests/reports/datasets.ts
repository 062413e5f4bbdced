// The datasets the reports are checked on. Each is imported into a real database for the report
// under test and read again from the same source files by the oracle (tests/oracle/).
import { afterAll, beforeAll } from 'vitest';
import { datasetAsOf, runReport } from '../../server/core/reports/registry.ts';
import { DEMO_CANONICAL, DT_SAMPLES, createReportDb, type TestDb } from '../helpers.ts';
import { loadCanonicalWorld, loadDtSamplesWorld, type World } from '../oracle/world.ts';

export interface Dataset { label: string; inputs: string[]; load: () => World }

export const SAMPLES: Dataset = { label: 'the D.T samples', inputs: [DT_SAMPLES], load: () => loadDtSamplesWorld(DT_SAMPLES) };
export const DEMO: Dataset = { label: 'the demo set', inputs: [DEMO_CANONICAL], load: () => loadCanonicalWorld(DEMO_CANONICAL) };
export const DATASETS = [SAMPLES, DEMO];

/** A report database and the oracle's world of the same files. */
export interface ReportFixture {
  readonly db: TestDb;
  readonly world: World;
  /** The as-of date every report defaults to on this database, as the server reads it. */
  readonly defaultAsOf: string;
}

/**
 * Opens the dataset once for the enclosing describe block and closes it after. A function is called
 * only then, for datasets a test writes itself.
 */
export function useReportFixture(dataset: Dataset | (() => Dataset)): ReportFixture {
  let db: TestDb | undefined;
  let world: World | undefined;
  let defaultAsOf: string | undefined;
  beforeAll(async () => {
    const d = typeof dataset === 'function' ? dataset() : dataset;
    db = await createReportDb(d.inputs);
    world = d.load();
    defaultAsOf = await datasetAsOf(db.db.connection);
  });
  afterAll(() => db?.close());
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the report fixture is opened in beforeAll: use it inside a test or hook');
    return value;
  };
  return {
    get db() { return opened(db); },
    get world() { return opened(world); },
    get defaultAsOf() { return opened(defaultAsOf); },
  };
}

export async function report<Row = Record<string, any>>(db: TestDb, name: string, params: Record<string, string> = {}) {
  const result = await runReport(db.db.connection, name, params);
  return { ...result, rows: result.rows as Row[] };
}

export async function reportRows<Row = Record<string, any>>(db: TestDb, name: string, params: Record<string, string> = {}): Promise<Row[]> {
  return (await report<Row>(db, name, params)).rows;
}
