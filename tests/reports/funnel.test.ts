// funnel: seeker-path stages in D.T's order, contacts there now, contacts that reached at least
// that stage and stage-to-stage conversion, with the previous window. Checked against the samples'
// published counts and plain loops over the fixtures' source files.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_CANONICAL, type TestDb } from '../helpers.ts';
import { lastCreatedDay, pct, windowContacts } from '../oracle/demand.ts';
import { SEEKER_PATH_STAGES, addDays, locationNamed, stageRank, type Filters, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, reportRows, useReportFixture } from './datasets.ts';
import { expectNear, filterParams, pairRowsInOrder } from './report-checks.ts';

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
  const now = { current: SEEKER_PATH_STAGES.map(() => 0), previous: SEEKER_PATH_STAGES.map(() => 0) };
  for (const { contact, cohort } of windowContacts(world, from, to, filters, compare)) now[cohort][stageRank(contact.seekerPath)]! += 1;
  const reached = (counts: number[]) => counts.map((_, i) => counts.slice(i).reduce((a, b) => a + b, 0));
  const current = reached(now.current);
  const previous = reached(now.previous);
  const conversion = (r: number[], i: number) => (i === 0 ? null : pct(r[i]!, r[i - 1]!));
  return SEEKER_PATH_STAGES.map((stage, i) => ({
    stage, now: now.current[i]!, reached: current[i]!, conversion: conversion(current, i),
    previousNow: now.previous[i]!, previousReached: previous[i]!, previousConversion: conversion(previous, i),
  }));
}

const funnel = (t: TestDb, params: Record<string, string>) => reportRows<FunnelRow>(t, 'funnel', params);

function checkAgainstOracle(actual: FunnelRow[], expected: ReturnType<typeof expectedFunnel>, compare: boolean) {
  // The oracle lists D.T's stages in order.
  for (const { row: r, want: e } of pairRowsInOrder(actual, (r) => r.stage, expected, (e) => e.stage)) {
    expect([r.contacts_now, r.reached], e.stage).toEqual([e.now, e.reached]);
    expectNear(r.conversion_from_previous_pct, e.conversion, 1, `${e.stage} conversion`);
    if (compare) {
      expect([r.previous_contacts_now, r.previous_reached, r.reached_delta], e.stage).toEqual([e.previousNow, e.previousReached, e.reached - e.previousReached]);
      expectNear(r.previous_conversion_from_previous_pct, e.previousConversion, 1, `${e.stage} previous conversion`);
      expectNear(r.conversion_delta_pts, e.conversion !== null && e.previousConversion !== null ? e.conversion - e.previousConversion : null, 1, `${e.stage} conversion delta`);
    } else {
      expect([r.previous_contacts_now, r.previous_reached, r.previous_conversion_from_previous_pct, r.reached_delta, r.conversion_delta_pts]).toEqual([null, null, null, null, null]);
    }
  }
}

describe('funnel on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('gives the README\'s seeker-path counts over all history, in D.T\'s stage order (not the alphabet)', async () => {
    const rows = await funnel(fixture.db, { from: '2026-01-01', to: '2026-11-22' });
    expect(rows.map((r) => [r.stage, r.contacts_now])).toEqual([
      ['none', 61], ['attempted', 59], ['established', 61], ['scheduled', 29], ['met', 40], ['ongoing', 32], ['coaching', 8],
    ]);
    expect(rows.map((r) => r.reached)).toEqual([290, 229, 170, 109, 80, 40, 8]);
    expect(rows.map((r) => r.conversion_from_previous_pct)).toEqual([null, 79, 74.2, 64.1, 73.4, 50, 20]);
  });

  it('matches the oracle for a window against the previous one', async () => {
    const { db, world } = fixture;
    checkAgainstOracle(await funnel(db, { from: '2026-09-01', to: '2026-11-22', compare: 'previous' }), expectedFunnel(world, '2026-09-01', '2026-11-22', {}, true), true);
    checkAgainstOracle(await funnel(db, { from: '2026-07-10', to: '2026-08-09' }), expectedFunnel(world, '2026-07-10', '2026-08-09', {}, false), false);
  });

  it('applies the filters', async () => {
    const { db, world } = fixture;
    const pakistan = locationNamed(world, 'Pakistan')!.id;
    for (const filters of [{ region: pakistan }, { language: 'ur' }, { gender: 'female', source: 'web' }, { campaign: 'bible-giveaway' }] as Filters[]) {
      checkAgainstOracle(await funnel(db, { from: '2026-08-20', to: '2026-11-22', compare: 'previous', ...filterParams(filters) }), expectedFunnel(world, '2026-08-20', '2026-11-22', filters, true), true);
    }
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('funnel on the demo set', () => {
  const fixture = useReportFixture(DEMO);

  it('matches the oracle over the last 90 days against the 90 before, and over all history', async () => {
    const { db, world } = fixture;
    const to = lastCreatedDay(world);
    const from = addDays(to, -89);
    checkAgainstOracle(await funnel(db, { from, to, compare: 'previous' }), expectedFunnel(world, from, to, {}, true), true);
    checkAgainstOracle(await funnel(db, { from: '2000-01-01', to }), expectedFunnel(world, '2000-01-01', to, {}, false), false);
  });
});
