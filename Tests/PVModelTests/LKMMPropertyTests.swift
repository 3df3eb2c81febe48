import PropertyBased
import PVModel
import Testing

/// A random kernel C test in which every access is `READ_ONCE` or
/// `WRITE_ONCE` and `smp_mb()` stands between any two accesses of a thread:
/// two or three threads of one to three accesses to `x`, `y`, `z`, each
/// decoded from one integer (kind, location); every write stores a value
/// of its own; the condition asks for one value per register.
struct FencedOnceProgram: CustomStringConvertible, Sendable {
    var codes: [[Int]]
    var wanted: Int

    static let generator = zip(Gen.int(in: 0 ... 1 << 16).array(of: 1 ... 3).array(of: 2 ... 3), Gen.int(in: 0 ... 1 << 16))
        .map { FencedOnceProgram(codes: $0, wanted: $1) }

    var text: String {
        var lines = ["C fenced-once", "", "{}", ""]
        var next = [1, 1, 1]
        var condition: [String] = []
        var w = wanted
        for (t, codes) in self.codes.enumerated() {
            lines.append("P\(t)(int *x, int *y, int *z)")
            lines.append("{")
            var body: [String] = []
            for (i, code) in codes.enumerated() {
                let loc = ["x", "y", "z"][(code / 2) % 3]
                if code % 2 == 0 {
                    body.append("\tint r\(i) = READ_ONCE(*\(loc));")
                    condition.append("\(t):r\(i)=\(w % 3)")
                    w /= 3
                } else {
                    body.append("\tWRITE_ONCE(*\(loc), \(next[(code / 2) % 3]));")
                    next[(code / 2) % 3] += 1
                }
            }
            lines.append(body.joined(separator: "\n\tsmp_mb();\n"))
            lines.append("}")
            lines.append("")
        }
        lines.append("locations [x; y; z]")
        lines.append("exists (\(condition.isEmpty ? "x=1" : condition.joined(separator: " /\\ ")))")
        return lines.joined(separator: "\n")
    }

    var description: String { text }

    static func programs(_ count: Int, seed: UInt64) -> [FencedOnceProgram] {
        var rng = Xoshiro(seed: (seed, 0x6C6B_6D6D_0000_0001, 3, 4))
        return (0 ..< count).map { _ in generator.run(using: &rng) }
    }
}

@Suite("LKMM properties")
struct LKMMPropertyTests {
    /// linux-kernel.cat's strong fence between every two accesses leaves no
    /// reordering: the kernel model must give exactly sequential consistency.
    @Test("every access ONCE with smp_mb() between any two: LKMM allows exactly what SC allows")
    func fullyFencedIsSC() throws {
        var decided = 0
        for g in FencedOnceProgram.programs(150, seed: 26) {
            let p = try LitmusParser.program(g.text)
            let lkmm = try ModelChecker.check(p, model: .lkmm)
            let sc = try ModelChecker.check(p, model: .sc)
            #expect(lkmm.states == sc.states, "\(g)")
            #expect(lkmm.satisfying == sc.satisfying && lkmm.notSatisfying == sc.notSatisfying,
                    "\(g): LKMM \(lkmm.satisfying)/\(lkmm.notSatisfying), SC \(sc.satisfying)/\(sc.notSatisfying)")
            #expect(lkmm.flags.isEmpty, "\(g): flags \(lkmm.flags)")
            decided += 1
        }
        print("lkmm = sc: \(decided) fully fenced ONCE programs compared")
    }

    /// Without the fences the kernel model is weaker than SC on some of the
    /// same programs (store buffering, load buffering…): the property above
    /// is not vacuous.
    @Test("the same programs without smp_mb(): LKMM allows more than SC on some")
    func unfencedIsWeaker() throws {
        var weaker = 0
        for g in FencedOnceProgram.programs(150, seed: 26) {
            let p = try LitmusParser.program(g.text.replacingOccurrences(of: "\tsmp_mb();\n", with: ""))
            let lkmm = try ModelChecker.check(p, model: .lkmm)
            let sc = try ModelChecker.check(p, model: .sc)
            #expect(Set(sc.states).isSubset(of: Set(lkmm.states)), "\(g): SC allows a state LKMM forbids")
            if lkmm.states.count > sc.states.count { weaker += 1 }
        }
        #expect(weaker > 0, "no unfenced program lets LKMM reach a state SC forbids")
        print("lkmm ⊋ sc: \(weaker) of 150 unfenced programs")
    }
}
