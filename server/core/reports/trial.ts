// The champion/challenger trial report (PRODUCT.md, Measures): queries/trial.sql gives one row per
// contact of the trial; this module turns them into each outcome's rate per group with a 95% Wilson
// interval, the challenger-minus-champion difference with Newcombe's interval and a p-value (the stats
// module's rule: Fisher's exact test for small groups, chi-square for large), a sample-ratio check, the
// time-to-first-attempt Kaplan–Meier curves with a log-rank test, and a plain verdict with its reason.
// Everything goes out in the one {columns, rows} shape, a `section` column telling the parts apart.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../db/database.ts';
import { compareGroups, kaplanMeier, kmQuantile, logRankTest, sampleRatioMismatch, wilsonInterval, type SurvivalObservation } from '../stats/index.ts';
import { ParamError, type ParamValue } from './params.ts';
import { reportSql, runSql } from './registry.ts';

/** The usual alarm level of a sample-ratio check (Fabijan et al. 2019): stricter than 0.05, since it guards the whole trial. */
export const SAMPLE_RATIO_ALARM = 0.001;

export type TrialGroup = 'champion' | 'challenger';

export interface TrialContact {
  trial_group: TrialGroup;
  multiplier_id: string;
  contact_id: string;
  watched_days: number;
  first_attempt_days: number | null;
  established_days: number | null;
  first_meeting_days: number | null;
  censored_days: number;
}

export const TRIAL_OUTCOMES = [
  { outcome: 'first_attempt', column: 'first_attempt_days', windowParam: 'attempt_days' },
  { outcome: 'established', column: 'established_days', windowParam: 'established_days' },
  { outcome: 'first_meeting', column: 'first_meeting_days', windowParam: 'meeting_days' },
] as const;

export const TRIAL_COLUMNS: { name: string; type: string }[] = [
  ['section', 'VARCHAR'], ['outcome', 'VARCHAR'], ['trial_group', 'VARCHAR'], ['window_days', 'INTEGER'],
  ['members', 'INTEGER'], ['contacts', 'INTEGER'], ['reached', 'INTEGER'],
  ['rate_pct', 'DOUBLE'], ['low_pct', 'DOUBLE'], ['high_pct', 'DOUBLE'], ['expected_pct', 'DOUBLE'],
  ['p_value', 'DOUBLE'], ['test', 'VARCHAR'], ['significant', 'BOOLEAN'], ['median_days', 'DOUBLE'],
  ['time_days', 'DOUBLE'], ['at_risk', 'INTEGER'], ['events', 'INTEGER'], ['censored', 'INTEGER'], ['survival_pct', 'DOUBLE'],
  ['verdict', 'VARCHAR'], ['reason', 'VARCHAR'],
].map(([name, type]) => ({ name: name!, type: type! }));

type Row = Record<string, unknown>;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number) => round(100 * x, 2);
const signed = (x: number) => `${x > 0 ? '+' : ''}${round(x, 1)}`;
const formatP = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`);

function emptyRow(section: string): Row {
  return Object.fromEntries(TRIAL_COLUMNS.map((c) => [c.name, c.name === 'section' ? section : null]));
}

/** Checks the two groups name known multipliers and do not overlap. */
async function checkGroups(connection: DuckDBConnection, champion: string[], challenger: string[]): Promise<void> {
  const known = new Set((await queryRows<{ user_id: string }>(connection, 'SELECT user_id FROM multipliers WHERE is_multiplier(roles)')).map((r) => r.user_id));
  for (const [name, ids] of [['champion', champion], ['challenger', challenger]] as const) {
    if (ids.length === 0) throw new ParamError(name, `parameter "${name}" must list at least one multiplier id`);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new ParamError(name, `parameter "${name}" names ${unknown.map((id) => `"${id}"`).join(', ')}, which ${unknown.length > 1 ? 'are not multipliers' : 'is not a multiplier'}`);
    if (new Set(ids).size !== ids.length) throw new ParamError(name, `parameter "${name}" lists a multiplier twice`);
  }
  const both = champion.filter((id) => challenger.includes(id));
  if (both.length) throw new ParamError('challenger', `multipliers ${both.join(', ')} are in both groups; a multiplier belongs to one group`);
}

/**
 * The trial's rows from its contacts. Exported for the tests, which feed it counts from the source
 * files; the report runs it on queries/trial.sql.
 */
export function trialRows(contacts: TrialContact[], params: Record<string, ParamValue>, members: Record<TrialGroup, number>): Row[] {
  const rows: Row[] = [];
  const groups: TrialGroup[] = ['champion', 'challenger'];
  const of = (g: TrialGroup) => contacts.filter((c) => c.trial_group === g);

  // Sample ratio: contacts should reach the groups in proportion to their members.
  const split = groups.map((g) => of(g).length);
  const ratio = sampleRatioMismatch(split, [members.champion, members.challenger]);
  const total = split[0]! + split[1]!;
  const expectedShare = (g: TrialGroup) => members[g] / (members.champion + members.challenger);
  for (const [i, g] of groups.entries()) {
    rows.push({ ...emptyRow('sample_ratio'), trial_group: g, members: members[g], contacts: split[i], rate_pct: total ? pct(split[i]! / total) : null, expected_pct: pct(expectedShare(g)) });
  }
  const mismatch = total > 0 && ratio.p < SAMPLE_RATIO_ALARM;
  rows.push({
    ...emptyRow('sample_ratio'), trial_group: 'difference', contacts: total, p_value: ratio.p, test: 'chi-square goodness of fit', significant: mismatch,
    reason: mismatch
      ? `contacts split ${split[0]}:${split[1]} where the members (${members.champion}:${members.challenger}) call for ${round(total * expectedShare('champion'), 1)}:${round(total * expectedShare('challenger'), 1)} (${formatP(ratio.p)}): assignment is not following the trial's split, so its comparison cannot be trusted`
      : `contacts split ${split[0]}:${split[1]} for members ${members.champion}:${members.challenger}, as expected (${formatP(ratio.p)})`,
  });

  // Each outcome: reached within its window of days from assignment, as seen at the as-of date. Every
  // contact counts, so leave time after `to` for the outcome to happen; those whose window is still
  // open and that have not got there yet are counted as `censored`, the same share in both groups
  // when assignment is balanced.
  const findings: { outcome: string; difference: number; significant: boolean; text: string }[] = [];
  for (const { outcome, column, windowParam } of TRIAL_OUTCOMES) {
    const windowDays = Number(params[windowParam]);
    const tally = (g: TrialGroup) => {
      const reachedInTime = (c: TrialContact) => c[column] !== null && c[column]! <= windowDays;
      const reached = of(g).filter(reachedInTime).length;
      const open = of(g).filter((c) => !reachedInTime(c) && c.watched_days < windowDays).length;
      return { n: of(g).length, reached, open };
    };
    const counts = { champion: tally('champion'), challenger: tally('challenger') };
    for (const g of groups) {
      const { n, reached, open } = counts[g];
      const interval = n > 0 ? wilsonInterval(reached, n) : null;
      rows.push({
        ...emptyRow('outcome'), outcome, trial_group: g, window_days: windowDays, members: members[g], contacts: n, reached, censored: open,
        rate_pct: interval ? pct(interval.estimate) : null, low_pct: interval ? pct(interval.lower) : null, high_pct: interval ? pct(interval.upper) : null,
      });
    }
    const { champion, challenger } = counts;
    if (champion.n === 0 || challenger.n === 0) {
      rows.push({ ...emptyRow('outcome'), outcome, trial_group: 'difference', window_days: windowDays, reason: `no contacts yet in ${champion.n === 0 ? 'the champion' : 'the challenger'} group` });
      continue;
    }
    const comparison = compareGroups(challenger.reached, challenger.n, champion.reached, champion.n);
    const d = comparison.difference;
    const text = `${outcome.replaceAll('_', ' ')} within ${windowDays} days: challenger ${round(100 * comparison.groupA.estimate, 1)}% (${challenger.reached}/${challenger.n}) vs champion ${round(100 * comparison.groupB.estimate, 1)}% (${champion.reached}/${champion.n}), difference ${signed(100 * d.difference)} points (95% CI ${signed(100 * d.lower)} to ${signed(100 * d.upper)}), ${formatP(comparison.p)} (${comparison.test === 'fisher-exact' ? "Fisher's exact test" : 'chi-square test'})`;
    findings.push({ outcome, difference: d.difference, significant: comparison.significant, text });
    rows.push({
      ...emptyRow('outcome'), outcome, trial_group: 'difference', window_days: windowDays, contacts: challenger.n + champion.n, reached: challenger.reached + champion.reached,
      rate_pct: pct(d.difference), low_pct: pct(d.lower), high_pct: pct(d.upper), p_value: comparison.p, test: comparison.test, significant: comparison.significant, reason: text,
    });
  }

  // Time to first attempt: the curves use every contact, the unreached ones censored.
  const observations = (g: TrialGroup): SurvivalObservation[] =>
    of(g).map((c) => (c.first_attempt_days !== null ? { time: c.first_attempt_days, event: true } : { time: c.censored_days, event: false }));
  const curves = { champion: kaplanMeier(observations('champion')), challenger: kaplanMeier(observations('challenger')) };
  for (const g of groups) {
    const obs = observations(g);
    rows.push({ ...emptyRow('outcome'), outcome: 'time_to_first_attempt', trial_group: g, members: members[g], contacts: obs.length, reached: obs.filter((o) => o.event).length, median_days: (() => { const m = kmQuantile(curves[g], 0.5); return m === null ? null : round(m, 2); })() });
  }
  if (of('champion').length > 0 && of('challenger').length > 0) {
    const logRank = logRankTest(observations('challenger'), observations('champion'));
    const faster = logRank.observedA > logRank.expectedA ? 'challenger' : 'champion';
    rows.push({
      ...emptyRow('outcome'), outcome: 'time_to_first_attempt', trial_group: 'difference', contacts: total, p_value: logRank.p, test: 'log-rank', significant: logRank.p < 0.05,
      reason: `time to first attempt: ${logRank.p < 0.05 ? `the ${faster} group is faster` : 'no clear difference'} (${formatP(logRank.p)}, log-rank test)`,
    });
  }
  for (const g of groups) {
    for (const step of curves[g]) {
      rows.push({ ...emptyRow('curve'), outcome: 'first_attempt', trial_group: g, time_days: round(step.time, 4), at_risk: step.atRisk, events: step.events, censored: step.censored, survival_pct: pct(step.survival) });
    }
  }

  // The verdict: a significant loss rolls back at once; a significant gain with no loss expands.
  const worse = findings.filter((f) => f.significant && f.difference < 0);
  const better = findings.filter((f) => f.significant && f.difference > 0);
  let verdict: string;
  let reason: string;
  if (mismatch) {
    verdict = 'keep testing';
    reason = `warning: sample-ratio mismatch, ${rows.find((r) => r.section === 'sample_ratio' && r.trial_group === 'difference')!.reason}`;
  } else if (findings.length === 0) {
    verdict = 'keep testing';
    reason = 'no outcome can be compared yet: a group has no contacts';
  } else if (worse.length > 0) {
    verdict = 'roll back';
    reason = `the challenger group does significantly worse: ${worse.map((f) => f.text).join('; ')}`;
  } else if (better.length > 0) {
    verdict = 'expand';
    reason = `the challenger group does significantly better: ${better.map((f) => f.text).join('; ')}`;
  } else {
    verdict = 'keep testing';
    reason = `no significant difference yet (p < 0.05 with a 95% interval excluding 0): ${findings.map((f) => f.text).join('; ')}`;
  }
  rows.push({ ...emptyRow('verdict'), verdict, reason });
  return rows;
}

export async function runTrial(
  connection: DuckDBConnection,
  params: Record<string, ParamValue>,
): Promise<{ columns: { name: string; type: string }[]; rows: Row[] }> {
  const champion = (params.champion as string[] | null) ?? [];
  const challenger = (params.challenger as string[] | null) ?? [];
  await checkGroups(connection, champion, challenger);
  if (typeof params.start === 'string' && typeof params.to === 'string' && params.start > params.to) {
    throw new ParamError('start', `parameter "start" (${params.start}) must not be after "to" (${params.to})`);
  }
  const { rows } = await runSql(connection, reportSql('trial.sql'), params);
  return {
    columns: TRIAL_COLUMNS,
    rows: trialRows(rows as unknown as TrialContact[], params, { champion: champion.length, challenger: challenger.length }),
  };
}
