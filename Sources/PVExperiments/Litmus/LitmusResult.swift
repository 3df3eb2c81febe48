import PVHost

/// What one litmus test observed on this machine, beside what the models say.
public struct LitmusResult: Sendable, Codable, Equatable {
    /// herd7's name of the AArch64 test.
    public var name: String
    /// The AArch64 test, herd7 syntax.
    public var program: String
    /// ARMv8, x86-TSO, SC verdicts of the AArch64 test.
    public var models: [ModelVerdict]
    /// How the x86-TSO verdict mapped the AArch64 test to x86.
    public var x86Mapping: [String]
    /// The program that ran here (herd7 syntax) and its name.
    public var ranAs: String?
    public var ranAsProgram: String?
    /// The ran-as program under this machine's model: what the hardware may show.
    public var hostModel: ModelVerdict?
    public var note: String
    /// Why the hardware did not run it (too few CPUs); nil when it ran.
    public var notRun: String?
    public var iterations: UInt64
    /// Outcome (litmus7 spelling of the condition's registers/locations) → how often.
    public var histogram: [String: UInt64]
    /// The histogram key of the outcome the `exists` clause asks about.
    public var asked: String
    /// How often the `exists` condition held.
    public var positive: UInt64
    public var architecture: String
    public var threads: [PinnedThreadReport]

    /// `Never`, `Sometimes` or `Always`, as litmus7 says.
    public var observedWord: String { positive == 0 ? "Never" : (positive == iterations ? "Always" : "Sometimes") }

    /// litmus7: `Observation <name> Never|Sometimes|Always <positive> <negative>`.
    public var observation: String { "Observation \(ranAs ?? name) \(observedWord) \(positive) \(iterations - positive)" }

    /// True when the machine did something its model forbids for the program that ran.
    public var forbiddenSeen: Bool { hostModel?.allowed == false && positive > 0 }

    /// The hardware verdict in words, against the ran-as program's model.
    public var verdict: String {
        if notRun != nil { return "not run" }
        switch (hostModel?.allowed, positive > 0) {
        case (true, true): return "allowed, seen"
        case (true, false): return "allowed, not seen"
        case (false, false): return "forbidden, never seen"
        case (false, true): return "FORBIDDEN OUTCOME SEEN"
        case (nil, true): return "seen (not modelled)"
        case (nil, false): return "not seen (not modelled)"
        }
    }
}
