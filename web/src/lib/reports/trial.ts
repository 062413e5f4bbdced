// The verdict of a champion/challenger trial, read from the trial report. The server computes the
// statistics (Wilson, Newcombe, Fisher, sample-ratio check); when it also states a verdict, that
// is shown as is. Otherwise the verdict follows from the Newcombe interval of the first outcome:
// the practice is only called better or worse when the whole 95 % interval is on one side of zero.
import { formatValue } from '../format/format';
import { findColumn, meaningOfColumn, numberOrNull, textOf, type ResultLike } from './columns';

export type Verdict = 'challenger-better' | 'challenger-worse' | 'no-clear-difference' | 'keep-testing' | 'groups-not-comparable' | 'not-enough-data';

export interface TrialVerdict {
  verdict: Verdict;
  outcome: string | null;
  reason: string;
}

export const VERDICT_LABELS: Record<Verdict, string> = {
  'challenger-better': 'Challenger better: roll out in stages',
  'challenger-worse': 'Challenger worse: roll back now',
  'no-clear-difference': 'No clear difference yet: keep watching',
  'keep-testing': 'Keep testing',
  'groups-not-comparable': 'Groups not comparable: check the assignment',
  'not-enough-data': 'Not enough data yet',
};

/** Below this sample-ratio-mismatch p-value the split of contacts between groups is suspect. */
export const SRM_ALPHA = 0.001;

/** The server's verdict words (server/core/reports/trial.ts) and ours. */
const STATED: Record<string, Verdict> = {
  expand: 'challenger-better',
  'roll back': 'challenger-worse',
  'keep testing': 'keep-testing',
};

export function trialVerdict(result: ResultLike, locale?: string | string[]): TrialVerdict {
  // A report that states its verdict (on any row, e.g. section = 'verdict') is taken at its word.
  const statedVerdict = findColumn(result, ['verdict']);
  const statedReason = findColumn(result, ['reason', 'verdict_reason']);
  const statedRow = statedVerdict ? result.rows.find((r) => r[statedVerdict] !== null && r[statedVerdict] !== undefined && r[statedVerdict] !== '') : undefined;
  if (statedVerdict && statedRow) {
    const word = String(statedRow[statedVerdict]);
    return {
      verdict: STATED[word] ?? (word in VERDICT_LABELS ? (word as Verdict) : 'keep-testing'),
      outcome: null,
      reason: statedReason ? textOf(statedRow[statedReason]) : '',
    };
  }

  const first = result.rows[0];
  if (!first) return { verdict: 'not-enough-data', outcome: null, reason: 'The trial has no results yet.' };
  const outcomeKey = findColumn(result, ['outcome', 'measure', 'metric']);
  const outcome = outcomeKey ? textOf(first[outcomeKey]) : null;

  const srmKey = findColumn(result, ['srm_p_value', 'sample_ratio_p_value']);
  const srm = srmKey ? numberOrNull(first[srmKey]) : null;
  if (srm !== null && srm < SRM_ALPHA) {
    return {
      verdict: 'groups-not-comparable',
      outcome,
      reason: `The groups received contacts in a ratio that differs from the plan (sample-ratio check p = ${formatValue(srm, 'pvalue', 'table', { locale })}); results cannot be trusted until the assignment is fixed.`,
    };
  }

  const diffKey = findColumn(result, ['difference', 'difference_rate', 'difference_pct', 'diff']);
  const lowKey = findColumn(result, ['difference_low', 'difference_lower', 'diff_low', 'ci_low']);
  const highKey = findColumn(result, ['difference_high', 'difference_upper', 'diff_high', 'ci_high']);
  const diff = diffKey ? numberOrNull(first[diffKey]) : null;
  const low = lowKey ? numberOrNull(first[lowKey]) : null;
  const high = highKey ? numberOrNull(first[highKey]) : null;
  if (diff === null || low === null || high === null) {
    return { verdict: 'not-enough-data', outcome, reason: 'The difference between the groups cannot be estimated yet.' };
  }

  // A difference of two rates is in percentage points; a bare DOUBLE difference is a difference of shares (0..1).
  const stated = meaningOfColumn(result, diffKey, 'ratio');
  const meaning = stated === 'number' ? 'ratio' : stated;
  const asPoints = meaning === 'ratio' || meaning === 'percent';
  const fmt = (v: number) => asPoints
    ? formatValue(meaning === 'ratio' ? v * 100 : v, 'number', 'table', { locale, signed: true })
    : formatValue(v, meaning, 'table', { locale, signed: true });
  const unit = asPoints ? ' points' : '';
  const interval = `${fmt(diff)}${unit} (95 % interval ${fmt(low)} to ${fmt(high)}${unit})`;
  const what = outcome ? `“${outcome}”` : 'the outcome';
  if (low > 0) return { verdict: 'challenger-better', outcome, reason: `The challenger group's rate of ${what} is higher by ${interval}; the whole interval is above zero.` };
  if (high < 0) return { verdict: 'challenger-worse', outcome, reason: `The challenger group's rate of ${what} is lower by ${interval}; the whole interval is below zero.` };
  return { verdict: 'no-clear-difference', outcome, reason: `The difference in ${what} is ${interval}; the interval includes zero.` };
}
