import { describe, expect, it } from 'vitest';
import { kaplanMeier, kmQuantile, logRankTest, type KaplanMeierStep, type SurvivalObservation } from './survival.ts';

// Freireich et al. (1963), Blood 21:699-716, remission times in weeks of leukaemia patients;
// as used by Gehan (1965), Biometrika 52:203-223, and by Kleinbaum & Klein, Survival Analysis:
// A Self-Learning Text, 3rd ed. (2012), ch. 2.
const events = (times: number[]): SurvivalObservation[] => times.map((time) => ({ time, event: true }));
const censored = (times: number[]): SurvivalObservation[] => times.map((time) => ({ time, event: false }));
const sixMP = [...events([6, 6, 6, 7, 10, 13, 16, 22, 23]), ...censored([6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35])];
const placebo = events([1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]);

function stepAt(curve: KaplanMeierStep[], time: number): KaplanMeierStep {
  const step = curve.find((s) => s.time === time);
  if (!step) throw new Error(`no step at ${time}`);
  return step;
}

/** Published to 3 decimals: agree within half a unit in the last place. */
function expectThreeDecimals(actual: number, published: number): void {
  expect(Math.abs(actual - published)).toBeLessThanOrEqual(0.5e-3 + 1e-12);
}

describe('kaplanMeier on the Freireich 6-MP group', () => {
  const curve = kaplanMeier(sixMP);

  it('reproduces the published S(t) (Kleinbaum & Klein, 3rd ed., ch. 2, 6-MP KM table)', () => {
    // t(j), n(j), m(j), q(j), S(t(j)) as printed there
    const published: [time: number, atRisk: number, events: number, censored: number, survival: number][] = [
      [6, 21, 3, 1, 0.857],
      [7, 17, 1, 1, 0.807], // K&K lists the censoring at 9 under t = 7 (q counts censorings in [t(j), t(j+1)))
      [10, 15, 1, 2, 0.753], // censorings at 10 and 11
      [13, 12, 1, 0, 0.69],
      [16, 11, 1, 3, 0.627], // censorings at 17, 19, 20
      [22, 7, 1, 0, 0.538],
      [23, 6, 1, 5, 0.448], // censorings at 25, 32, 32, 34, 35
    ];
    for (const [time, atRisk, eventCount, , survival] of published) {
      const step = stepAt(curve, time);
      expect(step.atRisk).toBe(atRisk);
      expect(step.events).toBe(eventCount);
      expectThreeDecimals(step.survival, survival);
    }
    // Our steps count censorings at their own time; the interval totals must match K&K's q(j).
    const censoredBetween = (from: number, to: number) =>
      curve.filter((s) => s.time >= from && s.time < to).reduce((sum, s) => sum + s.censored, 0);
    expect(censoredBetween(6, 7)).toBe(1);
    expect(censoredBetween(7, 10)).toBe(1);
    expect(censoredBetween(10, 13)).toBe(2);
    expect(censoredBetween(16, 22)).toBe(3);
    expect(censoredBetween(23, Infinity)).toBe(5);
  });

  it('gives the exact product-limit fractions and Greenwood standard errors', () => {
    // By hand: S(6) = 18/21, S(7) = 18/21·16/17, …; Greenwood Var = S²·Σ d/(n(n-d)).
    // The same standard errors (0.076, 0.087, 0.096, 0.107, 0.114, 0.128, 0.135) are printed for
    // this data in Klein & Moeschberger, Survival Analysis, 2nd ed. (2003), §4.2.
    const rows: [time: number, n: number, d: number, publishedSE: number][] = [
      [6, 21, 3, 0.076],
      [7, 17, 1, 0.087],
      [10, 15, 1, 0.096],
      [13, 12, 1, 0.107],
      [16, 11, 1, 0.114],
      [22, 7, 1, 0.128],
      [23, 6, 1, 0.135],
    ];
    let survival = 1;
    let greenwood = 0;
    for (const [time, n, d, publishedSE] of rows) {
      survival *= (n - d) / n;
      greenwood += d / (n * (n - d));
      const step = stepAt(curve, time);
      expect(step.survival).toBeCloseTo(survival, 14);
      expect(step.stdErr).toBeCloseTo(survival * Math.sqrt(greenwood), 14);
      expectThreeDecimals(step.stdErr, publishedSE);
    }
  });

  it('keeps censored-only times as flat steps', () => {
    const step = stepAt(curve, 9);
    expect(step).toMatchObject({ atRisk: 16, events: 0, censored: 1 });
    expect(step.survival).toBe(stepAt(curve, 7).survival);
    expect(curve.at(-1)).toMatchObject({ time: 35, atRisk: 1, events: 0, censored: 1 });
  });

  it('median = 23 weeks (K&K ch. 2); the 90th percentile is not reached (null)', () => {
    expect(kmQuantile(curve, 0.5)).toBe(23);
    expect(kmQuantile(curve, 0.9)).toBeNull();
  });
});

describe('kaplanMeier on the Freireich placebo group (no censoring)', () => {
  const curve = kaplanMeier(placebo);

  it('is the empirical survival function (K&K ch. 2: S(1)=0.905, S(5)=0.571, S(8)=0.381, S(23)=0)', () => {
    expectThreeDecimals(stepAt(curve, 1).survival, 0.905);
    expectThreeDecimals(stepAt(curve, 5).survival, 0.571);
    expectThreeDecimals(stepAt(curve, 8).survival, 0.381);
    expectThreeDecimals(stepAt(curve, 17).survival, 0.095);
    expect(stepAt(curve, 23).survival).toBe(0);
    expect(stepAt(curve, 23).stdErr).toBe(0);
  });

  it('median = 8 weeks (K&K ch. 2); 90th percentile = 17 (first S <= 0.1: S(15)=3/21, S(17)=2/21)', () => {
    expect(kmQuantile(curve, 0.5)).toBe(8);
    expect(kmQuantile(curve, 0.9)).toBe(17);
  });
});

describe('kaplanMeier and kmQuantile edge cases', () => {
  it('puts events before censorings at the same time', () => {
    // At t = 1 the censored contact is still at risk: S(1) = 2/3 (not 1/2).
    const curve = kaplanMeier([
      { time: 1, event: false },
      { time: 1, event: true },
      { time: 2, event: true },
    ]);
    expect(curve[0]).toMatchObject({ time: 1, atRisk: 3, events: 1, censored: 1 });
    expect(curve[0]!.survival).toBeCloseTo(2 / 3, 15);
    expect(curve[1]).toMatchObject({ time: 2, atRisk: 1, events: 1, survival: 0 });
  });

  it('reaches a quantile exactly at S = 1 - q despite rounding', () => {
    // ten distinct event times: S after the fifth is 5/10, computed as a product of fractions
    const curve = kaplanMeier(events([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(kmQuantile(curve, 0.5)).toBe(5);
    expect(kmQuantile(curve, 0.9)).toBe(9);
  });

  it('returns "not reached" (null) when everyone is still waiting, and no steps for no data', () => {
    expect(kmQuantile(kaplanMeier(censored([3, 5, 8])), 0.5)).toBeNull();
    expect(kaplanMeier([])).toEqual([]);
    expect(kmQuantile([], 0.5)).toBeNull();
    expect(() => kmQuantile([], 1)).toThrow(RangeError);
    expect(() => kaplanMeier([{ time: NaN, event: true }])).toThrow(RangeError);
  });

  it('does not depend on input order', () => {
    expect(kaplanMeier([...sixMP].reverse())).toEqual(kaplanMeier(sixMP));
  });
});

describe('logRankTest', () => {
  it('6-MP vs placebo: χ² = 16.79, p < 0.0001 (Kleinbaum & Klein, 3rd ed., ch. 2)', () => {
    // K&K: O1 = 9, E1 = 19.25 (6-MP); O2 = 21, E2 = 10.75 (placebo); Var(O2 - E2) = 6.2570;
    // log-rank statistic (O2 - E2)² / Var = 16.79.
    const result = logRankTest(sixMP, placebo);
    expect(result.observedA).toBe(9);
    expect(result.observedB).toBe(21);
    expect(result.expectedA).toBeCloseTo(19.25, 2);
    expect(result.expectedB).toBeCloseTo(10.75, 2);
    expect(result.variance).toBeCloseTo(6.257, 3);
    expect(result.chiSquare).toBeCloseTo(16.79, 2);
    expect(result.df).toBe(1);
    expect(result.p).toBeLessThan(0.0001);
    expect(result.expectedA + result.expectedB).toBeCloseTo(30, 12); // all events are expected somewhere
  });

  it('is symmetric in the groups and 0 for identical groups', () => {
    expect(logRankTest(placebo, sixMP).chiSquare).toBeCloseTo(logRankTest(sixMP, placebo).chiSquare, 12);
    const same = logRankTest(sixMP, sixMP);
    expect(same.chiSquare).toBeCloseTo(0, 12);
    expect(same.p).toBeCloseTo(1, 6);
    expect(logRankTest(censored([1, 2]), censored([3]))).toMatchObject({ chiSquare: 0, p: 1 });
  });
});
