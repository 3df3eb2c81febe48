// swift-tools-version:6.1
//
// pvbench micro-benchmarks with ordo-one/package-benchmark. A package of its
// own, so the root package's `swift build` and `swift test` never build
// package-benchmark and its dependencies.
//
//   cd Benchmarks && swift package benchmark
//
// The MallocInterposer trait is named explicitly: it keeps the malloc
// metrics without jemalloc, and leaves the other default traits off.
import PackageDescription

let package = Package(
    name: "PVBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "pvbench", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
                 traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PVBenchmarks",
            dependencies: [
                .product(name: "PVBench", package: "pvbench"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "PVBenchmarks",
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
