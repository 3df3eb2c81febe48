/// A binary relation over `0..<n` as rows of bits (n ≤ 64): the
/// relational algebra of herd7's cat language over one execution.
struct Relation: Sendable, Equatable {
    var rows: [UInt64]
    var count: Int { rows.count }

    init(size: Int) { rows = [UInt64](repeating: 0, count: size) }

    mutating func add(_ a: Int, _ b: Int) { rows[a] |= 1 << UInt64(b) }
    func contains(_ a: Int, _ b: Int) -> Bool { rows[a] & (1 << UInt64(b)) != 0 }

    static func | (l: Relation, r: Relation) -> Relation {
        var o = l
        for i in o.rows.indices { o.rows[i] |= r.rows[i] }
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

    /// `r+` (Warshall).
    var transitiveClosure: Relation {
        var o = self
        for k in o.rows.indices {
            let bit: UInt64 = 1 << UInt64(k)
            let rk = o.rows[k]
            for i in o.rows.indices where o.rows[i] & bit != 0 { o.rows[i] |= rk }
        }
        return o
    }

    /// `acyclic r` ⇔ `irreflexive r+`.
    var isAcyclic: Bool {
        let c = transitiveClosure
        for i in c.rows.indices where c.contains(i, i) { return false }
        return true
    }

    var isEmpty: Bool { rows.allSatisfy { $0 == 0 } }
}
