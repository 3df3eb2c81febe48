/// herd7 AArch64 litmus text of a program built in code (as
/// `StrategyModel` records strategies), for the subset such programs use:
/// LDR/LDAR/STR/STLR of W or X registers at `[Xn]`, stores of immediates
/// (written as `MOV` then the store, through X8/W8), DMB, and scalar or
/// array locations with their types. `LitmusParser` reads it back.
public enum AArch64Litmus {
    public static func text(_ p: Program, comment: String? = nil) -> String {
        precondition(p.architecture == .aarch64)
        var initial: [String] = []
        for l in p.locations {
            let ty = typeName(l.type)
            initial.append(l.count == 1 ? "\(ty) \(l.name);" : "\(ty) \(l.name)[\(l.count)];")
        }
        var columns: [[String]] = []
        for (t, thread) in p.threads.enumerated() {
            for (r, v) in thread.initialRegisters.sorted(by: { $0.key < $1.key }) {
                if let loc = v.location { initial.append("\(t):X\(r)=\(p.locations[loc].name);") }
            }
            for (r, ty) in thread.registerTypes.sorted(by: { $0.key < $1.key }) {
                initial.append("\(typeName(ty)) \(t):X\(r);")
            }
            columns.append(thread.instructions.flatMap(lines))
        }
        let rows = columns.map(\.count).max() ?? 0
        let width = columns.map { max(3, $0.map(\.count).max() ?? 0) }
        func line(_ cells: [String]) -> String {
            " " + cells.enumerated().map { $0.element.padding(width[$0.offset]) }.joined(separator: " | ") + " ;"
        }
        var out = ["AArch64 \(p.name)"]
        if let comment { out.append("(* \(comment) *)") }
        out.append("{")
        out += initial
        out.append("}")
        out.append(line(columns.indices.map { "P\($0)" }))
        for r in 0 ..< rows { out.append(line(columns.map { r < $0.count ? $0[r] : "" })) }
        out.append(HerdReport.condition(p).replacingNot())
        return out.joined(separator: "\n") + "\n"
    }

    static func typeName(_ t: ValueType) -> String { "\(t.signed ? "" : "u")int\(t.bytes * 8)_t" }

    static func address(_ a: Address) -> String {
        guard case let .register(b) = a.base else { return "[?]" }
        if let i = a.index { return "[X\(b),X\(i)]" }
        return a.offset == 0 ? "[X\(b)]" : "[X\(b),#\(a.offset)]"
    }

    static func lines(_ i: Instruction) -> [String] {
        func reg(_ r: Int, _ bytes: Int) -> String { "\(bytes == 8 ? "X" : "W")\(r)" }
        switch i {
        case let .load(d, a, n, o, false):
            let op = switch o { case .plain: "LDR"; case .acquire: "LDAR"; case .acquirePC: "LDAPR" }
            return ["\(op) \(reg(d, n)),\(address(a))"]
        case let .store(.immediate(v), a, n, o, nil):
            return ["MOV \(reg(8, n)),#\(v)", "\(o == .plain ? "STR" : "STLR") \(reg(8, n)),\(address(a))"]
        case let .store(.register(s), a, n, o, nil):
            return ["\(o == .plain ? "STR" : "STLR") \(reg(s, n)),\(address(a))"]
        case let .fence(f):
            let name: String = switch f {
            case .dmbFull: "DMB ISH"
            case .dmbLoad: "DMB ISHLD"
            case .dmbStore: "DMB ISHST"
            case .isb: "ISB"
            case .mfence: "MFENCE"
            }
            return [name]
        default:
            return ["(* not printable: \(i) *)"]
        }
    }
}

extension String {
    fileprivate func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    /// herd7 prints `not (p)`; its parser and ours read `~(p)` too.
    fileprivate func replacingNot() -> String {
        split(separator: "not (", omittingEmptySubsequences: false).joined(separator: "~(")
    }
}
