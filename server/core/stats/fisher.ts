// Fisher's exact test for a 2×2 table. A champion/challenger trial often compares groups of a
// few dozen contacts, where the chi-square approximation is poor (expected counts under 5);
// Fisher's test conditions on the margins and needs no large-sample approximation.

import { logFactorial } from './distributions.ts';

// Two tables whose probabilities differ only by floating-point noise must count as ties, or
// the p-value would depend on rounding (R's fisher.test uses the same relative 1e-7).
const RELATIVE_TIE_TOLERANCE = 1e-7;
// exp() of anything below this is 0 in double precision.
const LOG_UNDERFLOW = -750;

function assertCell(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`fisherExactTwoSided: ${name} must be a non-negative integer, got ${value}`);
}

/**
 * Two-sided Fisher exact p-value for the table
 *
 *            success  failure
 *   group A     a        b
 *   group B     c        d
 *
 * i.e. the sum of the hypergeometric probabilities of every table with the same margins that
 * is as likely as or less likely than the observed one. Use it for small groups (see
 * compareGroups for the rule). Probabilities are built from log-factorials, so totals in the
 * millions neither overflow nor lose precision.
 */
export function fisherExactTwoSided(a: number, b: number, c: number, d: number): number {
  assertCell('a', a);
  assertCell('b', b);
  assertCell('c', c);
  assertCell('d', d);
  const rowA = a + b;
  const rowB = c + d;
  const colSuccess = a + c;
  const colFailure = b + d;
  const total = rowA + rowB;
  if (rowA === 0 || rowB === 0 || colSuccess === 0 || colFailure === 0) return 1; // only one table is possible

  const constant =
    logFactorial(rowA) + logFactorial(rowB) + logFactorial(colSuccess) + logFactorial(colFailure) - logFactorial(total);
  // ln P(table with k successes in group A) under the hypergeometric distribution
  const logProbability = (k: number): number =>
    constant - logFactorial(k) - logFactorial(rowA - k) - logFactorial(colSuccess - k) - logFactorial(rowB - colSuccess + k);

  const threshold = logProbability(a) + Math.log1p(RELATIVE_TIE_TOLERANCE);
  const kMin = Math.max(0, colSuccess - rowB);
  const kMax = Math.min(rowA, colSuccess);
  // The hypergeometric is unimodal (log-concave), so walking outward from the mode the
  // probabilities only fall; once they underflow to 0 in double precision the rest of that tail
  // adds nothing. This keeps the test fast for totals in the millions.
  const mode = Math.min(kMax, Math.max(kMin, Math.floor(((rowA + 1) * (colSuccess + 1)) / (total + 2))));
  let p = 0;
  for (let k = mode; k >= kMin; k--) {
    const logP = logProbability(k);
    if (logP < LOG_UNDERFLOW) break;
    if (logP <= threshold) p += Math.exp(logP);
  }
  for (let k = mode + 1; k <= kMax; k++) {
    const logP = logProbability(k);
    if (logP < LOG_UNDERFLOW) break;
    if (logP <= threshold) p += Math.exp(logP);
  }
  return Math.min(1, p);
}
