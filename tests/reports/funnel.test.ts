// funnel: seeker-path stages in D.T's order, contacts there now, contacts that reached at least
// that stage and stage-to-stage conversion, with the previous window. Checked against the samples'
// published counts and plain loops over the fixtures' source files.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../server/core/reports/registry.ts';
import { DEMO_CANONICAL, DT_SAMPLES, type TestDb, createReportDb } from '../helpers.ts';
import { STAGES, type Filters, type World, expectNear, loadCanonicalWorld, loadSamplesWorld, pct, stageRank, windowContacts } from './demand-oracle.ts';

interface FunnelRow {
  stage: string;
  contacts_now: number;
  reached: number;
  conversion_from_previous_pct: number | null;
  previous_contacts_now: number | null;
  previous_reached: number | null;
  previous_conversion_from_previous_pct: number | null;
  reached_delta: number | null;
  conversion_delta_pts: number | null;
}

function expectedFunnel(world: World, from: string, to: string, filters: Filters, compare: boolean) {
  const now = { current: STAGES.map(() => 0), previous: STAGES.map(() => 0) };
  for (const { contact, cohort } of windowContacts(world, from, to, filters, compare)) now[cohort][stageRank(contact.path)]! += 1;
  const reached = (counts: number[]) => counts.map((_, i) => counts.slice(i).reduce((a, b) => a + b, 0));
  const current = reached(now.current);
  const previous = reached(now.previous);
  const conversion = (r: number[], i: number) => (i === 0 ? null : pct(r[i]!, r[i - 1]!));
  return STAGES.map((stage, i) => ({
    stage, now: now.current[i]!, reached: current[i]!, conversion: conversion(current, i),
    previousNow: now.previous[i]!, previousReached: previous[i]!, previousConversion: conversion(previous, i),
  }));
}

async function funnel(t: TestDb, params: Record<string, string>): Promise<FunnelRow[]> {
  return (await runReport(t.db.connection, 'funnel', params)).rows as unknown as FunnelRow[];
}

function checkAgainstOracle(actual: FunnelRow[], expected: ReturnType<typeof expectedFunnel>, compare: boolean) {
  expect(actual.map((r) => r.stage)).toEqual([...STAGES]);
  actual.forEach((r, i) => {
    const e = expected[i]!;
    expect([r.contacts_now, r.reached], e.stage).toEqual([e.now, e.reached]);
    expectNear(r.conversion_from_previous_pct, e.conversion, 1, `${e.stage} conversion`);
    if (compare) {
      expect([r.previous_contacts_now, r.previous_reached, r.reached_delta], e.stage).toEqual([e.previousNow, e.previousReached, e.reached - e.previousReached]);
      expectNear(r.previous_conversion_from_previous_pct, e.previousConversion, 1, `${e.stage} previous conversion`);
      expectNear(r.conversion_delta_pts, e.conversion !== null && e.previousConversion !== null ? e.conversion - e.previousConversion : null, 1, `${e.stage} conversion delta`);
    } else {
      expect([r.previous_contacts_now, r.previous_reached, r.previous_conversion_from_previous_pct, r.reached_delta, r.conversion_delta_pts]).toEqual([null, null, null, null, null]);
    }
  });
}

describe('funnel on the D.T samples', () => {
  let t: TestDb;
  let world: World;
  beforeAll(async () => {
    t = await createReportDb([DT_SAMPLES]);
    world = loadSamplesWorld();
  });
  afterAll(() => t?.close());

  it('gives the README\'s seeker-path counts over all history, in D.T\'s stage order (not the alphabet)', async () => {
    const rows = await funnel(t, { from: '2026-01-01', to: '2026-11-22' });
    expect(rows.map((r) => [r.stage, r.contacts_now])).toEqual([
      ['none', 61], ['attempted', 59], ['established', 61], ['scheduled', 29], ['met', 40], ['ongoing', 32], ['coaching', 8],
    ]);
    expect(rows.map((r) => r.reached)).toEqual([290, 229, 170, 109, 80, 40, 8]);
    expect(rows.map((r) => r.conversion_from_previous_pct)).toEqual([null, 79, 74.2, 64.1, 73.4, 50, 20]);
  });

  it('matches the oracle for a window against the previous one', async () => {
    checkAgainstOracle(await funnel(t, { from: '2026-09-01', to: '2026-11-22', compare: 'previous' }), expectedFunnel(world, '2026-09-01', '2026-11-22', {}, true), true);
    checkAgainstOracle(await funnel(t, { from: '2026-07-10', to: '2026-08-09' }), expectedFunnel(world, '2026-07-10', '2026-08-09', {}, false), false);
  });

  it('applies the filters', async () => {
    const pakistan = [...world.locations.values()].find((l) => l.name === 'Pakistan')!.id;
    for (const filters of [{ region: pakistan }, { language: 'ur' }, { gender: 'female', source: 'web' }, { campaign: 'bible-giveaway' }] as Filters[]) {
      const params = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, String(v)]));
      checkAgainstOracle(await funnel(t, { from: '2026-08-20', to: '2026-11-22', compare: 'previous', ...params }), expectedFunnel(world, '2026-08-20', '2026-11-22', filters, true), true);
    }
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('funnel on the demo set', () => {
  let t: TestDb;
  let world: World;
  beforeAll(async () => {
    t = await createReportDb([DEMO_CANONICAL]);
    world = loadCanonicalWorld(DEMO_CANONICAL);
  });
  afterAll(() => t?.close());

  it('matches the oracle over the last 90 days against the 90 before, and over all history', async () => {
    const last = Math.max(...world.contacts.map((c) => c.createdMs));
    const to = new Date(last).toISOString().slice(0, 10);
    const from = new Date(last - 89 * 86_400_000).toISOString().slice(0, 10);
    checkAgainstOracle(await funnel(t, { from, to, compare: 'previous' }), expectedFunnel(world, from, to, {}, true), true);
    checkAgainstOracle(await funnel(t, { from: '2000-01-01', to }), expectedFunnel(world, '2000-01-01', to, {}, false), false);
  });
});
