// demand: contacts created per period × region (or source, campaign, language, gender), checked
// against plain loops over the fixtures' source files, on the real D.T samples and the demo set.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../server/core/reports/registry.ts';
import { DEMO_CANONICAL, DT_SAMPLES, type TestDb, createReportDb } from '../helpers.ts';
import {
  type Filters, type World, breakdownValues, loadCanonicalWorld, loadSamplesWorld, periodStart, placeAtLevel, windowContacts,
} from './demand-oracle.ts';

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

/** The oracle: one count per period and breakdown value, from the source rows. */
function expectedDemand(world: World, o: { from: string; to: string; grain: string; by: By; level?: number; compare?: boolean; filters?: Filters }) {
  const cells = new Map<string, { period: string; region_id: string | null; breakdown: string | null; contacts: number; previous: number }>();
  for (const { contact, cohort, alignedMs } of windowContacts(world, o.from, o.to, o.filters ?? {}, o.compare ?? false)) {
    const period = periodStart(o.grain, alignedMs);
    let keys: { region_id: string | null; breakdown: string | null }[];
    if (o.by === 'region') {
      const place = placeAtLevel(world, contact.locations[0], o.level ?? 0);
      keys = [{ region_id: place === null ? null : String(place), breakdown: place === null ? null : world.locations.get(place)?.name ?? String(place) }];
    } else {
      const values = o.by === 'gender' ? [contact.gender] : breakdownValues(o.by === 'source' ? contact.sources : o.by === 'campaign' ? contact.campaigns : contact.languages);
      keys = values.map((v) => ({ region_id: null, breakdown: v }));
    }
    for (const k of keys) {
      const id = `${period}|${k.region_id}|${k.breakdown}`;
      const cell = cells.get(id) ?? { period, ...k, contacts: 0, previous: 0 };
      if (cohort === 'current') cell.contacts += 1;
      else cell.previous += 1;
      cells.set(id, cell);
    }
  }
  return [...cells.values()];
}

async function demand(t: TestDb, params: Record<string, string>): Promise<DemandRow[]> {
  return (await runReport(t.db.connection, 'demand', params)).rows as unknown as DemandRow[];
}

function checkAgainstOracle(actual: DemandRow[], expected: ReturnType<typeof expectedDemand>, compare: boolean) {
  const key = (r: { period: string; region_id: string | null; breakdown: string | null }) => `${r.period}|${r.region_id}|${r.breakdown}`;
  expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
  const byKey = new Map(actual.map((r) => [key(r), r]));
  for (const e of expected) {
    const row = byKey.get(key(e))!;
    expect(row.contacts, key(e)).toBe(e.contacts);
    if (compare) {
      expect(row.previous_contacts, key(e)).toBe(e.previous);
      expect(row.delta, key(e)).toBe(e.contacts - e.previous);
      if (e.previous === 0) expect(row.delta_pct).toBeNull();
      else expect(row.delta_pct!).toBeCloseTo(((e.contacts - e.previous) * 100) / e.previous, 1);
    } else {
      expect([row.previous_contacts, row.delta, row.delta_pct]).toEqual([null, null, null]);
    }
  }
}

describe('demand on the D.T samples', () => {
  let t: TestDb;
  let world: World;
  beforeAll(async () => {
    t = await createReportDb([DT_SAMPLES]);
    world = loadSamplesWorld();
  });
  afterAll(() => t?.close());

  it('counts contacts per month and country, against the previous window of equal length', async () => {
    const o = { from: '2026-08-15', to: '2026-11-20', grain: 'month', by: 'region' as const, compare: true };
    const rows = await demand(t, { from: o.from, to: o.to, grain: o.grain, compare: 'previous' });
    checkAgainstOracle(rows, expectedDemand(world, o), true);
    // Every contact of the window counts exactly once by region.
    expect(rows.reduce((n, r) => n + r.contacts, 0)).toBe(windowContacts(world, o.from, o.to, {}, false).length);
    expect(rows.some((r) => r.region_id === null && r.contacts > 0)).toBe(true); // contacts without a location are kept
  });

  for (const by of ['source', 'campaign', 'language', 'gender'] as const) {
    it(`breaks demand down by ${by} per week`, async () => {
      const o = { from: '2026-05-25', to: '2026-11-20', grain: 'week', by };
      checkAgainstOracle(await demand(t, { from: o.from, to: o.to, grain: o.grain, by }), expectedDemand(world, o), false);
    });
  }

  it('counts a contact with two sources once under each', async () => {
    const rows = await demand(t, { from: '2026-05-01', to: '2026-11-22', grain: 'year', by: 'source' });
    const contacts = windowContacts(world, '2026-05-01', '2026-11-22', {}, false).map((w) => w.contact);
    const twoSources = contacts.filter((c) => new Set(c.sources).size === 2);
    expect(twoSources.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.contacts, 0)).toBe(contacts.reduce((n, c) => n + Math.max(1, new Set(c.sources).size), 0));
  });

  it('applies the region, language, gender, source and campaign filters', async () => {
    const france = [...world.locations.values()].find((l) => l.name === 'France')!.id;
    const cases: Filters[] = [{ region: france }, { language: 'en' }, { gender: 'female' }, { source: 'facebook' }, { campaign: 'bible-giveaway' }, { language: 'ar', gender: 'male' }];
    for (const filters of cases) {
      const o = { from: '2026-06-01', to: '2026-11-22', grain: 'quarter', by: 'region' as const, compare: true, filters };
      const params = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, String(v)]));
      checkAgainstOracle(await demand(t, { from: o.from, to: o.to, grain: o.grain, compare: 'previous', ...params }), expectedDemand(world, o), true);
    }
  });

  it('refuses a level outside the location tree and an unknown breakdown', async () => {
    await expect(demand(t, { level: '4' })).rejects.toThrow(/level/);
    await expect(demand(t, { by: 'city' })).rejects.toThrow(/by/);
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('demand on the demo set', () => {
  let t: TestDb;
  let world: World;
  beforeAll(async () => {
    t = await createReportDb([DEMO_CANONICAL]);
    world = loadCanonicalWorld(DEMO_CANONICAL);
  });
  afterAll(() => t?.close());

  const span = () => {
    const created = world.contacts.filter((c) => c.type === 'access').map((c) => c.createdMs);
    const last = new Date(Math.max(...created)).toISOString().slice(0, 10);
    const first = new Date(Math.min(...created)).toISOString().slice(0, 10);
    return { first, last };
  };

  for (const level of [0, 1, 2, 3]) {
    it(`counts contacts per month and region at level ${level}, with the previous window`, async () => {
      const { last } = span();
      const from = `${Number(last.slice(0, 4)) - 1}${last.slice(4)}`;
      const o = { from, to: last, grain: 'month', by: 'region' as const, level, compare: true };
      const rows = await demand(t, { from, to: last, grain: 'month', level: String(level), compare: 'previous' });
      checkAgainstOracle(rows, expectedDemand(world, o), true);
    });
  }

  for (const by of ['source', 'campaign', 'language', 'gender'] as const) {
    it(`breaks all history down by ${by} per quarter`, async () => {
      const { first, last } = span();
      const o = { from: first, to: last, grain: 'quarter', by };
      checkAgainstOracle(await demand(t, { from: first, to: last, grain: 'quarter', by }), expectedDemand(world, o), false);
    });
  }
});
