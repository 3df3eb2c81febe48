import Foundation
import PVExperiments
import PVHost
import PVModel
import PVRuntime

/// The CVE-2019-3016 pair (`preempt-clear-plain`, `preempt-clear-xchg`)
/// beside the strategies: model verdicts, and a race on the writer's and a
/// reader's CPU unless only the models were asked for.
extension ValidateCommand {
    /// Shown when the preempted flag is among the records and no strategy was named.
    var lostUpdateVariants: [PreemptClear] {
        strategies.isEmpty && (records.isEmpty || records.contains(.preempted)) ? PreemptClear.allCases : []
    }

    func lostUpdates(placement: Placement?) throws -> [LostUpdateCaseResult] {
        try lostUpdateVariants.map { v in
            var hardware: LostUpdateRaceResult?
            if let placement, let host = placement.writerCPUs.first, let guest = placement.readerCPUs.first {
                // --reads N: N preempt/clear rounds (at most a minute); else --duration seconds.
                do {
                    hardware = try LostUpdateRace.run(v, hostCPU: host, guestCPU: guest, rounds: reads ?? .max,
                                                      seconds: duration ?? (reads == nil ? 1 : 60))
                } catch {
                    throw RuntimeError("\(v): cannot start the race: \(error)")
                }
            }
            return LostUpdateCaseResult(variant: v, models: LostUpdateModel.check(v, models: models), hardware: hardware)
        }
    }

    /// The table, then the witnesses and what is not modelled.
    func printLostUpdates(_ results: [LostUpdateCaseResult]) {
        guard !results.isEmpty else { return }
        do {
            print()
            let rows = results.map { r -> [String] in
                let cells = models.map { m in r.models.first { $0.model == m }.map { $0.violatesClaim ? "ALLOWED (claimed safe)" : $0.verdict.rawValue } ?? "-" }
                let hw = r.hardware.map { "\($0.lost) lost of \($0.requests) requests, \($0.rounds) rounds: \($0.verdict)" } ?? "-"
                return [r.variant.rawValue, "lost flush request"] + cells + [hw]
            }
            print(formatTable(["case", "can the host lose"] + models.map(\.title) + ["hardware here"], rows))
            for r in results { print("\(r.variant): \(r.variant.summary)") }
            for r in results {
                guard let v = r.models.first(where: { $0.witness != nil }) else { continue }
                print()
                print("witness: \(r.variant) lost flush request, allowed under \(v.model):")
                print(v.witness!, terminator: "")
            }
            for r in results { for v in r.models { if let reason = v.reason { print("\(r.variant): not modelled under \(v.model): \(reason)") } } }
        }
    }

    /// Exit status 1 when the exchange variant lost a request here or under a model.
    func exitForLostUpdates(_ results: [LostUpdateCaseResult]) throws {
        let failures = results.flatMap(\.failures)
        if !failures.isEmpty { throw RuntimeError("the exchange clear lost a request: \(failures.joined(separator: "; "))") }
    }
}
