import Testing
import PVResults
import PVTestSupport

/// The two-sided U-test p-value by brute force: every way to split the pooled
/// sample into groups of the two sizes, counting those at least as extreme.
func permutationPValue(_ a: [Double], _ b: [Double]) -> Double {
    let pooled = a + b
    let n1 = a.count
    func u(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for p in x { for q in y { s += p > q ? 1 : (p == q ? 0.5 : 0) } }
        return s
    }
    let mean = Double(a.count * b.count) / 2
    let observed = abs(u(a, b) - mean)
    var extreme = 0, total = 0
    func choose(_ start: Int, _ picked: [Int]) {
        if picked.count == n1 {
            let x = picked.map { pooled[$0] }
            let y = pooled.indices.filter { !picked.contains($0) }.map { pooled[$0] }
            total += 1
            if abs(u(x, y) - mean) >= observed - 1e-9 { extreme += 1 }
            return
        }
        guard start < pooled.count else { return }
        for i in start ..< pooled.count { choose(i + 1, picked + [i]) }
    }
    choose(0, [])
    return Double(extreme) / Double(total)
}

@Suite("Sample statistics: median CI, Mann-Whitney U, Holm")
struct SampleStatisticsTests {
    @Test("order-statistic interval of the median: ranks and coverage from the binomial")
    func medianInterval() throws {
        let nine = try #require(SampleStatistics.medianInterval([9, 1, 8, 2, 7, 3, 6, 4, 5]))
        #expect(nine.lowRank == 2 && nine.highRank == 8 && nine.low == 2 && nine.high == 8)
        #expect(abs(nine.coverage - 492.0 / 512) < 1e-12)  // 1 - 2 (1 + 9) / 2^9
        let six = try #require(SampleStatistics.medianInterval([1, 2, 3, 4, 5, 6]))
        #expect(six.lowRank == 1 && six.highRank == 6 && abs(six.coverage - 62.0 / 64) < 1e-12)
        #expect(SampleStatistics.medianInterval([1, 2, 3, 4, 5]) == nil)  // 1 - 2/32 < 95 %
        let twenty = try #require(SampleStatistics.medianInterval((1 ... 20).map(Double.init)))
        #expect(twenty.lowRank == 6 && twenty.highRank == 15)  // P(Bin(20,½) ≤ 5) = 0.0207
        #expect(SampleStatistics.median([3, 1, 2]) == 2 && SampleStatistics.median([4, 1, 3, 2]) == 2.5)
    }

    @Test("U test: exact p-values by hand, and against brute-force permutation with and without ties")
    func mannWhitney() throws {
        let a = try #require(SampleStatistics.mannWhitneyU([1, 2, 3], [4, 5, 6]))
        #expect(a.u == 0 && abs(a.pValue - 0.1) < 1e-12 && a.exact)  // 2 / C(6,3)
        let b = try #require(SampleStatistics.mannWhitneyU((1 ... 10).map(Double.init), (11 ... 20).map(Double.init)))
        #expect(abs(b.pValue - 2.0 / 184_756) < 1e-15)  // 2 / C(20,10)
        var g = SeededGenerator(seed: 21)
        for _ in 0 ..< 40 {
            let x = (0 ..< Int.random(in: 2 ... 6, using: &g)).map { _ in Double(Int.random(in: 0 ... 40, using: &g)) }
            let y = (0 ..< Int.random(in: 2 ... 6, using: &g)).map { _ in Double(Int.random(in: 0 ... 40, using: &g)) + 3 }
            let r = try #require(SampleStatistics.mannWhitneyU(x, y))
            if r.exact { #expect(abs(r.pValue - permutationPValue(x, y)) < 1e-9, "\(x) \(y)") }
        }
        // With ties the normal approximation: SciPy 1.x mannwhitneyu(..., alternative='two-sided') gives this.
        let t = try #require(SampleStatistics.mannWhitneyU([1, 2, 2, 3, 4, 5, 6, 7, 8, 9], [2, 5, 6, 7, 8, 9, 10, 11, 12, 13]))
        #expect(!t.exact && t.u == 20.5 && abs(t.pValue - 0.027831807934687893) < 1e-12)
        #expect(SampleStatistics.mannWhitneyU([], [1]) == nil)
        #expect(try #require(SampleStatistics.mannWhitneyU([1, 1, 1], [1, 1, 1])).pValue == 1)
    }

    @Test("Holm-Bonferroni: step-down adjusted p-values")
    func holm() {
        let adjusted = SampleStatistics.holmAdjusted([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (x, y) in zip(adjusted, expected) { #expect(abs(x - y) < 1e-12) }
        #expect(SampleStatistics.holmAdjusted([]) == [])
        #expect(SampleStatistics.holmAdjusted([0.9, 0.8]) == [1, 1])
    }
}
