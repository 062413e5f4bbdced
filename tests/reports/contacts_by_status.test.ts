// contacts_by_status: outreach contacts created in the window by overall status, in D.T's order,
// with the previous window. Checked against the samples' published counts and plain loops over
// the fixtures' source files.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_CANONICAL, type TestDb } from '../helpers.ts';
import { STATUSES, lastCreatedDay, pct, windowContacts } from '../oracle/demand.ts';
import { addDays, locationNamed, type Filters, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, reportRows, useReportFixture } from './datasets.ts';
import { expectNear, filterParams, pairRowsInOrder } from './report-checks.ts';

interface StatusRow { overall_status: string | null; contacts: number; share_pct: number | null; previous_contacts: number | null; delta: number | null; delta_pct: number | null }

function expectedStatuses(world: World, from: string, to: string, filters: Filters, compare: boolean) {
  const counts = new Map<string | null, { contacts: number; previous: number }>();
  let total = 0;
  for (const { contact, cohort } of windowContacts(world, from, to, filters, compare)) {
    const c = counts.get(contact.status) ?? { contacts: 0, previous: 0 };
    if (cohort === 'current') { c.contacts += 1; total += 1; } else c.previous += 1;
    counts.set(contact.status, c);
  }
  const order = (s: string | null) => (s === null ? STATUSES.length : STATUSES.indexOf(s as (typeof STATUSES)[number]));
  return [...counts.entries()].sort((a, b) => order(a[0]) - order(b[0])).map(([status, c]) => ({ status, ...c, share: pct(c.contacts, total) }));
}

const statuses = (t: TestDb, params: Record<string, string>) => reportRows<StatusRow>(t, 'contacts_by_status', params);

function checkAgainstOracle(actual: StatusRow[], expected: ReturnType<typeof expectedStatuses>, compare: boolean) {
  for (const { row: r, want: e } of pairRowsInOrder(actual, (r) => [r.overall_status, r.contacts], expected, (e) => [e.status, e.contacts])) {
    expectNear(r.share_pct, e.share, 1, `${e.status} share`);
    if (compare) {
      expect([r.previous_contacts, r.delta], String(e.status)).toEqual([e.previous, e.contacts - e.previous]);
      expectNear(r.delta_pct, e.previous > 0 ? ((e.contacts - e.previous) * 100) / e.previous : null, 1, `${e.status} delta_pct`);
    } else {
      expect([r.previous_contacts, r.delta, r.delta_pct]).toEqual([null, null, null]);
    }
  }
}

describe('contacts_by_status on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('gives the README\'s status counts over all history, in D.T\'s order', async () => {
    const rows = await statuses(fixture.db, { from: '2026-01-01', to: '2026-11-22' });
    expect(rows.map((r) => [r.overall_status, r.contacts])).toEqual([
      ['new', 3], ['unassignable', 8], ['unassigned', 6], ['assigned', 23], ['active', 188], ['paused', 12], ['closed', 50],
    ]);
  });

  it('matches the oracle for windows, with and without the previous one, and with filters', async () => {
    const { db, world } = fixture;
    checkAgainstOracle(await statuses(db, { from: '2026-09-01', to: '2026-11-22', compare: 'previous' }), expectedStatuses(world, '2026-09-01', '2026-11-22', {}, true), true);
    checkAgainstOracle(await statuses(db, { from: '2026-06-01', to: '2026-06-30' }), expectedStatuses(world, '2026-06-01', '2026-06-30', {}, false), false);
    const china = locationNamed(world, 'China')!.id;
    for (const filters of [{ region: china }, { language: 'zh' }, { gender: 'male' }, { source: 'referral', campaign: 'google-ads-q3' }] as Filters[]) {
      checkAgainstOracle(await statuses(db, { from: '2026-08-01', to: '2026-11-22', compare: 'previous', ...filterParams(filters) }), expectedStatuses(world, '2026-08-01', '2026-11-22', filters, true), true);
    }
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('contacts_by_status on the demo set', () => {
  const fixture = useReportFixture(DEMO);

  it('matches the oracle over the last 90 days against the 90 before', async () => {
    const to = lastCreatedDay(fixture.world);
    const from = addDays(to, -89);
    checkAgainstOracle(await statuses(fixture.db, { from, to, compare: 'previous' }), expectedStatuses(fixture.world, from, to, {}, true), true);
  });
});
