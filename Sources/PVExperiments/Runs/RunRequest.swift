import PVHost
import PVResults

/// Everything `pvbench run` asks of one run besides its cases: how rounds
/// are ordered and judged, what else is read, and what the result file
/// records about the command. Built by the CLI, run by ``RunSession``.
public struct RunRequest: Sendable {
    /// The validated cases (one requested case each; ``RunSession`` expands them).
    public var cases: [RunSettings]
    /// The suite run, nil for cases named on the command line.
    public var suite: Suite?
    /// soak: the rotation's base and total seconds.
    public var soak: (base: RunSettings, total: Double)?
    /// Each case as a Swift and a C case, interleaved, with their ratios.
    public var compareImplementations = false
    /// Seed of the per-round case order; nil: from the clock.
    public var seed: UInt64?
    public var disturbed: DisturbedPolicy = .retry
    /// Off-CPU share of the window above the idle floor that makes a repetition disturbed.
    public var disturbanceLimit = 0.01
    /// The idle floor given; nil: measured before the run.
    public var idleFloor: Double?
    public var perfCounters = false
    public var pauseBeforeStart = false
    public var faults: [InjectedFault] = []
    /// The command line, as the result file records it.
    public var command = ""
    public var version = ""
    public var buildFlags: [String] = []
    /// Run when a C strategy file's thread hangs, just before the process
    /// ends (the crash handler runs nothing: it only writes its line).
    public var beforeHangExit: @Sendable () -> Void = {}

    public init(cases: [RunSettings]) { self.cases = cases }

    /// Several strategies of one scenario side by side: the ratio table's case.
    var sideBySide: Bool { suite == nil && !compareImplementations }
}

/// Why a run stopped before measuring (or while): the CLI says it in its
/// own words and picks the exit status.
public enum RunFailure: Error {
    /// A case's placement cannot be planned here (bad input: exit 64).
    case placement(caseName: String?, PlacementError)
    /// A case refused by its scenario's pre-flight check (bad input).
    case refused(String)
    /// Anything else (exit 1).
    case failed(String)
}

/// The machine a run measures on: its topology and calibrated clock.
public struct RunHost: Sendable {
    public let topology: Topology
    public let clock: CycleClock

    public static func open() throws(RunFailure) -> RunHost {
        do { return RunHost(topology: try Topology.live(), clock: try CycleClock.calibrate()) } catch {
            throw .failed("\(error)")
        }
    }
}
