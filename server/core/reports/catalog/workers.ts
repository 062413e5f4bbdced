// The worker reports: how fast multipliers respond (latency), what they owe (accountability), how
// they are doing (wellbeing), and champion/challenger trials of a new way of working (trial).
import { CONTACT_FILTERS, WINDOW_FILTERS, type ReportDefinition } from '../definitions.ts';
import { GLOBAL_PARAMS, type ParamSpec } from '../params.ts';
import { runTrial, TRIAL_COLUMNS } from '../trial.ts';

const g = GLOBAL_PARAMS;

function days(name: string, fallback: number, description: string, max = 3650): ParamSpec {
  return { name, type: 'integer', default: fallback, min: 1, max, description };
}

function percent(name: string, fallback: number, description: string): ParamSpec {
  return { name, type: 'integer', default: fallback, min: 1, max: 100, description };
}

const ATTEMPT_DAYS = days('attempt_days', 3, 'a contact should get a first contact attempt within this many days of assignment');
const UPDATE_DAYS = days('update_days', 7, 'an update request is overdue when unanswered this many days after it was made');
const DEFAULT_CAPACITY: ParamSpec = {
  name: 'default_capacity', type: 'integer', default: 10, min: 1, max: 1000,
  description: 'active contacts a multiplier can hold when the multipliers data gives no capacity',
};

export const LATENCY: ReportDefinition = {
  name: 'latency',
  title: 'Response latency',
  description:
    'Days from assignment to acceptance, first contact attempt, contact established and first meeting: Kaplan–Meier median and 90th percentile per multiplier, region or month, counting contacts not reached yet as censored (not dropped), with the number still waiting. The naive median of reached contacts only is shown for contrast.',
  params: [
    ...WINDOW_FILTERS,
    g.as_of!,
    { name: 'by', type: 'enum', allowed: ['multiplier', 'region', 'month'], default: 'multiplier', description: 'group the episodes by multiplier, by the contact\'s region, or by month of assignment' },
    { name: 'level', type: 'integer', default: 0, min: 0, max: 3, description: 'level of the location tree regions are rolled up to (0 country, 1 admin1, 2 admin2, 3 city); used when by=region. Contacts placed higher count at their own place' },
  ],
  columnKinds: {
    multiplier_id: 'identifying',
    multiplier_name: 'identifying',
    region_id: 'dimension',
    region_name: 'dimension',
    month: 'dimension',
    milestone: 'dimension',
    episodes: 'count',
    reached: 'count',
    censored: 'count',
    still_waiting: 'count',
    median_days: 'measure',
    p90_days: 'measure',
    naive_median_days: 'measure',
  },
};

export const ACCOUNTABILITY: ReportDefinition = {
  name: 'accountability',
  title: 'Accountability',
  description:
    'Per multiplier at the as-of date: current contacts not attempted within 3 days of assignment (and those still not attempted), and update requests unanswered after 7 days, with the contacts\' ids for dispatchers.',
  params: [g.as_of!, ATTEMPT_DAYS, UPDATE_DAYS, ...CONTACT_FILTERS],
  contactLevel: true,
  columnKinds: {
    multiplier_id: 'identifying',
    multiplier_name: 'identifying',
    current_contacts: 'count',
    not_attempted_in_time: 'count',
    still_not_attempted: 'count',
    not_attempted_contact_ids: 'identifying',
    overdue_updates: 'count',
    oldest_overdue_update_days: 'measure',
    overdue_update_contact_ids: 'identifying',
  },
};

const RECENT_DAYS = days('recent_days', 30, 'the recent window the signals look at, in days before the as-of date', 365);
const BASELINE_DAYS = days('baseline_days', 90, 'the window before the recent one that a worker\'s own baseline comes from, in days', 730);

export const WELLBEING: ReportDefinition = {
  name: 'wellbeing',
  title: 'Burnout and underload signals',
  description:
    'Per multiplier at the as-of date, each burnout or underload signal with the numbers that triggered it: load above capacity for 14+ days, workload status too many, median time to first attempt over 2× its own baseline, 3+ overdue update requests, over half of its current contacts without activity for 30 days, rising declines, activity per week halved while load stayed; underload: half of capacity or more free for 30 days while fitting contacts wait in the dispatch queue.',
  params: [
    g.as_of!,
    DEFAULT_CAPACITY,
    days('overload_days', 14, 'signal when active load has been above capacity on each of this many days, up to the as-of date', 365),
    RECENT_DAYS,
    BASELINE_DAYS,
    { name: 'latency_factor', type: 'integer', default: 2, min: 1, max: 100, description: 'signal when the recent median time to first attempt is over this many times the baseline median' },
    { name: 'min_episodes', type: 'integer', default: 3, min: 1, max: 1000, description: 'assignments needed in each window before latency is compared' },
    UPDATE_DAYS,
    { name: 'overdue_update_count', type: 'integer', default: 3, min: 1, max: 1000, description: 'signal at this many overdue update requests' },
    days('inactive_days', 30, 'a current contact is inactive when the multiplier has logged nothing on it for this many days', 365),
    percent('inactive_share_pct', 50, 'signal when more than this share of current contacts is inactive'),
    { name: 'decline_rise_factor', type: 'integer', default: 2, min: 1, max: 100, description: 'signal when the recent share of assignments declined is at least this many times the baseline share' },
    { name: 'min_declines', type: 'integer', default: 3, min: 1, max: 1000, description: 'declines in the recent window needed before a rise is signalled' },
    percent('activity_drop_pct', 50, 'signal when logged activity per week fell by at least this much'),
    percent('load_stayed_pct', 80, '… while the average load stayed at least at this share of the baseline load'),
    days('underload_days', 30, 'underload: the days over which half of capacity or more must have been free', 365),
    percent('underload_free_pct', 50, 'underload: the share of capacity that must have been free on each of those days'),
  ],
  columnKinds: {
    multiplier_id: 'identifying',
    multiplier_name: 'identifying',
    kind: 'dimension',
    signal: 'dimension',
    value: 'measure',
    threshold: 'measure',
    baseline: 'measure',
    unit: 'dimension',
    window_start: 'dimension',
    window_end: 'dimension',
    evidence: 'dimension',
  },
};

export const TRIAL: ReportDefinition = {
  name: 'trial',
  title: 'Champion/challenger trial',
  description:
    'Two groups of multipliers and a start date: per group the rate of each outcome (first attempt within 3 days, contact established, first meeting) with a 95% Wilson interval, the challenger-minus-champion difference with a Newcombe interval and a p-value (Fisher\'s exact test for small groups, chi-square for large), a sample-ratio check, time-to-first-attempt curves with a log-rank test, and a verdict: expand, keep testing or roll back, with the reason.',
  params: [
    { name: 'champion', type: 'string[]', default: null, required: true, description: 'the multiplier ids (comma-separated) who keep the current way of working' },
    { name: 'challenger', type: 'string[]', default: null, required: true, description: 'the multiplier ids (comma-separated) who try the new way' },
    { name: 'start', type: 'date', default: null, required: true, description: 'the day the trial started (YYYY-MM-DD): contacts assigned from then on count' },
    { ...g.to!, description: 'the last day of assignment that counts (YYYY-MM-DD); default the as-of date. Leave the outcomes time to happen: contacts assigned later than that are not in the trial' },
    g.as_of!,
    ATTEMPT_DAYS,
    days('established_days', 30, 'outcome: contact established within this many days of assignment'),
    days('meeting_days', 60, 'outcome: first meeting within this many days of assignment (60, as campaign response counts meetings)'),
    ...CONTACT_FILTERS,
  ],
  run: (connection, params) => runTrial(connection, params),
  columnKinds: Object.fromEntries(TRIAL_COLUMNS.map((c) => [c.name,
    ['section', 'outcome', 'trial_group', 'test', 'verdict', 'reason'].includes(c.name) ? 'dimension'
      : ['members', 'contacts', 'reached', 'at_risk', 'events', 'censored'].includes(c.name) ? 'count' : 'measure'])),
};

export const WORKERS_REPORTS: ReportDefinition[] = [LATENCY, ACCOUNTABILITY, WELLBEING, TRIAL];
