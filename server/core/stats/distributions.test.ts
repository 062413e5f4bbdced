import { describe, expect, it } from 'vitest';
import {
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

/** |actual - expected| <= relative · |expected| */
function expectRelative(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));
}

// A second, independent computation: Abramowitz & Stegun (1964) formula 7.1.26, a rational
// approximation of erf with |error| <= 1.5e-7. It shares nothing with the code under test.
function erfcAbramowitzStegun(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const value = poly * Math.exp(-x * x);
  return x >= 0 ? value : 2 - value;
}

describe('logGamma and logFactorial', () => {
  it('match exact factorials and Γ(1/2) = √π', () => {
    // Γ(n+1) = n!, exact integers; Γ(1/2) = √π (any table of the gamma function, e.g. A&S 6.1.8)
    expectRelative(logGamma(10), Math.log(362880), 1e-15);
    expectRelative(logGamma(21), Math.log(2432902008176640000), 1e-15);
    expectRelative(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-15);
    expectRelative(logGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2), 1e-13);
    expect(logFactorial(0)).toBe(0);
    expectRelative(logFactorial(20), Math.log(2432902008176640000), 1e-15);
  });

  it('agree across the table/Stirling boundary and for large n', () => {
    // Independent: plain summation of ln i (rounding error grows ~ n·eps, well under 1e-12 here).
    for (const n of [255, 256, 257, 1000, 100_000]) {
      let sum = 0;
      for (let i = 2; i <= n; i++) sum += Math.log(i);
      expectRelative(logFactorial(n), sum, 1e-12);
      expectRelative(logGamma(n + 1), sum, 1e-12);
    }
  });

  it('refuses non-integer or negative factorials', () => {
    expect(() => logFactorial(-1)).toThrow(RangeError);
    expect(() => logFactorial(2.5)).toThrow(RangeError);
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe('normal distribution', () => {
  it('normalCdf matches Abramowitz & Stegun Table 26.1 (Φ to 15 decimals)', () => {
    // A&S (1964) Table 26.1, "Normal probability function and derivatives", P(x):
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.841344746068543, 14);
    expect(normalCdf(1.96)).toBeCloseTo(0.97500210485178, 14);
    expect(normalCdf(2)).toBeCloseTo(0.977249868051821, 14);
    expect(normalCdf(-1)).toBeCloseTo(1 - 0.841344746068543, 14);
  });

  it('agrees with the independent A&S 7.1.26 erfc approximation everywhere', () => {
    for (let x = -6; x <= 6; x += 0.25) {
      expect(Math.abs(normalCdf(x) - 0.5 * erfcAbramowitzStegun(-x / Math.SQRT2))).toBeLessThan(1.5e-7);
    }
    expect(erfc(1)).toBeCloseTo(1 - 0.842700792949715, 14); // A&S Table 7.1: erf(1) = 0.842700792949715
  });

  it('keeps relative precision in the far tail (A&S 26.2.12 asymptotic series)', () => {
    // Q(x) ~ φ(x)/x · (1 - 1/x² + 3/x⁴ - 15/x⁶ + 105/x⁸ - 945/x¹⁰), error below the last term used.
    for (const x of [8, 10, 20, 30]) {
      const phi = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
      const x2 = x * x;
      const series = (phi / x) * (1 - 1 / x2 + 3 / x2 ** 2 - 15 / x2 ** 3 + 105 / x2 ** 4 - 945 / x2 ** 5);
      // exp(-x²/2) itself carries a relative rounding error of about (x²/2)·eps, on both sides
      expectRelative(normalUpperTail(x), series, 10395 / x2 ** 6 + 1e-12);
      expectRelative(normalCdf(-x), series, 10395 / x2 ** 6 + 1e-12);
    }
  });

  it('normalQuantile matches the published percentage points of the normal distribution (A&S ch. 26)', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829303548901, 13);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853626951472, 13);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });

  it('normalQuantile inverts normalCdf to full precision, tails included', () => {
    for (const p of [1e-300, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-10]) {
      const x = normalQuantile(p);
      if (p < 0.5) expectRelative(normalCdf(x), p, 1e-12);
      else expectRelative(normalUpperTail(x), 1 - p, 1e-6); // 1 - p itself carries the rounding of p
    }
  });
});

describe('chi-square upper tail', () => {
  it('gives α at the tabulated critical values (NIST/SEMATECH e-Handbook §1.3.6.7.4)', () => {
    // Critical values of the chi-square distribution, upper-tail probability α.
    const table: [df: number, critical: number, alpha: number][] = [
      [1, 3.841, 0.05],
      [1, 6.635, 0.01],
      [1, 10.828, 0.001],
      [2, 5.991, 0.05],
      [2, 13.816, 0.001],
      [10, 18.307, 0.05],
      [30, 43.773, 0.05],
    ];
    for (const [df, critical, alpha] of table) {
      // critical values are printed to 3 decimals, so compare p to about 3 significant figures
      expectRelative(chiSquareUpperTail(critical, df), alpha, 2e-3);
    }
  });

  it('matches closed forms: df = 2 is exp(-x/2); df = 1 is erfc(√(x/2))', () => {
    for (const x of [0.1, 1, 4, 20, 100, 700]) {
      expectRelative(chiSquareUpperTail(x, 2), Math.exp(-x / 2), 1e-13);
    }
    // x = 2, df = 1: erfc(1), A&S Table 7.1
    expect(chiSquareUpperTail(2, 1)).toBeCloseTo(1 - 0.842700792949715, 14);
    expect(chiSquareUpperTail(0, 3)).toBe(1);
    expect(regularizedGammaP(3, 5) + regularizedGammaQ(3, 5)).toBeCloseTo(1, 15);
  });
});
