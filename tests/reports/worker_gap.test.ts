// worker_gap: demand per region × language × gender against the free capacity of the multipliers
// who fit it, checked against plain loops over the source files of the D.T samples and the demo set;
// the planted uncovered city must show as having no fitting multiplier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../helpers.ts';
import {
  DAY_MS, dayMs, isSeeker, multipliersOf, placeAtLevel, serves, supplyOf, type Filters, type OWorld,
} from './dispatch-oracle.ts';
import { DATASETS, DEMO, openDataset, report } from './dispatch-worlds.ts';

interface GapRow {
  region_id: string | null;
  region: string;
  language: string;
  gender: string;
  demand_contacts: number;
  fitting_multipliers: number;
  free_capacity: number;
  gap: number;
  coverage_status: string;
  multipliers_in_region: number;
}

const STATUS_ORDER = ['no fitting multiplier', 'short', 'covered'];

function expectedGap(world: OWorld, o: { from: string; to: string; asOf: string; level: number; filters?: Filters }): GapRow[] {
  const start = dayMs(o.from);
  const end = dayMs(o.to) + DAY_MS;
  const demand = new Map<string, { region: number | null; language: string; gender: string; contacts: number }>();
  for (const c of world.contacts) {
    if (!isSeeker(world, c, o.filters ?? {}) || c.createdMs < start || c.createdMs >= end) continue;
    const region = placeAtLevel(world, c.locations[0], o.level);
    const language = c.languages[0] ?? 'unknown';
    const gender = c.gender ?? 'unknown';
    const key = `${region}|${language}|${gender}`;
    const cell = demand.get(key) ?? { region, language, gender, contacts: 0 };
    cell.contacts += 1;
    demand.set(key, cell);
  }
  const supply = supplyOf(world, o.asOf);
  const multipliers = multipliersOf(world);
  return [...demand.values()].map((d) => {
    const serving = multipliers.filter((m) => d.region === null || serves(world, m, d.region));
    const fitting = serving.filter((m) => m.workload !== 'too_many'
      && (d.language === 'unknown' || m.languages.includes(d.language))
      && (d.gender === 'unknown' || m.gender === d.gender));
    const free = fitting.reduce((sum, m) => sum + supply.get(m.id)!.free, 0);
    return {
      region_id: d.region === null ? null : String(d.region),
      region: d.region === null ? 'unknown' : world.locations.get(d.region)?.name ?? String(d.region),
      language: d.language,
      gender: d.gender,
      demand_contacts: d.contacts,
      fitting_multipliers: fitting.length,
      free_capacity: free,
      gap: d.contacts - free,
      coverage_status: fitting.length === 0 ? 'no fitting multiplier' : d.contacts > free ? 'short' : 'covered',
      multipliers_in_region: serving.length,
    };
  });
}

const key = (r: GapRow) => `${r.region_id}|${r.language}|${r.gender}`;

function checkAgainstOracle(actual: GapRow[], expected: GapRow[]) {
  expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
  const byKey = new Map(actual.map((r) => [key(r), r]));
  for (const e of expected) expect(byKey.get(key(e)), key(e)).toEqual(e);
  // Uncovered first, then short, then covered; within a status, the biggest gap first.
  for (let i = 1; i < actual.length; i++) {
    const [p, r] = [actual[i - 1]!, actual[i]!];
    const order = STATUS_ORDER.indexOf(p.coverage_status) - STATUS_ORDER.indexOf(r.coverage_status);
    expect(order < 0 || (order === 0 && p.gap >= r.gap), `order at ${i}`).toBe(true);
  }
}

describe.each(DATASETS)('worker_gap on $label', (dataset) => {
  let t: TestDb;
  let world: OWorld;
  let defaults: { from: string; to: string; asOf: string };
  beforeAll(async () => {
    t = await openDataset(dataset);
    world = dataset.load();
    const { params } = await report(t, 'worker_gap');
    defaults = { from: String(params.from), to: String(params.to), asOf: String(params.as_of) };
  });
  afterAll(() => t?.close());

  it('gives demand, fitting multipliers, free capacity and gap per country × language × gender', async () => {
    const { rows } = await report<GapRow>(t, 'worker_gap');
    expect(rows.length).toBeGreaterThan(0);
    checkAgainstOracle(rows, expectedGap(world, { ...defaults, level: 0 }));
  });

  it('rolls places up to any level, over any window and with contact filters', async () => {
    for (const level of [0, 1, 3]) {
      const { rows } = await report<GapRow>(t, 'worker_gap', { level: String(level), from: '2025-01-01' });
      checkAgainstOracle(rows, expectedGap(world, { ...defaults, from: '2025-01-01', level }));
    }
    const { rows } = await report<GapRow>(t, 'worker_gap', { gender: 'female', language: 'en', from: '2025-01-01' });
    checkAgainstOracle(rows, expectedGap(world, { ...defaults, from: '2025-01-01', level: 0, filters: { gender: 'female', language: 'en' } }));
  });

  it('lists only the areas with demand and no fitting multiplier when asked', async () => {
    const { rows } = await report<GapRow>(t, 'worker_gap', { only_uncovered: 'true', from: '2025-01-01' });
    const expected = expectedGap(world, { ...defaults, from: '2025-01-01', level: 0 }).filter((r) => r.fitting_multipliers === 0);
    checkAgainstOracle(rows, expected);
    for (const r of rows) expect(r.coverage_status).toBe('no fitting multiplier');
  });
});

describe('worker_gap on the demo set: the planted uncovered city', () => {
  let t: TestDb;
  let world: OWorld;
  beforeAll(async () => {
    t = await openDataset(DEMO);
    world = DEMO.load();
  });
  afterAll(() => t?.close());

  // fixtures/PLANTED.md: Arabic-speaking women in Marseille, in the last 90 days, and nobody fits them there.
  it('shows Marseille × ar × female with demand and no fitting multiplier, among the uncovered areas', async () => {
    const marseille = [...world.locations.values()].find((l) => l.name === 'Marseille')!;
    expect(marseille).toBeDefined();
    const { rows } = await report<GapRow>(t, 'worker_gap', { level: String(marseille.level), only_uncovered: 'true' });
    const row = rows.find((r) => r.region_id === String(marseille.id) && r.language === 'ar' && r.gender === 'female');
    expect(row).toBeDefined();
    // PLANTED.md (c): 30 planted + 3 from the normal flow in the last 90 days.
    expect(row!.demand_contacts).toBe(33);
    expect(row!.fitting_multipliers).toBe(0);
    expect(row!.gap).toBe(row!.demand_contacts);
    // Karim Haddad, Sophie Laurent and Julien Moreau work in Marseille; none is a woman speaking Arabic.
    expect(row!.multipliers_in_region).toBe(3);
  });
});
