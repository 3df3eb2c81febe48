import Foundation

/// How many runs a side a comparison needs before its interval is decided
/// (inside the threshold band, or beyond it), forecast from the runs at
/// hand: `compare`'s "unknown — run N more".
///
/// Few runs say little about their own spread: from 3 + 3 runs the run
/// medians' variance has 4 degrees of freedom, and the cases whose 3 runs
/// happened to agree were told "3 more" and mostly stayed unknown. So the
/// forecast is a predictive simulation, not a projection of the interval's
/// width: for each of `draws` draws, the run-to-run spread σ from its
/// distribution given the runs (s²·ν/χ²_ν), the true log ratio μ ~ N(c, σ²),
/// then, for m runs a side, the m − n new runs' mean about μ, the final
/// estimate (the n runs at hand with the new ones), and its interval's
/// half-width t(2m − 2)·σ̂_m·√(n/m), σ̂_m drawn about σ with its own degrees
/// of freedom. The answer is the fewest m at which at least `probability` of
/// the draws are decided. Normal on the log scale, as the interval's
/// widening assumes; the draws are seeded and shared by every m (common
/// random numbers), so the forecast is reproducible and does not jitter
/// from one m to the next.
public enum RunsForecast {
    /// The runs a side (more than `runs`, at most `limit`) after which the
    /// interval is decided with `probability`; `limit` when it is not by then.
    /// - Parameters:
    ///   - ratio: the ratio of medians new/old now.
    ///   - standardError: the log ratio's standard error now (σ scale, ν = 2·runs − 2).
    ///   - band: log(1 + threshold).
    public static func runsNeeded(ratio: Double, standardError se: Double, band: Double, runs n: Int, level: Double,
                                  upTo limit: Int, probability: Double = 0.5, draws: Int = 1000,
                                  seed: UInt64 = 0x5EED_F0CA) -> Int {
        guard n >= 2, ratio > 0, se > 0, se.isFinite, limit > n else { return max(limit, n + 1) }
        let z = HierarchicalBootstrap.normalQuantile(1 - (1 - level) / 2)
        let c = log(ratio), nu = Double(2 * n - 2)
        var rng = SplitMix64(seed: seed)
        // Per draw: σ, μ, and the two standard normals the later steps use for every m.
        var sigma: [Double] = [], mu: [Double] = [], zNew: [Double] = [], zSpread: [Double] = []
        for _ in 0 ..< draws {
            let s = se * (nu / chiSquare(nu, normal(&rng))).squareRoot()
            sigma.append(s)
            mu.append(c + s * normal(&rng))
            zNew.append(normal(&rng))
            zSpread.append(normal(&rng))
        }
        let needed = Int((probability * Double(draws)).rounded(.up))
        for m in (n + 1) ... limit {
            let dfM = Double(2 * m - 2), tM = HierarchicalBootstrap.tQuantile(z: z, degrees: dfM)
            let added = Double(m - n), share = Double(n) / Double(m)
            var decided = 0
            for i in 0 ..< draws {
                // The new runs' mean has n/(m − n) times the variance of the n runs' estimate.
                let fresh = mu[i] + sigma[i] * (Double(n) / added).squareRoot() * zNew[i]
                let final = share * c + (1 - share) * fresh
                let half = tM * sigma[i] * (chiSquare(dfM, zSpread[i]) / dfM).squareRoot() * share.squareRoot()
                if abs(final) + half <= band || abs(final) - half >= band { decided += 1 }
            }
            if decided >= needed { return m }
        }
        return limit
    }

    /// A standard normal variate (Box-Muller).
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne ..< 1, using: &rng), u2 = Double.random(in: 0 ..< 1, using: &rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A χ² variate with `nu` degrees of freedom from a standard normal `z`
    /// (Wilson and Hilferty's cube: within a few % of the quantiles for ν ≥ 3).
    static func chiSquare(_ nu: Double, _ z: Double) -> Double {
        let a = 2 / (9 * nu)
        return nu * pow(max(1 - a + z * a.squareRoot(), 0.05), 3)
    }
}
