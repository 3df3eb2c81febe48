import Foundation

/// The ratio of two medians with a confidence interval that knows runs are
/// the unit: a two-level bootstrap after Kalibera and Jones ("Rigorous
/// Benchmarking in Reasonable Time", ISMM 2013, §5). Each resample draws as
/// many runs as a side has, with replacement, then within each drawn run as
/// many repetitions as it has, with replacement; the statistic is the median
/// of everything drawn, new over old. A run-to-run shift (the host moved the
/// vCPUs, a neighbour took the L3) therefore widens the interval even when
/// each run is tight in itself, which no interval over one run's
/// repetitions can do.
public enum HierarchicalBootstrap {
    public struct Result: Sendable, Equatable, Codable {
        /// median(new) / median(old) over every repetition given.
        public var ratio: Double
        /// Percentile interval of the resampled ratios at `level`.
        public var low: Double
        public var high: Double
        public var level: Double
        public var resamples: Int
        /// The small-sample factor the percentile interval was widened by
        /// (nil when a side had one run: not widened, and not to be answered from).
        public var widening: Double?
    }

    /// The bootstrap of median(new)/median(old); `old` and `new` are runs,
    /// each the figure's values of its repetitions. Nil when a side has no
    /// value or a median is not positive (a ratio would mean nothing).
    public static func ratioOfMedians(old: [[Double]], new: [[Double]], level: Double = 0.95,
                                      resamples: Int = 2000, seed: UInt64 = 0x5EED_B007,
                                      correctSmallSamples: Bool = true) -> Result? {
        let old = old.filter { !$0.isEmpty }, new = new.filter { !$0.isEmpty }
        guard !old.isEmpty, !new.isEmpty, resamples > 0,
              let m0 = SampleStatistics.median(old.flatMap { $0 }), let m1 = SampleStatistics.median(new.flatMap { $0 }),
              m0 > 0, m1 > 0 else { return nil }
        var rng = SplitMix64(seed: seed)
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        var buffer: [Double] = []
        for _ in 0 ..< resamples {
            let a = resampledMedian(old, &rng, &buffer), b = resampledMedian(new, &rng, &buffer)
            if a > 0 { ratios.append(b / a) }
        }
        guard !ratios.isEmpty else { return nil }
        ratios.sort()
        let tail = (1 - level) / 2
        func quantile(_ q: Double) -> Double {
            // Type 7 (linear between order statistics), as R's default and NumPy's.
            let h = q * Double(ratios.count - 1)
            let i = Int(h.rounded(.down)), j = min(i + 1, ratios.count - 1)
            return ratios[i] + (h - Double(i)) * (ratios[j] - ratios[i])
        }
        // Widened on the log scale about the observed ratio by the small-sample factor.
        // (A side of one run has no run-to-run spread to widen: its interval
        // is the repetitions' alone, and `compare` never answers from it.)
        let factor = correctSmallSamples ? smallSampleFactor(oldRuns: old.count, newRuns: new.count, level: level) : 1
        let k = factor.isFinite ? factor : 1
        let r = m1 / m0
        func widen(_ q: Double) -> Double { r * exp(k * log(q / r)) }
        return Result(ratio: r, low: widen(min(quantile(tail), r)), high: widen(max(quantile(1 - tail), r)), level: level,
                      resamples: resamples, widening: factor.isFinite ? factor : nil)
    }

    /// How much wider than the bootstrap's a few runs' interval must be.
    /// Resampling n runs sees (n−1)/n of their variance, and a percentile
    /// interval is a normal interval where a t interval is due: with 3 runs
    /// a side the plain 95 % interval called one A/A case in 10 "different"
    /// on simulated runs whose spread was mostly between runs. The factor
    /// √(n/(n−1)) · t(ν)/z with n the smaller side's runs and ν = n_old +
    /// n_new − 2 undoes both (1.73 for 3 + 3 runs, 1.14 for 10 + 10); it
    /// tends to 1 as runs grow, where the bootstrap is right on its own.
    public static func smallSampleFactor(oldRuns: Int, newRuns: Int, level: Double) -> Double {
        let n = Double(min(oldRuns, newRuns)), nu = Double(oldRuns + newRuns - 2)
        guard n >= 2, nu >= 1 else { return .infinity }
        let z = normalQuantile(1 - (1 - level) / 2)
        return (n / (n - 1)).squareRoot() * tQuantile(z: z, degrees: nu) / z
    }

    /// The standard normal quantile, by bisection on erfc (a few µs; called once per case).
    static func normalQuantile(_ p: Double) -> Double {
        var lo = -10.0, hi = 10.0
        for _ in 0 ..< 80 {
            let mid = (lo + hi) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Student's t quantile from the normal one by the Cornish-Fisher
    /// expansion (Abramowitz and Stegun 26.7.5): within 0.3 % for ν ≥ 4, 3 % at ν = 2.
    static func tQuantile(z: Double, degrees nu: Double) -> Double {
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z
        return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu * nu * nu)
    }

    /// One two-level resample of `runs` and its median.
    static func resampledMedian(_ runs: [[Double]], _ rng: inout SplitMix64, _ buffer: inout [Double]) -> Double {
        buffer.removeAll(keepingCapacity: true)
        for _ in runs.indices {
            let run = runs[rng.below(runs.count)]
            for _ in run.indices { buffer.append(run[rng.below(run.count)]) }
        }
        buffer.sort()
        let m = buffer.count / 2
        return buffer.count.isMultiple(of: 2) ? (buffer[m - 1] + buffer[m]) / 2 : buffer[m]
    }
}
