// worker_gap: demand per region × language × gender against the free capacity of the multipliers
// who fit it, checked against plain loops over the source files of the D.T samples and the demo set;
// the planted uncovered city must show as having no fitting multiplier.
import { beforeAll, describe, expect, it } from 'vitest';
import { serves, supplyOf } from '../oracle/dispatch.ts';
import {
  dayEnd, dayStart, isSeekerMatching, locationNamed, multipliersOf, placeAtLevel, placeName, type Filters, type World,
} from '../oracle/world.ts';
import { DATASETS, DEMO, report, useReportFixture } from './datasets.ts';
import { pairRowsByKey } from './report-checks.ts';

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

function expectedGap(world: World, o: { from: string; to: string; asOf: string; level: number; filters?: Filters }): GapRow[] {
  const start = dayStart(o.from);
  const end = dayEnd(o.to);
  const demand = new Map<string, { region: number | null; language: string; gender: string; contacts: number }>();
  for (const c of world.contacts) {
    if (!isSeekerMatching(world, c, o.filters ?? {}) || c.createdMs < start || c.createdMs >= end) continue;
    const region = placeAtLevel(world, c.locationIds[0], o.level);
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
      region: d.region === null ? 'unknown' : placeName(world, d.region),
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

const cellKey = (r: GapRow) => `${r.region_id}|${r.language}|${r.gender}`;

function checkAgainstOracle(actual: GapRow[], expected: GapRow[]) {
  for (const { key, row, want } of pairRowsByKey(actual, cellKey, expected, cellKey)) expect(row, key).toEqual(want);
  // Uncovered first, then short, then covered; within a status, the biggest gap first.
  for (let i = 1; i < actual.length; i++) {
    const [p, r] = [actual[i - 1]!, actual[i]!];
    const order = STATUS_ORDER.indexOf(p.coverage_status) - STATUS_ORDER.indexOf(r.coverage_status);
    expect(order < 0 || (order === 0 && p.gap >= r.gap), `order at ${i}`).toBe(true);
  }
}

describe.each(DATASETS)('worker_gap on $label', (dataset) => {
  const fixture = useReportFixture(dataset);
  let defaults: { from: string; to: string; asOf: string };
  beforeAll(async () => {
    const { params } = await report(fixture.db, 'worker_gap');
    defaults = { from: String(params.from), to: String(params.to), asOf: String(params.as_of) };
  });

  it('gives demand, fitting multipliers, free capacity and gap per country × language × gender', async () => {
    const { db, world } = fixture;
    const { rows } = await report<GapRow>(db, 'worker_gap');
    expect(rows.length).toBeGreaterThan(0);
    checkAgainstOracle(rows, expectedGap(world, { ...defaults, level: 0 }));
  });

  it('rolls places up to any level, over any window and with contact filters', async () => {
    const { db, world } = fixture;
    for (const level of [0, 1, 3]) {
      const { rows } = await report<GapRow>(db, 'worker_gap', { level: String(level), from: '2025-01-01' });
      checkAgainstOracle(rows, expectedGap(world, { ...defaults, from: '2025-01-01', level }));
    }
    const { rows } = await report<GapRow>(db, 'worker_gap', { gender: 'female', language: 'en', from: '2025-01-01' });
    checkAgainstOracle(rows, expectedGap(world, { ...defaults, from: '2025-01-01', level: 0, filters: { gender: 'female', language: 'en' } }));
  });

  it('lists only the areas with demand and no fitting multiplier when asked', async () => {
    const { db, world } = fixture;
    const { rows } = await report<GapRow>(db, 'worker_gap', { only_uncovered: 'true', from: '2025-01-01' });
    const expected = expectedGap(world, { ...defaults, from: '2025-01-01', level: 0 }).filter((r) => r.fitting_multipliers === 0);
    checkAgainstOracle(rows, expected);
    for (const r of rows) expect(r.coverage_status).toBe('no fitting multiplier');
  });
});

describe('worker_gap on the demo set: the planted uncovered city', () => {
  const fixture = useReportFixture(DEMO);

  // fixtures/PLANTED.md: Arabic-speaking women in Marseille, in the last 90 days, and nobody fits them there.
  it('shows Marseille × ar × female with demand and no fitting multiplier, among the uncovered areas', async () => {
    const marseille = locationNamed(fixture.world, 'Marseille')!;
    expect(marseille).toBeDefined();
    const { rows } = await report<GapRow>(fixture.db, 'worker_gap', { level: String(marseille.level), only_uncovered: 'true' });
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
