#if canImport(Glibc)
import Glibc
#endif
/// What herd7 7.57 reads but pvbench does not model, recognised before the
/// test is parsed, so that the refusal states the reason (one line, never
/// an answer): memory tagging (MTE), the virtual memory system (page
/// tables, TLB maintenance), instruction fetch (labels and instructions as
/// data, cache maintenance), faults, SVE/SME, and the header lines that
/// switch herd7 to another model (`Variant=…`, `TTHM=…`, `CacheType=…`).
enum LitmusScope {
    /// `lines` are the comment-free lines of the file, `header` the index of `ARCH NAME`.
    static func check(_ lines: [LitmusSource.Line], header: Int) throws {
        // Header lines before the init block: `KEY=value`.
        for line in lines[(header + 1)...] {
            if line.text.utf8.contains(UInt8(ascii: "{")) { break }
            let t = line.text.trimmingWhitespace()
            guard let eq = t.firstIndex(of: "=") else { continue }
            let key = String(t[..<eq]).trimmingWhitespace()
            switch key.lowercased() {
            case "variant":
                throw refusal(line, t, "the header sets herd7 variants, which change the model it checks")
            case "tthm":
                throw refusal(line, t, "hardware update of page-table flags (VMSA) is outside the model")
            case "cachetype":
                throw refusal(line, t, "instruction-cache types (instruction fetch) are outside the model")
            default: continue
            }
        }
        for line in lines[(header + 1)...] {
            let named = assignsName(line.text)
            let triggered = line.text.withCString { text in
                compiled.map { f in f.triggers.contains { $0 == assignedName ? named : strstr(text, $0) != nil } }
            }
            for (f, on) in zip(compiled, triggered) where on {
                if let m = try? f.pattern.firstMatch(in: line.text) {
                    throw refusal(line, String(line.text[m.range]), f.why)
                }
            }
        }
    }

    private static func refusal(_ line: LitmusSource.Line, _ token: String, _ why: String) -> LitmusError {
        LitmusError(line: line.number, token: token, "out of scope: \(why)")
    }

    /// Each feature: why it is refused, a pattern that finds it in a line,
    /// and literals one of which the pattern needs (a line with none of them
    /// is not matched: Swift's Regex costs more than the whole check otherwise).
    private static let features: [(why: String, pattern: String, triggers: [String])] = [
        ("page tables and address translation (VMSA) are outside the model",
         #"\b(PTE|PA|TTD)\s*\(|\bpte_[A-Za-z_]|\(\s*(valid|af|db|dbm|oa|el0)\s*:|\bTLBI\b"#,
         ["PTE", "PA", "TTD", "pte_", "valid", "af", "db", "oa", "el0", "TLBI"]),
        ("instruction fetch (an instruction as data) is outside the model", #"\binstr\s*:\s*""#, ["instr"]),
        // `=P1:L0`, `=label:"P1:L0"`: a code label used as a value (not `0:X1=x`).
        ("instruction fetch (a code label as data) is outside the model", #"=\s*(label\s*:\s*"|P\d+\s*:\s*[A-Za-z_])"#, [assignedName]),
        ("cache maintenance (IC, DC) is outside the model", #"(^|[|;:]|\s)(IC|DC)\s+[A-Za-z]+\s*(,|;|\||$)"#, ["IC", "DC"]),
        ("memory tags (MTE) are outside the model",
         #"=\s*[A-Za-z_]\w*\s*:\s*[A-Za-z_]\w*|\b(STG|STZG|STZ2G|LDG|STGP)\s"#, [assignedName, "STG", "STZ", "LDG"]),
        ("faults are outside the model", #"\bfault\s*\(|\bUDF\b|\bSVC\b|\bERET\b"#, ["fault", "UDF", "SVC", "ERET"]),
        ("SVE and SME are outside the model", #"\b[ZP]\d+\.[BHSDQ]\b|\bZA\b|\bSMSTART\b"#, [".B", ".H", ".S", ".D", ".Q", "ZA", "SMSTART"]),
    ]

    /// The trigger of the two patterns that start `= name :` (tags, labels as data).
    private static let assignedName = "= name :"

    /// Whether the line has `=`, then (after blanks) a name, then (after blanks) `:`.
    private static func assignsName(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func isStart(_ c: UInt8) -> Bool { ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c == 0x5f }
        func isWord(_ c: UInt8) -> Bool { isStart(c) || (c >= 0x30 && c <= 0x39) }
        for i in b.indices where b[i] == UInt8(ascii: "=") {
            var j = i + 1
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
            guard j < b.count, isStart(b[j]) else { continue }
            while j < b.count, isWord(b[j]) { j += 1 }
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
            if j < b.count, b[j] == UInt8(ascii: ":") { return true }
        }
        return false
    }

    /// The patterns, compiled once per process. Never mutated after this
    /// initialiser; Regex compiles its matcher lazily behind its own atomic,
    /// so reading it from several threads is safe.
    nonisolated(unsafe) private static let compiled: [(why: String, pattern: Regex<AnyRegexOutput>, triggers: [String])] =
        features.map { (why: $0.why, pattern: try! Regex($0.pattern), triggers: $0.triggers) }
}
