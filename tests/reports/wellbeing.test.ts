// wellbeing: burnout and underload signals per multiplier with their evidence, checked against every
// signal recomputed in plain TypeScript from the fixtures' source files; on the demo set the planted
// burnout and underload multipliers (fixtures/PLANTED.md) must appear, and a healthy one must not.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kaplanMeier, kmQuantile } from '../../server/core/stats/index.ts';
import { DEMO_CANONICAL } from '../helpers.ts';
import {
  currentEpisodes, episodesOf, loadAt, overdueUpdateRequests, statusAt, waitFor, type Episode,
} from '../oracle/workers.ts';
import { DAY_MS, addDays, dayEnd, isOutreachContact, lineage, multipliersOf, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, reportRows, useReportFixture, type ReportFixture } from './datasets.ts';
import { expectNear, pairRowsByKey } from './report-checks.ts';

const DEFAULTS = {
  default_capacity: 10, overload_days: 14, recent_days: 30, baseline_days: 90, latency_factor: 2, min_episodes: 3,
  update_days: 7, overdue_update_count: 3, inactive_days: 30, inactive_share_pct: 50, decline_rise_factor: 2,
  min_declines: 3, activity_drop_pct: 50, load_stayed_pct: 80, underload_days: 30, underload_free_pct: 50,
};
type Thresholds = typeof DEFAULTS;

interface Signal { kind: string; value: number | null; threshold: number | null; baseline: number | null; window_start: string | null; window_end: string }

/** Every signal of every multiplier, keyed "user|signal", from the definitions in PRODUCT.md (see queries/wellbeing.sql). */
function expectedSignals(w: World, asOf: string, p: Thresholds): Map<string, Signal> {
  const now = dayEnd(asOf);
  const recentStart = now - p.recent_days * DAY_MS;
  const baselineStart = now - (p.recent_days + p.baseline_days) * DAY_MS;
  const episodes = episodesOf(w).filter((e) => e.assignedAt < now);
  const current = currentEpisodes(w, episodes, asOf);
  const overdue = overdueUpdateRequests(w, episodes, asOf, p.update_days);
  const out = new Map<string, Signal>();
  const add = (user: string, signal: string, s: Signal) => out.set(`${user}|${signal}`, s);

  for (const m of multipliersOf(w)) {
    const capacity = m.capacity ?? p.default_capacity;
    const mine: Episode[] = episodes.filter((e) => e.userId === m.id);
    const load = new Map<string, number>();
    for (let k = 0; k < 365; k++) { const day = addDays(asOf, -k); load.set(day, loadAt(mine, m.id, day)); }

    // load above capacity, days back to the last day within capacity
    let daysOver = 365;
    for (let k = 0; k < 365; k++) if (load.get(addDays(asOf, -k))! <= capacity) { daysOver = k; break; }
    if (daysOver >= p.overload_days) add(m.id, 'load_above_capacity', { kind: 'burnout', value: daysOver, threshold: p.overload_days, baseline: null, window_start: addDays(asOf, 1 - daysOver), window_end: asOf });

    if (m.workload === 'too_many') add(m.id, 'workload_too_many', { kind: 'burnout', value: null, threshold: null, baseline: null, window_start: null, window_end: asOf });

    // first attempt: Kaplan–Meier medians of the recent and the baseline episodes
    const waits = (from: number, to: number) => mine.filter((e) => e.assignedAt >= from && e.assignedAt < to).map((e) => waitFor(e, 'first_attempt', asOf));
    const recent = waits(recentStart, now);
    const before = waits(baselineStart, recentStart);
    const median = (ws: typeof recent) => kmQuantile(kaplanMeier(ws.map((x) => ({ time: x.days, event: x.reached }))), 0.5);
    if (recent.length >= p.min_episodes && before.length >= p.min_episodes) {
      const recentMedian = median(recent);
      const baselineMedian = median(before);
      if (baselineMedian !== null) {
        const threshold = p.latency_factor * baselineMedian;
        const longest = Math.max(...recent.map((x) => x.days));
        if ((recentMedian !== null && recentMedian > threshold) || (recentMedian === null && longest > threshold)) {
          add(m.id, 'slow_first_attempt', { kind: 'burnout', value: recentMedian, threshold, baseline: baselineMedian, window_start: addDays(asOf, 1 - p.recent_days), window_end: asOf });
        }
      }
    }

    const myOverdue = overdue.filter((o) => o.userId === m.id);
    if (myOverdue.length >= p.overdue_update_count) add(m.id, 'overdue_updates', { kind: 'burnout', value: myOverdue.length, threshold: p.overdue_update_count, baseline: null, window_start: null, window_end: asOf });

    // current contacts with nothing logged by this multiplier for inactive_days
    const myCurrent = current.filter((e) => e.userId === m.id);
    if (myCurrent.length > 0) {
      const inactive = myCurrent.filter((e) => {
        const own = (w.eventsByContact.get(e.contactId) ?? []).filter((x) => x.actorId === m.id && x.atMs < now).map((x) => x.atMs);
        return Math.max(e.assignedAt, ...own) < now - p.inactive_days * DAY_MS;
      }).length;
      const share = (100 * inactive) / myCurrent.length;
      if (share > p.inactive_share_pct) add(m.id, 'inactive_contacts', { kind: 'burnout', value: share, threshold: p.inactive_share_pct, baseline: null, window_start: addDays(asOf, 1 - p.inactive_days), window_end: asOf });
    }

    // declines and own activity, recent window against the baseline window
    const own = w.events.filter((x) => x.actorId === m.id && isOutreachContact(w, x.contactId) && x.atMs >= baselineStart && x.atMs < now);
    const isRecent = (t: number) => t >= recentStart;
    const recentOffers = mine.filter((e) => e.assignedAt >= recentStart).length;
    const baselineOffers = mine.filter((e) => e.assignedAt >= baselineStart && e.assignedAt < recentStart).length;
    const recentDeclines = own.filter((x) => x.kind === 'declined' && isRecent(x.atMs)).length;
    const baselineDeclines = own.filter((x) => x.kind === 'declined' && !isRecent(x.atMs)).length;
    if (recentOffers > 0 && own.length > 0) {
      const recentPct = (100 * recentDeclines) / recentOffers;
      const baselinePct = baselineOffers > 0 ? (100 * baselineDeclines) / baselineOffers : 0;
      if (recentDeclines >= p.min_declines && recentPct >= p.decline_rise_factor * baselinePct) {
        add(m.id, 'declines_rising', { kind: 'burnout', value: recentPct, threshold: p.decline_rise_factor * baselinePct, baseline: baselinePct, window_start: addDays(asOf, 1 - p.recent_days), window_end: asOf });
      }
    }
    const average = (from: number, to: number) => {
      const days = [...Array(to - from).keys()].map((k) => load.get(addDays(asOf, -(from + k)))!);
      return days.reduce((a, b) => a + b, 0) / days.length;
    };
    const recentLoad = average(0, p.recent_days);
    const baselineLoad = average(p.recent_days, p.recent_days + p.baseline_days);
    const recentActivity = own.filter((x) => isRecent(x.atMs)).length;
    const baselineActivity = own.length - recentActivity;
    if (own.length > 0 && baselineActivity > 0 && baselineLoad > 0) {
      const recentPerWeek = (recentActivity * 7) / p.recent_days;
      const baselinePerWeek = (baselineActivity * 7) / p.baseline_days;
      const threshold = ((100 - p.activity_drop_pct) / 100) * baselinePerWeek;
      if (recentPerWeek <= threshold && recentLoad >= (p.load_stayed_pct / 100) * baselineLoad) {
        add(m.id, 'activity_drop', { kind: 'burnout', value: recentPerWeek, threshold, baseline: baselinePerWeek, window_start: addDays(asOf, 1 - p.recent_days), window_end: asOf });
      }
    }

    // underload: available with half of capacity free on every day of the window, fitting contacts waiting
    if (!['too_many', 'existing'].includes(m.workload ?? 'active')) {
      const days = [...Array(p.underload_days).keys()].map((k) => addDays(asOf, -k));
      const maxLoad = Math.max(...days.map((d) => load.get(d)!));
      const away = days.some((d) => m.unavailable.some((u) => u.start <= d && d <= u.end));
      const freePct = (100 * (capacity - maxLoad)) / capacity;
      const fitting = w.contacts.filter((c) =>
        c.type === 'access' && c.createdMs < now && ['new', 'unassigned'].includes(statusAt(w, c.id, asOf) ?? '')
        && (c.languages.length === 0 || c.languages.some((l) => m.languages.includes(l)))
        && (c.gender === null || c.gender === m.gender)
        && c.locationIds.some((loc) => lineage(w, loc).some((a) => m.locationIds.includes(a))));
      if (!away && freePct >= p.underload_free_pct && fitting.length > 0) {
        add(m.id, 'underload', { kind: 'underload', value: freePct, threshold: p.underload_free_pct, baseline: null, window_start: addDays(asOf, 1 - p.underload_days), window_end: asOf });
      }
    }
  }
  return out;
}

async function checkWellbeing({ db, world: w }: ReportFixture, asOf: string, overrides: Partial<Thresholds> = {}) {
  const p = { ...DEFAULTS, ...overrides };
  const raw = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, String(v)]));
  const rows = await reportRows(db, 'wellbeing', { as_of: asOf, ...raw });
  const keyOfRow = (row: Record<string, any>) => `${row.multiplier_id}|${row.signal}`;
  for (const { key, row, want: [, want] } of pairRowsByKey(rows, keyOfRow, [...expectedSignals(w, asOf, p)], ([key]) => key)) {
    expect(row.kind, key).toBe(want.kind);
    // The report rounds to 1 or 2 decimals.
    expectNear(row.value, want.value, 1, `${key} value`);
    expectNear(row.threshold, want.threshold, 1, `${key} threshold`);
    expectNear(row.baseline, want.baseline, 1, `${key} baseline`);
    expect([row.window_start, row.window_end], key).toEqual([want.window_start, want.window_end]);
    expect(row.multiplier_name).toBe(w.usersById.get(row.multiplier_id)!.name);
    expect(row.evidence, key).toMatch(/\d|too many/);
  }
  return rows;
}

describe('wellbeing on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('matches every signal recomputed from the activity files', async () => {
    const rows = await checkWellbeing(fixture, fixture.world.asOf);
    // The sample multipliers hold 20-40 contacts against the default capacity of 10; Gabriel Silva is "too many".
    expect(rows.filter((r) => r.signal === 'load_above_capacity').length).toBeGreaterThan(0);
    expect(rows.find((r) => r.signal === 'workload_too_many')?.multiplier_name).toBe('Gabriel Silva');
  });

  it('matches at other as-of dates and thresholds', async () => {
    for (const asOf of ['2026-07-15', '2026-08-31', '2026-10-10']) await checkWellbeing(fixture, asOf);
    await checkWellbeing(fixture, fixture.world.asOf, { default_capacity: 40, recent_days: 45, baseline_days: 60, latency_factor: 1, min_declines: 1, decline_rise_factor: 1, activity_drop_pct: 10, load_stayed_pct: 50, inactive_days: 14 });
    await checkWellbeing(fixture, '2026-06-30', { default_capacity: 30, underload_days: 20, min_episodes: 1 });
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('wellbeing on the demo set', () => {
  const fixture = useReportFixture(DEMO);
  let rows: Record<string, any>[];
  beforeAll(async () => {
    rows = await checkWellbeing(fixture, fixture.world.asOf);
  });

  const signalsOf = (name: string) => rows.filter((r) => r.multiplier_name === name);

  // The numbers come from fixtures/PLANTED.md (a) and (b), measured there by fixtures/planted-check.ts.
  it('shows the planted burnout multiplier (Ayesha Siddiqui) with its evidence', () => {
    expect(fixture.world.asOf).toBe('2026-11-20');
    const burnout = new Map(signalsOf('Ayesha Siddiqui').map((r) => [r.signal, r]));
    expect([...burnout.values()].every((r) => r.kind === 'burnout')).toBe(true);
    // Above her capacity 8 on each of the last 76 days; load today 28.
    expect(burnout.get('load_above_capacity')).toMatchObject({ value: 76, threshold: 14, window_start: '2026-09-06', window_end: '2026-11-20' });
    expect(burnout.get('load_above_capacity')!.evidence).toContain('capacity 8 on each of the last 76 days (load now 28');
    // Median 6.1 days to first attempt over the 5 assigned in the last 30 days, against 0.8 over the 19 before.
    const slow = burnout.get('slow_first_attempt')!;
    expect(slow.value).toBeCloseTo(6.1, 1);
    expect(slow.baseline).toBeCloseTo(0.8, 1);
    expect(slow.threshold).toBeCloseTo(2 * slow.baseline, 2);
    expect(slow.evidence).toMatch(/over the 5 contacts assigned in the last 30 days, against 0\.8 days over the 19 assigned/);
    // 7 update requests older than 7 days and unanswered.
    expect(burnout.get('overdue_updates')).toMatchObject({ value: 7, threshold: 3 });
    expect(burnout.get('overdue_updates')!.evidence).toContain('7 update requests unanswered for 7 days or more');
  });

  it('shows the planted underloaded multiplier (Kamal Hossain) with its evidence', () => {
    const underload = signalsOf('Kamal Hossain');
    expect(underload.map((r) => r.signal)).toEqual(['underload']);
    // Load 0 of capacity 10 on every day of the window; 11 fitting contacts wait, the oldest for 139 days.
    expect(underload[0]).toMatchObject({ kind: 'underload', value: 100, threshold: 50, window_start: '2026-10-22', window_end: '2026-11-20' });
    expect(underload[0]!.evidence).toContain('load at most 0 of capacity 10 on each of the last 30 days');
    expect(underload[0]!.evidence).toContain('11 fitting contacts wait in the dispatch queue (the oldest created 139 days ago)');
  });

  it('leaves healthy multipliers out', () => {
    // Steady or fast habits, not planted, not in the trial.
    for (const name of ['Bilal Ahmed', 'Lucía Fernández', 'Youssef Benali']) {
      expect(fixture.world.users.length).toBeGreaterThan(0);
      expect(signalsOf(name), name).toEqual([]);
    }
  });

  it('matches at an earlier as-of date', async () => {
    await checkWellbeing(fixture, addDays(fixture.world.asOf, -45));
  });
});
