// trial: champion/challenger. The trial's contacts and their outcomes are recomputed in plain
// TypeScript from the fixtures' source files; rates are compared with those counts and the tests with
// the stats module run on them (the interval and test functions themselves are tested in
// server/core/stats). On the demo set the planted difference (fixtures/PLANTED.md) must be
// significant and an A/A split of the champion group must not be.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareGroups, kaplanMeier, logRankTest, sampleRatioMismatch } from '../../server/core/stats/index.ts';
import { ParamError } from '../../server/core/reports/params.ts';
import { DEMO_CANONICAL } from '../helpers.ts';
import { episodesOf, type Milestone } from '../oracle/workers.ts';
import { DAY_MS, dayEnd, dayStart, type World } from '../oracle/world.ts';
import { DEMO, SAMPLES, reportRows, useReportFixture, type ReportFixture } from './datasets.ts';

interface TrialQuery { champion: string[]; challenger: string[]; start: string; to: string; asOf: string; attemptDays?: number; establishedDays?: number; meetingDays?: number }

interface OracleContact { group: 'champion' | 'challenger'; watched: number; days: Record<Milestone, number | null>; censored: number }

/** The contacts whose first assignment to any multiplier went to a group member between start and to. */
function trialContacts(w: World, q: TrialQuery): OracleContact[] {
  const now = dayEnd(q.asOf);
  const groupOf = (id: string) => (q.champion.includes(id) ? 'champion' : q.challenger.includes(id) ? 'challenger' : null);
  const first = new Map<string, ReturnType<typeof episodesOf>[number]>();
  for (const e of episodesOf(w)) {
    if (e.assignedAt >= now) continue;
    const seen = first.get(e.contactId);
    if (!seen || e.assignedAt < seen.assignedAt || (e.assignedAt === seen.assignedAt && e.userId < seen.userId)) first.set(e.contactId, e);
  }
  return [...first.values()]
    .filter((e) => groupOf(e.userId) && e.assignedAt >= dayStart(q.start) && e.assignedAt < dayEnd(q.to))
    .map((e) => {
      const days = (m: Milestone) => { const at = e.reachedAt[m]; return at !== null && at < now ? (at - e.assignedAt) / DAY_MS : null; };
      return {
        group: groupOf(e.userId)!,
        watched: (now - e.assignedAt) / DAY_MS,
        days: { accepted: days('accepted'), first_attempt: days('first_attempt'), established: days('established'), first_meeting: days('first_meeting') },
        censored: (Math.min(e.nextAssignedAt ?? Infinity, e.stoppedAt ?? Infinity, now) - e.assignedAt) / DAY_MS,
      };
    });
}

/** An outcome is reached within its window of days after assignment; not yet reached with the window still open = censored. */
function tally(contacts: OracleContact[], group: string, milestone: Milestone, windowDays: number) {
  const mine = contacts.filter((c) => c.group === group);
  const inTime = (c: OracleContact) => c.days[milestone] !== null && c.days[milestone]! <= windowDays;
  return { n: mine.length, reached: mine.filter(inTime).length, open: mine.filter((c) => !inTime(c) && c.watched < windowDays).length };
}

function trialParams(q: TrialQuery): Record<string, string> {
  const params: Record<string, string> = { champion: q.champion.join(','), challenger: q.challenger.join(','), start: q.start, to: q.to, as_of: q.asOf };
  if (q.attemptDays) params.attempt_days = String(q.attemptDays);
  if (q.establishedDays) params.established_days = String(q.establishedDays);
  if (q.meetingDays) params.meeting_days = String(q.meetingDays);
  return params;
}

/** Every number of the report against the contacts counted from the source files. */
async function checkTrial({ db, world: w }: ReportFixture, q: TrialQuery) {
  const rows = await reportRows(db, 'trial', trialParams(q));
  const contacts = trialContacts(w, q);
  const row = (section: string, group: string, outcome: string | null = null) =>
    rows.find((r) => r.section === section && r.trial_group === group && r.outcome === outcome)!;

  const split = [contacts.filter((c) => c.group === 'champion').length, contacts.filter((c) => c.group === 'challenger').length];
  expect(split[0]! + split[1]!).toBeGreaterThan(0);
  expect([row('sample_ratio', 'champion').contacts, row('sample_ratio', 'challenger').contacts]).toEqual(split);
  expect(row('sample_ratio', 'difference').p_value).toBeCloseTo(sampleRatioMismatch(split, [q.champion.length, q.challenger.length]).p, 12);

  const windows: [Milestone, number][] = [['first_attempt', q.attemptDays ?? 3], ['established', q.establishedDays ?? 30], ['first_meeting', q.meetingDays ?? 60]];
  for (const [outcome, windowDays] of windows) {
    const champion = tally(contacts, 'champion', outcome, windowDays);
    const challenger = tally(contacts, 'challenger', outcome, windowDays);
    for (const [group, counts] of [['champion', champion], ['challenger', challenger]] as const) {
      const r = row('outcome', group, outcome);
      expect({ contacts: r.contacts, reached: r.reached, censored: r.censored, window_days: r.window_days }, `${outcome} ${group}`)
        .toEqual({ contacts: counts.n, reached: counts.reached, censored: counts.open, window_days: windowDays });
      if (counts.n > 0) expect(r.rate_pct).toBeCloseTo((100 * counts.reached) / counts.n, 2);
    }
    const difference = row('outcome', 'difference', outcome);
    if (champion.n === 0 || challenger.n === 0) continue;
    const expected = compareGroups(challenger.reached, challenger.n, champion.reached, champion.n);
    expect(difference.rate_pct).toBeCloseTo(100 * (challenger.reached / challenger.n - champion.reached / champion.n), 2);
    expect(difference.p_value).toBeCloseTo(expected.p, 12);
    expect(difference.test).toBe(expected.test);
    expect(difference.significant).toBe(expected.significant);
  }

  const observations = (group: string) => contacts.filter((c) => c.group === group)
    .map((c) => (c.days.first_attempt !== null ? { time: c.days.first_attempt, event: true } : { time: c.censored, event: false }));
  for (const group of ['champion', 'challenger']) {
    const curve = rows.filter((r) => r.section === 'curve' && r.trial_group === group);
    const expected = kaplanMeier(observations(group));
    expect(curve.length).toBe(expected.length);
    curve.forEach((step, i) => {
      expect(step.time_days).toBeCloseTo(expected[i]!.time, 3);
      expect([step.at_risk, step.events, step.censored]).toEqual([expected[i]!.atRisk, expected[i]!.events, expected[i]!.censored]);
      expect(step.survival_pct).toBeCloseTo(100 * expected[i]!.survival, 1);
    });
  }
  if (split[0]! > 0 && split[1]! > 0) {
    expect(row('outcome', 'difference', 'time_to_first_attempt').p_value).toBeCloseTo(logRankTest(observations('challenger'), observations('champion')).p, 6);
  }
  return rows;
}

const verdictOf = (rows: Record<string, any>[]) => rows.find((r) => r.section === 'verdict')!;

describe('trial on the D.T samples', () => {
  const fixture = useReportFixture(SAMPLES);

  it('matches the contacts counted from the activity files', async () => {
    const { asOf } = fixture.world;
    const rows = await checkTrial(fixture, { champion: ['6', '7', '8', '9'], challenger: ['10', '11', '12', '13'], start: '2026-07-01', to: asOf, asOf });
    expect(new Set(rows.map((r) => r.section))).toEqual(new Set(['sample_ratio', 'outcome', 'curve', 'verdict']));
    expect(['expand', 'keep testing', 'roll back']).toContain(verdictOf(rows).verdict);
    await checkTrial(fixture, { champion: ['6', '9', '11'], challenger: ['7'], start: '2026-06-01', to: '2026-09-30', asOf: '2026-10-31', attemptDays: 5, establishedDays: 10, meetingDays: 20 });
  });

  it('warns and keeps testing when contacts do not follow the groups\' sizes', async () => {
    // Gabriel Silva ("too many") got far fewer contacts than one member in eight should: 12 of 254.
    const { asOf } = fixture.world;
    const rows = await checkTrial(fixture, { champion: ['6', '7', '8', '9', '11', '12', '13'], challenger: ['10'], start: '2026-06-01', to: asOf, asOf });
    const ratio = rows.find((r) => r.section === 'sample_ratio' && r.trial_group === 'difference')!;
    expect(ratio.p_value).toBeLessThan(0.001);
    expect(ratio.significant).toBe(true);
    expect(verdictOf(rows).verdict).toBe('keep testing');
    expect(verdictOf(rows).reason).toMatch(/^warning: sample-ratio mismatch/);
  });

  it('refuses unknown, overlapping or missing groups', async () => {
    const run = (p: Record<string, string>) => reportRows(fixture.db, 'trial', { start: '2026-07-01', ...p });
    await expect(run({ champion: '6,7', challenger: '7,8' })).rejects.toThrow(/both groups/);
    await expect(run({ champion: '6,99', challenger: '8' })).rejects.toThrow(ParamError);
    await expect(run({ champion: '2', challenger: '8' })).rejects.toThrow(/not a multiplier/);
    await expect(run({ champion: '6' })).rejects.toThrow(/"challenger" is required/);
    await expect(reportRows(fixture.db, 'trial', { champion: '6', challenger: '7' })).rejects.toThrow(/"start" is required/);
  });
});

describe.skipIf(!fs.existsSync(DEMO_CANONICAL))('trial on the demo set (planted difference)', () => {
  const fixture = useReportFixture(DEMO);

  // fixtures/PLANTED.md (f): start 2026-09-11; outcomes counted for assignments up to 10 days before
  // today (2026-11-20T00:00), i.e. to the end of 2026-11-09.
  const CHALLENGERS = ['9', '11', '17', '19', '21', '25', '33', '39', '41', '46'];
  const CHAMPIONS = ['6', '13', '18', '20', '26', '27', '29', '30', '38', '44'];
  const planted = { champion: CHAMPIONS, challenger: CHALLENGERS, start: '2026-09-11', to: '2026-11-09', asOf: '2026-11-20' };

  it('finds the planted difference significant and says expand', async () => {
    expect(fixture.world.asOf).toBe('2026-11-20');
    const rows = await checkTrial(fixture, planted);
    const outcome = (name: string, group: string) => rows.find((r) => r.section === 'outcome' && r.outcome === name && r.trial_group === group)!;
    // PLANTED.md's table: met 49 of 86 (57.0%) vs 27 of 84 (32.1%), Fisher p = 0.0013; first attempt within 3 days 86 of 86 vs 69 of 84.
    expect(outcome('first_meeting', 'challenger')).toMatchObject({ contacts: 86, reached: 49 });
    expect(outcome('first_meeting', 'champion')).toMatchObject({ contacts: 84, reached: 27 });
    expect(outcome('first_meeting', 'difference')).toMatchObject({ test: 'fisher-exact', significant: true });
    expect(outcome('first_meeting', 'difference').p_value).toBeCloseTo(0.0013, 4);
    expect(outcome('first_attempt', 'challenger')).toMatchObject({ contacts: 86, reached: 86 });
    expect(outcome('first_attempt', 'champion')).toMatchObject({ contacts: 84, reached: 69 });
    expect(outcome('first_attempt', 'difference').significant).toBe(true);
    expect(rows.find((r) => r.section === 'sample_ratio' && r.trial_group === 'difference')!.significant).toBe(false);
    expect(verdictOf(rows).verdict).toBe('expand');
    expect(verdictOf(rows).reason).toContain('first meeting within 60 days: challenger 57% (49/86) vs champion 32.1% (27/84)');
  });

  it('finds no difference before the start (same groups, 84 days before)', async () => {
    const rows = await checkTrial(fixture, { ...planted, start: '2026-06-19', to: '2026-09-10' });
    const meeting = rows.find((r) => r.section === 'outcome' && r.outcome === 'first_meeting' && r.trial_group === 'difference')!;
    // PLANTED.md: 36 of 103 vs 38 of 105, p = 0.89.
    expect(meeting.p_value).toBeCloseTo(0.89, 2);
    expect(meeting.significant).toBe(false);
  });

  it('finds nothing significant in an A/A split of the same data', async () => {
    for (const [a, b] of [[CHAMPIONS.slice(0, 5), CHAMPIONS.slice(5)], [CHALLENGERS.slice(0, 5), CHALLENGERS.slice(5)]]) {
      const rows = await checkTrial(fixture, { ...planted, champion: a!, challenger: b! });
      const differences = rows.filter((r) => r.section === 'outcome' && r.trial_group === 'difference' && r.test !== 'log-rank');
      expect(differences).toHaveLength(3);
      for (const d of differences) expect(d.significant, `${d.outcome}: ${d.reason}`).toBe(false);
      expect(verdictOf(rows).verdict).toBe('keep testing');
    }
  });
});
