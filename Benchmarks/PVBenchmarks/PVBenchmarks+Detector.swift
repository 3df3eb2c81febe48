import Benchmark
import PVRuntime

/// `detector/<mode>/<target>`: the per-read check on values a writer could
/// have written, advancing by one write every 8 reads (readers mostly see
/// the same value again, as in a real run).
func registerDetectorBenchmarks() {
    for mode in DetectorMode.allCases {
        registerDetector(StolenTimeRecordTarget.self, mode: mode)
        registerDetector(StolenTimeFieldTarget.self, mode: mode)
        registerDetector(PreemptedFlagTarget.self, mode: mode)
    }
}

func registerDetector<T: SharedTarget>(_: T.Type, mode: DetectorMode) {
    // One value per 8 reads for a million reads, precomputed outside the measurement.
    var values: [T.Value] = []
    for n in 1 ... (1 << 20) / 8 as ClosedRange<UInt64> {
        values.append(TornReadDetector<T>.writerValue(n, mode: mode))
    }
    let sequence = values
    Benchmark("detector/\(mode)/\(T.kind)") { benchmark in
        var detector = TornReadDetector<T>(mode: mode, detail: .countsOnly)
        benchmark.startMeasurement()
        observeLoop(&detector, sequence, count: benchmark.scaledIterations.count)
        benchmark.stopMeasurement()
        precondition(detector.counts.torn == 0 && detector.counts.backwards == 0,
                     "the detector flagged a valid sequence: \(detector.counts)")
        blackHole(detector.counts.reads)
    }
}

@inline(never)
func observeLoop<T: SharedTarget>(_ detector: inout TornReadDetector<T>, _ values: [T.Value], count: Int) {
    values.withUnsafeBufferPointer { buffer in
        for i in 0 ..< min(count, buffer.count * 8) { detector.observe(buffer[i >> 3]) }
    }
}
