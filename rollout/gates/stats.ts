/**
 * The small statistics the health gates need, exact where counts are small.
 *
 * Rates are compared with the conditional test for two Poisson rates: given n events in total
 * over exposures e1 (new version) and e0 (old version), the count on the new version is
 * Binomial(n, e1 / (e1 + e0)) when both run at the same rate. Its upper tail is the p-value of
 * "the new version's rate is higher". It needs no estimate of the base rate, which matters when
 * the base rate is close to zero (crashes inside content).
 */

/** log(n!) by summation up to 256, Stirling's series beyond (exact enough for tails). */
const LOG_FACT: number[] = [0];
for (let i = 1; i <= 256; i++) LOG_FACT[i] = LOG_FACT[i - 1]! + Math.log(i);

export function logFactorial(n: number): number {
  if (n <= 256) return LOG_FACT[n]!;
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(logFactorial(n) - logFactorial(i) - logFactorial(n - i) + i * lp + (n - i) * lq);
    sum += term;
    if (term < sum * 1e-15) break;
  }
  return Math.min(1, sum);
}

export interface RateComparison {
  /** Events on the new version and on the old one. */
  xNew: number;
  xOld: number;
  /** Exposure (host-hours) on each. */
  eNew: number;
  eOld: number;
  /** Rate on the new version divided by the rate on the old (Infinity when the old saw none). */
  ratio: number;
  /** One-sided p-value of "new is higher". */
  p: number;
}

export function compareRates(xNew: number, eNew: number, xOld: number, eOld: number): RateComparison {
  const n = xNew + xOld;
  const share = eNew + eOld > 0 ? eNew / (eNew + eOld) : 0;
  const p = n === 0 || eNew === 0 ? 1 : eOld === 0 ? 1 : binomialUpperTail(xNew, n, share);
  const rNew = eNew > 0 ? xNew / eNew : 0;
  const rOld = eOld > 0 ? xOld / eOld : 0;
  const ratio = rOld > 0 ? rNew / rOld : rNew > 0 ? Infinity : 1;
  return { xNew, xOld, eNew, eOld, ratio, p };
}

/** Running mean and variance (Welford), mergeable. */
export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;

  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }

  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : 0;
  }
}

export interface MeanShift {
  /** Weighted mean difference new - old, over the groups where both sides have hosts. */
  diff: number;
  /** Its standard error. */
  se: number;
  /** Mean of the old side over the same groups (the base for a relative shift). */
  base: number;
  /** New-side hosts in the compared groups. */
  n: number;
}

/**
 * Difference of means stratified by group (hardware and OS differ in their CPU and memory use,
 * so a canary ring rich in one group must not look like a regression). Groups are weighted by
 * their number of new-side hosts; each group's variance is Welch's.
 */
export function stratifiedShift(groups: Iterable<{ fresh: Moments; old: Moments }>, minOldPerGroup = 5): MeanShift {
  let w = 0;
  let diff = 0;
  let varSum = 0;
  let base = 0;
  for (const { fresh, old } of groups) {
    if (fresh.n === 0 || old.n < minOldPerGroup) continue;
    const wi = fresh.n;
    w += wi;
    diff += wi * (fresh.mean - old.mean);
    base += wi * old.mean;
    // A lone new-side host has no variance of its own: borrow the old side's.
    const vNew = fresh.n > 1 ? fresh.variance : old.variance;
    varSum += wi * wi * (vNew / fresh.n + old.variance / old.n);
  }
  if (w === 0) return { diff: 0, se: Infinity, base: 0, n: 0 };
  return { diff: diff / w, se: Math.sqrt(varSum) / w, base: base / w, n: w };
}
