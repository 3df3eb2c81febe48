/// The detector's monotonic mode reduced to what a throughput loop can
/// afford on every read: the record's invariants hold (``SharedTarget/specKey(_:)``
/// is not nil) and the value is not smaller than the previous one read
/// (the same check the C reference kernels make: `backwards += v < last`),
/// for targets whose values only grow (stolen time; a flag only alternates).
///
/// Unlike ``TornReadDetector``, whose state a loop reaches through memory,
/// a kernel copies ``last`` into a local, counts in locals, and calls
/// ``noteViolation(_:previous:torn:)`` (out of line) only when something is
/// wrong, so the check costs a compare and a predictable branch per read.
public struct MonotonicCheck<Target: SharedTarget>: Sendable {
    /// Ordering key of the last value read.
    public var last: UInt64
    public var torn: UInt64 = 0
    public var backwards: UInt64 = 0
    /// Drops explained by a re-zeroed record (PV_TIME_ST re-issued: stolen
    /// time restarted), which are reported, not counted as backwards.
    public var restarts: UInt64 = 0
    /// The hypervisor's reset announcements, when records may be re-zeroed in
    /// this run; nil means every drop is backwards.
    public var resets: RecordResets?
    /// Resets already used to explain a drop: each explains one.
    var resetsSeen: UInt64 = 0
    /// The first violation: bytes of the offending value and of the key before it.
    public private(set) var firstViolation: String?

    public init(initial: Target.Value = Target.specInitial) {
        last = Target.specKey(initial) ?? 0
    }

    /// Checks one value (for loops that do not inline the check themselves).
    @inlinable @inline(__always)
    public mutating func observe(_ value: Target.Value) {
        guard let key = Target.specKey(value) else { return noteViolation(value, previous: last, torn: true) }
        if Target.specIsMonotonic, key < last { noteDecrease(value, key: key, previous: last) }
        last = key
    }

    /// A value smaller than the previous one: a restart when the hypervisor
    /// announced a reset this reader has not yet accounted for, otherwise a
    /// backwards value (cold path).
    @inlinable @inline(__always)
    public mutating func noteDecrease(_ value: Target.Value, key: UInt64, previous: UInt64) {
        if !noteRestartIfAnnounced() { noteViolation(value, previous: previous, torn: false) }
    }

    /// `n` drops seen by a loop that counted them itself (`first` was the
    /// first): as many as the hypervisor announced resets for are restarts,
    /// the rest backwards values.
    @inline(never)
    public mutating func noteDecreases(_ n: UInt64, first: Target.Value, previous: UInt64) {
        var explained: UInt64 = 0
        while explained < n, noteRestartIfAnnounced() { explained += 1 }
        guard explained < n else { return }
        noteViolation(first, previous: previous, torn: false)
        backwards &+= n - explained - 1
    }

    /// `n` values that broke the invariants, counted by a loop (`first` was the first).
    @inline(never)
    public mutating func noteTorn(_ n: UInt64, first: Target.Value, previous: UInt64) {
        noteViolation(first, previous: previous, torn: true)
        torn &+= n - 1
    }

    @usableFromInline @inline(never)
    mutating func noteRestartIfAnnounced() -> Bool {
        guard let resets else { return false }
        // One announcement explains one drop. Taking all pending ones at once
        // would also take a reset announced but not yet seen, and its drop
        // would then count as backwards.
        guard resets.announced() > resetsSeen else { return false }
        resetsSeen &+= 1
        restarts &+= 1
        return true
    }

    /// Records a violation. Inlined so the value reaches the out-of-line part
    /// as bytes, built only on this path: the hot loop keeps it in a register.
    @inlinable @inline(__always)
    public mutating func noteViolation(_ value: Target.Value, previous: UInt64, torn isTorn: Bool) {
        noteViolation(bytes: Target.bytes(of: value), previous: previous, torn: isTorn)
    }

    /// The cold part of ``noteViolation(_:previous:torn:)``.
    @usableFromInline @inline(never)
    mutating func noteViolation(bytes: [UInt8], previous: UInt64, torn isTorn: Bool) {
        if isTorn { torn &+= 1 } else { backwards &+= 1 }
        guard firstViolation == nil else { return }
        let hex = bytes.hexBytes
        firstViolation = isTorn
            ? "value [\(hex)] breaks the record's invariants (revision/attributes not 0, or flag not 0/1)"
            : "value [\(hex)] is smaller than the previous value read (\(previous))"
    }
}
