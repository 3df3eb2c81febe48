import CPVPlatform
import PVHost
import PVRuntime

/// What the overcommit workloads (probe, lock, steal) share: vCPUs on the
/// emulated scheduler, whose own stolen-time records they read, and the
/// figures every one of them reports.
protocol OvercommitWorkload: ScenarioWorkload {
    associatedtype T: RecordStrategy where T.Target == StolenTimeFieldTarget
    var vcpus: OvercommitVCPUs { get }
}

/// The vCPUs a workload runs: one pinned thread each, on the emulated
/// scheduler, with their records.
struct OvercommitVCPUs: Sendable {
    let settings: RunSettings
    let threads: [PinnedThreadSpec]
    let scheduler: VCPUScheduler
    let records: OvercommitRecords
}

/// One vCPU's part of every overcommit tally.
struct VCPUTally: Sendable {
    var window = MeasuredWindow()
    /// The scheduler's counts for the vCPU when the measured window opened.
    var start = pv_vcpu_stats()
    /// Stolen-time reads that went backwards.
    var backwards: UInt64 = 0
    /// Why the vCPU did not run (it could not enter the scheduler).
    var failure: String?
}

extension OvercommitWorkload {
    var settings: RunSettings { vcpus.settings }
    var threads: [PinnedThreadSpec] { vcpus.threads }
    var scheduler: VCPUScheduler { vcpus.scheduler }
    var records: OvercommitRecords { vcpus.records }

    /// Enters vCPU `v` on the scheduler; false, with the reason in `tally`, when it cannot.
    func enter(_ v: Int, _ tally: inout VCPUTally) -> Bool {
        do { try scheduler.enter(v) } catch {
            tally.failure = "\(error)"
            return false
        }
        return true
    }

    /// The scheduler's figures (``OvercommitFigures``) over the vCPUs'
    /// windows, the stolen-time records' last values, backwards reads and
    /// the vCPUs that did not run; `add` puts in the workload's own, before
    /// the scheduler is reset for the next repetition.
    func overcommitFigures(_ vcpus: [VCPUTally], clock: CycleClock,
                           _ add: (OvercommitFigures, inout RepetitionFigures) -> Void) -> RepetitionFigures {
        defer { scheduler.reset() }
        var f = OvercommitFigures(scheduler: scheduler, conversion: clock.conversion)
        for (v, t) in vcpus.enumerated() {
            f.add(vcpu: v, window: t.window, start: t.start)
            var retries: UInt64 = 0
            f.stolenRecord(vcpu: v, value: T.read(records.guestStolen[v], retries: &retries))
        }
        let backwards = vcpus.reduce(0) { $0 + $1.backwards }
        var figures = f.figures(operation: "iterations")
        figures.counters["backwards_reads"] = Double(backwards)
        figures.counters["torn_reads"] = 0
        figures.violations = ReaderCounts(reads: f.iterations, backwards: backwards)
        add(f, &figures)
        figures.notes += vcpus.compactMap(\.failure)
        return figures
    }
}
