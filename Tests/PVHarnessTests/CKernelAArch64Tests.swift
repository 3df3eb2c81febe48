import Foundation
import PVExperiments
import PVRuntime
import Testing

/// The C kernels on arm64: `CPVReference` cross-compiled for aarch64 with
/// gcc -O2 (as the package builds it), disassembled with
/// `aarch64-linux-gnu-objdump -d`, must contain exactly the ordering
/// instructions (LDAR, STLR, DMB …) that ``OrderingMapping`` gives for the
/// C11 accesses each kernel is written with, and the plain LDR/STR of its
/// relaxed ones; a kernel that implements a recordable Swift strategy must
/// make the same ordering instructions as the recorder wrote for it.
///
/// Left out: `pvref_steal_read_ck`. Debian's libck-dev is configured for
/// the host (its ck_md.h defines CK_MD_TSO, which makes CK's load and store
/// fences compiler barriers) and there is no libck for aarch64 here, so
/// compiling it would check CK's x86 build, not its arm64 one.
/// `-ffreestanding`: the kernels need no libc, and the cross compiler may be
/// installed without aarch64 libc headers.
///
/// Not replaced by the C kernel verdicts (`CKernelModelTests`, `validate
/// --model compiled`): the questions those ask (torn, backwards) are about
/// one location each, decided by single-copy atomicity and coherence, so a
/// kernel whose acquire became relaxed or that lost its `dmb` would keep
/// every verdict; this test sees it. And `pvlit_execute` is no strategy's kernel.
@Suite("C kernels cross-compiled for aarch64")
struct CKernelAArch64Tests {
    static let gcc = Tool.find("aarch64-linux-gnu-gcc")
    static let objdump = Tool.find("aarch64-linux-gnu-objdump")
    static let missing: Comment = "aarch64-linux-gnu-gcc/objdump not installed (Debian gcc-aarch64-linux-gnu; scripts/lib/setup.sh installs it where apt can)"

    struct Kernel {
        let function: String
        let file: String
        /// The Swift strategy side the kernel implements, if any.
        let strategy: (StrategyKind, SharedRecordKind, ExplainedAccess.Side)?
        /// Its shared-memory accesses as the C code writes them (smp_rmb is an acquire fence).
        let accesses: [(SharedAccessKind, C11Ordering)]
    }

    static let kernels: [Kernel] = [
        Kernel(function: "pvref_steal_read_relaxed", file: "reference.c", strategy: (.relaxed, .stolenTime, .reader),
               accesses: [(.load, .relaxed)]),
        Kernel(function: "pvref_steal_read_acquire", file: "reference.c", strategy: (.acquireRelease, .stolenTime, .reader),
               accesses: [(.load, .acquire)]),
        Kernel(function: "pvref_steal_read_seqlock", file: "reference.c", strategy: (.seqlock, .stolenTime, .reader),
               accesses: [(.load, .acquire), (.load, .relaxed), (.fence, .acquire), (.load, .relaxed)]),
        Kernel(function: "pvref_preempt_poll_relaxed", file: "reference.c", strategy: (.relaxed, .preempted, .reader),
               accesses: [(.load, .relaxed)]),
        Kernel(function: "pvref_preempt_poll_acquire", file: "reference.c", strategy: (.acquireRelease, .preempted, .reader),
               accesses: [(.load, .acquire)]),
        Kernel(function: "pvref_idle_scan_relaxed", file: "reference.c", strategy: (.relaxed, .preempted, .reader),
               accesses: [(.load, .relaxed)]),
        Kernel(function: "pvref_preempted_write_relaxed", file: "reference.c", strategy: (.relaxed, .preempted, .writer),
               accesses: [(.store, .relaxed)]),
        Kernel(function: "pvref_preempted_write_release", file: "reference.c", strategy: (.acquireRelease, .preempted, .writer),
               accesses: [(.store, .release)]),
        Kernel(function: "pvref_preempted_write_seq_cst", file: "reference.c", strategy: (.seqCst, .preempted, .writer),
               accesses: [(.store, .seqCst)]),
        // kvm_update_stolen_time: read back (relaxed), one store.
        Kernel(function: "pvref_steal_update_relaxed", file: "reference.c", strategy: (.relaxed, .stolenTime, .writer),
               accesses: [(.load, .relaxed), (.store, .relaxed)]),
        Kernel(function: "pvref_steal_update_release", file: "reference.c", strategy: (.acquireRelease, .stolenTime, .writer),
               accesses: [(.load, .relaxed), (.store, .release)]),
        Kernel(function: "pvref_steal_update_seq_cst", file: "reference.c", strategy: (.seqCst, .stolenTime, .writer),
               accesses: [(.load, .relaxed), (.store, .seqCst)]),
        // Every litmus step: loads, stores and fences in each ordering.
        Kernel(function: "pvlit_execute", file: "litmus.c", strategy: nil,
               accesses: [(.load, .relaxed), (.load, .acquire), (.load, .seqCst), (.store, .relaxed), (.store, .release),
                          (.store, .seqCst), (.fence, .acquire), (.fence, .release), (.fence, .seqCst)]),
    ]
    static let leftOut = ["pvref_steal_read_ck"]

    /// Per function of `file`, the instructions (`LDAR`, `DMB ISHLD`, …), width suffixes dropped.
    static func disassemble(_ file: String) throws -> [String: [String]] {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = Tool.packageRoot.appendingPathComponent("Sources/CPVReference")
        let object = dir.appendingPathComponent("k.o").path
        let cc = try #require(gcc).run(["-O2", "-ffreestanding", "-DPVREF_WITHOUT_CK", "-D_GNU_SOURCE",
                                        "-I", source.appendingPathComponent("include").path, "-c",
                                        source.appendingPathComponent(file).path, "-o", object])
        try #require(cc.status == 0, "aarch64-linux-gnu-gcc \(file): \(cc.stderr)")
        let dump = try #require(objdump).run(["-d", "--no-show-raw-insn", object])
        try #require(dump.status == 0, "objdump: \(dump.stderr)")
        var out: [String: [String]] = [:]
        var current: String?
        for line in dump.stdout.split(separator: "\n") {
            if line.hasSuffix(">:"), let open = line.firstIndex(of: "<") {
                current = String(line[line.index(after: open) ..< line.index(line.endIndex, offsetBy: -2)])
                continue
            }
            guard let f = current else { continue }
            let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, fields[0].hasSuffix(":") else { continue }
            out[f, default: []].append(normalised(fields[1], operands: fields.count > 2 ? fields[2] : ""))
        }
        return out
    }

    /// `ldarb` → `LDAR`, `dmb ishld` → `DMB ISHLD`.
    static func normalised(_ mnemonic: String, operands: String) -> String {
        var m = mnemonic.uppercased()
        if m == "DMB" || m == "DSB" { return "\(m) \(operands.uppercased())" }
        if ["LDARB", "LDARH", "STLRB", "STLRH", "LDRB", "LDRH", "STRB", "STRH", "LDAPRB", "LDAPRH"].contains(m) { m.removeLast() }
        return m
    }

    static let memory: Set<String> = ["LDR", "STR", "LDAR", "LDAPR", "STLR", "LDXR", "STXR", "LDAXR", "STLXR"]

    static func ordering(_ instructions: [String]) -> Set<String> {
        Set(instructions.filter { (memory.contains($0) || $0.hasPrefix("DMB") || $0.hasPrefix("DSB")) && OrderingMapping.isOrdering($0) })
    }

    static func plain(_ instructions: [String]) -> Set<String> { Set(instructions.filter { ["LDR", "STR"].contains($0) }) }

    @Test("each C kernel's ordering instructions on aarch64 are the mapping's for its C11 accesses; each matches its Swift strategy",
          .enabled(if: gcc != nil && objdump != nil, missing))
    func kernelInstructions() throws {
        var byFile: [String: [String: [String]]] = [:]
        for file in Set(Self.kernels.map(\.file)) { byFile[file] = try Self.disassemble(file) }
        // Every kernel the C file defines has an expectation here (or a reason it is left out).
        for (file, functions) in byFile {
            let known = Set(Self.kernels.filter { $0.file == file }.map(\.function) + Self.leftOut)
            #expect(Set(functions.keys).subtracting(known).isEmpty, "\(file): kernels without an expectation: \(Set(functions.keys).subtracting(known))")
        }
        for k in Self.kernels {
            let code = try #require(byFile[k.file]?[k.function], "\(k.function) not in \(k.file)'s disassembly")
            let mapped = k.accesses.map { OrderingMapping.aarch64($0.0, $0.1) }
            var found = Self.ordering(code)
            // gcc for armv8-a emits LDAR; LDAPR (RCpc) would be weaker than the mapping the checker applies.
            if found.contains("LDAPR") {
                print("note: \(k.function): the compiler chose LDAPR for an acquire load")
                found.remove("LDAPR")
                found.insert("LDAR")
            }
            #expect(found == Self.ordering(mapped), "\(k.function): \(code) has \(found.sorted()), the mapping says \(Self.ordering(mapped).sorted())")
            #expect(Self.plain(mapped).isSubset(of: Self.plain(code)), "\(k.function): \(code) lacks \(Self.plain(mapped).sorted())")
            guard let (kind, record, side) = k.strategy else { continue }
            let e = StrategyExplanation.explain(kind, record)
            guard e.notRecorded == nil else { continue }  // the Swift side is not recorded yet: the C side alone is checked
            let swift = (side == .reader ? e.reader : e.writer).map(\.aarch64)
            #expect(Self.ordering(swift) == Self.ordering(mapped), "\(k.function) vs \(kind)/\(record) \(side): recorded \(swift)")
            #expect(Self.plain(swift).isSubset(of: Self.plain(mapped)), "\(k.function) vs \(kind)/\(record) \(side): recorded \(swift)")
        }
    }
}
