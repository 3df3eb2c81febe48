import Foundation
import PVExperiments
import PVModel
import PVRuntime
import Testing

/// Swift's side of the C11 → instruction mapping, checked where this
/// machine can: every recordable strategy's reader and writer, compiled
/// from the built PVRuntime module with `swiftc -O`, must carry in LLVM IR
/// the atomic orderings the strategy's code names (traced with
/// ``AccessTrace``), which the recorder mapped to the AArch64 instructions
/// of ``OrderingMapping``; and on x86-64 Swift must emit the instructions
/// the mapping's x86 column says. (Swift cannot be compiled for arm64 here:
/// there is no arm64 standard library, so the AArch64 side is the C
/// kernels' test.)
@Suite("Swift atomics: IR orderings and x86-64 instructions")
struct SwiftAtomicsMappingTests {
    static let swiftc = Tool.find("swiftc")

    /// The directory of the build's modules (`<build>/Modules`), from the test bundle's path.
    static let buildDirectory: URL? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Modules/PVRuntime.swiftmodule").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    static let canCompile = swiftc != nil && buildDirectory != nil
    #if arch(x86_64)
    static let onX86 = true
    #else
    static let onX86 = false
    #endif

    /// One generated function: a strategy's read or write, or a fence.
    struct Probe {
        let name: String
        let source: String
        /// The C11 accesses it must carry, in order.
        let expected: [AccessTrace.Access]
    }

    /// A read and a write per recordable strategy × record, from `StrategyKind.allCases`,
    /// and one function per `SharedMemoryFence`.
    static var probes: [Probe] {
        var out: [Probe] = []
        for kind in StrategyKind.allCases {
            for record in kind.targets {
                guard let s = StrategyModel.recordable(kind, record) else { continue }
                let type = String(reflecting: s)
                // Code that calls C (ck-sequence) has no Swift atomics of its own to check.
                guard let (read, write) = traces(s) else { continue }
                let n = out.count
                out.append(Probe(name: "pvRead\(n)x", source: """
                    public func pvRead\(n)x(_ p: UnsafeMutableRawPointer) -> \(type).Target.Value? {
                        var m = HardwareAccessor(p); var r: UInt64 = 0
                        return \(type).readBounded(&m, retries: &r, limit: 1)
                    }
                    """, expected: read))
                out.append(Probe(name: "pvWrite\(n)x", source: """
                    public func pvWrite\(n)x(_ p: UnsafeMutableRawPointer, _ v: \(type).Target.Value) {
                        var m = HardwareAccessor(p); \(type).write(&m, v)
                    }
                    """, expected: write))
            }
        }
        for (name, ordering) in [("acquire", C11Ordering.acquire), ("release", .release), ("seqCst", .seqCst)] {
            out.append(Probe(name: "pvFence\(name)x", source: "public func pvFence\(name)x() { SharedMemoryFence.\(name)() }",
                             expected: [AccessTrace.Access(kind: .fence, offset: 0, bytes: 0, ordering: ordering)]))
        }
        return out
    }

    /// One attempt of the read (what the recorder records) and one write.
    static func traces<S: RecordableStrategy>(_: S.Type) -> ([AccessTrace.Access], [AccessTrace.Access])? {
        var w = AccessTrace()
        let r = AccessTrace.acceptedRead(S.self)
        S.write(&w, S.recordedValue(1))
        guard r.refusal == nil, w.refusal == nil else { return nil }
        // Unaligned accesses (straddle) are plain loads and stores in the code, not LLVM atomics.
        return (r.accesses.filter { !$0.unaligned }, w.accesses.filter { !$0.unaligned })
    }

    /// `swiftc -O -emit-ir` or `-emit-assembly` of every probe; per probe, its function's text.
    static func compile(_ probes: [Probe], emit: String) throws -> [String: String] {
        let build = try #require(buildDirectory)
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("Probes.swift")
        try ("import PVABI\nimport PVRuntime\n\n" + probes.map(\.source).joined(separator: "\n\n") + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        // The C modules PVRuntime imports: the build's generated module maps and the system-library one.
        let maps = try FileManager.default.contentsOfDirectory(atPath: build.path).filter { $0.hasSuffix(".build") }
            .map { build.appendingPathComponent("\($0)/module.modulemap").path }
            .filter { FileManager.default.fileExists(atPath: $0) }
            + [Tool.packageRoot.appendingPathComponent("Sources/CConcurrencyKit/module.modulemap").path]
        let out = try #require(swiftc).run(
            ["-O", "-parse-as-library", "-module-name", "Probes", emit, file.path, "-o", "-",
             "-I", build.appendingPathComponent("Modules").path] + maps.flatMap { ["-Xcc", "-fmodule-map-file=\($0)"] })
        try #require(out.status == 0, "swiftc \(emit) failed: \(out.stderr)")
        return functions(out.stdout, names: probes.map(\.name), ir: emit == "-emit-ir")
    }

    /// Each named function's body: IR `define … @"$s6Probes<len><name>…" { … }`, or an assembly label to `# -- End function`.
    static func functions(_ text: String, names: [String], ir: Bool) -> [String: String] {
        var out: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let c = current {
                if ir ? line.hasPrefix("}") : line.contains("-- End function") { current = nil } else { out[c, default: ""] += line + "\n" }
                continue
            }
            guard ir ? line.hasPrefix("define ") : (line.hasPrefix("$s") && line.contains(":")) else { continue }
            current = names.first { line.contains("Probes\($0.count)\($0)") }
        }
        return out
    }

    /// The atomic operations of an IR function body, in order.
    static func atomics(_ body: String) -> [(SharedAccessKind, String)] {
        body.split(separator: "\n").compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            if let i = words.firstIndex(of: "fence") { return (.fence, words[i + 1]) }
            guard words.contains("atomic"), let ordering = words.last(where: { ["monotonic", "acquire", "release", "seq_cst"].contains($0) })
            else { return nil }
            if words.contains("load") { return (.load, ordering) }
            if words.contains("store") { return (.store, ordering) }
            return nil
        }
    }

    @Test("every recordable strategy's code carries the orderings its trace names, and the recorder maps them as OrderingMapping says",
          .enabled(if: canCompile, "swiftc or the build's Modules directory not found: cannot compile the strategies' code"))
    func irOrderings() throws {
        let probes = Self.probes
        #expect(probes.count > 3, "no recordable strategy found")
        let ir = try Self.compile(probes, emit: "-emit-ir")
        for p in probes {
            let body = try #require(ir[p.name], "\(p.name) not in the IR")
            let found = Self.atomics(body)
            #expect(found.map(\.0) == p.expected.map(\.kind), "\(p.name): \(found) for \(p.expected)")
            #expect(found.map(\.1) == p.expected.map { OrderingMapping.llvm($0.ordering) }, "\(p.name): \(found) for \(p.expected)")
        }
        // The recorder's AArch64 instruction for each access is the mapping's.
        for e in StrategyExplanation.all() where e.notRecorded == nil {
            for a in e.accesses {
                #expect(a.aarch64 == OrderingMapping.aarch64(a.kind, a.ordering), "\(e.strategy)/\(e.record) \(a.access)")
            }
        }
    }

    @Test("on x86-64, Swift emits what the mapping's x86 column says (XCHG for a seq_cst store, LOCK OR for a seq_cst fence)",
          .enabled(if: canCompile, "swiftc or the build's Modules directory not found: cannot compile the strategies' code"),
          .enabled(if: onX86, "x86-64 instructions are checked on an x86-64 host only"))
    func x86Instructions() throws {
        let probes = Self.probes
        let asm = try Self.compile(probes, emit: "-emit-assembly")
        for p in probes {
            let body = try #require(asm[p.name], "\(p.name) not in the assembly")
            let instructions = body.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.hasPrefix(".") && !$0.hasPrefix("#") && !$0.isEmpty }
            let expected = p.expected.compactMap { OrderingMapping.x86($0.kind, $0.ordering)?.lowercased() }
            for x in Set(expected) {
                let word = x.split(separator: " ").map(String.init)
                #expect(instructions.contains { i in
                    let w = i.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                    return w.count >= word.count && zip(w, word).allSatisfy { $0.0.hasPrefix($0.1) }
                }, "\(p.name): no \(x) in \(instructions)")
            }
            // A locked instruction or a fence appears only where the mapping has one.
            let locked = instructions.contains { $0.hasPrefix("xchg") || $0.hasPrefix("lock") || $0.hasPrefix("mfence") }
            #expect(locked == expected.contains { $0 != "mov" }, "\(p.name): \(instructions)")
        }
    }

    @Test("a pair's mnemonic says its ordering: LDIAPP and STILP are not LDP and STP")
    func pairMnemonics() throws {
        let p = try LitmusParser.parse("""
            AArch64 pairs
            { x=0; y=0; 0:X0=x; }
             P0                 ;
             LDP W1,W2,[X0]     ;
             LDIAPP W1,W2,[X0]  ;
             STP W1,W2,[X0]     ;
             STILP W1,W2,[X0]   ;
            exists (0:X1=0)
            """)
        #expect(p.threads[0].instructions.map(OrderingMapping.mnemonic) == ["LDP", "LDIAPP", "STP", "STILP"])
    }
}
