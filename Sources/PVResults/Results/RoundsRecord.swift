import PVRecords

/// How a run's repetitions were scheduled and judged, for the result context:
/// the seed of the per-round shuffle (the same seed gives the same order),
/// the disturbance rule and what was done with disturbed repetitions.
public struct RoundsRecord: Sendable, Codable, Equatable {
    /// Seed of the per-round case order.
    public var seed: UInt64
    /// Rounds run, planned and retries.
    public var rounds: Int
    /// `retry`, `keep` or `drop`.
    public var disturbedPolicy: String
    /// Off-CPU fraction of the window above which a repetition is disturbed.
    public var offCPUFraction: Double
    /// The rule in words.
    public var rule: String
    /// The machine's idle floor as measured before the run, which the rule
    /// judged above; nil when none was measured: off-CPU time judged from
    /// zero (`--idle-floor 0`) or above the floor `--idle-floor` gave (then
    /// named in ``rule``).
    public var idleFloor: IdleFloor?
    /// Per round, the c2c placement probe's one-way latency in ns (null
    /// where it could not run); nil in files from before the probe.
    public var placementProbes: [Double?]?

    enum CodingKeys: String, CodingKey {
        case seed = "round_seed", rounds, disturbedPolicy = "disturbed_policy", offCPUFraction = "off_cpu_fraction", rule
        case idleFloor = "idle_floor", placementProbes = "placement_probes_ns"
    }

    /// `rule`: the rule the repetitions were judged by (its fraction and its words are kept).
    public init(seed: UInt64, rounds: Int, disturbedPolicy: String, rule: DisturbanceRule, idleFloor: IdleFloor? = nil) {
        self.seed = seed
        self.rounds = rounds
        self.disturbedPolicy = disturbedPolicy
        offCPUFraction = rule.offCPUFraction
        self.rule = rule.description
        self.idleFloor = idleFloor
    }
}
