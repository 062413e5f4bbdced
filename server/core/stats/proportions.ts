// Rates, their intervals and the tests a champion/challenger trial reports (PRODUCT.md,
// Measures): per group a 95% Wilson interval, the difference with Newcombe's interval, a
// p-value (Fisher's exact test for small groups), and a sample-ratio check.

import { chiSquareUpperTail, normalQuantile, normalUpperTail } from './distributions.ts';
import { fisherExactTwoSided } from './fisher.ts';

export interface ProportionInterval {
  /** successes / n */
  estimate: number;
  lower: number;
  upper: number;
}

export interface DifferenceInterval {
  /** p1 - p2 */
  difference: number;
  lower: number;
  upper: number;
}

export interface ChiSquareResult {
  chiSquare: number;
  df: number;
  p: number;
}

function assertCounts(fn: string, successes: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${fn}: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`${fn}: successes must be an integer in [0, n], got ${successes} of ${n}`);
  }
}

function zForConfidence(fn: string, confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`${fn}: confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Wilson score interval for one rate (Wilson 1927; Newcombe 1998a, method 3).
 * Use it for every rate shown with an interval: unlike the textbook Wald interval
 * (p ± z·√(p(1-p)/n)) it never leaves [0, 1], is not zero-width at 0/n or n/n, and keeps
 * close to its nominal coverage for the small groups a trial has.
 * n must be at least 1; an empty group has no rate (show "no data" instead).
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): ProportionInterval {
  assertCounts('wilsonInterval', successes, n);
  const z = zForConfidence('wilsonInterval', confidence);
  const estimate = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (estimate + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((estimate * (1 - estimate)) / n + z2 / (4 * n * n))) / denominator;
  // At 0/n and n/n the bound is exactly 0 or 1 in exact arithmetic; pin it against rounding.
  const lower = successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = successes === n ? 1 : Math.min(1, centre + halfWidth);
  return { estimate, lower, upper };
}

/**
 * Newcombe's hybrid score interval for a difference of two independent rates p1 - p2
 * (Newcombe 1998b, method 10: each rate's Wilson limits combined by "square and add").
 * Use it for "challenger minus champion": the Wald difference interval overshoots [-1, 1] and
 * collapses at 0 or 100%, while this one keeps good coverage with small or extreme groups.
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): DifferenceInterval {
  assertCounts('newcombeDifference', x1, n1);
  assertCounts('newcombeDifference', x2, n2);
  const first = wilsonInterval(x1, n1, confidence);
  const second = wilsonInterval(x2, n2, confidence);
  const difference = first.estimate - second.estimate;
  const lower = difference - Math.hypot(first.estimate - first.lower, second.upper - second.estimate);
  const upper = difference + Math.hypot(first.upper - first.estimate, second.estimate - second.lower);
  return { difference, lower: Math.max(-1, lower), upper: Math.min(1, upper) };
}

/**
 * Two-proportion z-test with the pooled standard error (H0: p1 = p2), two-sided.
 * The same test as chiSquare2x2 without continuity correction (z² = χ²); useful when the
 * sign of the effect matters. When both groups are all successes or all failures there is no
 * evidence of a difference: z = 0, p = 1.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; p: number } {
  assertCounts('twoProportionZTest', x1, n1);
  assertCounts('twoProportionZTest', x2, n2);
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { z: 0, p: 1 };
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(variance);
  return { z, p: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}

/**
 * Pearson chi-square test of independence for the 2×2 table [[a, b], [c, d]]
 * (rows = groups, columns = success / failure), without Yates' continuity correction, p from
 * the chi-square distribution with 1 df. Use it for large groups; for small ones use
 * fisherExactTwoSided. A table with an empty row or column gives χ² = 0, p = 1.
 */
export function chiSquare2x2(a: number, b: number, c: number, d: number): ChiSquareResult {
  for (const [name, value] of [['a', a], ['b', b], ['c', c], ['d', d]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`chiSquare2x2: ${name} must be a non-negative integer, got ${value}`);
  }
  const total = a + b + c + d;
  const marginProduct = (a + b) * (c + d) * (a + c) * (b + d);
  if (marginProduct === 0) return { chiSquare: 0, df: 1, p: 1 };
  const cross = a * d - b * c;
  // N(ad - bc)² / (product of margins); divide step by step so large tables don't overflow.
  const chiSquare = (((total * cross) / (a + b) / (c + d)) * cross) / (a + c) / (b + d);
  return { chiSquare, df: 1, p: chiSquareUpperTail(chiSquare, 1) };
}

/**
 * Sample-ratio mismatch check: a chi-square goodness-of-fit test of the number of contacts
 * (or multipliers) that landed in each group against the split the trial intended. A tiny p
 * (the usual alarm is p < 0.001) means the assignment is broken and the trial's comparison
 * cannot be trusted, whatever its outcome looks like. expectedShares may be any positive
 * weights (e.g. [50, 50] or [0.5, 0.5]); they are normalised.
 */
export function sampleRatioMismatch(observedCounts: readonly number[], expectedShares: readonly number[]): ChiSquareResult {
  if (observedCounts.length < 2 || observedCounts.length !== expectedShares.length) {
    throw new RangeError('sampleRatioMismatch: need at least two groups and one expected share per group');
  }
  for (const count of observedCounts) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`sampleRatioMismatch: counts must be non-negative integers, got ${count}`);
  }
  for (const share of expectedShares) {
    if (!(share > 0) || !Number.isFinite(share)) throw new RangeError(`sampleRatioMismatch: expected shares must be positive, got ${share}`);
  }
  const df = observedCounts.length - 1;
  const total = observedCounts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return { chiSquare: 0, df, p: 1 };
  const shareTotal = expectedShares.reduce((sum, share) => sum + share, 0);
  let chiSquare = 0;
  observedCounts.forEach((observed, i) => {
    const expected = (total * expectedShares[i]!) / shareTotal;
    chiSquare += ((observed - expected) * (observed - expected)) / expected;
  });
  return { chiSquare, df, p: chiSquareUpperTail(chiSquare, df) };
}

/** The product's significance level (PRODUCT.md: 95% intervals). */
export const SIGNIFICANCE_LEVEL = 0.05;

/**
 * The product's rule for calling a difference real: the p-value is below the significance
 * level AND the interval for the difference excludes 0. Requiring both keeps a borderline
 * result (where the exact test and the score interval disagree) from being announced as a win.
 */
export function isSignificant(p: number, interval: { lower: number; upper: number }, alpha = SIGNIFICANCE_LEVEL): boolean {
  return p < alpha && (interval.lower > 0 || interval.upper < 0);
}

/** Below this smallest expected cell count the chi-square approximation is unreliable (Cochran 1954). */
export const MIN_EXPECTED_CELL = 5;
/** Below this many contacts in the two groups together, Fisher's exact test is used regardless. */
export const FISHER_BELOW_TOTAL = 1000;

export interface GroupRate extends ProportionInterval {
  successes: number;
  n: number;
}

export type TestUsed = 'fisher-exact' | 'chi-square';

export interface GroupComparison {
  groupA: GroupRate;
  groupB: GroupRate;
  /** rate A minus rate B, with Newcombe's 95% interval */
  difference: DifferenceInterval;
  p: number;
  test: TestUsed;
  significant: boolean;
}

/**
 * Everything a trial report shows for one outcome: each group's rate with a 95% Wilson
 * interval, the difference A - B with Newcombe's interval, a two-sided p-value and whether
 * the difference is significant by the product's rule (isSignificant).
 *
 * Test choice: Fisher's exact test when the groups total fewer than 1000 contacts or any
 * expected cell count is below 5 (Cochran's rule); otherwise the Pearson chi-square test
 * (no continuity correction). Fisher is exact and cheap at these sizes; at large sizes the two
 * agree closely and the chi-square test is the familiar one.
 */
export function compareGroups(successA: number, nA: number, successB: number, nB: number): GroupComparison {
  assertCounts('compareGroups', successA, nA);
  assertCounts('compareGroups', successB, nB);
  const groupA: GroupRate = { successes: successA, n: nA, ...wilsonInterval(successA, nA) };
  const groupB: GroupRate = { successes: successB, n: nB, ...wilsonInterval(successB, nB) };
  const difference = newcombeDifference(successA, nA, successB, nB);

  const total = nA + nB;
  const successes = successA + successB;
  const failures = total - successes;
  const smallestExpected = (Math.min(nA, nB) * Math.min(successes, failures)) / total;
  const test: TestUsed = total < FISHER_BELOW_TOTAL || smallestExpected < MIN_EXPECTED_CELL ? 'fisher-exact' : 'chi-square';
  const p =
    test === 'fisher-exact'
      ? fisherExactTwoSided(successA, nA - successA, successB, nB - successB)
      : chiSquare2x2(successA, nA - successA, successB, nB - successB).p;

  return { groupA, groupB, difference, p, test, significant: isSignificant(p, difference) };
}
