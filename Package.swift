// swift-tools-version:6.1
//
// pvbench: emulates and measures the KVM/arm64 paravirtual shared-memory
// records (PV time stolen-time record, PV sched `preempted` flag).
//
// Modules depend one way only:
//   C shims (CNUMA, CConcurrencyKit, CPVPlatform, CPVABI, CPVReference)
//     -> PVABI -> PVRuntime -> PVHarness -> pvbench (CLI)
import PackageDescription

let optimise: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "pvbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pvbench", targets: ["pvbench"]),
        .library(name: "PVBench", targets: ["PVABI", "PVRuntime", "PVHarness", "PVModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // libnuma (Debian: libnuma-dev).
        .systemLibrary(
            name: "CNUMA", path: "Sources/CNUMA", pkgConfig: "numa",
            providers: [.apt(["libnuma-dev"])]),
        // Concurrency Kit's ck_sequence (Debian: libck-dev), the peer seqlock.
        .systemLibrary(
            name: "CConcurrencyKit", path: "Sources/CConcurrencyKit", pkgConfig: "ck",
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
        .target(name: "PVModel", swiftSettings: optimise),
        .target(name: "PVABI", dependencies: ["CPVABI", "CPVPlatform"], swiftSettings: optimise),
        .target(
            name: "PVRuntime",
            dependencies: ["PVABI", "CPVPlatform", "CConcurrencyKit"],
            swiftSettings: optimise),
        .target(
            name: "PVHarness",
            dependencies: [
                "PVRuntime", "PVABI", "CNUMA", "CPVPlatform", "CPVReference",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: optimise),
        .executableTarget(
            name: "pvbench",
            dependencies: [
                "PVHarness", "PVRuntime", "PVABI", "PVModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimise),

        // Helpers the test targets share (a seeded generator); not shipped.
        .target(name: "PVTestSupport", path: "Tests/PVTestSupport"),
        .testTarget(name: "PVABITests", dependencies: ["PVABI", "CPVABI"]),
        .testTarget(name: "PVRuntimeTests", dependencies: ["PVRuntime", "PVABI", "CPVPlatform", "PVTestSupport"]),
        .testTarget(
            name: "PVHarnessTests", dependencies: ["PVHarness", "PVRuntime", "PVABI", "PVTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "PVModelTests", dependencies: ["PVModel", "PVTestSupport"]),
        .testTarget(name: "PVBenchCLITests", dependencies: ["pvbench", "PVTestSupport"]),
    ]
)
