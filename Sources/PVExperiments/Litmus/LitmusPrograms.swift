import PVModel

/// The litmus texts one ``LitmusShape`` gives, in herd7's formats:
/// the AArch64 target, and the program the runner's C11 atomics
/// (`pvlit_execute`, clang -O2) make of it on each architecture: what
/// really runs on this machine's hardware.
///
/// The C11 atomics, per architecture (LLVM's mappings, as Swift's atomics
/// too; no +rcpc target, so no LDAPR; `x ^ x` dependencies are folded):
///
/// | step              | AArch64 target | arm64 (clang) | x86-64 (clang) |
/// |-------------------|----------------|---------------|----------------|
/// | relaxed store     | STR            | STR           | MOV            |
/// | release store     | STLR           | STLR          | MOV            |
/// | seq-cst store     | STLR           | STLR          | XCHG           |
/// | relaxed load      | LDR            | LDR           | MOV            |
/// | acquire load      | LDAR           | LDAR          | MOV            |
/// | acquire-pc load   | LDAPR          | LDAR          | MOV            |
/// | seq-cst load      | LDAR           | LDAR          | MOV            |
/// | full fence        | DMB ISH        | DMB ISH       | MFENCE         |
/// | load fence        | DMB ISHLD      | DMB ISHLD (acquire fence) | — |
/// | store fence       | DMB ISHST      | DMB ISH (release fence)   | — |
/// | address dependency| EOR + indexed  | dropped       | dropped        |
public enum LitmusTarget: String, Sendable, CaseIterable {
    /// The AArch64 shape as a kernel engineer writes it.
    case aarch64
    /// What the runner executes on arm64.
    case swiftOnARM64 = "arm64"
    /// What the runner executes on x86-64.
    case swiftOnX86 = "x86_64"

    /// The target this binary's hardware runner executes.
    public static var host: LitmusTarget? {
        #if arch(x86_64)
        .swiftOnX86
        #elseif arch(arm64)
        .swiftOnARM64
        #else
        nil
        #endif
    }

    /// The model of the machine that runs this target.
    public var model: ModelKind { self == .swiftOnX86 ? .x86TSO : .armv8 }
}

extension LitmusShape {
    /// herd7 litmus text of this shape for `target`.
    public func litmus(_ target: LitmusTarget) -> String {
        target == .swiftOnX86 ? x86Text() : aarch64Text(swift: target == .swiftOnARM64)
    }

    /// The name of the program `target` runs, herd-style: the shape's own
    /// name for AArch64; otherwise the family plus what each thread keeps
    /// between its accesses (`MP+mfences`, `SB+xchgs`, or the bare family
    /// when nothing orders anything).
    public func programName(_ target: LitmusTarget) -> String {
        if target == .aarch64 { return name }
        if target == .swiftOnARM64, !swiftChangesOnARM64 { return name }
        var parts: [String] = []
        for steps in threads where steps.filter({ if case .fence = $0 { false } else { true } }).count > 1 {
            parts.append(threadSuffix(steps, target))
        }
        if parts.allSatisfy({ $0 == "po" }) { return family }
        if Set(parts).count == 1 { return "\(family)+\(parts[0])s" }
        return ([family] + parts).joined(separator: "+")
    }

    /// Whether the runner on arm64 runs another program than the target
    /// (LDAPR, DMB ISHST or a dependency it cannot keep).
    public var swiftChangesOnARM64: Bool {
        threads.joined().contains { s in
            switch s {
            case .fence(.store), .load(_, _, .acquirePC, _): true
            case let .load(_, _, _, d), let .store(_, _, _, d): d != nil
            default: false
            }
        }
    }

    private func threadSuffix(_ steps: [LitmusStep], _ target: LitmusTarget) -> String {
        var words: [String] = []
        for s in steps {
            switch (s, target) {
            case (.fence(.full), .swiftOnX86): words.append("mfence")
            case (.store(_, _, .seqCst, _), .swiftOnX86): words.append("xchg")
            case (_, .swiftOnX86): break
            case (.fence(.full), _), (.fence(.store), .swiftOnARM64): words.append("dmb.sy")
            case (.fence(.load), .swiftOnARM64): words.append("dmb.ld")
            case (.fence(.store), _): words.append("dmb.st")
            case (.store(_, _, .release, _), .swiftOnARM64), (.store(_, _, .seqCst, _), .swiftOnARM64): words.append("popl")
            case (.load(_, _, .relaxed, _), .swiftOnARM64): break
            case (.load, .swiftOnARM64): words.append("poa")
            default: break
            }
        }
        return words.isEmpty ? "po" : words.joined(separator: ".")
    }

    private func locationsUsed(_ steps: [LitmusStep]) -> [Int] {
        var out: [Int] = []
        for s in steps {
            switch s {
            case let .store(l, _, _, _), let .load(_, l, _, _): if !out.contains(l) { out.append(l) }
            case .fence: break
            }
        }
        return out.sorted()
    }

    /// AArch64: result k in W(2k); the address of location l in X(10+l);
    /// stored values through W8; an address dependency through W9.
    private func aarch64Text(swift: Bool) -> String {
        var init_: [String] = []
        var columns: [[String]] = []
        for (t, steps) in threads.enumerated() {
            init_.append(locationsUsed(steps).map { "\(t):X\(10 + $0)=\(Self.locationNames[$0]);" }.joined(separator: " "))
            var code: [String] = []
            for s in steps {
                switch s {
                case let .store(l, v, o, dep):
                    code.append("MOV W8,#\(v)")
                    let op = o == .relaxed ? "STR" : "STLR"
                    if let d = dep, !swift {
                        code.append("EOR W9,W\(2 * d),W\(2 * d)")
                        code.append("\(op) W8,[X\(10 + l),X9]")
                    } else {
                        code.append("\(op) W8,[X\(10 + l)]")
                    }
                case let .load(k, l, o, dep):
                    let op: String = switch (o, swift) {
                    case (.relaxed, _): "LDR"
                    case (.acquirePC, false): "LDAPR"
                    default: "LDAR"
                    }
                    if let d = dep, !swift {
                        code.append("EOR W9,W\(2 * d),W\(2 * d)")
                        code.append("\(op) W\(2 * k),[X\(10 + l),X9]")
                    } else {
                        code.append("\(op) W\(2 * k),[X\(10 + l)]")
                    }
                case let .fence(f):
                    let barrier: String = switch (f, swift) {
                    case (.full, _), (.store, true): "DMB ISH"
                    case (.load, _): "DMB ISHLD"
                    case (.store, false): "DMB ISHST"
                    }
                    code.append(barrier)
                }
            }
            columns.append(code)
        }
        let header = swift ? "AArch64 \(name)+swift\n(* \(name) as the runner's C11 atomics run it on arm64 *)" : "AArch64 \(name)\n(* \(note) *)"
        return render(header: header, initial: init_.filter { !$0.isEmpty }.joined(separator: "\n"), columns: columns,
                      condition: exists.map { atom($0, register: { "X\(2 * $0)" }) })
    }

    /// X86 (Intel syntax): result 0 in EAX, result 1 in EBX; a seq-cst store
    /// is `XCHG` through ECX, as clang (and Swift) emit it.
    private func x86Text() -> String {
        var columns: [[String]] = []
        for steps in threads {
            var code: [String] = []
            for s in steps {
                switch s {
                case let .store(l, v, .seqCst, _):
                    code.append("MOV ECX,$\(v)")
                    code.append("XCHG [\(Self.locationNames[l])],ECX")
                case let .store(l, v, _, _): code.append("MOV [\(Self.locationNames[l])],$\(v)")
                case let .load(k, l, _, _): code.append("MOV \(k == 0 ? "EAX" : "EBX"),[\(Self.locationNames[l])]")
                case .fence(.full): code.append("MFENCE")
                case .fence: break
                }
            }
            columns.append(code)
        }
        return render(header: "X86 \(programName(.swiftOnX86))\n(* \(name) as the runner's C11 atomics run it on x86-64 *)", initial: "",
                      columns: columns, condition: exists.map { atom($0, register: { $0 == 0 ? "EAX" : "EBX" }) })
    }

    private func atom(_ a: LitmusAtom, register: (Int) -> String) -> String {
        switch a {
        case let .result(t, k, v): "\(t):\(register(k))=\(v)"
        case let .memory(l, v): "\(Self.locationNames[l])=\(v)"
        }
    }

    private func render(header: String, initial: String, columns: [[String]], condition: [String]) -> String {
        let rows = columns.map(\.count).max() ?? 0
        let width = columns.map { ($0.map(\.count).max() ?? 0) }.map { max($0, 3) }
        func line(_ cells: [String]) -> String {
            " " + cells.enumerated().map { $0.element.padding(toLength: width[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " ;"
        }
        var out = [header, "{", initial.isEmpty ? nil : initial, "}"].compactMap { $0 }
        out.append(line(columns.indices.map { "P\($0)" }))
        for r in 0 ..< rows { out.append(line(columns.map { r < $0.count ? $0[r] : "" })) }
        out.append("exists (\(condition.joined(separator: " /\\ ")))")
        return out.joined(separator: "\n") + "\n"
    }
}
