/// A set of nodes of one execution (n ≤ 64) as a bit mask: herd7's event
/// sets (`R`, `W`, `A`, `L`, `Q`, …).
struct NodeSet: Sendable, Equatable {
    var bits: UInt64

    static let empty = NodeSet(bits: 0)
    init(bits: UInt64) { self.bits = bits }
    init(_ members: some Sequence<Int>) {
        bits = 0
        for m in members { bits |= 1 << UInt64(m) }
    }

    func contains(_ n: Int) -> Bool { bits & (1 << UInt64(n)) != 0 }
    static func | (l: NodeSet, r: NodeSet) -> NodeSet { NodeSet(bits: l.bits | r.bits) }
    static func & (l: NodeSet, r: NodeSet) -> NodeSet { NodeSet(bits: l.bits & r.bits) }
    static prefix func ~ (s: NodeSet) -> NodeSet { NodeSet(bits: ~s.bits) }
}

/// A binary relation over `0..<n` as rows of bits (n ≤ 64): the
/// relational algebra of herd7's cat language over one execution.
///
/// | cat          | here                 |
/// |--------------|----------------------|
/// | `r \| s`     | `r | s`              |
/// | `r & s`      | `r & s`              |
/// | `r \ s`      | `r - s`              |
/// | `r ; s`      | `r * s`              |
/// | `r^-1`       | `r.inverse`          |
/// | `r+`, `r?`   | `r.plus`, `r.optional` |
/// | `[S]`        | `Relation.identity(S, size:)` |
/// | `[S]; r; [T]`| `r.restricted(S, T)` |
struct Relation: Sendable, Equatable {
    var rows: [UInt64]
    var count: Int { rows.count }

    init(size: Int) { rows = [UInt64](repeating: 0, count: size) }

    /// `range(r)`: the nodes something relates to.
    var range: NodeSet { NodeSet(bits: rows.reduce(0, |)) }

    /// `[S]`: the identity on `s`.
    static func identity(_ s: NodeSet, size: Int) -> Relation {
        var r = Relation(size: size)
        for i in 0 ..< size where s.contains(i) { r.add(i, i) }
        return r
    }

    mutating func add(_ a: Int, _ b: Int) { rows[a] |= 1 << UInt64(b) }
    func contains(_ a: Int, _ b: Int) -> Bool { rows[a] & (1 << UInt64(b)) != 0 }

    static func | (l: Relation, r: Relation) -> Relation {
        var o = l
        for i in o.rows.indices { o.rows[i] |= r.rows[i] }
        return o
    }

    static func & (l: Relation, r: Relation) -> Relation {
        var o = l
        for i in o.rows.indices { o.rows[i] &= r.rows[i] }
        return o
    }

    /// Difference `l \ r`.
    static func - (l: Relation, r: Relation) -> Relation {
        var o = l
        for i in o.rows.indices { o.rows[i] &= ~r.rows[i] }
        return o
    }

    /// Sequential composition `l ; r`.
    static func * (l: Relation, r: Relation) -> Relation {
        var o = Relation(size: l.count)
        for i in l.rows.indices {
            var m = l.rows[i]
            var acc: UInt64 = 0
            while m != 0 {
                let j = m.trailingZeroBitCount
                m &= m - 1
                acc |= r.rows[j]
            }
            o.rows[i] = acc
        }
        return o
    }

    /// `[domain]; r; [range]`.
    func restricted(_ domain: NodeSet, _ range: NodeSet) -> Relation {
        var o = self
        for i in o.rows.indices { o.rows[i] = domain.contains(i) ? o.rows[i] & range.bits : 0 }
        return o
    }

    /// `[domain]; r`.
    func from(_ domain: NodeSet) -> Relation { restricted(domain, NodeSet(bits: ~0)) }
    /// `r; [range]`.
    func to(_ range: NodeSet) -> Relation { restricted(NodeSet(bits: ~0), range) }

    /// `r^-1`.
    var inverse: Relation {
        var o = Relation(size: count)
        for i in rows.indices {
            var m = rows[i]
            while m != 0 {
                let j = m.trailingZeroBitCount
                m &= m - 1
                o.add(j, i)
            }
        }
        return o
    }

    /// `r?`: with the identity.
    var optional: Relation {
        var o = self
        for i in o.rows.indices { o.rows[i] |= 1 << UInt64(i) }
        return o
    }

    /// `r+` (Warshall).
    var plus: Relation {
        var o = self
        for k in o.rows.indices {
            let bit: UInt64 = 1 << UInt64(k)
            let rk = o.rows[k]
            for i in o.rows.indices where o.rows[i] & bit != 0 { o.rows[i] |= rk }
        }
        return o
    }

    /// cat `irreflexive r`.
    var isIrreflexive: Bool { rows.indices.allSatisfy { !contains($0, $0) } }

    /// cat `acyclic r` ⇔ `irreflexive r+`.
    var isAcyclic: Bool { plus.isIrreflexive }

    /// cat `empty r`.
    var isEmpty: Bool { rows.allSatisfy { $0 == 0 } }
}
