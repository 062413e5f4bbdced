// demand: contacts created per period × region (or source, campaign, language, gender), checked
// against plain loops over the fixtures' source files, on the real D.T samples and the demo set.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_CANONICAL, type TestDb } from '../helpers.ts';
import { breakdownValues, periodStart, windowContacts } from '../oracle/demand.ts';
import { isoDay, locationNamed, placeAtLevel, placeName, type Filters, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, reportRows, useReportFixture } from './datasets.ts';
import { filterParams, pairRowsByKey } from './report-checks.ts';

interface DemandRow {
  period: string;
  region_id: string | null;
  breakdown: string | null;
  contacts: number;
  previous_contacts: number | null;
  delta: number | null;
  delta_pct: number | null;
}

type By = 'region' | 'source' | 'campaign' | 'language' | 'gender';

const cellKey = (r: { period: string; region_id: string | null; breakdown: string | null }) => `${r.period}|${r.region_id}|${r.breakdown}`;

/** The oracle: one count per period and breakdown value, from the source rows. */
function expectedDemand(world: World, o: { from: string; to: string; grain: string; by: By; level?: number; compare?: boolean; filters?: Filters }) {
  const cells = new Map<string, { period: string; region_id: string | null; breakdown: string | null; contacts: number; previous: number }>();
  for (const { contact, cohort, alignedMs } of windowContacts(world, o.from, o.to, o.filters ?? {}, o.compare ?? false)) {
    const period = periodStart(o.grain, alignedMs);
    let keys: { region_id: string | null; breakdown: string | null }[];
    if (o.by === 'region') {
      const place = placeAtLevel(world, contact.locationIds[0], o.level ?? 0);
      keys = [{ region_id: place === null ? null : String(place), breakdown: place === null ? null : placeName(world, place) }];
    } else {
      const values = o.by === 'gender' ? [contact.gender] : breakdownValues(o.by === 'source' ? contact.sources : o.by === 'campaign' ? contact.campaigns : contact.languages);
      keys = values.map((v) => ({ region_id: null, breakdown: v }));
    }
    for (const k of keys) {
      const id = cellKey({ period, ...k });
      const cell = cells.get(id) ?? { period, ...k, contacts: 0, previous: 0 };
      if (cohort === 'current') cell.contacts += 1;
      else cell.previous += 1;
      cells.set(id, cell);
    }
  }
  return [...cells.values()];
}

const demand = (t: TestDb, params: Record<string, string>) => reportRows<DemandRow>(t, 'demand', params);

function checkAgainstOracle(actual: DemandRow[], expected: ReturnType<typeof expectedDemand>, compare: boolean) {
  for (const { key, row, want: e } of pairRowsByKey(actual, cellKey, expected, cellKey)) {
    expect(row.contacts, key).toBe(e.contacts);
    if (compare) {
      expect(row.previous_contacts, key).toBe(e.previous);
      expect(row.delta, key).toBe(e.contacts - e.previous);
      if (e.previous === 0) expect(row.delta_pct).toBeNull();
      else expect(row.delta_pct!).toBeCloseTo(((e.contacts - e.previous) * 100) / e.previous, 1);
    } else {
      expect([row.previous_contacts, row.delta, row.delta_pct]).toEqual([null, null, null]);
    }
  }
}

describe('demand on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('counts contacts per month and country, against the previous window of equal length', async () => {
    const { db, world } = fixture;
    const o = { from: '2026-08-15', to: '2026-11-20', grain: 'month', by: 'region' as const, compare: true };
    const rows = await demand(db, { from: o.from, to: o.to, grain: o.grain, compare: 'previous' });
    checkAgainstOracle(rows, expectedDemand(world, o), true);
    // Every contact of the window counts exactly once by region.
    expect(rows.reduce((n, r) => n + r.contacts, 0)).toBe(windowContacts(world, o.from, o.to, {}, false).length);
    expect(rows.some((r) => r.region_id === null && r.contacts > 0)).toBe(true); // contacts without a location are kept
  });

  for (const by of ['source', 'campaign', 'language', 'gender'] as const) {
    it(`breaks demand down by ${by} per week`, async () => {
      const o = { from: '2026-05-25', to: '2026-11-20', grain: 'week', by };
      checkAgainstOracle(await demand(fixture.db, { from: o.from, to: o.to, grain: o.grain, by }), expectedDemand(fixture.world, o), false);
    });
  }

  it('counts a contact with two sources once under each', async () => {
    const { db, world } = fixture;
    const rows = await demand(db, { from: '2026-05-01', to: '2026-11-22', grain: 'year', by: 'source' });
    const contacts = windowContacts(world, '2026-05-01', '2026-11-22', {}, false).map((w) => w.contact);
    const twoSources = contacts.filter((c) => new Set(c.sources).size === 2);
    expect(twoSources.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.contacts, 0)).toBe(contacts.reduce((n, c) => n + Math.max(1, new Set(c.sources).size), 0));
  });

  it('applies the region, language, gender, source and campaign filters', async () => {
    const { db, world } = fixture;
    const france = locationNamed(world, 'France')!.id;
    const cases: Filters[] = [{ region: france }, { language: 'en' }, { gender: 'female' }, { source: 'facebook' }, { campaign: 'bible-giveaway' }, { language: 'ar', gender: 'male' }];
    for (const filters of cases) {
      const o = { from: '2026-06-01', to: '2026-11-22', grain: 'quarter', by: 'region' as const, compare: true, filters };
      checkAgainstOracle(await demand(db, { from: o.from, to: o.to, grain: o.grain, compare: 'previous', ...filterParams(filters) }), expectedDemand(world, o), true);
    }
  });

  it('refuses a level outside the location tree and an unknown breakdown', async () => {
    await expect(demand(fixture.db, { level: '4' })).rejects.toThrow(/level/);
    await expect(demand(fixture.db, { by: 'city' })).rejects.toThrow(/by/);
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('demand on the demo set', () => {
  const fixture = useReportFixture(DEMO);

  const span = () => {
    const created = fixture.world.contacts.filter((c) => c.type === 'access').map((c) => c.createdMs);
    return { first: isoDay(Math.min(...created)), last: isoDay(Math.max(...created)) };
  };

  for (const level of [0, 1, 2, 3]) {
    it(`counts contacts per month and region at level ${level}, with the previous window`, async () => {
      const { last } = span();
      const from = `${Number(last.slice(0, 4)) - 1}${last.slice(4)}`;
      const o = { from, to: last, grain: 'month', by: 'region' as const, level, compare: true };
      const rows = await demand(fixture.db, { from, to: last, grain: 'month', level: String(level), compare: 'previous' });
      checkAgainstOracle(rows, expectedDemand(fixture.world, o), true);
    });
  }

  for (const by of ['source', 'campaign', 'language', 'gender'] as const) {
    it(`breaks all history down by ${by} per quarter`, async () => {
      const { first, last } = span();
      const o = { from: first, to: last, grain: 'quarter', by };
      checkAgainstOracle(await demand(fixture.db, { from: first, to: last, grain: 'quarter', by }), expectedDemand(fixture.world, o), false);
    });
  }
});
