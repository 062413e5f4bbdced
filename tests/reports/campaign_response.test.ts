// campaign_response: per place × campaign/source, new contacts and the share reaching established,
// a first meeting and later stages within N days, meetings per contact, against the previous
// period. Checked against plain loops over the source files (D.T activity logs, canonical events).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CANONICAL, DT_SAMPLES, createReportDb, type TestDb } from '../helpers.ts';
import { breakdownValues, lastCreatedDay, pct, windowContacts } from '../oracle/demand.ts';
import {
  DAY_MS, addDays, isoDay, loadDtSamplesWorld, placeAtLevel, placeName, stageRank, type World,
} from '../oracle/world.ts';
import { DEMO, SAMPLES, reportRows, useReportFixture } from './datasets.ts';
import { expectNear, pairRowsByKey } from './report-checks.ts';

interface ResponseRow {
  place_id: string | null;
  place: string | null;
  campaign_or_source: string | null;
  new_contacts: number;
  established_pct: number | null;
  met_pct: number | null;
  later_pct: number | null;
  meetings: number;
  meetings_per_contact: number | null;
  contacts_without_history: number;
  previous_new_contacts: number | null;
  previous_met_pct: number | null;
  previous_meetings_per_contact: number | null;
  new_contacts_delta: number | null;
  met_delta_pts: number | null;
}

interface Options { from: string; to: string; by: 'campaign' | 'source'; level?: number; perPlace?: boolean; withinDays: number; compare: boolean }

/** The oracle: each contact's first time at each stage read from its own events, plain loops. */
function expectedResponse(world: World, o: Options) {
  interface Cell { place: number | null; origin: string | null; n: number; established: number; met: number; later: number; meetings: number; noHistory: number; pn: number; pmet: number; pmeetings: number }
  const cells = new Map<string, Cell>();
  for (const { contact, cohort } of windowContacts(world, o.from, o.to, {}, o.compare)) {
    const events = world.eventsByContact.get(contact.id) ?? [];
    const deadline = contact.createdMs + o.withinDays * DAY_MS;
    const first = (test: (kind: string, value: string | null) => boolean) => {
      const times = events.filter((e) => test(e.kind, e.newValue)).map((e) => e.atMs);
      return times.length ? Math.min(...times) : Infinity;
    };
    const pathAtLeast = (stage: string) => (kind: string, value: string | null) => kind === 'seeker_path_changed' && value !== null && stageRank(value) >= stageRank(stage);
    let established: boolean, met: boolean, later: boolean, meetings: number;
    if (events.length === 0) {
      established = stageRank(contact.seekerPath) >= stageRank('established');
      met = stageRank(contact.seekerPath) >= stageRank('met');
      later = stageRank(contact.seekerPath) >= stageRank('ongoing');
      meetings = Math.max(contact.metCount, met ? 1 : 0);
    } else {
      established = first((k, v) => ['established', 'scheduled', 'met'].includes(k) || pathAtLeast('established')(k, v)) <= deadline;
      met = first((k, v) => k === 'met' || pathAtLeast('met')(k, v)) <= deadline;
      later = first(pathAtLeast('ongoing')) <= deadline;
      meetings = Math.max(events.filter((e) => e.kind === 'met' && e.atMs <= deadline).length, met ? 1 : 0);
    }
    const place = o.perPlace === false ? null
      : o.level === undefined ? (contact.locationIds[0] ?? null) : placeAtLevel(world, contact.locationIds[0], o.level);
    for (const origin of breakdownValues(o.by === 'source' ? contact.sources : contact.campaigns)) {
      const key = `${place}|${origin}`;
      const c = cells.get(key) ?? { place, origin, n: 0, established: 0, met: 0, later: 0, meetings: 0, noHistory: 0, pn: 0, pmet: 0, pmeetings: 0 };
      if (cohort === 'current') {
        c.n += 1;
        c.established += Number(established);
        c.met += Number(met);
        c.later += Number(later);
        c.meetings += meetings;
        c.noHistory += Number(events.length === 0);
      } else {
        c.pn += 1;
        c.pmet += Number(met);
        c.pmeetings += meetings;
      }
      cells.set(key, c);
    }
  }
  return [...cells.values()];
}

const response = (t: TestDb, params: Record<string, string>) => reportRows<ResponseRow>(t, 'campaign_response', params);

function checkAgainstOracle(world: World, actual: ResponseRow[], o: Options) {
  const expected = expectedResponse(world, o);
  const pairs = pairRowsByKey(actual, (r) => `${r.place_id}|${r.campaign_or_source}`, expected, (e) => `${e.place}|${e.origin}`);
  for (const { key: what, row: r, want: e } of pairs) {
    expect(r.place, what).toBe(e.place === null ? null : placeName(world, e.place));
    expect([r.new_contacts, r.meetings, r.contacts_without_history], what).toEqual([e.n, e.meetings, e.noHistory]);
    expectNear(r.established_pct, pct(e.established, e.n), 1, `${what} established_pct`);
    expectNear(r.met_pct, pct(e.met, e.n), 1, `${what} met_pct`);
    expectNear(r.later_pct, pct(e.later, e.n), 1, `${what} later_pct`);
    expectNear(r.meetings_per_contact, e.n > 0 ? e.meetings / e.n : null, 3, `${what} meetings_per_contact`);
    if (o.compare) {
      expect([r.previous_new_contacts, r.new_contacts_delta], what).toEqual([e.pn, e.n - e.pn]);
      const metNow = pct(e.met, e.n);
      const metBefore = pct(e.pmet, e.pn);
      expectNear(r.previous_met_pct, metBefore, 1, `${what} previous_met_pct`);
      expectNear(r.previous_meetings_per_contact, e.pn > 0 ? e.pmeetings / e.pn : null, 3, `${what} previous_meetings_per_contact`);
      expectNear(r.met_delta_pts, metNow !== null && metBefore !== null ? metNow - metBefore : null, 1, `${what} met_delta_pts`);
    } else {
      expect([r.previous_new_contacts, r.previous_met_pct, r.new_contacts_delta, r.met_delta_pts]).toEqual([null, null, null, null]);
    }
  }
}

describe('campaign_response on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('reads each contact\'s stages from its activity, within 60 days, per country × campaign, against the previous period', async () => {
    const o: Options = { from: '2026-08-01', to: '2026-09-30', by: 'campaign', withinDays: 60, compare: true };
    const rows = await response(fixture.db, { from: o.from, to: o.to, compare: 'previous' });
    checkAgainstOracle(fixture.world, rows, o);
    // The samples have full activity for every contact: nobody falls back to the current stage.
    expect(rows.every((r) => r.contacts_without_history === 0)).toBe(true);
  });

  it('compares sources, with a shorter horizon', async () => {
    const o: Options = { from: '2026-06-01', to: '2026-09-30', by: 'source', withinDays: 14, compare: true };
    checkAgainstOracle(fixture.world, await response(fixture.db, { from: o.from, to: o.to, by: 'source', within_days: '14', compare: 'previous' }), o);
  });

  it('ranks campaigns over all places with per_place=false', async () => {
    const o: Options = { from: '2026-05-01', to: '2026-10-31', by: 'campaign', perPlace: false, withinDays: 60, compare: true };
    const rows = await response(fixture.db, { from: o.from, to: o.to, per_place: 'false', compare: 'previous' });
    checkAgainstOracle(fixture.world, rows, o);
    expect(rows.every((r) => r.place_id === null && r.place === null)).toBe(true);
    const ranked = rows.map((r) => r.meetings_per_contact ?? -1);
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
  });

  it('counts only what happened within the horizon: a shorter one never reaches more', async () => {
    const params = { from: '2026-05-25', to: '2026-10-31', by: 'source' };
    const total = (rows: ResponseRow[], col: 'meetings' | 'new_contacts') => rows.reduce((n, r) => n + r[col], 0);
    const long = await response(fixture.db, { ...params, within_days: '60' });
    const short = await response(fixture.db, { ...params, within_days: '7' });
    expect(total(short, 'new_contacts')).toBe(total(long, 'new_contacts'));
    expect(total(short, 'meetings')).toBeLessThan(total(long, 'meetings'));
    checkAgainstOracle(fixture.world, short, { from: params.from, to: params.to, by: 'source', withinDays: 7, compare: false });
  });
});

describe('campaign_response on contacts without any history', () => {
  it('falls back to the current seeker path and met counter, and says how many did', async () => {
    // Only the list CSV (with the settings that map its labels to keys): no activity at all, so
    // every contact is judged by its current stage.
    const csvDir = path.join(DT_SAMPLES, 'csv');
    const csv = path.join(csvDir, fs.readdirSync(csvDir).find((f) => f.includes('all_fields__archived_shown'))!);
    const t = await createReportDb([csv, path.join(DT_SAMPLES, 'rest', 'contacts_settings.json'), path.join(DT_SAMPLES, 'location_grid.tsv')]);
    const rows = await response(t, { from: '2026-01-01', to: '2026-11-22', level: '0', by: 'source' });
    const withoutSource = rows.filter((r) => r.campaign_or_source === null).reduce((s, r) => s + r.new_contacts, 0);
    expect(withoutSource).toBe(0);
    const count = (col: 'met_pct' | 'later_pct' | 'established_pct') => rows.reduce((s, r) => s + Math.round(((r[col] ?? 0) * r.new_contacts) / 100), 0);
    // Per source, a contact with two sources counts twice: compare with the samples' posts likewise.
    const posts = loadDtSamplesWorld(DT_SAMPLES).contacts.filter((c) => c.type === 'access');
    const perSource = (minStage: string) => posts.reduce((s, c) => s + (stageRank(c.seekerPath) >= stageRank(minStage) ? new Set(c.sources).size : 0), 0);
    expect(rows.reduce((s, r) => s + r.contacts_without_history, 0)).toBe(rows.reduce((s, r) => s + r.new_contacts, 0));
    expect(rows.reduce((s, r) => s + r.new_contacts, 0)).toBe(posts.reduce((s, c) => s + new Set(c.sources).size, 0));
    expect(count('established_pct')).toBe(perSource('established'));
    expect(count('met_pct')).toBe(perSource('met'));
    expect(count('later_pct')).toBe(perSource('ongoing'));
    t.close();
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('campaign_response on the demo set', () => {
  const fixture = useReportFixture(DEMO);

  for (const level of [undefined, 1] as const) {
    it(`matches the oracle per ${level === undefined ? 'city' : 'admin1 region'} × campaign over the last half year, with the previous one`, async () => {
      const to = lastCreatedDay(fixture.world);
      const from = addDays(to, -182);
      const o: Options = { from, to, by: 'campaign', level, withinDays: 60, compare: true };
      const params: Record<string, string> = { from, to, compare: 'previous' };
      if (level !== undefined) params.level = String(level);
      checkAgainstOracle(fixture.world, await response(fixture.db, params), o);
    });
  }

  // fixtures/PLANTED.md: "ramadan-2026" brings many contacts and few meetings, "bible-giveaway"
  // fewer and better.
  const BIGGER = 'ramadan-2026';
  const BETTER = 'bible-giveaway';

  it('ranks the planted better campaign above the bigger one on meetings per contact', async () => {
    const rows = await response(fixture.db, { from: '2000-01-01', per_place: 'false' });
    const rank = (name: string) => rows.findIndex((r) => r.campaign_or_source === name);
    const bigger = rows[rank(BIGGER)]!;
    const better = rows[rank(BETTER)]!;
    // the planted quotas: 600 contacts of which 30 met within 60 days, against 200 of which 60
    expect([bigger.new_contacts, bigger.met_pct, better.new_contacts, better.met_pct]).toEqual([600, 5, 200, 30]);
    expect(better.meetings_per_contact!).toBeGreaterThan(bigger.meetings_per_contact!);
    expect(rank(BETTER)).toBeLessThan(rank(BIGGER));
    // and in each country where both brought enough contacts to say
    const perCountry = await response(fixture.db, { from: '2000-01-01', level: '0' });
    const countries = new Set(perCountry.filter((r) => r.campaign_or_source === BETTER && r.new_contacts >= 20).map((r) => r.place_id));
    let compared = 0;
    for (const country of countries) {
      const here = perCountry.filter((r) => r.place_id === country);
      const b = here.findIndex((r) => r.campaign_or_source === BETTER);
      const g = here.findIndex((r) => r.campaign_or_source === BIGGER);
      if (g < 0 || here[g]!.new_contacts < 20) continue;
      compared += 1;
      expect(b, `${here[b]!.place}`).toBeLessThan(g);
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });

  it('matches the oracle per country × source over all history', async () => {
    const to = lastCreatedDay(fixture.world);
    const from = isoDay(Math.min(...fixture.world.contacts.map((c) => c.createdMs)));
    const o: Options = { from, to, by: 'source', level: 0, withinDays: 60, compare: false };
    checkAgainstOracle(fixture.world, await response(fixture.db, { from, to, by: 'source', level: '0' }), o);
  });
});
