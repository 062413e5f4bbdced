// accountability: contacts not attempted within 3 days of assignment and update requests unanswered
// after 7 days, per multiplier, with the contacts' ids — checked against plain loops over the
// fixtures' source files (D.T activity JSON, canonical CSVs).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findReport } from '../../server/core/reports/registry.ts';
import { DEMO_CANONICAL } from '../helpers.ts';
import { currentEpisodes, episodesOf, overdueUpdateRequests } from '../oracle/workers.ts';
import { DAY_MS, dayEnd, multipliersOf, type OracleContact, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, report, useReportFixture, type ReportFixture } from './datasets.ts';
import { pairRowsByKey } from './report-checks.ts';

interface AccountabilityQuery { asOf: string; attemptDays: number; updateDays: number; keep?: (c: OracleContact) => boolean }

function expectedAccountability(w: World, q: AccountabilityQuery) {
  const now = dayEnd(q.asOf);
  const keep = (id: string) => !q.keep || q.keep(w.contactsById.get(id)!);
  const episodes = episodesOf(w);
  const current = currentEpisodes(w, episodes, q.asOf).filter((e) => keep(e.contactId));
  const overdue = overdueUpdateRequests(w, episodes, q.asOf, q.updateDays).filter((o) => keep(o.contactId));
  const out = new Map<string, Record<string, unknown>>();
  for (const m of multipliersOf(w)) {
    const mine = current.filter((e) => e.userId === m.id);
    const deadline = (assignedAt: number) => assignedAt + q.attemptDays * DAY_MS;
    const late = mine.filter((e) => deadline(e.assignedAt) <= now && (e.reachedAt.first_attempt === null || e.reachedAt.first_attempt > deadline(e.assignedAt)));
    const myOverdue = overdue.filter((o) => o.userId === m.id);
    out.set(m.id, {
      current_contacts: mine.length,
      not_attempted_in_time: late.length,
      still_not_attempted: late.filter((e) => e.reachedAt.first_attempt === null || e.reachedAt.first_attempt >= now).length,
      not_attempted_contact_ids: late.map((e) => e.contactId).sort(),
      overdue_updates: myOverdue.length,
      oldest_overdue_update_days: myOverdue.length ? Math.round(Math.max(...myOverdue.map((o) => (now - o.requestedAt) / DAY_MS)) * 10) / 10 : null,
      overdue_update_contact_ids: myOverdue.map((o) => o.contactId).sort(),
    });
  }
  return out;
}

async function checkAccountability({ db, world: w }: ReportFixture, q: AccountabilityQuery, extra: Record<string, string> = {}) {
  const result = await report(db, 'accountability', {
    as_of: q.asOf, attempt_days: String(q.attemptDays), update_days: String(q.updateDays), ...extra,
  });
  const expected = [...expectedAccountability(w, q)];
  for (const { row, want: [, measuresWanted] } of pairRowsByKey(result.rows, (r) => r.multiplier_id, expected, ([id]) => id)) {
    const { multiplier_id, multiplier_name, ...measures } = row;
    measures.not_attempted_contact_ids = [...measures.not_attempted_contact_ids].sort();
    measures.overdue_update_contact_ids = [...measures.overdue_update_contact_ids].sort();
    expect(measures, `multiplier ${multiplier_id}`).toEqual(measuresWanted);
    expect(multiplier_name).toBe(w.usersById.get(multiplier_id)!.name);
  }
  return result;
}

describe('accountability on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('is contact-level (ids are its point) and defaults to 3 and 7 days', () => {
    const accountability = findReport('accountability');
    expect(accountability.contactLevel).toBe(true);
    expect(Object.fromEntries(accountability.params.map((p) => [p.name, p.default]))).toMatchObject({ attempt_days: 3, update_days: 7 });
  });

  it('matches the activity files at the dataset as-of date', async () => {
    const result = await checkAccountability(fixture, { asOf: fixture.world.asOf, attemptDays: 3, updateDays: 7 });
    const total = (col: string) => result.rows.reduce((n, r) => n + (r[col] as number), 0);
    // The samples have both kinds of debt.
    expect(total('not_attempted_in_time')).toBeGreaterThan(0);
    expect(total('still_not_attempted')).toBeGreaterThan(0);
    expect(total('overdue_updates')).toBeGreaterThan(0);
  });

  it('matches at earlier as-of dates, other thresholds and with contact filters', async () => {
    const { asOf } = fixture.world;
    await checkAccountability(fixture, { asOf: '2026-09-15', attemptDays: 3, updateDays: 7 });
    await checkAccountability(fixture, { asOf: '2026-10-20', attemptDays: 7, updateDays: 14 });
    await checkAccountability(fixture, { asOf, attemptDays: 3, updateDays: 7, keep: (c) => c.languages.includes('en') }, { language: 'en' });
    await checkAccountability(fixture, { asOf, attemptDays: 3, updateDays: 7, keep: (c) => c.locationIds.includes(100089589) }, { region: '100089589' });
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('accountability on the demo set', () => {
  const fixture = useReportFixture(DEMO);

  it('matches the canonical CSVs', async () => {
    const result = await checkAccountability(fixture, { asOf: fixture.world.asOf, attemptDays: 3, updateDays: 7 });
    expect(result.rows.some((r) => (r.overdue_updates as number) > 0)).toBe(true);
    await checkAccountability(fixture, { asOf: fixture.world.asOf, attemptDays: 5, updateDays: 10 });
  });
});
