// latency: Kaplan–Meier medians and 90th percentiles of the time from assignment to each milestone,
// checked against the stats module's kaplanMeier run on durations computed in plain TypeScript from
// the fixtures' source files (the D.T activity JSON, the canonical CSVs), not from the database.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CANONICAL, tempDir } from '../helpers.ts';
import { MILESTONES, episodesOf, summariseWaits, waitFor, type LatencySummary, type Wait } from '../oracle/workers.ts';
import { dayEnd, dayStart, isoDay, loadCanonicalWorld, placeAtLevel, type OracleContact, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, report, useReportFixture, type ReportFixture } from './datasets.ts';
import { expectNear, pairRowsByKey } from './report-checks.ts';

interface LatencyQuery { from: string; to: string; asOf: string; by: 'multiplier' | 'region' | 'month'; level?: number; keep?: (c: OracleContact) => boolean }

function expectedLatency(w: World, q: LatencyQuery): Map<string, LatencySummary> {
  const groups = new Map<string, Wait[]>();
  for (const e of episodesOf(w)) {
    if (e.assignedAt < dayStart(q.from) || e.assignedAt >= dayEnd(q.to) || e.assignedAt >= dayEnd(q.asOf)) continue;
    const contact = w.contactsById.get(e.contactId)!;
    if (q.keep && !q.keep(contact)) continue;
    const group = q.by === 'multiplier' ? e.userId
      : q.by === 'month' ? `${isoDay(e.assignedAt).slice(0, 7)}-01`
      : String(placeAtLevel(w, contact.locationIds[0], q.level ?? 0) ?? '');
    for (const milestone of MILESTONES) {
      const key = `${group}|${milestone}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(waitFor(e, milestone, q.asOf));
    }
  }
  return new Map([...groups].map(([key, waits]) => [key, summariseWaits(waits)]));
}

async function checkLatency({ db, world: w }: ReportFixture, q: LatencyQuery, extra: Record<string, string> = {}) {
  const params: Record<string, string> = { from: q.from, to: q.to, as_of: q.asOf, by: q.by, ...extra };
  if (q.level !== undefined) params.level = String(q.level);
  const result = await report(db, 'latency', params);
  const expected = expectedLatency(w, q);
  expect(expected.size).toBeGreaterThan(0);
  const keyOfRow = (row: Record<string, any>) =>
    `${q.by === 'multiplier' ? row.multiplier_id : q.by === 'month' ? row.month : (row.region_id ?? '')}|${row.milestone}`;
  for (const { key, row, want: [, want] } of pairRowsByKey(result.rows, keyOfRow, [...expected], ([key]) => key)) {
    expect({ episodes: row.episodes, reached: row.reached, censored: row.censored, still_waiting: row.still_waiting }, key)
      .toEqual({ episodes: want.episodes, reached: want.reached, censored: want.censored, still_waiting: want.stillWaiting });
    // Days are reported rounded to 2 decimals.
    expectNear(row.median_days, want.median, 2, `${key} median`);
    expectNear(row.p90_days, want.p90, 2, `${key} p90`);
    expectNear(row.naive_median_days, want.naiveMedian, 2, `${key} naive median`);
  }
  return result;
}

describe('latency on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('defaults to the dataset as-of date and the multiplier breakdown', async () => {
    const result = await report(fixture.db, 'latency');
    expect(result.params.as_of).toBe(fixture.world.asOf);
    expect(result.params.by).toBe('multiplier');
  });

  it('matches Kaplan–Meier on the activity files, per multiplier', async () => {
    const { asOf } = fixture.world;
    const result = await checkLatency(fixture, { from: '2026-01-01', to: asOf, asOf, by: 'multiplier' });
    // 8 multipliers × 4 milestones; the samples do have contacts still waiting.
    expect(result.rows).toHaveLength(32);
    expect(result.rows.some((r) => (r.still_waiting as number) > 0)).toBe(true);
  });

  it('per month of assignment, and judged at an earlier as-of date (later events unseen)', async () => {
    await checkLatency(fixture, { from: '2026-06-01', to: '2026-09-30', asOf: '2026-09-30', by: 'month' });
  });

  it('per region, with contact filters', async () => {
    const { asOf } = fixture.world;
    await checkLatency(fixture, { from: '2026-01-01', to: asOf, asOf, by: 'region', level: 0 });
    await checkLatency(fixture, { from: '2026-01-01', to: asOf, asOf, by: 'multiplier', keep: (c) => c.gender === 'female' }, { gender: 'female' });
    await checkLatency(fixture, { from: '2026-01-01', to: asOf, asOf, by: 'multiplier', keep: (c) => c.languages.includes('fr') }, { language: 'fr' });
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('latency on the demo set', () => {
  const fixture = useReportFixture(DEMO);

  it('matches Kaplan–Meier on the canonical CSVs, per multiplier, region and month', async () => {
    const from = '2000-01-01';
    const { asOf } = fixture.world;
    await checkLatency(fixture, { from, to: asOf, asOf, by: 'multiplier' });
    await checkLatency(fixture, { from, to: asOf, asOf, by: 'month' });
    await checkLatency(fixture, { from, to: asOf, asOf, by: 'region' });
    await checkLatency(fixture, { from, to: asOf, asOf, by: 'region', level: 1 });
    await checkLatency(fixture, { from, to: asOf, asOf, by: 'region', level: 3 });
  });
});

// A hand-made set: the fast multiplier reaches every contact in a day or two; the slow one reaches
// a few as fast, two late, closes one unreached and leaves three waiting.
describe('censoring: slow multipliers do not look fast', () => {
  const assignedAt = '2026-03-02T00:00:00Z';
  const at = (days: number) => new Date(Date.parse(assignedAt) + days * 86_400_000).toISOString();
  const plan: { multiplier: string; attemptDays: number | null; closedDays?: number }[] = [
    ...[1, 1, 1.5, 2, 2, 1, 1.5, 2, 1, 2].map((d) => ({ multiplier: 'fast', attemptDays: d })),
    ...[1, 1, 2, 2, 20, 25].map((d) => ({ multiplier: 'slow', attemptDays: d })),
    { multiplier: 'slow', attemptDays: null, closedDays: 10 },
    { multiplier: 'slow', attemptDays: null },
    { multiplier: 'slow', attemptDays: null },
    { multiplier: 'slow', attemptDays: null },
  ];
  const fixture = useReportFixture(() => {
    const dir = tempDir();
    const contacts = ['contact_id,created_at,contact_type,overall_status,gender,languages,location_ids,assigned_to'];
    const events = ['event_id,contact_id,occurred_at,kind,actor_id,target_user_id,new_value'];
    plan.forEach((p, i) => {
      const id = `c${i + 1}`;
      contacts.push(`${id},2026-03-01T12:00:00Z,access,${p.closedDays ? 'closed' : 'active'},female,en,100364199,${p.multiplier}`);
      events.push(`${id}-a,${id},${assignedAt},assigned,disp,${p.multiplier},`);
      if (p.attemptDays !== null) events.push(`${id}-t,${id},${at(p.attemptDays)},attempt,${p.multiplier},,1`);
      if (p.closedDays) events.push(`${id}-x,${id},${at(p.closedDays)},status_changed,${p.multiplier},,closed`);
    });
    fs.writeFileSync(path.join(dir, 'contacts.csv'), contacts.join('\n'));
    fs.writeFileSync(path.join(dir, 'multipliers.csv'), ['user_id,display_name,roles,gender,languages', 'fast,Fay Fast,multiplier,female,en', 'slow,Sol Slow,multiplier,female,en', 'disp,Dee Dispatch,dispatcher,female,en'].join('\n'));
    fs.writeFileSync(path.join(dir, 'events.csv'), events.join('\n'));
    return { label: 'the censoring set', inputs: [dir], load: () => loadCanonicalWorld(dir) };
  });

  it('gives the slow multiplier a longer Kaplan–Meier median than the naive median of its reached contacts', async () => {
    const asOf = '2026-04-01'; // the three waiting contacts have waited 31 days by the end of that day
    const result = await report(fixture.db, 'latency', { from: '2026-03-01', to: asOf, as_of: asOf });
    const slow = result.rows.find((r) => r.multiplier_id === 'slow' && r.milestone === 'first_attempt')!;
    const fast = result.rows.find((r) => r.multiplier_id === 'fast' && r.milestone === 'first_attempt')!;
    // By hand: 10 at risk; 2 reached at day 1 (S = 0.8), 2 at day 2 (S = 0.6), 1 closed unreached at
    // day 10 (censored: still at risk until then), 1 reached at day 20 of 5 still at risk (S = 0.48).
    expect(slow).toMatchObject({ episodes: 10, reached: 6, censored: 4, still_waiting: 3, median_days: 20, naive_median_days: 2, p90_days: null });
    expect(slow.median_days as number).toBeGreaterThan(slow.naive_median_days as number);
    // The naive medians alone would rank the slow worker as fast as the fast one.
    expect(fast.naive_median_days).toBe(1.5);
    expect(slow.naive_median_days as number).toBeGreaterThan(0);
    expect((slow.median_days as number) / (fast.median_days as number)).toBeGreaterThan(10);
    // The same numbers from the CSVs through the stats module.
    await checkLatency(fixture, { from: '2026-03-01', to: asOf, asOf, by: 'multiplier' });
  });
});
