import Foundation
import PVExperiments
import PVModel
import PVRuntime
import Testing

@Suite("validate --emit-litmus: files and read-back")
struct LitmusEmissionTests {
    static let checks = LitmusEmission.checksAndOmissions(strategies: StrategyKind.allCases, records: SharedRecordKind.allCases).checks

    @Test("every AArch64 and X86 file pvbench emits reads back to the direct check's verdicts")
    func readBack() throws {
        var rechecked = 0, aarch64 = 0
        for c in Self.checks {
            for f in LitmusEmission.files(c) {
                guard let text = f.text else {
                    #expect(f.flavour != .aarch64, "\(f.fileName) not written: \(f.notWritten ?? "")")
                    #expect(f.notWritten?.isEmpty == false)
                    continue
                }
                #expect(text.contains("(* pvbench validate: "), "\(f.fileName)")
                guard f.flavour != .lkmm else { continue }
                rechecked += 1
                if f.flavour == .aarch64 { aarch64 += 1 }
                #expect(LitmusEmission.recheck(text, as: f.flavour, of: c) == nil)
            }
        }
        // Every recordable strategy × record × question and the lost-update pair; each has its
        // AArch64 file (an X86 one may be refused, with its reason, e.g. for exclusives).
        // (Recordable code that calls C has no program: it is not modelled, and not emitted.)
        let questions = StrategyKind.allCases.flatMap { k in
            k.targets.compactMap { r in StrategyModel.recordable(k, r).flatMap { s in
                (try? StrategyModel.program(s, record: r, .torn)).map { _ in StrategyModel.questions(s).count } } }
        }.reduce(0, +)
        #expect(Self.checks.count == questions + PreemptClear.allCases.count)
        #expect(aarch64 == Self.checks.count)
        #expect(rechecked > aarch64, "some X86 files are re-checked too")
    }

    /// What herd7 7.57 reads, restated here apart from the writers' code so that a
    /// regression shows without herd7: AArch64 `MOV Rd,#k` only as one MOVZ or MOVN
    /// (k or ~k one 16-bit chunk; W: in the low 32 bits), code immediates decimal
    /// within ±2^62, MOVK #0...#65534, ADD #k within ±4095; x86 `$k` decimal
    /// (`movl` 0...2^32-1); init and condition values decimal within Int64 or
    /// 0x-hexadecimal; one binding per register; LKMM C constants decimal, and a
    /// 64-bit one only with `-variant s128` stated.
    static func herdRuleViolations(_ text: String, _ flavour: LitmusEmission.Flavour) -> [String] {
        var out: [String] = []
        // What follows the opening comment; the init block.
        let body = text.components(separatedBy: "*)").dropFirst().joined(separator: "*)")
        let initBlock = body.split(separator: "}", maxSplits: 1).first.map(String.init) ?? ""
        func matches(_ pattern: String, in s: String = body) -> [[String]] {
            let re = try! NSRegularExpression(pattern: pattern)
            return re.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { m in
                (0 ..< m.numberOfRanges).map { Range(m.range(at: $0), in: s).map { String(s[$0]) } ?? "" }
            }
        }
        func oneChunk(_ v: UInt64) -> Int? { (0 ..< 4).first { v & ~(UInt64(0xFFFF) << UInt64(16 * $0)) == 0 } }
        switch flavour {
        case .aarch64:
            for m in matches(#"MOV ([WX])\d+,#(\S+?)\s*[|;]"#) {
                guard let k = Int64(m[2]), abs(k) < 1 << 62 else { out.append("\(m[0]): not a decimal immediate within ±2^62"); continue }
                let v = UInt64(bitPattern: k), w = m[1] == "W"
                guard let chunk = oneChunk(v) ?? oneChunk(~v), !w || chunk < 2 else { out.append("\(m[0]): neither MOVZ nor MOVN"); continue }
            }
            for m in matches(#"#(-?[0-9A-Za-z_+]+)"#) where Int64(m[1]) == nil || abs(Int64(m[1])!) >= 1 << 62 {
                out.append("#\(m[1]): not a decimal immediate within ±2^62")
            }
            for m in matches(#"MOVK [WX]\d+,#(\d+)"#) where Int(m[1])! > 65534 { out.append("\(m[0]): beyond #65534") }
            for m in matches(#"ADD [WX]\d+,[WX]\d+,#(-?\d+)"#) where abs(Int(m[1])!) > 4095 { out.append("\(m[0]): beyond ±4095") }
        case .x86:
            for m in matches(#"\$([^,\s]+),"#) where Int64(m[1]) == nil || abs(Int64(m[1])!) >= 1 << 62 {
                out.append("$\(m[1]): not a decimal immediate within ±2^62")
            }
            for m in matches(#"movl \$(-?\d+)"#) where !(0 ... 4_294_967_295).contains(Int64(m[1]) ?? -1) { out.append("\(m[0]): beyond 32 bits") }
        case .lkmm:
            if body.contains("0x") { out.append("hexadecimal in C code") }
            let wide = matches(#"[=,(]\s*(-?\d+)\b"#).contains { m in Int64(m[1]).map { !(Int64(Int32.min) ... Int64(Int32.max)).contains($0) } ?? true }
            if wide, !text.contains("-variant s128") { out.append("a constant wider than 32 bits without -variant s128") }
            return out
        }
        // Init block and condition values.
        for m in matches(#"=(-?)(0[xX][0-9a-fA-F]+|\d+)\b"#) {
            let ok = m[2].hasPrefix("0x") ? m[1].isEmpty && UInt64(m[2].dropFirst(2), radix: 16) != nil : Int64(m[1] + m[2]) != nil
            if !ok { out.append("\(m[0]): a value herd7 does not read") }
        }
        let bindings = matches(#"(\d+:\w+)(=|;)"#, in: initBlock).map { $0[1] }
        if Set(bindings).count != bindings.count { out.append("a register bound twice in the init block: \(bindings)") }
        return out
    }

    @Test("every file pvbench emits keeps herd7 7.57's reading rules (checked apart from the writers)")
    func herdRules() throws {
        var checked = 0
        for c in Self.checks {
            for f in LitmusEmission.files(c) {
                guard let text = f.text else { continue }
                checked += 1
                #expect(Self.herdRuleViolations(text, f.flavour).isEmpty, "\(f.fileName): \(Self.herdRuleViolations(text, f.flavour))\n\(text)")
            }
        }
        #expect(checked > 60, "only \(checked) files")
        // The rules themselves catch what herd7 refused before they were kept.
        for (bad, flavour) in [("MOV W8,#65537 ;", LitmusEmission.Flavour.aarch64), ("MOV X8,#281479271743489 |", .aarch64),
                               ("movq $0x1000100010001,%rax", .x86), ("WRITE_ONCE(*x, 0x10001);", .lkmm),
                               ("{ uint64_t 0:X1; 0:X1=x; }", .aarch64), ("exists (x=18446744073709551615)", .aarch64)] {
            #expect(!Self.herdRuleViolations("(* *)\n" + bad, flavour).isEmpty, "\(bad)")
        }
    }

    /// herd7 7.57's Observation lines for emitted files (`herd7 [-variant mixed] NAME.litmus`: aarch64.cat,
    /// x86tso-mixed.cat). They change when a strategy's program does: then run herd7 7.57 on the
    /// emitted file again and record its line here.
    static let herd7: [(file: String, observation: String)] = [
        ("relaxed+stolen-time+torn.AArch64.litmus", "Never 0 3"),
        ("acquire-release+preempted+torn.X86.litmus", "Never 0 3"),
        ("flag-then-data+stolen-time+inconsistent.AArch64.litmus", "Sometimes 1 3"),
        ("flag-then-data+stolen-time+inconsistent.X86.litmus", "Never 0 3"),
        ("seqlock+record+inconsistent.AArch64.litmus", "Never 0 18"),
        ("seqlock-nofence+record+inconsistent.AArch64.litmus", "Sometimes 5 19"),
        ("seqlock-nofence+record+inconsistent.X86.litmus", "Never 0 18"),
        ("preempt-clear-plain+lost-update.AArch64.litmus", "Sometimes 1 4"),
        ("preempt-clear-xchg+lost-update.AArch64.litmus", "Never 0 7"),
    ]

    @Test("on emitted files pvbench gives herd7 7.57's Observation line, verdict and counts (herd7's answers recorded)")
    func herd7Answers() throws {
        for (file, observation) in Self.herd7 {
            let parts = file.split(separator: ".")
            let flavour: LitmusEmission.Flavour = parts[1] == "AArch64" ? .aarch64 : .x86
            let c = try #require(Self.checks.first { $0.name == parts[0] }, "\(file) is no longer emitted")
            let text = try #require(LitmusEmission.files(c).first { $0.flavour == flavour }?.text)
            let p = try LitmusParser.parse(text)
            let out = HerdReport.render(try ModelChecker.check(p, model: p.architecture.defaultModel))
            #expect(out.contains("Observation \(parts[0]) \(observation)\n"), "\(file): herd7 7.57 says \(observation)\n\(out)")
        }
    }

    @Test("a changed verdict is caught: a file with its condition negated does not read back the same")
    func mismatchDetected() throws {
        let c = try #require(Self.checks.first { $0.name == "preempt-clear-plain+lost-update" })
        let text = try #require(LitmusEmission.files(c).first { $0.flavour == .aarch64 }?.text)
        let changed = text.replacingOccurrences(of: "[preempted]=0)", with: "[preempted]=7)")
        #expect(changed != text)
        #expect(LitmusEmission.recheck(changed, as: .aarch64, of: c) != nil)
    }

    @Test("files are written into a created directory; a path that is a file is refused")
    func writing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-emit-\(getpid())/sub").path
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let files = Self.checks.prefix(2).flatMap(LitmusEmission.files)
        let written = try LitmusEmission.write(files, to: dir)
        #expect(written.count == files.filter { $0.text != nil }.count)
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(Set(listed) == Set(written.map { ($0 as NSString).lastPathComponent }), "no temporary file left: \(listed)")
        #expect(throws: EmissionError.self) { try LitmusEmission.write(files, to: written[0]) }
    }
}
