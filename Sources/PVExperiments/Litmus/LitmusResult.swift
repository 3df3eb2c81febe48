import PVHost
/// What one litmus test (shape × ordering) observed.
public struct LitmusResult: Sendable, Codable, Equatable {
    public var shape: LitmusShape
    public var ordering: LitmusOrdering
    public var iterations: UInt64
    /// Outcome (litmus7 spelling, e.g. `0:r0=0; 1:r0=1;`) → how often.
    public var histogram: [String: UInt64]
    /// How often the `exists` condition held.
    public var positive: UInt64
    /// Whether the architecture's model allows the condition.
    public var allowed: Bool
    public var architecture: String
    public var threads: [PinnedThreadReport]

    public init(shape: LitmusShape, ordering: LitmusOrdering, iterations: UInt64, histogram: [String: UInt64],
                positive: UInt64, allowed: Bool, architecture: String, threads: [PinnedThreadReport]) {
        self.shape = shape
        self.ordering = ordering
        self.iterations = iterations
        self.histogram = histogram
        self.positive = positive
        self.allowed = allowed
        self.architecture = architecture
        self.threads = threads
    }

    /// `SB+relaxed`, the test's name.
    public var name: String { "\(shape)+\(ordering)" }

    /// `Never`, `Sometimes` or `Always`, as litmus7 says.
    public var observedWord: String { positive == 0 ? "Never" : (positive == iterations ? "Always" : "Sometimes") }

    /// litmus7: `Observation <name> Never|Sometimes|Always <positive> <negative>`.
    public var observation: String { "Observation \(name) \(observedWord) \(positive) \(iterations - positive)" }

    /// True when the machine did something its model forbids.
    public var forbiddenSeen: Bool { !allowed && positive > 0 }

    /// The verdict in words.
    public var verdict: String {
        switch (allowed, positive > 0) {
        case (true, true): "allowed, seen"
        case (true, false): "allowed, not seen"
        case (false, false): "forbidden, never seen"
        case (false, true): "FORBIDDEN OUTCOME SEEN"
        }
    }
}

extension LitmusResult {
    /// Whether a histogram key (litmus7 spelling) is the outcome `shape` asks about.
    public static func outcome(_ key: String, satisfies shape: LitmusShape) -> Bool {
        switch shape {
        case .sb: key == "0:r0=0; 1:r0=0;"
        case .mp: key == "1:r0=1; 1:r1=0;"
        case .lb: key == "0:r0=1; 1:r0=1;"
        case .twoPlusTwoW: key == "x=1; y=1;"
        }
    }
}
