import PVABI

/// The C functions of the loaded strategy files, called through pointers:
/// one ``Entry`` per slot (``CStrategySlot``), so up to ``slotCount`` files
/// run in one process, each its own strategy type. Bound once before a run
/// (``bind(slot:_:read:write:)``) and only read while threads run.
public enum CStrategyFunctions {
    public typealias StealRead = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt64>?) -> UInt64
    public typealias StealWrite = @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Void
    public typealias PreemptedRead = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt64>?) -> UInt32
    public typealias PreemptedWrite = @convention(c) (UnsafeMutableRawPointer?, UInt32) -> Void

    /// One file's functions; nil where it has no pair.
    public struct Entry {
        public var stealRead: StealRead?
        public var stealWrite: StealWrite?
        public var preemptedRead: PreemptedRead?
        public var preemptedWrite: PreemptedWrite?
        public init() {}
    }

    /// Each slot's functions, by slot index (``CStrategySlot/index``).
    nonisolated(unsafe) public static var slots = InlineArray<4, Entry>(repeating: Entry())

    /// How many C strategy files one process can hold (``CSlot0`` … ``CSlot3``).
    public static var slotCount: Int { slots.count }

    /// Binds the pair for `target` in `slot` to the functions at `read` and
    /// `write` (dlsym results; their types are the header's prototypes,
    /// checked when the file was compiled).
    public static func bind(slot: Int = 0, _ target: SharedRecordKind, read: UnsafeMutableRawPointer, write: UnsafeMutableRawPointer) {
        precondition(slots.indices.contains(slot), "C strategy slot \(slot) out of 0..<\(slotCount)")
        switch target {
        case .stolenTime:
            slots[slot].stealRead = unsafeBitCast(read, to: StealRead.self)
            slots[slot].stealWrite = unsafeBitCast(write, to: StealWrite.self)
        case .preempted:
            slots[slot].preemptedRead = unsafeBitCast(read, to: PreemptedRead.self)
            slots[slot].preemptedWrite = unsafeBitCast(write, to: PreemptedWrite.self)
        case .record:
            return
        }
    }
}

/// A slot for one loaded C strategy file: a type, so that each file's
/// reader and writer are their own ``RecordStrategy`` and a loop generic
/// over it calls that file's functions directly.
public protocol CStrategySlot: SendableMetatype {
    static var index: Int { get }
}

extension CStrategySlot {
    /// The functions bound to this slot.
    @inlinable @inline(__always)
    public static var functions: CStrategyFunctions.Entry { CStrategyFunctions.slots[index] }
}

public enum CSlot0: CStrategySlot { @inlinable public static var index: Int { 0 } }
public enum CSlot1: CStrategySlot { @inlinable public static var index: Int { 1 } }
public enum CSlot2: CStrategySlot { @inlinable public static var index: Int { 2 } }
public enum CSlot3: CStrategySlot { @inlinable public static var index: Int { 3 } }

/// A strategy from a C file in slot `Slot`: each read and write is a call
/// into the file's shared object. The record is the kernel's 64-byte struct
/// (the file may use its padding), 64-byte aligned. The file owns every
/// access it makes; what it claims is what the detector checks: no torn and
/// no backwards value.
public enum CFileStrategy<Slot: CStrategySlot> {
    /// `pv_steal_read`/`pv_steal_write` on the stolen_time field (offset 8).
    public enum StolenTime: RecordStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var footprint: Int { 64 }
        public static var requiredAlignment: Int { 64 }
        @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            Slot.functions.stealRead.unsafelyUnwrapped(base, &retries)
        }
        @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            Slot.functions.stealWrite.unsafelyUnwrapped(base, value)
        }
    }

    /// `pv_preempted_read`/`pv_preempted_write` on the flag (offset 0).
    public enum Preempted: RecordStrategy {
        public typealias Target = PreemptedFlagTarget
        public static var footprint: Int { 64 }
        public static var requiredAlignment: Int { 64 }
        @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt32 {
            Slot.functions.preemptedRead.unsafelyUnwrapped(base, &retries)
        }
        @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt32) {
            Slot.functions.preemptedWrite.unsafelyUnwrapped(base, value)
        }
    }
}

/// The file in slot 0: what `validate --c` runs.
public enum CStrategy {
    public typealias StolenTime = CFileStrategy<CSlot0>.StolenTime
    public typealias Preempted = CFileStrategy<CSlot0>.Preempted
}
