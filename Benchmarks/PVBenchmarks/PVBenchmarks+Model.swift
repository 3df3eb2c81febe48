import Benchmark
import Foundation
import PVModel

/// `model/shipped-litmus`: parse every litmus file in `litmus/` and decide
/// it under each model that takes it (AArch64: armv8, x86-tso mapped, sc;
/// x86: x86-tso, sc) — the figure issue 13 bounds (under 2 s, in one process).
/// The files are read before the measurement starts.
func registerModelBenchmarks() {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("litmus")
    var texts: [String] = []
    for dir in ["AArch64", "X86"] {
        let d = root.appendingPathComponent(dir)
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? []).sorted() where name.hasSuffix(".litmus") {
            if let t = try? String(contentsOf: d.appendingPathComponent(name), encoding: .utf8) { texts.append(t) }
        }
    }
    Benchmark("model/shipped-litmus", configuration: .init(metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations {
            var decided = 0
            for text in texts {
                guard let p = try? LitmusParser.parse(text) else { continue }
                for m in ModelKind.allCases {
                    if let r = try? ModelChecker.check(p, model: m) { decided += r.states.count > 0 ? 1 : 0 }
                }
            }
            blackHole(decided)
        }
    }
}
