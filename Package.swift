// swift-tools-version:6.1
//
// pvbench: emulates and measures the KVM/arm64 paravirtual shared-memory
// records (PV time stolen-time record, PV sched `preempted` flag).
//
// Linux only (x86_64 and arm64): it pins threads with sched_setaffinity,
// places memory with libnuma, reads /sys and opens perf_event_open.
//
// Modules depend one way only (the package graph refuses a cycle):
//   C shims (CNUMA, CConcurrencyKit, CPVPlatform, CPVABI, CPVReference)
//     -> PVABI (records' layout, hypercalls, guest memory, the stop flag)
//          -> PVRuntime (strategies, detector; with PVModel's program representation)
//          -> PVHost (topology, placement, NUMA, pinned threads, clocks, perf, signals;
//             not PVRuntime: threads and loops share only PVABI's StopFlag)
//   PVRecords (what the host measured, as stored: clock, idle floor, disturbance)
//     -> PVHost, and -> PVResults (result files, tables, reports: Foundation and
//        PVRecords only, so reading results links neither libnuma nor the checker)
//   PVHost, PVResults, PVRuntime, PVModel
//     -> PVExperiments (scenarios, suites, validate, litmus, faults, statistics;
//        the host facts a result context records) -> pvbench (CLI)
import PackageDescription

let optimise: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// The memory-model checker enumerates candidate executions: -Onone makes
/// it about 20x slower (`validate --model-only`: 58 s debug, 3 s release),
/// and with it every test and sanitizer job that asks a model. It is
/// optimised in every configuration; it has no shared-memory code to debug.
let checker: [SwiftSetting] = optimise + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "pvbench",
    products: [
        .executable(name: "pvbench", targets: ["pvbench"]),
        .library(name: "PVBench", targets: ["PVABI", "PVRuntime", "PVRecords", "PVHost", "PVResults", "PVExperiments", "PVModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        // Tests only: generators for the checker's random-program properties.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // libnuma (Debian: libnuma-dev).
        .systemLibrary(
            name: "CNUMA", path: "Sources/CNUMA", pkgConfig: "numa",
            providers: [.apt(["libnuma-dev"])]),
        // Concurrency Kit's ck_sequence (Debian: libck-dev), the peer seqlock.
        // No pkgConfig: ck.pc only adds the compiler's own -D__<arch>__,
        // which SwiftPM refuses with a warning; the module map links -lck.
        .systemLibrary(
            name: "CConcurrencyKit", path: "Sources/CConcurrencyKit",
            providers: [.apt(["libck-dev"])]),
        // What Swift cannot reach: CPU_SET macros, thread names, cycle
        // counters, cpu_relax, perf_event_open.
        .target(
            name: "CPVPlatform",
            cSettings: [.define("_GNU_SOURCE"), .unsafeFlags(["-O2"])]),
        // The two shared records as C structs, as the kernel declares them;
        // offsets are asserted with _Static_assert(offsetof(...)).
        .target(name: "CPVABI"),
        // Kernel-style C versions of the hot loops: the baseline Swift must match.
        .target(
            name: "CPVReference",
            dependencies: ["CConcurrencyKit"],
            cSettings: [.define("_GNU_SOURCE"), .unsafeFlags(["-O2"])]),

        // Memory-model checker (SC, x86-TSO, ARMv8) and herd7 litmus I/O: standard library only.
        .target(name: "PVModel", swiftSettings: checker),
        .target(name: "PVABI", dependencies: ["CPVABI"], swiftSettings: optimise),
        .target(
            name: "PVRuntime",
            // PVModel: the strategies record themselves as checker programs.
            dependencies: ["PVABI", "PVModel", "CPVPlatform", "CConcurrencyKit"],
            swiftSettings: optimise),
        // What the host measured, as a result stores it: plain Codable records.
        .target(name: "PVRecords", swiftSettings: optimise),
        // Host services: what the machine is and how threads and memory are put on it.
        .target(name: "PVHost", dependencies: ["PVABI", "PVRecords", "CNUMA", "CPVPlatform"], swiftSettings: optimise),
        // Result files, terminal tables and reports: data in, text and plots out.
        .target(name: "PVResults", dependencies: ["PVRecords"], swiftSettings: optimise),
        // What is run: scenarios and suites, validate, litmus, faults, latency statistics.
        .target(
            name: "PVExperiments",
            dependencies: [
                "PVHost", "PVRecords", "PVResults", "PVRuntime", "PVABI", "PVModel", "CPVPlatform", "CPVReference",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: optimise),
        .executableTarget(
            name: "pvbench",
            dependencies: [
                "PVExperiments", "PVResults", "PVRecords", "PVHost", "PVRuntime", "PVABI", "PVModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimise),

        // Helpers the test targets share (a seeded generator); not shipped.
        .target(name: "PVTestSupport", dependencies: ["PVResults"], path: "Tests/PVTestSupport"),
        .testTarget(name: "PVABITests", dependencies: ["PVABI", "CPVABI"]),
        .testTarget(name: "PVRuntimeTests", dependencies: ["PVRuntime", "PVABI", "PVModel", "CPVPlatform", "PVTestSupport"]),
        .testTarget(
            name: "PVHarnessTests", dependencies: ["PVHost", "PVRecords", "PVResults", "PVExperiments", "PVRuntime", "PVABI", "PVModel", "PVTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PVModelTests",
            dependencies: ["PVModel", "PVTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            // Fixtures/herd-corpus: the herd7 differential corpus (litmus files and herd7's answers).
            resources: [.copy("Fixtures")]),
        .testTarget(name: "PVBenchCLITests", dependencies: ["pvbench", "PVTestSupport"]),
    ]
)
