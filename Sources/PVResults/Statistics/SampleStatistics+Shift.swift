import Foundation

extension SampleStatistics {
    /// The smallest two-sided p-value the Mann-Whitney U test can give for
    /// samples of `n1` and `n2` values: both samples fully separated,
    /// `2 / C(n1 + n2, n1)` (ties only raise it). A case whose smallest
    /// possible p-value is not below α cannot be found different whatever
    /// it measured: 3 against 3 repetitions give at best 0.1.
    public static func smallestPValue(_ n1: Int, _ n2: Int) -> Double {
        guard n1 > 0, n2 > 0 else { return 1 }
        let logChoose = lgamma(Double(n1 + n2 + 1)) - lgamma(Double(n1 + 1)) - lgamma(Double(n2 + 1))
        return min(1, 2 * exp(-logChoose))
    }

    /// The Hodges-Lehmann shift of `b` against `a` (the median of all
    /// differences `b[j] - a[i]`) with its distribution-free confidence
    /// interval (Moses): `[D(k), D(N+1-k)]` of the N = n1·n2 sorted
    /// differences, `k - 1` the largest count with P(U ≤ k - 1) ≤ (1 - level)/2
    /// under the U statistic's null distribution (exact up to 30 values a
    /// side, normal beyond). It is the interval that goes with the U test: it
    /// excludes 0 about when the test rejects. Nil when the samples are too
    /// small for any interval at `level` (3 against 3 at 95 %). Samples
    /// larger than `maxPerSide` are thinned to that many evenly spaced order
    /// statistics first, which keeps N bounded (the interval is then
    /// approximate).
    public static func shiftInterval(_ a: [Double], _ b: [Double], level: Double = 0.95,
                                     maxPerSide: Int = 1000) -> ShiftInterval?
    {
        let x = thinned(a.sorted(), to: maxPerSide), y = thinned(b.sorted(), to: maxPerSide)
        let n1 = x.count, n2 = y.count
        guard n1 > 0, n2 > 0 else { return nil }
        var differences: [Double] = []
        differences.reserveCapacity(n1 * n2)
        for q in y { for p in x { differences.append(q - p) } }
        differences.sort()
        let total = n1 * n2
        let tail = (1 - level) / 2
        // k: how many differences to cut from each end.
        var k = 0
        if n1 <= 30, n2 <= 30 {
            let distribution = exactUDistribution(n1, n2)
            let all = distribution.reduce(0, +)
            var cumulative = 0.0
            while k < distribution.count {
                cumulative += distribution[k]
                if cumulative / all > tail { break }
                k += 1
            }
        } else {
            let sd = (Double(total) * Double(n1 + n2 + 1) / 12).squareRoot()
            k = max(0, Int((Double(total) / 2 - 1.959963984540054 * sd).rounded(.down)))
        }
        guard k >= 1, k <= total - k else { return nil }
        let coverage: Double
        if n1 <= 30, n2 <= 30 {
            let distribution = exactUDistribution(n1, n2)
            coverage = 1 - 2 * distribution[0 ..< k].reduce(0, +) / distribution.reduce(0, +)
        } else {
            coverage = level
        }
        let m = differences.count / 2
        let estimate = differences.count.isMultiple(of: 2) ? (differences[m - 1] + differences[m]) / 2 : differences[m]
        return ShiftInterval(estimate: estimate, low: differences[k - 1], high: differences[total - k], coverage: coverage)
    }

    /// `sorted` reduced to at most `limit` evenly spaced order statistics.
    static func thinned(_ sorted: [Double], to limit: Int) -> [Double] {
        guard sorted.count > limit, limit > 1 else { return sorted }
        return (0 ..< limit).map { sorted[Int((Double($0) * Double(sorted.count - 1) / Double(limit - 1)).rounded())] }
    }
}

/// A location shift between two samples with its confidence interval.
public struct ShiftInterval: Sendable, Codable, Equatable {
    /// The Hodges-Lehmann estimate: the median of the pairwise differences.
    public var estimate: Double
    public var low: Double
    public var high: Double
    /// The probability that the interval covers the true shift.
    public var coverage: Double
}
