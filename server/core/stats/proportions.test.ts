import { describe, expect, it } from 'vitest';
import {
  chiSquare2x2,
  compareGroups,
  isSignificant,
  newcombeDifference,
  sampleRatioMismatch,
  twoProportionZTest,
  wilsonInterval,
} from './proportions.ts';
import { fisherExactTwoSided } from './fisher.ts';

/** Published values are rounded to 4 decimals: agree within half a unit in the last place. */
function expectFourDecimals(actual: number, published: number): void {
  expect(Math.abs(actual - published)).toBeLessThanOrEqual(0.5e-4 + 1e-12);
}

// Second, independent computation for the interval tests: Wilson's closed form written out
// from Newcombe (1998a), eq. for method 3, with z = 1.959964 typed in from a normal table.
const Z95 = 1.959963984540054;
function wilsonByHand(r: number, n: number): [number, number] {
  const p = r / n;
  const a = 2 * n * p + Z95 * Z95;
  const b = Z95 * Math.sqrt(Z95 * Z95 + 4 * n * p * (1 - p));
  const c = 2 * (n + Z95 * Z95);
  return [(a - b) / c, (a + b) / c];
}

describe('wilsonInterval', () => {
  // Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
  // methods. Statistics in Medicine 1998;17:857-872. Table I, method 3 (Wilson score).
  const tableI: [r: number, n: number, lower: number, upper: number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [r, n, lower, upper] of tableI) {
    it(`Newcombe 1998a Table I: ${r}/${n} -> [${lower}, ${upper}]`, () => {
      const interval = wilsonInterval(r, n);
      expect(interval.estimate).toBe(r / n);
      expectFourDecimals(interval.lower, lower);
      expectFourDecimals(interval.upper, upper);
      const [handLower, handUpper] = wilsonByHand(r, n);
      expect(interval.lower).toBeCloseTo(Math.max(0, handLower), 12);
      expect(interval.upper).toBeCloseTo(handUpper, 12);
    });
  }

  it('is exactly 0 at 0/n and exactly 1 at n/n, and always inside [0, 1]', () => {
    expect(wilsonInterval(0, 20).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBe(1);
    // 10/10: the mirror of 0/10, whose upper limit is 0.2775 (Newcombe 1998b, Table II, row h)
    expectFourDecimals(wilsonInterval(10, 10).lower, 1 - 0.2775);
    for (let n = 1; n <= 30; n++) {
      for (let r = 0; r <= n; r++) {
        const { lower, upper, estimate } = wilsonInterval(r, n);
        expect(lower).toBeGreaterThanOrEqual(0);
        expect(upper).toBeLessThanOrEqual(1);
        expect(lower).toBeLessThanOrEqual(estimate);
        expect(upper).toBeGreaterThanOrEqual(estimate);
      }
    }
  });

  it('widens with the confidence level', () => {
    const i90 = wilsonInterval(81, 263, 0.9);
    const i99 = wilsonInterval(81, 263, 0.99);
    expect(i99.upper - i99.lower).toBeGreaterThan(i90.upper - i90.lower);
  });

  it('refuses counts that are not counts', () => {
    expect(() => wilsonInterval(1, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, 1)).toThrow(RangeError);
  });
});

describe('newcombeDifference', () => {
  // Newcombe RG. Interval estimation for the difference between independent proportions:
  // comparison of eleven methods. Statistics in Medicine 1998;17:873-890. Table II, method 10
  // (score interval, no continuity correction), examples (a)-(h), for p1 - p2.
  //
  // Note: rows (c) and (d) were once quoted to us as [0.0381, 0.8259] and [-0.0384, 0.1926].
  // Those are not method 10: the published method-10 values are [0.0582, 0.8062] and
  // [-0.0381, 0.1926], which is also what the square-and-add formula gives by hand below.
  const tableII: [x1: number, n1: number, x2: number, n2: number, lower: number, upper: number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339], // (a)
    [9, 10, 3, 10, 0.1705, 0.809], // (b)
    [6, 7, 2, 7, 0.0582, 0.8062], // (c)
    [5, 56, 0, 29, -0.0381, 0.1926], // (d)
    [0, 10, 0, 20, -0.1611, 0.2775], // (e)
    [0, 10, 0, 10, -0.2775, 0.2775], // (f)
    [10, 10, 0, 20, 0.6791, 1.0], // (g)
    [10, 10, 0, 10, 0.6075, 1.0], // (h)
  ];
  for (const [x1, n1, x2, n2, lower, upper] of tableII) {
    it(`Newcombe 1998b Table II: ${x1}/${n1} - ${x2}/${n2} -> [${lower}, ${upper}]`, () => {
      const result = newcombeDifference(x1, n1, x2, n2);
      expect(result.difference).toBeCloseTo(x1 / n1 - x2 / n2, 14);
      expectFourDecimals(result.lower, lower);
      expectFourDecimals(result.upper, upper);
      // Independent: Newcombe's eq. for method 10, δ - √((p1-l1)² + (u2-p2)²) and
      // δ + √((u1-p1)² + (p2-l2)²), from the hand-written Wilson limits.
      const p1 = x1 / n1;
      const p2 = x2 / n2;
      const [l1, u1] = wilsonByHand(x1, n1).map((v) => Math.min(1, Math.max(0, v))) as [number, number];
      const [l2, u2] = wilsonByHand(x2, n2).map((v) => Math.min(1, Math.max(0, v))) as [number, number];
      expect(result.lower).toBeCloseTo(p1 - p2 - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), 10);
      expect(result.upper).toBeCloseTo(p1 - p2 + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2), 10);
    });
  }

  it('is antisymmetric: swapping the groups mirrors the interval', () => {
    const forward = newcombeDifference(56, 70, 48, 80);
    const backward = newcombeDifference(48, 80, 56, 70);
    expect(backward.lower).toBeCloseTo(-forward.upper, 14);
    expect(backward.upper).toBeCloseTo(-forward.lower, 14);
  });
});

describe('twoProportionZTest and chiSquare2x2', () => {
  it('tea-tasting table [[3,1],[1,3]]: χ² = 8·(9-1)²/4⁴ = 2 by hand, p = erfc(1) (A&S Table 7.1)', () => {
    const result = chiSquare2x2(3, 1, 1, 3);
    expect(result.chiSquare).toBeCloseTo(2, 14);
    expect(result.df).toBe(1);
    expect(result.p).toBeCloseTo(1 - 0.842700792949715, 13);
    const z = twoProportionZTest(3, 4, 1, 4);
    expect(z.z).toBeCloseTo(Math.SQRT2, 14);
    expect(z.p).toBeCloseTo(result.p, 14);
  });

  it('56/70 vs 48/80 by hand: pooled 104/150, z = 0.2 / √(p̄(1-p̄)(1/70+1/80))', () => {
    const pooled = 104 / 150;
    const zByHand = 0.2 / Math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80));
    const { z } = twoProportionZTest(56, 70, 48, 80);
    expect(z).toBeCloseTo(zByHand, 12);
    expect(z).toBeCloseTo(2.6502, 4); // p̄(1-p̄) = 0.212622, × 0.0267857 = 0.0056952, √ = 0.075467
  });

  it('agree with each other: z² = χ² and the same p, over many tables', () => {
    for (const [x1, n1, x2, n2] of [
      [56, 70, 48, 80],
      [9, 10, 3, 10],
      [5, 56, 0, 29],
      [189, 11034, 104, 11037],
      [1, 2, 0, 3],
      [400, 1000, 420, 1000],
    ] as const) {
      const z = twoProportionZTest(x1, n1, x2, n2);
      const chi = chiSquare2x2(x1, n1 - x1, x2, n2 - x2);
      expect(z.z * z.z).toBeCloseTo(chi.chiSquare, 9);
      expect(Math.abs(z.p - chi.p)).toBeLessThanOrEqual(1e-12 + 1e-9 * chi.p);
    }
  });

  it('return no evidence (statistic 0, p = 1) when there is no variation', () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ z: 0, p: 1 });
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ z: 0, p: 1 });
    expect(chiSquare2x2(0, 10, 0, 20)).toEqual({ chiSquare: 0, df: 1, p: 1 });
  });
});

describe('sampleRatioMismatch', () => {
  it('1000 vs 1160 at 50/50: χ² = 2·80²/1080 = 11.851852 by hand, p = 0.000576', () => {
    const result = sampleRatioMismatch([1000, 1160], [50, 50]);
    expect(result.chiSquare).toBeCloseTo(12800 / 1080, 12);
    expect(result.chiSquare).toBeCloseTo(11.851852, 6);
    expect(result.df).toBe(1);
    expect(result.p).toBeCloseTo(0.000576, 6);
    // bracketed by the tabulated critical values 10.828 (α = 0.001) and 12.116 (α = 0.0005)
    expect(result.p).toBeLessThan(0.001);
    expect(result.p).toBeGreaterThan(0.0005);
  });

  it("Kohavi, Tang & Xu, Trustworthy Online Controlled Experiments (2020), ch. 3: 821,588 vs 815,482 -> p ≈ 1.8e-6", () => {
    const result = sampleRatioMismatch([821_588, 815_482], [0.5, 0.5]);
    expect(result.p).toBeGreaterThan(1.75e-6);
    expect(result.p).toBeLessThan(1.85e-6);
  });

  it('three groups: df = 2, where the p-value is exactly exp(-χ²/2)', () => {
    // expected 100 each: χ² = 0 + 20²/100 + 20²/100 = 8
    const result = sampleRatioMismatch([100, 120, 80], [1, 1, 1]);
    expect(result.chiSquare).toBeCloseTo(8, 12);
    expect(result.df).toBe(2);
    expect(result.p).toBeCloseTo(Math.exp(-4), 14);
  });

  it('uses the intended split, not an even one', () => {
    expect(sampleRatioMismatch([2000, 1000], [2, 1]).chiSquare).toBe(0);
    expect(sampleRatioMismatch([0, 0], [1, 1])).toEqual({ chiSquare: 0, df: 1, p: 1 });
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1, 2], [1, 0])).toThrow(RangeError);
  });
});

describe('isSignificant (the product rule: p < 0.05 AND the interval excludes 0)', () => {
  it('needs both conditions', () => {
    expect(isSignificant(0.01, { lower: 0.05, upper: 0.3 })).toBe(true);
    expect(isSignificant(0.01, { lower: -0.3, upper: -0.05 })).toBe(true);
    expect(isSignificant(0.01, { lower: -0.01, upper: 0.3 })).toBe(false);
    expect(isSignificant(0.2, { lower: 0.05, upper: 0.3 })).toBe(false);
    expect(isSignificant(0.05, { lower: 0.05, upper: 0.3 })).toBe(false);
    expect(isSignificant(0.01, { lower: 0, upper: 0.3 })).toBe(false);
  });
});

describe('compareGroups', () => {
  it('Newcombe example (a) 56/70 vs 48/80: Fisher (fewer than 1000 contacts), significant', () => {
    const result = compareGroups(56, 70, 48, 80);
    expect(result.test).toBe('fisher-exact');
    expect(result.p).toBe(fisherExactTwoSided(56, 14, 48, 32));
    expectFourDecimals(result.difference.lower, 0.0524);
    expectFourDecimals(result.difference.upper, 0.3339);
    expect(result.groupA).toMatchObject({ successes: 56, n: 70, estimate: 0.8 });
    expect(result.groupB).toMatchObject({ successes: 48, n: 80, estimate: 0.6 });
    expect(result.p).toBeLessThan(0.05);
    expect(result.significant).toBe(true);
  });

  it('Newcombe example (d) 5/56 vs 0/29: interval spans 0, so not significant', () => {
    const result = compareGroups(5, 56, 0, 29);
    expect(result.test).toBe('fisher-exact');
    expect(result.difference.lower).toBeLessThan(0);
    expect(result.significant).toBe(false);
  });

  it('large groups with expected cells >= 5 use the chi-square test', () => {
    const result = compareGroups(600, 1000, 540, 1000);
    expect(result.test).toBe('chi-square');
    expect(result.p).toBe(chiSquare2x2(600, 400, 540, 460).p);
    expect(result.significant).toBe(true);
  });

  it('large groups with a rare outcome (expected cell < 5) fall back to Fisher', () => {
    // 3 successes among 2000 contacts: expected successes per group 1.5
    expect(compareGroups(3, 1000, 0, 1000).test).toBe('fisher-exact');
  });
});
