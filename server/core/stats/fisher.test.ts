import { describe, expect, it } from 'vitest';
import { fisherExactTwoSided } from './fisher.ts';

// Second, independent computation: enumerate every table with the observed margins using
// exact BigInt binomial coefficients, and sum those no more likely than the observed one.
function binomial(n: number, k: number): bigint {
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}
function fisherByEnumeration(a: number, b: number, c: number, d: number): number {
  const rowA = a + b;
  const rowB = c + d;
  const colSuccess = a + c;
  const kMin = Math.max(0, colSuccess - rowB);
  const kMax = Math.min(rowA, colSuccess);
  // weight(k) = C(rowA, k) · C(rowB, colSuccess - k), stepped exactly from k to k + 1
  const weights: bigint[] = [];
  let left = binomial(rowA, kMin);
  let right = binomial(rowB, colSuccess - kMin);
  for (let k = kMin; k <= kMax; k++) {
    weights.push(left * right);
    left = (left * BigInt(rowA - k)) / BigInt(k + 1);
    const j = colSuccess - k; // right = C(rowB, j) -> C(rowB, j - 1)
    right = j > 0 ? (right * BigInt(j)) / BigInt(rowB - j + 1) : 0n;
  }
  const observed = weights[a - kMin]!;
  let numerator = 0n;
  let denominator = 0n;
  for (const w of weights) {
    denominator += w;
    if (w <= observed) numerator += w;
  }
  const scale = 10n ** 30n;
  return Number((numerator * scale) / denominator) / 1e30;
}

describe('fisherExactTwoSided', () => {
  it('5/8 vs 1/8, table [[5,3],[1,7]]: p = 952/8008 = 0.118881', () => {
    // By hand: margins 8, 8 / 6, 10; P(k) ∝ C(8,k)·C(8,6-k) = 28, 448, 1960, 3136, 1960, 448, 28
    // for k = 0..6 (sum 8008 = C(16,6)); tables no more likely than k = 5: 28+448+448+28 = 952.
    const p = fisherExactTwoSided(5, 3, 1, 7);
    expect(p).toBeCloseTo(952 / 8008, 12);
    expect(p).toBeCloseTo(0.118881, 6);
  });

  it("Fisher's tea-tasting experiment [[3,1],[1,3]]: p = 34/70 = 0.4857", () => {
    // Fisher RA, The Design of Experiments (1935), ch. II; Agresti A, Categorical Data Analysis,
    // 2nd ed. (2002), §3.5.1, Table 3.8: two-sided P = 0.486 (one-sided 0.243).
    // The mirror table [[1,3],[3,1]] is exactly as likely and is counted (a tie).
    const p = fisherExactTwoSided(3, 1, 1, 3);
    expect(p).toBeCloseTo(34 / 70, 12);
    expect(p).toBeCloseTo(0.4857, 4);
  });

  it('Dieting example [[1,9],[11,3]] (Wikipedia, "Fisher\'s exact test", Example): p ≈ 0.002759', () => {
    const p = fisherExactTwoSided(1, 9, 11, 3);
    expect(p).toBeCloseTo(0.002759, 6);
    expect(p).toBeCloseTo(fisherByEnumeration(1, 9, 11, 3), 14);
  });

  it('agrees with exact BigInt enumeration on small and large tables', () => {
    const tables: [number, number, number, number][] = [
      [56, 14, 48, 32],
      [9, 1, 3, 7],
      [5, 51, 0, 29],
      [0, 10, 3, 7],
      [12, 5, 7, 30],
      [500, 500, 450, 550],
      [20, 9980, 40, 9960],
      [5000, 5000, 4850, 5150],
    ];
    for (const [a, b, c, d] of tables) {
      const p = fisherExactTwoSided(a, b, c, d);
      const exact = fisherByEnumeration(a, b, c, d);
      expect(Math.abs(p - exact)).toBeLessThanOrEqual(1e-9 * exact + 1e-15);
    }
  });

  it('is 1 when only one table has these margins, and symmetric under swapping groups', () => {
    expect(fisherExactTwoSided(0, 10, 0, 20)).toBe(1);
    expect(fisherExactTwoSided(10, 0, 20, 0)).toBe(1);
    expect(fisherExactTwoSided(0, 0, 3, 4)).toBe(1);
    expect(fisherExactTwoSided(1, 7, 5, 3)).toBeCloseTo(fisherExactTwoSided(5, 3, 1, 7), 14);
  });

  it('handles totals in the millions, where it approaches the chi-square test', () => {
    // Large-sample theory: with 2 million contacts the exact and asymptotic p-values agree closely
    // (Pearson χ² = N(ad-bc)²/(margins) = 8.0 by hand here, p = 0.00468).
    const p = fisherExactTwoSided(500_000, 500_000, 498_000, 502_000);
    const chiSquare = (2_000_000 * (500_000 * 502_000 - 500_000 * 498_000) ** 2) / (1_000_000 ** 2 * 998_000 * 1_002_000);
    expect(chiSquare).toBeCloseTo(8.000032, 5);
    expect(Math.abs(p - 0.00468) / 0.00468).toBeLessThan(0.01);
    expect(fisherExactTwoSided(0, 1_000_000, 1_000_000, 0)).toBe(0); // below the smallest double
  });

  it('refuses cells that are not counts', () => {
    expect(() => fisherExactTwoSided(-1, 2, 3, 4)).toThrow(RangeError);
    expect(() => fisherExactTwoSided(1.5, 2, 3, 4)).toThrow(RangeError);
  });
});
