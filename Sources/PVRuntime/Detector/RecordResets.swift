import Synchronization

/// How many times the emulated hypervisor has re-zeroed a record (PV_TIME_ST
/// re-issued), so the detector can tell a record restarting from 0 from a
/// value going backwards. This is the emulation's own bookkeeping, not part
/// of the guest ABI: a real guest cannot know it, as the stress detector's
/// knowledge of the writer's sequence is not guest-visible either.
///
/// Message passing with fences: the writer counts the reset and then fences
/// (release) before it zeroes the record; a reader that saw the zeroed (or
/// later) value fences (acquire) before it loads the count, so it sees the
/// count that announced the reset. Touched only on cold paths.
public final class RecordResets: Sendable {
    private let count = Atomic<UInt64>(0)

    public init() {}

    /// Writer side: call before zeroing the record.
    public func announceReset() {
        count.add(1, ordering: .relaxed)
        atomicMemoryFence(ordering: .releasing)
    }

    /// Reader side: resets announced so far (after an acquire fence that
    /// orders the reader's earlier record loads before this load).
    public func announced() -> UInt64 {
        atomicMemoryFence(ordering: .acquiring)
        return count.load(ordering: .relaxed)
    }
}
