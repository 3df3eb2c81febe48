/// The classic two-thread litmus shapes, with the outcome each one asks about
/// (litmus7's `exists` clause). `x` and `y` start at 0.
public enum LitmusShape: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Store buffering. T0: x=1; r0=y. T1: y=1; r0=x. exists (0:r0=0 ∧ 1:r0=0).
    case sb = "SB"
    /// Message passing. T0: x=1; y=1. T1: r0=y; r1=x. exists (1:r0=1 ∧ 1:r1=0).
    case mp = "MP"
    /// Load buffering. T0: r0=x; y=1. T1: r0=y; x=1. exists (0:r0=1 ∧ 1:r0=1).
    case lb = "LB"
    /// Two plus two writes. T0: x=1; y=2. T1: y=1; x=2. exists (x=1 ∧ y=1).
    case twoPlusTwoW = "2+2W"

    public var description: String { rawValue }

    /// The program, litmus-style, one line.
    public var program: String {
        switch self {
        case .sb: "T0: x=1; r0=y | T1: y=1; r0=x"
        case .mp: "T0: x=1; y=1 | T1: r0=y; r1=x"
        case .lb: "T0: r0=x; y=1 | T1: r0=y; x=1"
        case .twoPlusTwoW: "T0: x=1; y=2 | T1: y=1; x=2"
        }
    }

    /// The `exists` clause.
    public var condition: String {
        switch self {
        case .sb: "0:r0=0 /\\ 1:r0=0"
        case .mp: "1:r0=1 /\\ 1:r1=0"
        case .lb: "0:r0=1 /\\ 1:r0=1"
        case .twoPlusTwoW: "x=1 /\\ y=1"
        }
    }

    /// Whether the `exists` outcome is allowed with `ordering` on `architecture`
    /// ("x86_64": x86-TSO; "arm64": ARMv8, other-multi-copy-atomic; anything
    /// else: the C11 model). Hardware only: the compiler keeps program order here.
    public func allowed(_ ordering: LitmusOrdering, on architecture: String) -> Bool {
        switch (architecture, self, ordering) {
        case (_, _, .seqCst): false
        case (_, .sb, _): true
        case ("x86_64", _, _): false
        case ("arm64", _, .acquireRelease): false
        case (_, .mp, .acquireRelease), (_, .lb, .acquireRelease): false
        default: true  // relaxed MP/LB/2+2W on arm64 and in C11; 2+2W acquire-release in C11
        }
    }

    /// Parses `SB`, `MP`, `LB`, `2+2W` (any case); the error lists them.
    public static func named(_ name: String) -> LitmusShape? {
        allCases.first { $0.rawValue.lowercased() == name.lowercased() }
    }
}
