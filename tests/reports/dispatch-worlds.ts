// The two datasets every dispatch report is checked on, each with its source-file oracle loader.
import { DEMO_CANONICAL, DT_SAMPLES, createTestDb, type TestDb } from '../helpers.ts';
import { installReportMacros, runReport } from '../../server/core/reports/registry.ts';
import { loadCanonical, loadSamples, type OWorld } from './dispatch-oracle.ts';

export interface Dataset { label: string; inputs: string[]; load: () => OWorld }

export const SAMPLES: Dataset = { label: 'the D.T samples', inputs: [DT_SAMPLES], load: loadSamples };
export const DEMO: Dataset = { label: 'the demo set', inputs: [DEMO_CANONICAL], load: () => loadCanonical(DEMO_CANONICAL) };
export const DATASETS = [SAMPLES, DEMO];

export async function openDataset(d: Dataset): Promise<TestDb> {
  const t = await createTestDb();
  await t.importAll(d.inputs);
  await installReportMacros(t.db.connection);
  return t;
}

export async function report<T = Record<string, unknown>>(t: TestDb, name: string, params: Record<string, string> = {}) {
  const result = await runReport(t.db.connection, name, params);
  return { ...result, rows: result.rows as T[] };
}
