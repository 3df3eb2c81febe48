import CPVPlatform
import Foundation
import PVHost
import PVResults
import PVRuntime

/// One case of a C strategy file: its pair on one record in one detector mode.
public struct CStrategyCaseResult: RacedCase, Sendable, Codable, Equatable {
    /// `<name>/<record>/<mode>`, as built-in cases are named.
    public var name: String
    public var record: SharedRecordKind
    public var mode: DetectorMode
    /// A C strategy claims what every strategy is for: no torn and no
    /// backwards value. A violation fails the run, as a safe built-in's does.
    public var race: RaceOutcome

    public var observationName: String { name }

    enum CodingKeys: String, CodingKey { case name, record, mode }

    init(name: String, record: SharedRecordKind, mode: DetectorMode, race: ValidationRunner.Race) {
        self.name = name
        self.record = record
        self.mode = mode
        self.race = RaceOutcome(race, claimsSafety: true)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        (name, record, mode) = try (c.decode(String.self, forKey: .name), c.decode(SharedRecordKind.self, forKey: .record),
                                    c.decode(DetectorMode.self, forKey: .mode))
        race = try RaceOutcome(from: decoder)
    }

    /// Its own fields, then the race's, in one object (as ``ValidationCaseResult``'s).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(record, forKey: .record)
        try c.encode(mode, forKey: .mode)
        try race.encode(to: encoder)
    }
}

/// `pvbench validate --c FILE.c`: the file's pairs raced by the torn/backwards
/// detector, in the modes asked for, on the placement validate plans.
public struct CStrategyValidation: Sendable {
    public var file: CStrategyFile
    public var placement: Placement
    public var budget: ValidationBudget
    public var cases: [CStrategyCaseResult]

    /// How long a reader or writer may stay inside the file's code after the
    /// run was stopped before it counts as hung (a batch is 1024 calls):
    /// 10 s, or `PVBENCH_HANG_SECONDS` where that is too short (a file run
    /// under QEMU or valgrind) or too long. ``CStrategyFile/compile(_:into:compiler:)``
    /// refuses a bad value before anything runs.
    public static var hangGrace: Duration { (try? hangGrace(ProcessInfo.processInfo.environment)) ?? .seconds(10) }

    /// The grace `environment` sets: `PVBENCH_HANG_SECONDS`, seconds in (0, 3600].
    public static func hangGrace(_ environment: [String: String]) throws(CStrategyError) -> Duration {
        guard let text = environment["PVBENCH_HANG_SECONDS"] else { return .seconds(10) }
        guard let seconds = Double(text), seconds > 0, seconds <= 3600 else { throw .hangSeconds(text) }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Runs every (record, mode) the file applies to. A crash or a hang in
    /// the file's code ends the process with one line naming the case and
    /// the thread (``pv_crash_guard_install``): in-process, so the loops
    /// call the file's functions as directly as a built-in's, and a crash
    /// cannot be survived anyway once the shared object corrupted memory.
    public static func run(_ file: CStrategyFile, _ request: ValidateRequest,
                           progress: @escaping @Sendable (String) -> Void = { _ in }) throws(ValidateError) -> CStrategyValidation {
        let (runner, _) = try ValidateReport.runner(request)
        let modes = request.modes.isEmpty ? [DetectorMode.spec, .stress] : request.modes
        let work = file.targets.flatMap { t in modes.map { (t, $0) } }
        let prefix = "pvbench: error: C strategy \(file.source)"
        _ = pv_crash_guard_install(prefix, "")
        defer { pv_crash_guard_uninstall() }
        var results: [CStrategyCaseResult] = []
        for (i, (record, mode)) in work.enumerated() {
            let name = "\(file.name)/\(record)/\(mode)"
            let context = "case \(i + 1)/\(work.count) \(name)"
            pv_crash_guard_set_context(context)
            let guarded = ValidationRunner.Guard(
                enter: { pv_crash_guard_enter_thread($0) }, grace: hangGrace,
                onHang: { names, why in
                    // Ends the process from this (ordinary) thread: the build directory can still go.
                    file.removeBuildDirectory()
                    pv_crash_guard_abort("thread(s) \(names.joined(separator: ", ")) \(why)") },
                leave: { pv_crash_guard_leave_thread() })
            let report: @Sendable (UInt64, Double) -> Void = { reads, seconds in
                progress("validate \(context): \(reads) reads, \(String(format: "%.1f", seconds)) s")
            }
            let race: ValidationRunner.Race
            do {
                race = switch record {
                case .preempted: try runner.race(CStrategy.Preempted.self, mode: mode, limit: flagLimit(mode), guarded: guarded, progress: report)
                default: try runner.race(CStrategy.StolenTime.self, mode: mode, limit: nil, guarded: guarded, progress: report)
                }
            } catch {
                throw .setup(error)
            }
            results.append(CStrategyCaseResult(name: name, record: record, mode: mode, race: race))
        }
        return CStrategyValidation(file: file, placement: runner.placement, budget: request.budget, cases: results)
    }

    /// In spec mode the flag is only 0 or 1: no byte mix can show.
    static func flagLimit(_ mode: DetectorMode) -> String? {
        mode == .spec ? "in spec mode the flag is only 0 or 1, and any byte mix of 0 and 1 is 0 or 1: no tear can show (use --mode stress)" : nil
    }

    /// The race table in validate's columns, the Observation lines, and the
    /// first violation or undecided reason of each case.
    public var text: String {
        var out: [String] = []
        let p = placement
        out.append("C strategy \(file.name) (\(file.source)): writer on CPU \(p.writerCPUs.map(String.init).joined(separator: ",")), "
            + "reader(s) on CPU \(p.readerCPUs.map(String.init).joined(separator: ",")) (\(p.relation)); \(budget)")
        out.append("")
        let rows = cases.map { r -> [String] in
            let t = r.total
            return [r.name, "\(t.reads)", "\(t.torn)", "\(t.backwards)", "\(t.retries)", "\(r.writes)",
                    r.timeToFirstViolationNanoseconds.map { "\($0) ns" } ?? "-", r.verdict.rawValue]
        }
        out.append(TerminalTable.plain(["case", "reads", "torn", "backwards", "retries", "writes", "first violation", "verdict"], rows))
        out.append("")
        out += cases.map(\.observation)
        for r in cases {
            if let why = r.inconclusiveReason { out.append("\(r.name): inconclusive: \(why)") }
            if let v = r.firstViolation {
                var line = "\(r.name): first \(v.kind) value at read \(v.readNumber): \(v.observed.hexBytes)"
                if let m = v.mixed { line += " = bytes of writes \(m.first) and \(m.second)" }
                out.append(line)
            }
        }
        #if arch(x86_64)
        out.append("")
        out.append("note: this machine is x86-64 (TSO): it keeps loads in order and stores in order, so an ordering bug only "
            + "arm64 has (a missing smp_rmb or smp_wmb) cannot show here; \"pass\" is what this hardware saw, not a verdict for arm64")
        #endif
        return out.joined(separator: "\n") + "\n"
    }

    public var failed: [CStrategyCaseResult] { cases.filter { $0.verdict == .fail } }
}

extension CStrategyValidation: Encodable {
    /// No path of the shared object: its build directory is removed at exit,
    /// so the JSON would point at nothing. The compile command says where it
    /// was built and how to build it again.
    enum CodingKeys: String, CodingKey { case strategy, source, compileCommand, placement, budget, cases }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file.name, forKey: .strategy)
        try c.encode(file.source, forKey: .source)
        try c.encode(file.compileCommand, forKey: .compileCommand)
        try c.encode(placement, forKey: .placement)
        try c.encode(budget.description, forKey: .budget)
        try c.encode(cases, forKey: .cases)
    }
}
