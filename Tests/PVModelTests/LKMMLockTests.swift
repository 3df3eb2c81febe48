import PVModel
import Testing

/// lock.cat's flags and the lock tests whose coherence lock.cat builds
/// otherwise than by value. Expected answers are herd7 7.57's
/// (`-conf linux-kernel.cfg`) on the same text.
@Suite("LKMM spinlocks: lock.cat's flags")
struct LKMMLockTests {
    static func check(_ p0: String, _ p1: String, _ condition: String) throws -> CheckResult {
        try ModelChecker.check(try LitmusParser.program("""
            C lock
            {}
            P0(spinlock_t *s, int *x) { \(p0) }
            P1(spinlock_t *s, int *x) { \(p1) }
            exists (\(condition))
            """))
    }

    @Test("a spinlock's final value in the condition raises lock-final (herd7: Positive 1, Negative 1, Flag lock-final)")
    func lockFinal() throws {
        let r = try Self.check("spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s);",
                               "int r1; spin_lock(s); r1 = READ_ONCE(*x); spin_unlock(s);", "1:r1=0 /\\ s=0")
        #expect((r.satisfying, r.notSatisfying, r.flags) == (1, 1, ["lock-final"]))
        let unobserved = try Self.check("spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s);",
                                        "int r1; spin_lock(s); r1 = READ_ONCE(*x); spin_unlock(s);", "1:r1=0")
        #expect(unobserved.flags == [])
    }

    /// herd7 answers these from lock.cat's own co and rf, which the
    /// critical-section orders do not cover (the unlock: Positive 1,
    /// Negative 1, Flag unmatched-unlock; the READ_ONCE of the lock: no
    /// execution at all), so pvbench refuses them.
    @Test("an unmatched spin_unlock and an ordinary access to a spinlock are refused by lock.cat's flag names", arguments: [
        ("spin_unlock(s); WRITE_ONCE(*x, 1);", "unmatched-unlock"),
        ("int r2; spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s); r2 = READ_ONCE(*s);", "mixed-lock-accesses"),
    ])
    func refused(_ p0: String, _ flag: String) throws {
        do {
            _ = try Self.check(p0, "int r1; spin_lock(s); r1 = READ_ONCE(*x); spin_unlock(s);", "1:r1=0")
            Issue.record("decided")
        } catch let ModelError.notModelled(why) {
            #expect(why.contains("lock.cat's \(flag)"), "\(why)")
        }
    }

    @Test("a thread taking a lock it holds deadlocks: no execution, no flag (herd7: States 0)")
    func selfDeadlock() throws {
        let r = try Self.check("spin_lock(s); spin_lock(s); spin_unlock(s); spin_unlock(s);", "int r1; r1 = READ_ONCE(*x);", "1:r1=0")
        #expect(r.states.isEmpty && r.flags.isEmpty)
    }
}
