import Foundation

/// Small-sample statistics for repeated benchmark measurements: a
/// distribution-free confidence interval for the median, the two-sided
/// Mann-Whitney U test (the test google-benchmark's compare.py applies) and
/// Holm-Bonferroni correction across many such tests.
public enum SampleStatistics {
    /// The median of `values` (mean of the two middle ones for an even count).
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let m = s.count / 2
        return s.count.isMultiple(of: 2) ? (s[m - 1] + s[m]) / 2 : s[m]
    }

    /// An order-statistic confidence interval for the median: `[x(l), x(n+1-l)]`
    /// of the sorted sample, with `l` the largest rank whose interval still
    /// covers the median with probability at least `level` (the binomial
    /// argument: the median lies below x(l) only if fewer than `l` of the `n`
    /// values fall below it, probability P(Bin(n, ½) < l)). Distribution-free;
    /// for n = 9 it is [x(2), x(8)] (96.1 %). Nil when `n` is too small for
    /// any interval to reach `level` (n < 6 at 95 %).
    public static func medianInterval(_ values: [Double], level: Double = 0.95) -> MedianInterval? {
        let n = values.count
        guard n > 0 else { return nil }
        let sorted = values.sorted()
        // cumulative[k] = P(Bin(n, 1/2) <= k)
        var cumulative: [Double] = []
        var term = pow2(-Double(n))  // C(n, 0) / 2^n
        var total = 0.0
        for k in 0 ... n {
            if k > 0 { term *= Double(n - k + 1) / Double(k) }
            total += term
            cumulative.append(total)
        }
        var best: Int?
        var l = 1
        while l <= (n + 1) / 2 {
            let coverage = 1 - 2 * cumulative[l - 1]
            if coverage >= level { best = l } else { break }
            l += 1
        }
        guard let l = best else { return nil }
        return MedianInterval(low: sorted[l - 1], high: sorted[n - l], lowRank: l, highRank: n + 1 - l,
                              coverage: 1 - 2 * cumulative[l - 1])
    }

    /// The two-sided Mann-Whitney U test of `a` against `b`: the p-value of
    /// the hypothesis that neither tends to be larger. Ties get midranks.
    /// Exact (the null distribution of U by counting) when there are no ties
    /// and both samples have at most 30 values, otherwise the normal
    /// approximation with tie and continuity correction, as SciPy's
    /// `mannwhitneyu(..., alternative='two-sided')` does. Nil for an empty sample.
    public static func mannWhitneyU(_ a: [Double], _ b: [Double]) -> MannWhitneyResult? {
        let n1 = a.count, n2 = b.count
        guard n1 > 0, n2 > 0 else { return nil }
        // Midranks over the pooled sample.
        let pooled = (a.map { ($0, 0) } + b.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var ranks = [Double](repeating: 0, count: pooled.count)
        var tieTerm = 0.0  // sum of t^3 - t over tie groups
        var i = 0
        var ties = false
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count, pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let rank = Double(i + j + 2) / 2  // ranks are 1-based
            for k in i ... j { ranks[k] = rank }
            let t = Double(j - i + 1)
            if t > 1 { ties = true; tieTerm += t * t * t - t }
            i = j + 1
        }
        var r1 = 0.0
        for (k, entry) in pooled.enumerated() where entry.1 == 0 { r1 += ranks[k] }
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let u = min(u1, u2)
        let p: Double
        let exact = !ties && n1 <= 30 && n2 <= 30
        if exact {
            // counts[m][k] over sizes: number of ways to get U = k; built by the
            // recurrence N(m, n, k) = N(m-1, n, k-n) + N(m, n-1, k).
            let distribution = exactUDistribution(n1, n2)
            let total = distribution.reduce(0, +)
            let upTo = Int(u.rounded(.down))
            var tail = 0.0
            for k in 0 ... upTo { tail += distribution[k] }
            p = min(1, 2 * tail / total)
        } else {
            let mean = Double(n1 * n2) / 2
            let n = Double(n1 + n2)
            let variance = Double(n1 * n2) / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
            if variance <= 0 {
                p = 1
            } else {
                let z = (abs(u1 - mean) - 0.5) / variance.squareRoot()
                p = min(1, 2 * normalUpperTail(max(0, z)))
            }
        }
        return MannWhitneyResult(u: u1, pValue: p, exact: exact)
    }

    /// Holm-Bonferroni adjusted p-values, in the order given: the i-th
    /// smallest p times (m - i + 1), made monotone, capped at 1. A test is
    /// significant at family-wise level α when its adjusted p-value is below α.
    public static func holmAdjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (i, index) in order.enumerated() {
            running = max(running, min(1, Double(m - i) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Ways to reach each U = 0 ... n1·n2 with two samples of n1 and n2 distinct values.
    static func exactUDistribution(_ n1: Int, _ n2: Int) -> [Double] {
        // f[m][n] is the distribution for sizes m, n; build row by row.
        var previous = [[Double]](repeating: [1], count: n2 + 1)  // m = 0: U is 0 whatever n
        if n1 == 0 { return previous[n2] }
        for m in 1 ... n1 {
            var current = [[Double]](repeating: [], count: n2 + 1)
            current[0] = [1]
            for n in 1 ... max(1, n2) where n <= n2 {
                var d = [Double](repeating: 0, count: m * n + 1)
                // The largest value is from the first sample (adds n to U) or the second.
                for (k, c) in previous[n].enumerated() { d[k + n] += c }
                for (k, c) in current[n - 1].enumerated() { d[k] += c }
                current[n] = d
            }
            previous = current
        }
        return previous[n2]
    }

    /// P(Z > z) for a standard normal Z (complementary error function).
    static func normalUpperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    static func pow2(_ x: Double) -> Double { exp2(x) }
}

/// An order-statistic interval for a median, with its ranks and coverage.
public struct MedianInterval: Sendable, Codable, Equatable {
    public var low: Double
    public var high: Double
    /// 1-based ranks in the sorted sample: `low` is x(lowRank), `high` x(highRank).
    public var lowRank: Int
    public var highRank: Int
    /// The probability that the interval covers the true median (≥ the level asked).
    public var coverage: Double
}

/// The outcome of a two-sided Mann-Whitney U test.
public struct MannWhitneyResult: Sendable, Codable, Equatable {
    /// U of the first sample (the number of (a, b) pairs with a > b, ties ½).
    public var u: Double
    public var pValue: Double
    /// Whether the p-value is exact rather than the normal approximation.
    public var exact: Bool
}
