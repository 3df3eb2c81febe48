import Foundation
import Testing

@Suite("pvbench abi / hypercall / probe")
struct FoundationCLITests {
    @Test func abiJSONHasBothLayoutsIdsAndCodes() throws {
        let r = try CLI.run(["abi", "--json"])
        #expect(r.status == 0)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let layouts = try #require(doc["layouts"] as? [[String: Any]])
        let time = try #require(layouts.first { $0["name"] as? String == "pv_time_stolen_time" })
        #expect(time["size"] as? Int == 16)
        let fields = try #require(time["fields"] as? [[String: Any]])
        #expect(fields.map { $0["offset"] as? Int } == [0, 4, 8])
        #expect(fields.map { $0["size"] as? Int } == [4, 4, 8])
        let functions = try #require(doc["functions"] as? [[String: Any]])
        #expect(functions.contains { $0["name"] as? String == "PV_TIME_ST" && $0["value"] as? Int == 0xC500_0021 })
        let codes = try #require(doc["returnCodes"] as? [[String: Any]])
        #expect(codes.contains { $0["name"] as? String == "INVALID_PARAMETER" && $0["value"] as? Int == -3 })
    }

    @Test func abiTableListsFieldsAndCodes() throws {
        let r = try CLI.run(["abi"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("stolen_time  8       8"))
        #expect(r.stdout.contains("PV_SCHED_IPA_RELEASE  0xC5000092"))
    }

    @Test(arguments: [
        (["0x80000001", "0xC5000020"], "0 (SUCCESS)"),
        (["0x80000001", "0xC5000090"], "0 (SUCCESS)"),
        (["0x80000001", "0xC5000020", "--disable", "pv-time"], "-1 (NOT_SUPPORTED)"),
        (["0xC5000020", "0xC5000021"], "0 (SUCCESS)"),
        (["2147483648"], "65537 (SMCCC 1.1)"),
        (["0xC5000092"], "0 (SUCCESS)"),
        (["0xC5000091", "0x40000004"], "-3 (INVALID_PARAMETER)"),
        (["0xC5000091", "0x10"], "-3 (INVALID_PARAMETER)"),
        (["0x12345"], "-1 (NOT_SUPPORTED)"),
    ])
    func hypercallAnswers(args: [String], expected: String) throws {
        let r = try CLI.run(["hypercall"] + args)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    @Test func hypercallPVTimeSTGivesTheCallersRecordIPA() throws {
        let r0 = try CLI.run(["hypercall", "0xC5000021", "--vcpus", "4", "--vcpu", "0"])
        let r3 = try CLI.run(["hypercall", "0xC5000021", "--vcpus", "4", "--vcpu", "3"])
        let ipa0 = try #require(Int64(r0.stdout.split(separator: " ")[0]))
        let ipa3 = try #require(Int64(r3.stdout.split(separator: " ")[0]))
        #expect(ipa3 - ipa0 == 3 * 64)
        #expect(r3.stdout.contains("(IPA 0x"))
    }

    @Test func probeJSONReportsEveryVCPU() throws {
        let r = try CLI.run(["probe", "--vcpus", "4", "--json"])
        #expect(r.status == 0)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let records = try #require(doc["records"] as? [[String: Any]])
        #expect(records.count == 4)
        #expect(records.allSatisfy { $0["stolenTimeIPA"] is String && $0["pvSchedIPA"] is String })
        let steps = try #require(doc["steps"] as? [[String: Any]])
        #expect(steps.first?["function"] as? String == "SMCCC_VERSION")
        #expect((doc["pvTime"] as? [String: Any])?["inUse"] as? Bool == true)
    }

    @Test func probeWithPVSchedDisabledSaysWhy() throws {
        let r = try CLI.run(["probe", "--vcpus", "2", "--disable", "pv-sched"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("PV sched: not used (ARCH_FEATURES(PV_SCHED_FEATURES (0xC5000090)) answered NOT_SUPPORTED (-1))"))
    }

    @Test(arguments: [
        (["probe", "--vcpus", "0"], "--vcpus must be 1"),
        (["probe", "--vcpus", "99999999"], "--vcpus must be 1"),
        (["probe", "--vcpus", "many"], "--vcpus"),
        (["probe", "--disable", "pv-clock"], "--disable accepts pv-time or pv-sched"),
        (["hypercall"], "Missing expected argument"),
        (["hypercall", "zz"], "is not a number"),
        (["hypercall", "0x1ffffffff"], "does not fit in 32 bits"),
        (["hypercall", "1", "1", "2", "3", "4"], "at most 3 arguments"),
        (["hypercall", "1", "--vcpu", "4", "--vcpus", "4"], "--vcpu must be 0 ... 3"),
        (["nonsense"], "nonsense"),
        (["help", "bogus"], "no help for 'bogus'"),
        (["help", "run", "bogus"], "no help for 'bogus'"),
        // A negative value reads as an option to the parser: said as what it is.
        (["run", "--duration", "-1s"], "--duration -1s: a negative value is not accepted"),
        (["model", "--unroll", "-1", "x.litmus"], "--unroll -1: a negative value is not accepted"),
        (["probe", "--vcpus"], "Missing value for '--vcpus"),
    ])
    func badInputIsAOneLineUsageError(args: [String], fragment: String) throws {
        let r = try CLI.run(args)
        #expect(r.status == 64, "args \(args): status \(r.status)")
        #expect(r.stderr.hasPrefix("pvbench: error: "))
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line, no usage dump or stack trace")
        #expect(r.stdout.isEmpty)
    }
}
