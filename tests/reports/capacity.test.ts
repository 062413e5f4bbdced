// capacity: per multiplier load, capacity, free capacity and availability, checked against plain
// loops over the source files of the D.T samples and the demo set.
import { describe, expect, it } from 'vitest';
import { serves, supplyOf } from '../oracle/dispatch.ts';
import { lineage, multipliersOf, placeName, type World } from '../oracle/world.ts';
import { DATASETS, DEMO, report, useReportFixture } from './datasets.ts';
import { expectNear, pairRowsByKey } from './report-checks.ts';

interface CapacityRow {
  user_id: string;
  multiplier: string;
  gender: string | null;
  languages: string;
  areas_served: string | null;
  workload_status: string | null;
  nominal_capacity: number;
  capacity: number;
  active_load: number;
  waiting_acceptance: number;
  utilisation_pct: number | null;
  free_capacity: number;
  unavailable_now: boolean;
  unavailable_until: string | null;
  unavailable_dates: string | null;
}

function checkRows(world: World, rows: CapacityRow[], asOf: string, expectedIds: string[], defaultCapacity = 10) {
  const supply = supplyOf(world, asOf, defaultCapacity);
  const expected = expectedIds.map((id) => supply.get(id)!);
  for (const { row, want: s } of pairRowsByKey(rows, (r) => r.user_id, expected, (s) => s.user.id)) {
    const what = `${row.multiplier} (${row.user_id})`;
    expect(row.multiplier, what).toBe(s.user.name);
    expect(row.gender, what).toBe(s.user.gender);
    expect(row.languages, what).toBe(s.user.languages.join(', '));
    const areas = s.user.locationIds.map((l) => placeName(world, l)).sort();
    expect(row.areas_served, what).toBe(areas.length > 0 ? areas.join(', ') : null);
    expect(row.workload_status, what).toBe(s.user.workload);
    expect(row.active_load, what).toBe(s.load);
    expect(row.waiting_acceptance, what).toBe(s.waiting);
    expect(row.nominal_capacity, what).toBe(s.nominal);
    expect(row.capacity, what).toBe(s.capacity);
    expect(row.free_capacity, what).toBe(s.free);
    expectNear(row.utilisation_pct, s.nominal > 0 ? (s.load * 100) / s.nominal : null, 1, `${what} utilisation`);
    expect(row.unavailable_now, what).toBe(s.unavailableNow);
    expect(row.unavailable_until, what).toBe(s.unavailableUntil);
    const ranges = [...s.user.unavailable].sort((a, b) => a.start.localeCompare(b.start)).map(({ start, end }) => `${start}/${end}`);
    expect(row.unavailable_dates, what).toBe(ranges.length > 0 ? ranges.join(', ') : null);
    if (s.user.workload === 'too_many') {
      expect(row.capacity).toBe(0);
      expect(row.free_capacity).toBe(0);
    }
  }
  // Fullest first.
  const utilisation = rows.map((r) => r.utilisation_pct ?? -1);
  expect(utilisation).toEqual([...utilisation].sort((a, b) => b - a));
}

describe.each(DATASETS)('capacity on $label', (dataset) => {
  const fixture = useReportFixture(dataset);

  it('gives every multiplier their load, capacity, free capacity and availability', async () => {
    const { db, world, defaultAsOf: asOf } = fixture;
    const { rows } = await report<CapacityRow>(db, 'capacity');
    checkRows(world, rows, asOf, multipliersOf(world).map((m) => m.id));
    // Non-multipliers (dispatchers, admin) take no contacts and are not listed.
    expect(rows.length).toBeLessThan(world.users.length);
  });

  it('uses the default capacity setting where none is recorded', async () => {
    const { db, world, defaultAsOf: asOf } = fixture;
    const { rows } = await report<CapacityRow>(db, 'capacity', { default_capacity: '25' });
    checkRows(world, rows, asOf, multipliersOf(world).map((m) => m.id), 25);
  });

  it('filters multipliers by the region they serve (inside or above it), language and gender', async () => {
    const { db, world, defaultAsOf: asOf } = fixture;
    const places = [...world.locations.values()];
    // A country, and the deepest place someone serves (a city in the demo set).
    const served = multipliersOf(world).flatMap((m) => m.locationIds);
    const deepest = served.sort((a, b) => lineage(world, b).length - lineage(world, a).length)[0]!;
    const country = places.find((l) => l.level === 0 && served.some((s) => lineage(world, s).includes(l.id)))!.id;
    for (const region of [country, deepest]) {
      const { rows } = await report<CapacityRow>(db, 'capacity', { region: String(region) });
      const expected = multipliersOf(world).filter((m) => serves(world, m, region)).map((m) => m.id);
      expect(expected.length).toBeGreaterThan(0);
      checkRows(world, rows, asOf, expected);
    }
    const { rows } = await report<CapacityRow>(db, 'capacity', { language: 'ar', gender: 'female' });
    checkRows(world, rows, asOf, multipliersOf(world).filter((m) => m.languages.includes('ar') && m.gender === 'female').map((m) => m.id));
  });

  it('judges unavailability at the as-of date asked for', async () => {
    const { db, world } = fixture;
    const ranges = multipliersOf(world).flatMap((m) => m.unavailable);
    const days = ranges.length > 0 ? [ranges[0]!.start, ranges[0]!.end, '2026-01-01'] : ['2026-01-01'];
    for (const day of days) {
      const { rows } = await report<CapacityRow>(db, 'capacity', { as_of: day });
      checkRows(world, rows, day, multipliersOf(world).map((m) => m.id));
    }
  });
});

describe('capacity on the demo set: planted workers', () => {
  const fixture = useReportFixture(DEMO);

  // PLANTED.md (b): Kamal Hossain (24) was on leave 2026-08-02 → 2026-09-19 and holds nothing today.
  it('shows a worker on leave as unavailable then, and the underloaded one with all his capacity free today', async () => {
    const during = await report<CapacityRow>(fixture.db, 'capacity', { as_of: '2026-08-10' });
    const onLeave = during.rows.find((r) => r.user_id === '24')!;
    expect([onLeave.unavailable_now, onLeave.unavailable_until]).toEqual([true, '2026-09-19']);
    const today = (await report<CapacityRow>(fixture.db, 'capacity')).rows.find((r) => r.user_id === '24')!;
    expect([today.unavailable_now, today.active_load, today.free_capacity]).toEqual([false, 0, today.capacity]);
    expect(fixture.world.usersById.get('24')!.unavailable).toContainEqual({ start: '2026-08-02', end: '2026-09-19' });
  });

  // PLANTED.md (a): Ayesha Siddiqui (16), capacity 8, holds 28 today.
  it('shows the overloaded worker far above capacity', async () => {
    const row = (await report<CapacityRow>(fixture.db, 'capacity')).rows.find((r) => r.user_id === '16')!;
    expect([row.capacity, row.active_load, row.free_capacity, row.utilisation_pct]).toEqual([8, 28, 0, 350]);
  });

  it('gives too_many workers no capacity', async () => {
    const tooMany = multipliersOf(fixture.world).filter((m) => m.workload === 'too_many');
    expect(tooMany.map((m) => m.name)).toContain('Gabriel Silva');
    const { rows } = await report<CapacityRow>(fixture.db, 'capacity');
    for (const m of tooMany) {
      const row = rows.find((r) => r.user_id === m.id)!;
      expect([row.capacity, row.free_capacity]).toEqual([0, 0]);
    }
  });
});
