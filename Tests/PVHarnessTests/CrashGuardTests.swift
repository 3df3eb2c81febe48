import CPVPlatform
import Foundation
import Testing

/// The alternate signal stack the crash guard gives each thread running a
/// C strategy file's code, and takes back when the thread leaves (`run --c`
/// spawns threads × repetitions × cases × files of them).
@Suite("Crash guard: per-thread alternate stacks")
struct CrashGuardTests {
    /// The calling thread's alternate stack: nil when disabled.
    static func altStack() -> (sp: UnsafeMutableRawPointer?, size: Int)? {
        var st = stack_t()
        guard sigaltstack(nil, &st) == 0 else { return nil }
        return st.ss_flags & Int32(SS_DISABLE) != 0 ? nil : (st.ss_sp, st.ss_size)
    }

    /// Runs `body` on a thread of its own and waits for it.
    static func onThread(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        done.wait()
    }

    static func disable() {
        var off = stack_t(ss_sp: nil, ss_flags: Int32(SS_DISABLE), ss_size: 0)
        _ = sigaltstack(&off, nil)
    }

    @Test("enter gives a thread without one a 64 KiB alternate stack; leave disables and frees it")
    func enterLeave() {
        let seen = LockedStates()
        Self.onThread {
            Self.disable()
            seen.append(Self.altStack()?.size)
            pv_crash_guard_enter_thread("t0")
            seen.append(Self.altStack()?.size)
            pv_crash_guard_leave_thread()
            seen.append(Self.altStack()?.size)
        }
        #expect(seen.values == [nil, 64 * 1024, nil])
    }

    @Test("a thread's own alternate stack is left as it was by enter and leave")
    func ownStackKept() {
        let same = LockedStates()
        Self.onThread {
            let mine = UnsafeMutableRawPointer.allocate(byteCount: 128 * 1024, alignment: 16)
            var st = stack_t(ss_sp: mine, ss_flags: 0, ss_size: 128 * 1024)
            guard sigaltstack(&st, nil) == 0 else { return }
            pv_crash_guard_enter_thread("t1")
            same.append(Self.altStack().map { $0.sp == mine ? $0.size : -1 })
            pv_crash_guard_leave_thread()
            same.append(Self.altStack().map { $0.sp == mine ? $0.size : -1 })
            Self.disable()
            mine.deallocate()
        }
        #expect(same.values == [128 * 1024, 128 * 1024])
    }
}

/// What the thread saw, read after it ended.
final class LockedStates: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int?] = []
    func append(_ v: Int?) { lock.withLock { seen.append(v) } }
    var values: [Int?] { lock.withLock { seen } }
}
