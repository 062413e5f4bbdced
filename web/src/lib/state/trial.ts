// The champion/challenger trial definition as page state in the URL (?champion=&challenger=&start=).
// Group members are multiplier ids; the API takes them comma separated.
import { isIsoDate } from './dates';

export interface TrialDefinition {
  champion: string[];
  challenger: string[];
  start: string | null;
}

const ID = /^[A-Za-z0-9_.:@-]{1,64}$/;

/** Splits "a, b,,c" into ids, dropping blanks, junk and repeats (first occurrence wins). */
export function parseIdList(text: string | null | undefined): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const id = part.trim();
    if (id && ID.test(id)) seen.add(id);
  }
  return [...seen];
}

export function decodeTrial(query: URLSearchParams): TrialDefinition {
  const champion = parseIdList(query.get('champion'));
  // A multiplier cannot be in both groups; the champion group keeps it.
  const challenger = parseIdList(query.get('challenger')).filter((id) => !champion.includes(id));
  const start = query.get('start');
  return { champion, challenger, start: start && isIsoDate(start) ? start : null };
}

export function encodeTrial(trial: TrialDefinition, into: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams(into);
  for (const key of ['champion', 'challenger', 'start']) out.delete(key);
  if (trial.champion.length) out.set('champion', trial.champion.join(','));
  if (trial.challenger.length) out.set('challenger', trial.challenger.join(','));
  if (trial.start) out.set('start', trial.start);
  return out;
}

export type TrialProblem = 'no-champion' | 'no-challenger' | 'no-start';

/** What is still missing before the trial report can run (empty = ready). */
export function trialProblems(trial: TrialDefinition): TrialProblem[] {
  const problems: TrialProblem[] = [];
  if (!trial.champion.length) problems.push('no-champion');
  if (!trial.challenger.length) problems.push('no-challenger');
  if (!trial.start) problems.push('no-start');
  return problems;
}

export function trialParams(trial: TrialDefinition): Record<string, string> {
  const params: Record<string, string> = {};
  if (trial.champion.length) params.champion = trial.champion.join(',');
  if (trial.challenger.length) params.challenger = trial.challenger.join(',');
  if (trial.start) params.start = trial.start;
  return params;
}
