/// What a litmus writer needs to know about a program's accesses: which
/// location each one names and at what size, so that a file can state its
/// types and whether herd7 needs `-variant mixed`.
public struct LitmusAccess: Sendable, Hashable {
    public var thread: Int
    public var location: Int
    public var offset: Int64
    public var bytes: Int
}

/// A program a writer cannot express in its syntax; the reason is one line.
public struct LitmusWriteError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Instruction {
    /// Registers the instruction writes.
    var writtenRegisters: [Int] {
        switch self {
        case let .load(d, a, _, _, _), let .loadSigned(d, a, _, _): [d] + a.writtenBack
        case let .loadPair(a, b, ad, _, _, _): [a, b] + ad.writtenBack
        case let .store(_, a, _, _, s): (s.map { [$0] } ?? []) + a.writtenBack
        case let .storePair(_, _, a, _, _, s): (s.map { [$0] } ?? []) + a.writtenBack
        case let .compareAndSwap(e, _, _, _, _, _): [e]
        case let .compareAndSwapPair(e1, e2, _, _, _, _, _, _): [e1, e2]
        case let .exchange(r, _, _): [r]
        case let .move(d, _, _), let .arithmetic(_, d, _, _, _): [d]
        default: []
        }
    }

    /// The address and size of the memory access, if any (a pair: both halves).
    var access: (address: Address, bytes: Int)? {
        switch self {
        case let .load(_, a, n, _, _), let .store(_, a, n, _, _), let .exchange(_, a, n), let .loadSigned(_, a, n, _): (a, n)
        case let .loadPair(_, _, a, n, _, _), let .storePair(_, _, a, n, _, _), let .compareAndSwapPair(_, _, _, _, a, n, _, _): (a, 2 * n)
        default: nil
        }
    }
}

extension Program {
    /// The location and offset `address` names in `thread`: a location, or a
    /// base register that holds a location's address initially and is never
    /// written. Nil for anything computed (index registers, written bases).
    func resolve(_ address: Address, thread t: Int) -> (location: Int, offset: Int64)? {
        guard address.index == nil else { return nil }
        switch address.base {
        case let .location(l): return (l, address.offset)
        case let .register(r):
            guard let v = threads[t].initialRegisters[r], let l = v.location,
                  !threads[t].instructions.contains(where: { $0.writtenRegisters.contains(r) }) else { return nil }
            return (l, Int64(bitPattern: v.bits) &+ address.offset)
        }
    }

    /// Every memory access with its location; throws for an address a litmus
    /// writer cannot name.
    func litmusAccesses() throws -> [LitmusAccess] {
        var out: [LitmusAccess] = []
        for (t, thread) in threads.enumerated() {
            for i in thread.instructions {
                guard let (a, n) = i.access else { continue }
                guard let (l, o) = resolve(a, thread: t) else {
                    throw LitmusWriteError("an access through a computed address (P\(t): \(i))")
                }
                out.append(LitmusAccess(thread: t, location: l, offset: o, bytes: n))
            }
        }
        return out
    }

    /// Locations accessed at a size or offset other than their declared type:
    /// herd7 then needs `-variant mixed`.
    func mixedSizeLocations() -> [String] {
        guard let accesses = try? litmusAccesses() else { return [] }
        return locations.indices.filter { l in
            accesses.contains { $0.location == l && ($0.offset != 0 || $0.bytes != locations[l].type.bytes) }
        }.map { locations[$0].name }
    }

    /// The comment (without `(* *)`) every emitted file opens with: what it is, the C types of
    /// its locations and registers, and whether herd7 needs `-variant mixed`.
    func litmusHeader(_ lines: [String], registerName: (_ thread: Int, _ register: Int) -> String, typeName: (ValueType) -> String) -> String {
        var out = lines
        let types = locations.map { l in "\(l.name): \(typeName(l.type))\(l.count > 1 ? "[\(l.count)]" : "")" }
        var registers: [String] = []
        for (t, th) in threads.enumerated() {
            for (r, ty) in th.registerTypes.sorted(by: { $0.key < $1.key }) { registers.append("\(t):\(registerName(t, r)): \(typeName(ty))") }
        }
        out.append("Types: \(types.joined(separator: ", "))\(registers.isEmpty ? "" : "; registers \(registers.joined(separator: ", "))").")
        out.append(herdVariantNote ?? "Every access is at its location's declared size: herd7 needs no -variant mixed.")
        return out.joined(separator: "\n   ")
    }

    /// How herd7 must run the program when its accesses are mixed-size, or
    /// misaligned (herd7 7.57 refuses those unless told `unaligned`, and then
    /// keeps them single-copy atomic, which the Arm ARM does not for an
    /// access crossing a 16-byte boundary); nil when herd7 needs no variant.
    var herdVariantNote: String? {
        let mixed = mixedSizeLocations()
        guard !mixed.isEmpty else { return nil }
        let accesses = (try? litmusAccesses()) ?? []
        let misaligned = locations.indices.filter { l in accesses.contains { $0.location == l && $0.bytes <= 8 && $0.offset % Int64($0.bytes) != 0 } }
        guard !misaligned.isEmpty else { return "Mixed-size accesses to \(mixed.joined(separator: ", ")): run herd7 with -variant mixed." }
        return "Mixed-size accesses to \(mixed.joined(separator: ", ")), misaligned ones to \(misaligned.map { locations[$0].name }.joined(separator: ", ")): "
            + "run herd7 with -variant mixed,unaligned (herd7 7.57 then keeps a misaligned access single-copy atomic; the Arm ARM does not across a 16-byte boundary)."
    }
}

extension String {
    /// herd7 prints `not (p)`; its parser and ours read `~(p)` too.
    func replacingNot() -> String {
        split(separator: "not (", omittingEmptySubsequences: false).joined(separator: "~(")
    }

    func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

/// What follows the code: `locations [...]` when the program observes more
/// than its condition names, then the condition, as herd7 reads them.
func litmusTail(_ p: Program) -> [String] {
    var out: [String] = []
    if !p.observed.isEmpty {
        let names = p.observed.map { o -> String in
            switch o {
            case .register: HerdReport.atom(p, o)
            case let .memory(l, e): e.map { "\(l)[\($0)]" } ?? l
            }
        }
        out.append("locations [\(names.map { $0 + ";" }.joined(separator: " "))]")
    }
    out.append(HerdReport.condition(p, asInput: true).replacingNot())
    return out
}

/// herd7's column layout: `P0 | P1 ;` then one row per line of code.
func litmusColumns(_ columns: [[String]]) -> [String] {
    let rows = columns.map(\.count).max() ?? 0
    let width = columns.map { max(3, $0.map(\.count).max() ?? 0) }
    func line(_ cells: [String]) -> String {
        " " + cells.enumerated().map { $0.element.padded(width[$0.offset]) }.joined(separator: " | ") + " ;"
    }
    var out = [line(columns.indices.map { "P\($0)" })]
    for r in 0 ..< rows { out.append(line(columns.map { r < $0.count ? $0[r] : "" })) }
    return out
}

extension Address {
    /// The base register a pre- or post-index access updates.
    var writtenBack: [Int] {
        if writeback != nil, case let .register(b) = base { return [b] }
        return []
    }
}
