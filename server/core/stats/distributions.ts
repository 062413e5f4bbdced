// Probability distributions the tests in this folder need: the standard normal (CDF and
// quantile) and the chi-square upper tail. No dependencies, so the numbers a trial report
// shows can be traced to the formulas here and to the published tables in the tests.
//
// Everything rests on one routine, the regularized incomplete gamma function, evaluated by
// the series / continued fraction of Numerical Recipes (Press et al., 3rd ed., §6.2). The
// normal CDF uses erfc(x) = Q(1/2, x²), which keeps full relative precision in the far tail
// (a p-value of 1e-20 stays 1e-20 instead of becoming 1 - 1 = 0).

const MAX_ITERATIONS = 10_000;
const EPSILON = 1e-16;
const TINY = 1e-300;
const LN_SQRT_PI = 0.5723649429247001; // ln Γ(1/2) = ln √π
const SQRT_2PI = 2.5066282746310002;

// Lanczos coefficients (g = 607/128, 15 terms) as published in Numerical Recipes, 3rd ed.,
// §6.1 (`gammln`); relative error below 1e-15 for x > 0.
const LANCZOS = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
  0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
  -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4,
  -0.261908384015814087e-4, 0.368991826595316234e-5,
];

/** ln Γ(x) for x > 0 (Lanczos). Used for the incomplete gamma prefactor and log-factorials. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x === 0.5) return LN_SQRT_PI;
  let y = x;
  let tmp = x + 5.2421875;
  tmp = (x + 0.5) * Math.log(tmp) - tmp;
  let series = 0.999999999999997092;
  for (const c of LANCZOS) series += c / ++y;
  return tmp + Math.log((SQRT_2PI * series) / x);
}

// Exact-by-summation table for small n keeps Fisher's test on small trials free of any
// approximation error; Stirling's series takes over where it is accurate to ~1e-16.
const LOG_FACTORIAL_TABLE: number[] = (() => {
  const table = [0];
  for (let i = 1; i <= 256; i++) table.push(table[i - 1]! + Math.log(i));
  return table;
})();

/** ln(n!) for a non-negative integer n; stable for n in the millions (no overflow). */
export function logFactorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`logFactorial needs a non-negative integer, got ${n}`);
  const exact = LOG_FACTORIAL_TABLE[n];
  if (exact !== undefined) return exact;
  // Stirling series for ln Γ(n+1); the first omitted term is below 1e-20 for n > 256.
  const inv = 1 / n;
  const inv2 = inv * inv;
  return (
    n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  );
}

function gammaSeriesP(a: number, x: number): number {
  // P(a, x) = x^a e^-x / Γ(a+1) · Σ x^n / ((a+1)…(a+n)); converges fast for x < a + 1.
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFractionQ(a: number, x: number): number {
  // Q(a, x) by the modified Lentz continued fraction; converges fast for x >= a + 1.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedGammaP needs a > 0 and x >= 0, got a=${a}, x=${x}`);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeriesP(a, x) : 1 - gammaContinuedFractionQ(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly in the tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedGammaQ needs a > 0 and x >= 0, got a=${a}, x=${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeriesP(a, x) : gammaContinuedFractionQ(a, x);
}

/** Complementary error function erfc(x) = 1 - erf(x), full relative precision for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return 1;
  const q = regularizedGammaQ(0.5, x * x);
  return x > 0 ? q : 2 - q;
}

/** Standard normal CDF Φ(x); accurate to ~1e-15 relative, including far tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Upper tail of the standard normal, 1 - Φ(x), without cancellation for large x. */
export function normalUpperTail(x: number): number {
  return normalCdf(-x);
}

// Acklam's rational approximation (relative error 1.15e-9), then one Halley step against
// the accurate CDF above, which brings it to full double precision.
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: number[], x: number): number {
  let result = 0;
  for (const c of coefficients) result = result * x + c;
  return result;
}

/** Standard normal quantile Φ⁻¹(p), e.g. 1.959964 for p = 0.975 (the z of a 95% interval). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs 0 <= p <= 1, got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const pLow = 0.02425;
  let x: number;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    x = (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  // Halley refinement; compare in the tail that keeps precision.
  const e = x < 0 ? normalCdf(x) - p : -(normalUpperTail(x) - (1 - p));
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Upper tail of the chi-square distribution, P(X >= x) with df degrees of freedom: the p-value. */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareUpperTail needs df > 0, got ${df}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
