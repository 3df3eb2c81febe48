import ArgumentParser
import PVABI
import PVResults

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run the full guest discovery for N vCPUs and report each step and each vCPU's record IPAs.")

    @OptionGroup var emulation: EmulationOptions

    @OptionGroup var output: TablesOrJSON

    struct Step: Encodable {
        let vcpu: Int
        let function: String
        let functionID: String
        let arguments: [String]
        let result: Int64
        let resultName: String?
        let meaning: String
    }
    struct VCPU: Encodable {
        let vcpu: Int
        let stolenTimeIPA: String?
        let pvSchedIPA: String?
    }
    struct Feature: Encodable { let offered: Bool; let inUse: Bool; let reason: String? }
    struct Report: Encodable {
        let vcpus: Int
        let guestMemory: [String: String]
        let pvTime: Feature
        let pvSched: Feature
        let steps: [Step]
        let records: [VCPU]
        let release: [Step]
    }

    func run() throws {
        let hypervisor: EmulatedHypervisor
        do { hypervisor = try emulation.makeHypervisor() } catch { throw RuntimeError("\(error)") }
        let guest = GuestDiscovery.discover(hypervisor)
        let releaseSteps = GuestDiscovery.release(guest, on: hypervisor)
        let memory = hypervisor.memory
        func step(_ s: DiscoveryStep) -> Step {
            Step(vcpu: s.vcpu, function: s.function.name ?? s.function.hex, functionID: s.function.hex,
                 arguments: s.arguments.map(hex), result: s.result,
                 resultName: s.function == .pvTimeST && s.result >= 0 ? nil : SMCCCReturn(rawValue: s.result)?.name,
                 meaning: s.meaning)
        }
        let features = emulation.features
        let report = Report(
            vcpus: emulation.vcpus,
            guestMemory: ["ipaStart": hex(memory.baseIPA), "ipaEnd": hex(memory.ipaRange.upperBound),
                          "pvRegionIPA": hex(memory.pvRegionIPA), "pvRegionBytes": "\(memory.pvRegionSize)"],
            pvTime: Feature(offered: features.contains(.pvTime), inUse: guest.hasPVTime,
                            reason: guest.pvTimeFailure?.description),
            pvSched: Feature(offered: features.contains(.pvSched), inUse: guest.hasPVSched,
                             reason: guest.pvSchedFailure?.description),
            steps: guest.steps.map(step),
            records: (0 ..< emulation.vcpus).map { v in
                VCPU(vcpu: v, stolenTimeIPA: guest.hasPVTime ? hex(guest.stolenTimeIPAs[v]) : nil,
                     pvSchedIPA: guest.hasPVSched ? hex(guest.pvSchedIPAs[v]) : nil)
            },
            release: releaseSteps.map(step))
        if output.json { return try printJSON(report) }

        print("guest memory \(report.guestMemory["ipaStart"]!)-\(report.guestMemory["ipaEnd"]!), "
            + "PV region at \(report.guestMemory["pvRegionIPA"]!) (\(memory.pvRegionSize / GuestMemory.pvPageSize) x 64 KiB)")
        print()
        print(TerminalTable.plain(["#", "vcpu", "call", "args", "result", "meaning"],
                          report.steps.enumerated().map { i, s in
                              ["\(i + 1)", "\(s.vcpu)", s.function, s.arguments.joined(separator: " "),
                               "\(s.result)" + (s.resultName.map { " \($0)" } ?? ""), s.meaning]
                          }))
        print()
        func line(_ name: String, _ f: Feature) -> String {
            "\(name): " + (f.inUse ? "in use" : "not used") + (f.reason.map { " (\($0))" } ?? "")
        }
        print(line("PV time ", report.pvTime))
        print(line("PV sched", report.pvSched))
        print()
        print(TerminalTable.plain(["vcpu", "stolen-time IPA", "preempted IPA"],
                          report.records.map { ["\($0.vcpu)", $0.stolenTimeIPA ?? "-", $0.pvSchedIPA ?? "-"] }))
        if !releaseSteps.isEmpty {
            let ok = releaseSteps.allSatisfy { $0.result == SMCCCReturn.success.rawValue }
            print()
            print("PV_SCHED_IPA_RELEASE on \(releaseSteps.count) vCPU(s): \(ok ? "SUCCESS" : "refused")")
        }
    }
}
