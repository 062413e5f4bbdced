// seasonality: contacts per ISO week / month of the year, year by year, with each period's share
// of its year. Checked against plain loops over the fixtures' source files.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_CANONICAL, type TestDb } from '../helpers.ts';
import { isoWeek, periodStart } from '../oracle/demand.ts';
import { DAY_MS, dayEnd, dayStart, isSeekerMatching, isoDay, locationNamed, type Filters, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, reportRows, useReportFixture } from './datasets.ts';
import { expectNear, filterParams, pairRowsInOrder } from './report-checks.ts';

interface SeasonRow { year: number; period_of_year: number; period_start: string; contacts: number; share_of_year_pct: number | null }

/** The oracle: every period from the first contact's to the last one's, zeros included. */
function expectedSeasons(world: World, grain: 'week' | 'month', filters: Filters = {}, from?: string, to?: string) {
  const counts = new Map<string, number>();
  for (const c of world.contacts) {
    if (!isSeekerMatching(world, c, filters)) continue;
    if (from && c.createdMs < dayStart(from)) continue;
    if (to && c.createdMs >= dayEnd(to)) continue;
    const start = periodStart(grain, c.createdMs);
    counts.set(start, (counts.get(start) ?? 0) + 1);
  }
  const starts = [...counts.keys()].sort();
  if (starts.length === 0) return [];
  const rows: { year: number; period_of_year: number; period_start: string; contacts: number }[] = [];
  for (let d = new Date(dayStart(starts[0]!)); isoDay(d.getTime()) <= starts.at(-1)!;) {
    const start = isoDay(d.getTime());
    const { year, week } = isoWeek(d.getTime());
    rows.push({
      year: grain === 'week' ? year : d.getUTCFullYear(),
      period_of_year: grain === 'week' ? week : d.getUTCMonth() + 1,
      period_start: start,
      contacts: counts.get(start) ?? 0,
    });
    if (grain === 'week') d = new Date(d.getTime() + 7 * DAY_MS);
    else d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
  const perYear = new Map<number, number>();
  for (const r of rows) perYear.set(r.year, (perYear.get(r.year) ?? 0) + r.contacts);
  return rows.map((r) => ({ ...r, share: perYear.get(r.year)! > 0 ? (r.contacts * 100) / perYear.get(r.year)! : null }));
}

function checkAgainstOracle(actual: SeasonRow[], expected: ReturnType<typeof expectedSeasons>) {
  const identify = (r: Omit<SeasonRow, 'share_of_year_pct'>) => [r.year, r.period_of_year, r.period_start, r.contacts];
  for (const { row, want } of pairRowsInOrder(actual, identify, expected, identify)) {
    expectNear(row.share_of_year_pct, want.share, 1, `${row.period_start} share_of_year_pct`);
  }
}

const seasons = (t: TestDb, params: Record<string, string>) => reportRows<SeasonRow>(t, 'seasonality', params);

describe('isoWeek (the oracle\'s own calendar)', () => {
  it('numbers weeks as ISO 8601 does', () => {
    // 2026-01-01 is a Thursday (week 1 of 2026); 2027-01-01 a Friday (week 53 of 2026);
    // 2024-12-30 a Monday that starts week 1 of 2025.
    expect(isoWeek(Date.parse('2026-01-01T00:00:00Z'))).toEqual({ year: 2026, week: 1 });
    expect(isoWeek(Date.parse('2027-01-01T12:00:00Z'))).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(Date.parse('2024-12-30T00:00:00Z'))).toEqual({ year: 2025, week: 1 });
    expect(isoWeek(Date.parse('2026-12-25T00:00:00Z'))).toEqual({ year: 2026, week: 52 });
  });
});

describe('seasonality on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('counts all history by ISO week by default, with each week\'s share of its year', async () => {
    const rows = await seasons(fixture.db, {});
    checkAgainstOracle(rows, expectedSeasons(fixture.world, 'week'));
    expect(rows.reduce((n, r) => n + r.contacts, 0)).toBe(290);
  });

  it('counts by month of the year', async () => {
    checkAgainstOracle(await seasons(fixture.db, { grain: 'month' }), expectedSeasons(fixture.world, 'month'));
  });

  it('applies the filters and the window', async () => {
    const { db, world } = fixture;
    const france = locationNamed(world, 'France')!.id;
    for (const filters of [{ region: france }, { language: 'ar' }, { gender: 'male', source: 'facebook' }, { campaign: 'google-ads-q3' }] as Filters[]) {
      checkAgainstOracle(await seasons(db, { grain: 'week', ...filterParams(filters) }), expectedSeasons(world, 'week', filters));
    }
    checkAgainstOracle(await seasons(db, { from: '2026-07-01', to: '2026-09-30' }), expectedSeasons(world, 'week', {}, '2026-07-01', '2026-09-30'));
  });

  it('lists quiet weeks with 0 and nothing for a filter no one matches', async () => {
    const rows = await seasons(fixture.db, { campaign: 'fb-spring-2026' });
    expect(rows.some((r) => r.contacts === 0)).toBe(true);
    expect(await seasons(fixture.db, { campaign: 'no-such-campaign' })).toEqual([]);
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('seasonality on the demo set', () => {
  const fixture = useReportFixture(DEMO);

  // fixtures/PLANTED.md: seasonal peaks around Christmas (from about 10 December to 6 January)
  // and Ramadan 2026 (about 18 February to 19 March).
  it('shows the Christmas and Ramadan peaks as the top weeks of their years', async () => {
    const rows = await seasons(fixture.db, { grain: 'week' });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const top = (year: number, n: number) => rows.filter((r) => r.year === year).sort((a, b) => b.contacts - a.contacts).slice(0, n);
    const weeks2026 = rows.filter((r) => r.year === 2026);
    for (const week of top(2026, 4)) {
      expect(week.period_start >= '2026-02-16' && week.period_start <= '2026-03-19', `2026 peak week ${week.period_start}`).toBe(true);
      expect(week.contacts).toBeGreaterThan(1.5 * median(weeks2026.map((r) => r.contacts)));
    }
    const weeks2025 = rows.filter((r) => r.year === 2025);
    for (const week of top(2025, 3)) {
      expect(week.period_start >= '2025-12-08' && week.period_start <= '2026-01-06', `2025 peak week ${week.period_start}`).toBe(true);
      expect(week.contacts).toBeGreaterThan(1.4 * median(weeks2025.map((r) => r.contacts)));
    }
  });

  for (const grain of ['week', 'month'] as const) {
    it(`matches the oracle by ${grain} across all years`, async () => {
      checkAgainstOracle(await seasons(fixture.db, { grain }), expectedSeasons(fixture.world, grain));
    });
  }
});
