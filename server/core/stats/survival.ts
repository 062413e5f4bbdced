// Time-to-event statistics for response latency (assignment → acceptance, → first attempt,
// → contact established, → first meeting) and for the time-to-first-contact curves of a
// champion/challenger trial.
//
// A contact that has not been reached yet is *censored*: we know only that its latency is at
// least the time waited so far. Dropping such contacts would keep only the fast ones and make
// slow workers look fast; counting them as "reached now" would be just as wrong. Kaplan–Meier
// keeps them in the risk set until their censoring time, which is the honest estimate.

import { chiSquareUpperTail } from './distributions.ts';

export interface SurvivalObservation {
  /** time from the start event (e.g. latencyDays); must be finite */
  time: number;
  /** true if the end event happened at `time`; false if the contact was still waiting (censored) */
  event: boolean;
}

export interface KaplanMeierStep {
  time: number;
  /** subjects still waiting just before `time` (those censored at `time` included) */
  atRisk: number;
  events: number;
  censored: number;
  /** S(time): estimated share still waiting after `time` */
  survival: number;
  /** Greenwood standard error of `survival`; 0 once survival reaches 0 (the curve is then degenerate) */
  stdErr: number;
}

function assertObservations(fn: string, observations: readonly SurvivalObservation[]): void {
  for (const o of observations) {
    if (!Number.isFinite(o.time)) throw new RangeError(`${fn}: every time must be a finite number, got ${o.time}`);
  }
}

/** Distinct times in ascending order with the number of events and censorings at each. */
function tally(observations: readonly SurvivalObservation[]): { time: number; events: number; censored: number }[] {
  const sorted = [...observations].sort((x, y) => x.time - y.time);
  const rows: { time: number; events: number; censored: number }[] = [];
  for (const o of sorted) {
    let last = rows[rows.length - 1];
    if (!last || last.time !== o.time) {
      last = { time: o.time, events: 0, censored: 0 };
      rows.push(last);
    }
    if (o.event) last.events++;
    else last.censored++;
  }
  return rows;
}

/**
 * Kaplan–Meier product-limit estimate of the share still waiting, with Greenwood standard
 * errors (Kaplan & Meier 1958; Greenwood 1926). Returns one step per distinct observed time,
 * including times with censorings only (survival unchanged there; useful for censor marks).
 * Ties follow the usual convention: at the same time, events happen before censorings, so a
 * contact censored at t still counts as at risk for the events at t. S(t) is 1 before the
 * first step.
 */
export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeierStep[] {
  assertObservations('kaplanMeier', observations);
  let atRisk = observations.length;
  let survival = 1;
  let greenwoodSum = 0;
  const steps: KaplanMeierStep[] = [];
  for (const { time, events, censored } of tally(observations)) {
    if (events > 0) {
      survival *= (atRisk - events) / atRisk;
      greenwoodSum += atRisk === events ? Infinity : events / (atRisk * (atRisk - events));
    }
    const stdErr = survival === 0 ? 0 : survival * Math.sqrt(greenwoodSum);
    steps.push({ time, atRisk, events, censored, survival, stdErr });
    atRisk -= events + censored;
  }
  return steps;
}

// Products like 9/10 · 8/9 · … · 5/6 should be exactly 0.5 but can land a hair above it.
const SURVIVAL_TOLERANCE = 1e-12;

/**
 * The q-quantile of the time to event: the first time at which the estimated survival drops
 * to 1 - q or below (q = 0.5: median latency; q = 0.9: 90th percentile). Returns null when
 * the curve never gets that low — report it as "not reached", never as the last time seen,
 * because that would understate the latency of a worker with many contacts still waiting.
 * (Where S(t) equals 1 - q exactly on a flat stretch this takes the start of the stretch;
 * some packages, e.g. R's survfit, take the midpoint.)
 */
export function kmQuantile(curve: readonly KaplanMeierStep[], q: number): number | null {
  if (!(q > 0 && q < 1)) throw new RangeError(`kmQuantile: q must be in (0, 1), got ${q}`);
  const target = 1 - q + SURVIVAL_TOLERANCE;
  for (const step of curve) {
    if (step.survival <= target) return step.time;
  }
  return null;
}

export interface LogRankResult {
  /** (O_A - E_A)² / Var(O_A - E_A), 1 degree of freedom */
  chiSquare: number;
  df: number;
  p: number;
  observedA: number;
  expectedA: number;
  observedB: number;
  expectedB: number;
  /** hypergeometric variance of O_A - E_A summed over event times */
  variance: number;
}

/**
 * Log-rank (Mantel–Cox) test that two time-to-event curves are the same, e.g. time to first
 * contact in the challenger group against the champion group. Uses every contact, censored or
 * not, and compares observed with expected events at each event time. It weighs all times
 * equally; it is most powerful when one group is consistently faster (proportional hazards).
 */
export function logRankTest(groupA: readonly SurvivalObservation[], groupB: readonly SurvivalObservation[]): LogRankResult {
  assertObservations('logRankTest', groupA);
  assertObservations('logRankTest', groupB);
  const rowsA = new Map(tally(groupA).map((row) => [row.time, row]));
  const rowsB = new Map(tally(groupB).map((row) => [row.time, row]));
  const times = [...new Set([...rowsA.keys(), ...rowsB.keys()])].sort((x, y) => x - y);

  let atRiskA = groupA.length;
  let atRiskB = groupB.length;
  let observedA = 0;
  let observedB = 0;
  let expectedA = 0;
  let expectedB = 0;
  let variance = 0;
  for (const time of times) {
    const a = rowsA.get(time) ?? { events: 0, censored: 0 };
    const b = rowsB.get(time) ?? { events: 0, censored: 0 };
    const events = a.events + b.events;
    const atRisk = atRiskA + atRiskB;
    if (events > 0) {
      observedA += a.events;
      observedB += b.events;
      expectedA += (events * atRiskA) / atRisk;
      expectedB += (events * atRiskB) / atRisk;
      if (atRisk > 1) variance += (atRiskA * atRiskB * events * (atRisk - events)) / (atRisk * atRisk * (atRisk - 1));
    }
    atRiskA -= a.events + a.censored;
    atRiskB -= b.events + b.censored;
  }

  const chiSquare = variance > 0 ? ((observedA - expectedA) * (observedA - expectedA)) / variance : 0;
  return { chiSquare, df: 1, p: chiSquareUpperTail(chiSquare, 1), observedA, expectedA, observedB, expectedB, variance };
}
