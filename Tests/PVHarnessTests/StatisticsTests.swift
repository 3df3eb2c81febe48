import Testing
@testable import PVHost
@testable import PVResults
@testable import PVExperiments

@Suite("Latency recording and repetition statistics")
struct StatisticsTests {
    let ns = TickConversion(frequencyHz: 1e9)   // 1 tick = 1 ns keeps expectations exact

    @Test("batch samples record the per-operation cost, rounded")
    func batchSample() {
        var r = LatencyRecorder(conversion: ns)
        r.recordBatch(startTicks: 1_000, endTicks: 1_000 + 10_050, operations: 1_000)   // 10.05 ns/op → 10
        r.recordBatch(startTicks: 0, endTicks: 100, operations: 0)                       // ignored
        #expect(r.count == 1)
        #expect(r.samples.max == 10)
    }

    @Test("recording never resizes: too-large values are counted as overflows")
    func noResize() {
        var r = LatencyRecorder(conversion: ns, highestTrackableNanoseconds: 1_000_000)
        let footprint = r.footprintBytes
        for v in stride(from: UInt64(1), to: 1_000_000, by: 997) { r.record(nanoseconds: v) }
        r.record(nanoseconds: 50_000_000_000)
        r.record(ticks: 9_000_000_000)
        #expect(r.footprintBytes == footprint)
        #expect(r.overflowCount == 2)
        #expect(r.count == UInt64((1 ..< 1_000_000).count { ($0 - 1) % 997 == 0 }))
    }

    @Test("merging per-thread recorders keeps every sample and the right percentiles")
    func merge() {
        var a = LatencyRecorder(conversion: ns)
        var b = LatencyRecorder(conversion: ns)
        for v in UInt64(1) ... 500 { a.record(nanoseconds: v) }
        for v in UInt64(501) ... 1_000 { b.record(nanoseconds: v) }
        b.record(nanoseconds: .max / 4)   // overflow
        let d = LatencyDistribution(merging: [a, b])
        #expect(d.count == 1_000)
        #expect(d.overflowCount == 1)
        #expect(d.min == 1)
        #expect(d.max == 1_000)
        #expect(d.percentile(50) == 500)
        #expect(d.percentile(99) == 990)
        #expect(abs(d.mean - 500.5) < 0.5)
        let c = d.counters(prefix: "read_")
        #expect(c["read_p50_ns"] == 500)
        #expect(c["read_p99_ns"] == 990)
        #expect(c["read_samples"] == 1_000)
        #expect(c["read_overflows"] == 1)
        #expect(d.cumulativeDistribution().last?.fraction == 1)
    }

    @Test("the p50 spread over the counter's step moves with the share of samples on each side; the plain p50 jumps")
    func interpolatedMedian() throws {
        func split(_ atLow: Int, of total: Int) -> LatencyDistribution {
            var r = LatencyRecorder(conversion: ns)
            for i in 0 ..< total { r.record(nanoseconds: i < atLow ? 50 : 55) }
            return LatencyDistribution(merging: [r])
        }
        // Half round trips on a 10 ns counter: 50 or 55 ns.
        let (mostlyLow, even, mostlyHigh) = (split(750, of: 1_000), split(500, of: 1_000), split(250, of: 1_000))
        #expect(mostlyLow.percentile(50) == 50 && even.percentile(50) == 50 && mostlyHigh.percentile(50) == 55)
        let low = try #require(mostlyLow.interpolatedPercentile(50, width: 5))
        let mid = try #require(even.interpolatedPercentile(50, width: 5))
        let high = try #require(mostlyHigh.interpolatedPercentile(50, width: 5))
        #expect(abs(low - (47.5 + 0.5 / 0.75 * 5)) < 1e-3)
        #expect(abs(mid - 52.5) < 1e-3)
        #expect(abs(high - (52.5 + 0.25 / 0.75 * 5)) < 1e-3)
        // One value: that value; a width under the recorder's 1 ns is taken as 1 ns.
        let one = split(10, of: 10)
        #expect(one.interpolatedPercentile(50, width: 5) == 50 && one.interpolatedPercentile(50, width: 0.2) == 50)
        #expect(abs(try #require(split(1, of: 2).interpolatedPercentile(50, width: 0)) - 50.5) < 1e-3)
        #expect(LatencyDistribution().interpolatedPercentile(50, width: 5) == nil)
        // The counter only with a step.
        #expect(even.counters(prefix: "x_")["x_p50_interpolated_ns"] == nil)
        #expect(abs(try #require(even.counters(prefix: "x_", step: 5)["x_p50_interpolated_ns"]) - 52.5) < 1e-3)
    }

    @Test("an empty distribution reports no percentiles rather than zeros")
    func emptyDistribution() {
        let d = LatencyDistribution(merging: [LatencyRecorder(conversion: ns)])
        #expect(d.isEmpty)
        #expect(d.counters().isEmpty)
    }

    @Test("repetition summary: median, min, max, mean, sample stddev, CV")
    func repetitions() throws {
        let s = try #require(RepetitionSummary([10, 12, 11, 14]))
        #expect(s.count == 4)
        #expect(s.median == 11.5)
        #expect(s.min == 10)
        #expect(s.max == 14)
        #expect(s.mean == 11.75)
        // sample variance: (3.0625 + 0.0625 + 0.5625 + 5.0625) / 3 = 2.9166…
        #expect(abs(s.standardDeviation - (8.75 / 3).squareRoot()) < 1e-12)
        #expect(abs(s.coefficientOfVariation! - (8.75 / 3).squareRoot() / 11.75) < 1e-12)
        #expect(s.spreadIsLarge())   // CV ≈ 14.5 %
        #expect(s.spreadWarning(figure: "reads_per_second")?.contains("reads_per_second varies by 14.5%") == true)

        let tight = try #require(RepetitionSummary([100, 101, 99]))
        #expect(tight.median == 100)
        #expect(!tight.spreadIsLarge())
        #expect(tight.spreadWarning(figure: "x") == nil)

        let one = try #require(RepetitionSummary([7]))
        #expect(one.standardDeviation == 0 && one.coefficientOfVariation == 0)

        #expect(RepetitionSummary([]) == nil)
        #expect(RepetitionSummary([1, .nan]) == nil)
        let zero = try #require(RepetitionSummary([0, 0]))
        #expect(zero.coefficientOfVariation == nil && !zero.spreadIsLarge())
    }

    @Test("harness overhead: ratio, fraction and the 3% limit")
    func overheadArithmetic() {
        let ok = HarnessOverhead(instrumentedNanosecondsPerOperation: 1.02, uninstrumentedNanosecondsPerOperation: 1.0)
        #expect(abs(ok.fraction - 0.02) < 1e-12)
        #expect(!ok.exceedsLimit)
        let bad = HarnessOverhead(instrumentedNanosecondsPerOperation: 1.05, uninstrumentedNanosecondsPerOperation: 1.0)
        #expect(bad.exceedsLimit)
        #expect(bad.summary.contains("above the 3.0% limit"))
    }

    @Test("harness overhead is measured from two real loops")
    func overheadMeasured() throws {
        let clock = try CycleClock.calibrate(windows: 1, windowNanoseconds: 1_000_000)
        let o = HarnessOverhead.measure(
            clock: clock, operations: 200_000, repetitions: 3,
            instrumented: { n in
                var r = LatencyRecorder(conversion: clock.conversion)
                var sink = 0
                var i = 0
                while i < n {
                    let t0 = CycleClock.now()
                    for _ in 0 ..< 1_000 { sink &+= i; i += 1 }
                    r.recordBatch(startTicks: t0, endTicks: CycleClock.now(), operations: 1_000)
                }
                withExtendedLifetime(sink) {}
            },
            uninstrumented: { n in
                var sink = 0
                for i in 0 ..< n { sink &+= i }
                withExtendedLifetime(sink) {}
            })
        #expect(o.instrumentedNanosecondsPerOperation > 0 && o.uninstrumentedNanosecondsPerOperation > 0)
        print("overhead of per-1000-op sampling on a trivial loop: \(o.summary)")
    }
}
