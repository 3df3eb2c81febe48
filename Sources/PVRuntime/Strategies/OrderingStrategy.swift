/// A writer/reader pair for one shared target: how the hypervisor stores a
/// value and how the guest loads it, with a given memory ordering or protocol.
///
/// Conformers are caseless enums whose `read`/`write` are
/// `@inlinable @inline(__always)`, so a loop generic over the strategy
/// (``StrategyLoops``, or `pvbench run`'s scenario loops) specialises into
/// the same instructions a hand-written C loop has. Every shared access inside
/// goes through an ordering-named accessor (`SharedU64.loadRelaxed()` ...).
///
/// `base` is the address of the record the target lives in: the start of the
/// 16-byte stolen-time record for ``StolenTimeRecordTarget`` and
/// ``StolenTimeFieldTarget``, the start of the 64-byte PV sched block for
/// ``PreemptedFlagTarget``. A strategy may use bytes past the ABI record
/// (``footprint``), e.g. the seqlock's sequence word in the kernel struct's
/// padding; a layout must give each record at least that many bytes.
public protocol OrderingStrategy: RecordStrategy {
    /// The runtime name and properties of this strategy.
    static var kind: StrategyKind { get }
}

extension OrderingStrategy {
    public static var retriesReads: Bool { kind.retriesReads }
}

/// What the loops and the detector need of a strategy: its reader and
/// writer, without a place in the built-in registry. ``OrderingStrategy``
/// adds the registry's ``StrategyKind``; a strategy loaded at run time (a C
/// strategy file) is only this.
public protocol RecordStrategy: SendableMetatype {
    associatedtype Target: SharedTarget

    /// Bytes from `base` the strategy touches.
    static var footprint: Int { get }
    /// Alignment `base` must have.
    static var requiredAlignment: Int { get }
    /// Whether a read is a protocol that may discard attempts and retry: the
    /// loops then take reads one at a time rather than eight in flight.
    /// Everything else, a C strategy file's call included (false by
    /// default), is read eight in flight.
    static var retriesReads: Bool { get }

    /// The guest's read. `retries` grows by the number of attempts the
    /// protocol discarded (seqlock); single-access strategies leave it alone.
    static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> Target.Value
    /// The hypervisor's write. Only one writer per record, as in KVM.
    static func write(_ base: UnsafeMutableRawPointer, _ value: Target.Value)

    /// The guest's read, giving up after `limit` discarded attempts: nil when
    /// a writer stayed mid-update that long (sequence odd). Single-access
    /// strategies never discard an attempt and never give up.
    static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> Target.Value?
    /// The hypervisor's write with `midpoint` run in the middle of the update:
    /// while the sequence is odd (seqlocks), between the halves
    /// (split-halves). A single store has no middle: `midpoint` runs first.
    /// For `--inject stall-writer`.
    static func write(_ base: UnsafeMutableRawPointer, _ value: Target.Value, midpoint: () -> Void)
}

extension RecordStrategy {
    public static var retriesReads: Bool { false }

    @inlinable @inline(__always)
    public static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> Target.Value? {
        read(base, retries: &retries)
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: Target.Value, midpoint: () -> Void) {
        midpoint()
        write(base, value)
    }
}

extension RecordStrategy {
    /// Whether a record at `base` with `stride` bytes to the next one can host
    /// this strategy.
    public static func fits(base: UnsafeRawPointer, stride: Int) -> Bool {
        stride >= footprint && UInt(bitPattern: base) % UInt(requiredAlignment) == 0
    }
}
