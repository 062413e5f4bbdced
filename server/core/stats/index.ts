// Statistics for Handoff's reports: pure functions, no dependencies. See README.md for why
// these methods and for the references the tests check against.

export {
  chiSquareUpperTail,
  erfc,
  logFactorial,
  logGamma,
  normalCdf,
  normalQuantile,
  normalUpperTail,
  regularizedGammaP,
  regularizedGammaQ,
} from './distributions.ts';
export { fisherExactTwoSided } from './fisher.ts';
export {
  chiSquare2x2,
  compareGroups,
  FISHER_BELOW_TOTAL,
  isSignificant,
  MIN_EXPECTED_CELL,
  newcombeDifference,
  sampleRatioMismatch,
  SIGNIFICANCE_LEVEL,
  twoProportionZTest,
  wilsonInterval,
  type ChiSquareResult,
  type DifferenceInterval,
  type GroupComparison,
  type GroupRate,
  type ProportionInterval,
  type TestUsed,
} from './proportions.ts';
export {
  kaplanMeier,
  kmQuantile,
  logRankTest,
  type KaplanMeierStep,
  type LogRankResult,
  type SurvivalObservation,
} from './survival.ts';
