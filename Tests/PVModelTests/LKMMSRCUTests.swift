import PVModel
import Testing

/// SRCU as herd7 7.57 (`-conf linux-kernel.cfg`) has it: `srcu_read_lock`
/// returns `(proc + 1) * 307 + program_order_index * 599`, an index CSem
/// moves on for each statement, block, taken `if` branch and each
/// statement of a linux-kernel.def macro body; the flags of
/// linux-kernel.bell. Each expected answer is herd7's on the same text.
@Suite("LKMM SRCU")
struct LKMMSRCUTests {
    static func values(_ body: String, init initial: String = "") throws -> (values: [String], flags: [String]) {
        let text = """
        C srcu-index
        { \(initial) }
        P0(int *x) { WRITE_ONCE(*x, 5); }
        P1(int *x, struct srcu_struct *s) {
        \(body)
        }
        exists (1:r1=0)
        """
        let r = try ModelChecker.check(try LitmusParser.program(text))
        return (r.states.map { $0.values.map { String($0.bits) }.joined(separator: ",") }, r.flags)
    }

    @Test("srcu_read_lock's value counts herd7's program-order indexes", arguments: [
        // (body, init, herd7's values of 1:r1, herd7's flags)
        ("int r1; r1 = srcu_read_lock(s); srcu_read_unlock(s, r1);", "", ["1213"], [String]()),
        ("int r1; int r2; int r3; smp_store_mb(*x, 1); r1 = srcu_read_lock(s);", "", ["3010"], ["unbalanced-srcu-locking"]),
        ("int r1; int r2; r2 = READ_ONCE(*x); if (r2 == 1) { WRITE_ONCE(*x, 2); smp_mb(); } else WRITE_ONCE(*x, 3); r1 = srcu_read_lock(s);",
         "x=1;", ["4208", "6005"], ["unbalanced-srcu-locking"]),
        ("int r1; int r2; r2 = READ_ONCE(*x); if (r2 == 1) WRITE_ONCE(*x, 2); else { r1 = srcu_read_lock(s); srcu_read_unlock(s, r1); } r1 = srcu_read_lock(s);",
         "x=1;", ["4208", "5406"], ["unbalanced-srcu-locking"]),
        ("int r1; int r2; r2 = READ_ONCE(*x); if (r2 == 1) r1 = srcu_read_lock(s); else { atomic_inc(x); } srcu_read_unlock(s, r1);",
         "x=1;", ["0", "3010"], ["unbalanced-srcu-locking"]),
    ])
    func index(_ body: String, _ initial: String, _ herd: [String], _ herdFlags: [String]) throws {
        let (values, flags) = try Self.values(body, init: initial)
        #expect(values == herd)
        #expect(flags == herdFlags)
    }

    @Test("srcu_read_unlock given another lock's value raises srcu-bad-nesting; synchronize_srcu in an RCU reader, invalid-sleep")
    func flags() throws {
        #expect(try Self.values("int r1; int r2; r1 = srcu_read_lock(s); r2 = srcu_read_lock(s); srcu_read_unlock(s, r1); srcu_read_unlock(s, r2);").flags
            == ["srcu-bad-nesting"])
        #expect(try Self.values("int r1; rcu_read_lock(); synchronize_srcu(s); rcu_read_unlock();").flags == ["invalid-sleep"])
        #expect(try Self.values("int r1; rcu_read_lock(); rcu_read_unlock(); synchronize_srcu(s);").flags == [])
    }
}
