import Foundation
import Testing
@testable import PVHost
@testable import PVResults
@testable import PVExperiments
import PVRecords

@Suite("Result model, JSON shape and CSV")
struct ResultsTests {
    static func sampleContext() -> ResultContext {
        let calibration = ClockCalibration(source: .calibrated, frequencyHz: 2.1e9, samplesHz: [2.1e9, 2.1e9, 2.1e9],
                                           windowNanoseconds: 10_000_000)
        return ResultContext(
            date: "2026-11-20T10:00:00+00:00", hostName: "bench1", executable: "/usr/bin/pvbench", numCPUs: 2,
            mhzPerCPU: 2100, cpuScalingEnabled: false,
            caches: [CacheDescription(type: "Data", level: 1, size: 32768, numSharing: 1)], loadAverage: [0.5, 0.4, 0.3],
            libraryBuildType: "release", pvbenchVersion: "0.1.0",
            topology: TopologyRecord(nodes: 1, cpus: 2, allowedCPUs: [0, 1], threadsPerCore: 1, numaAvailable: true,
                                     summary: "1 node, 2 CPUs (0-1), no SMT"),
            placement: PlacementRecord(writerCPUs: [0], readerCPUs: [1], relation: "same-node", memoryNodes: [0],
                                       threads: [.init(name: "hv-w0", plannedCPU: 0, observedCPUAtStart: 0,
                                                       observedCPUAtEnd: 0, tid: 1234)]),
            clock: ClockDescription(name: "x86_64 TSC (rdtsc)", frequencyHz: 2.1e9, resolutionNanoseconds: 0.476,
                                    readCostNanoseconds: 7.5, observedStepNanoseconds: 12, calibration: calibration,
                                    crossCoreSynchronised: true, synchronisationReason: "invariant TSC", warnings: []),
            build: BuildRecord(configuration: "release", compiler: "Swift 6.3", architecture: "x86_64",
                               kernel: "6.1.0", flags: ["-enforce-exclusivity=unchecked"]),
            interrupted: true, interruptSignal: "SIGINT", numaNote: "one node",
            injectedFaults: [InjectedFaultRecord(name: "drop-writes", detail: "1 in 100 sched-out writes skipped")],
            harnessOverhead: HarnessOverhead(instrumentedNanosecondsPerOperation: 1.01,
                                             uninstrumentedNanosecondsPerOperation: 1.0),
            warnings: ["spread is large"])
    }

    static func repetitions() -> [BenchmarkEntry] {
        (0 ..< 3).map { i in
            BenchmarkEntry(name: "preempt-poll/relaxed/cacheline/vcpus:1", repetitions: 3, repetitionIndex: i,
                           threads: 2, iterations: 1_000_000 + Int64(i), realTime: 1.5 + Double(i) * 0.1,
                           cpuTime: 1.5, scenario: "preempt-poll", strategy: "relaxed", layout: "cacheline",
                           counters: ["reads_per_second": 6.0e8 + Double(i) * 1e7, "p50_ns": 80, "p99_ns": 150 + Double(i),
                                      "torn_reads": 0])
        }
    }

    static func sampleFile() -> ResultFile {
        let runs = repetitions()
        return ResultFile(context: sampleContext(), benchmarks: runs + BenchmarkEntry.aggregates(of: runs).entries)
    }

    @Test("a result file survives encode → decode unchanged")
    func roundTrip() throws {
        let file = Self.sampleFile()
        let data = try file.jsonData()
        let back = try ResultFile.decode(data, source: "sample.json")
        #expect(back == file)
        #expect(try back.jsonData() == data)
    }

    @Test("emitted JSON has google-benchmark's shape: required keys, types, flat counters")
    func shapeOfEmittedJSON() throws {
        let data = try Self.sampleFile().jsonData()
        #expect(GoogleBenchmarkShape.problems(in: data) == [])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let first = try #require((object["benchmarks"] as? [[String: Any]])?.first)
        #expect(first["reads_per_second"] != nil)   // counters flat beside the standard keys
        #expect(first["counters"] == nil)
        #expect((object["context"] as? [String: Any])?["interrupted"] as? Bool == true)
    }

    @Test("the shape check catches what google-benchmark tooling would choke on")
    func shapeViolations() {
        let bad = Data("""
            {"context": {"date": "x", "host_name": "h", "executable": "e", "num_cpus": 2.5,
                         "mhz_per_cpu": 1, "cpu_scaling_enabled": "no", "caches": [], "library_build_type": "release"},
             "benchmarks": [{"name": "a", "run_name": "a", "run_type": "iteration", "repetitions": 1, "threads": 1,
                             "iterations": 1, "real_time": 1, "cpu_time": 1, "time_unit": "fortnights",
                             "hist": [1, 2]},
                            {"name": "b", "run_name": "b", "run_type": "aggregate", "repetitions": 1, "threads": 1,
                             "iterations": 1, "real_time": "fast", "cpu_time": 1, "time_unit": "ns"}]}
            """.utf8)
        let problems = GoogleBenchmarkShape.problems(in: bad)
        #expect(problems.contains("context.num_cpus is number, expected integer"))
        #expect(problems.contains("context.cpu_scaling_enabled is string, expected boolean"))
        #expect(problems.contains("benchmarks[0]: missing 'repetition_index' (integer)"))
        #expect(problems.contains { $0.contains("fortnights") })
        #expect(problems.contains("benchmarks[0].hist is array: counters must be flat numbers"))
        #expect(problems.contains("benchmarks[1]: missing 'aggregate_name' (string)"))
        #expect(problems.contains("benchmarks[1].real_time is string, expected number"))
        #expect(GoogleBenchmarkShape.problems(in: Data("[1]".utf8)) == ["top level is array, expected object"])
        #expect(GoogleBenchmarkShape.problems(in: Data("{".utf8)).first?.hasPrefix("not valid JSON") == true)
    }

    @Test("a plain google-benchmark file is read, its user counters kept")
    func foreignGoogleBenchmarkFile() throws {
        let json = """
            {"context": {"date": "2024-03-01T10:00:00+01:00", "host_name": "box", "executable": "./bm",
                         "num_cpus": 8, "mhz_per_cpu": 3000, "cpu_scaling_enabled": true,
                         "caches": [{"type": "Unified", "level": 3, "size": 8388608, "num_sharing": 8}],
                         "load_avg": [1.0, 0.5, 0.2], "library_build_type": "release"},
             "benchmarks": [{"name": "BM_Read/64", "family_index": 0, "per_family_instance_index": 0,
                             "run_name": "BM_Read/64", "run_type": "iteration", "repetitions": 1,
                             "repetition_index": 0, "threads": 1, "iterations": 1000, "real_time": 12.5,
                             "cpu_time": 12.4, "time_unit": "ns", "bytes_per_second": 5.1e9, "label": "x"}]}
            """
        let data = Data(json.utf8)
        #expect(GoogleBenchmarkShape.problems(in: data) == [])
        let file = try ResultFile.decode(data, source: "gb.json")
        #expect(file.context.pvbenchVersion == "none (foreign file)")
        #expect(file.context.caches.first?.numSharing == 8)
        #expect(file.benchmarks[0].counters == ["bytes_per_second": 5.1e9])
        #expect(file.benchmarks[0].familyIndex == 0)
        #expect(file.benchmarks[0].label == "x")
    }

    @Test("malformed or foreign JSON gets a one-line error naming the file and the key")
    func decodeErrors() {
        func reason(_ text: String) -> String {
            do { _ = try ResultFile.decode(Data(text.utf8), source: "r.json"); return "decoded" } catch {
                return error.description
            }
        }
        #expect(reason("{\"benchmarks\": []}").contains("missing key 'context'"))
        #expect(reason("{\"benchmarks\": []}").hasPrefix("r.json: "))
        #expect(reason("not json").contains("not valid JSON"))
        let wrongType = reason(String(decoding: try! Self.sampleFile().jsonData(), as: UTF8.self)
            .replacingOccurrences(of: "\"iterations\" : 1000000,", with: "\"iterations\" : \"many\","))
        #expect(wrongType.contains("benchmarks[0].iterations"))
    }

    @Test("a non-finite figure is refused when encoding, not written as invalid JSON")
    func nonFinite() {
        var file = Self.sampleFile()
        file.benchmarks[0].counters["p99_ns"] = .infinity
        #expect(throws: EncodingError.self) { try file.jsonData() }
    }

    @Test("aggregates: median/min/max/cv per figure, named as google-benchmark names them")
    func aggregates() throws {
        let (entries, warnings) = BenchmarkEntry.aggregates(of: Self.repetitions())
        #expect(entries.map(\.name) == ["median", "min", "max", "cv"].map { "preempt-poll/relaxed/cacheline/vcpus:1_\($0)" })
        #expect(entries.allSatisfy { $0.runType == .aggregate && $0.repetitions == 3 && $0.repetitionIndex == nil })
        let median = entries[0], min = entries[1], max = entries[2], cv = entries[3]
        #expect(abs(median.realTime - 1.6) < 1e-12)
        #expect(min.realTime == 1.5 && abs(max.realTime - 1.7) < 1e-12)
        #expect(median.counters["reads_per_second"] == 6.1e8)
        #expect(max.counters["p99_ns"] == 152)
        #expect(cv.aggregateUnit == "percentage")
        #expect(cv.counters["torn_reads"] == nil)   // CV of all-zero is undefined: left out, not 0
        #expect(abs(cv.realTime - 0.1 / 1.6) < 1e-12)
        // real_time varies by 6.25 % (CV) > 5 %: a warning names the run and figure.
        let realTime = try #require(warnings.first { $0.figure == "real_time" })
        #expect(realTime.category == .spread && realTime.caseName == "preempt-poll/relaxed/cacheline/vcpus:1")
        #expect(realTime.text.hasPrefix("preempt-poll/relaxed/cacheline/vcpus:1 real_time varies by 6."))
        #expect(!warnings.contains { $0.figure == "reads_per_second" })   // 1.6 %: fine
    }

    @Test("CSV: one row per benchmark, counters as columns, empty when absent, quoted when needed")
    func csv() {
        let rows = [
            BenchmarkEntry(name: "a,b", iterations: 10, realTime: 1.25, cpuTime: 1, counters: ["p50_ns": 80]),
            BenchmarkEntry(name: "say \"hi\"", iterations: 20, realTime: 2, cpuTime: 2, counters: ["torn_reads": 3]),
        ]
        let lines = ResultCSV.render(rows).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == (ResultCSV.standardColumns + ["p50_ns", "torn_reads"]).joined(separator: ","))
        #expect(lines[1] == "\"a,b\",\"a,b\",iteration,,,,,1,0,1,10,1.25,1,ns,80,")
        #expect(lines[2] == "\"say \"\"hi\"\"\",\"say \"\"hi\"\"\",iteration,,,,,1,0,1,20,2,2,ns,,3")
    }

    @Test("host facts from a synthetic sysfs/procfs tree")
    func hostFromTree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-host-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        func put(_ path: String, _ text: String) throws {
            let full = root + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: false, encoding: .utf8)
        }
        try put("/sys/devices/system/cpu/online", "0-3\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index0/type", "Data\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index0/level", "1\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index0/size", "48K\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index0/shared_cpu_list", "0-1\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index3/type", "Unified\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index3/level", "3\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index3/size", "16M\n")
        try put("/sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list", "0-3\n")
        try put("/sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "powersave\n")
        try put("/proc/cpuinfo", "processor\t: 0\ncpu MHz\t\t: 2399.996\n")
        let host = HostDescription.collect(sysRoot: root + "/sys", procRoot: root + "/proc")
        #expect(host.numCPUs == 4)
        #expect(host.mhzPerCPU == 2400)
        #expect(host.cpuScalingEnabled)
        #expect(host.caches == [CacheDescription(type: "Data", level: 1, size: 48 * 1024, numSharing: 2),
                                CacheDescription(type: "Unified", level: 3, size: 16 << 20, numSharing: 4)])
        let context = host.context(pvbenchVersion: "9.9", build: .current())
        #expect(context.numCPUs == 4 && context.pvbenchVersion == "9.9")
        #expect(context.libraryBuildType == context.build.configuration)
        #expect(GoogleBenchmarkShape.problems(in: try ResultFile(context: context, benchmarks: []).jsonData()) == [])
    }

    @Test("this machine's context is collected and conforms")
    func liveHost() throws {
        let host = HostDescription.collect()
        #expect(host.numCPUs >= 1)
        #expect(!host.hostName.isEmpty)
        let build = BuildRecord.current()
        #expect(build.configuration == "debug" || build.configuration == "release")
        #expect(!build.architecture.isEmpty)
        let data = try ResultFile(context: host.context(pvbenchVersion: "test"), benchmarks: []).jsonData()
        #expect(GoogleBenchmarkShape.problems(in: data) == [])
    }
}
