import PVABI

/// The C functions of the loaded strategy file, called through pointers.
/// Bound once before a run (``bind(_:read:write:)``) and only read while
/// threads run; one C strategy per process at a time.
public enum CStrategyFunctions {
    public typealias StealRead = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt64>?) -> UInt64
    public typealias StealWrite = @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Void
    public typealias PreemptedRead = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt64>?) -> UInt32
    public typealias PreemptedWrite = @convention(c) (UnsafeMutableRawPointer?, UInt32) -> Void

    nonisolated(unsafe) public static var stealRead: StealRead?
    nonisolated(unsafe) public static var stealWrite: StealWrite?
    nonisolated(unsafe) public static var preemptedRead: PreemptedRead?
    nonisolated(unsafe) public static var preemptedWrite: PreemptedWrite?

    /// Binds the pair for `target` to the functions at `read` and `write`
    /// (dlsym results; their types are the header's prototypes, checked when
    /// the file was compiled).
    public static func bind(_ target: SharedRecordKind, read: UnsafeMutableRawPointer, write: UnsafeMutableRawPointer) {
        switch target {
        case .stolenTime:
            stealRead = unsafeBitCast(read, to: StealRead.self)
            stealWrite = unsafeBitCast(write, to: StealWrite.self)
        case .preempted:
            preemptedRead = unsafeBitCast(read, to: PreemptedRead.self)
            preemptedWrite = unsafeBitCast(write, to: PreemptedWrite.self)
        case .record:
            break
        }
    }
}

/// A strategy from a C file: each read and write is a call into the file's
/// shared object. The record is the kernel's 64-byte struct (the file may use
/// its padding), 64-byte aligned. The file owns every access it makes; what
/// it claims is what the detector checks: no torn and no backwards value.
public enum CStrategy {
    /// `pv_steal_read`/`pv_steal_write` on the stolen_time field (offset 8).
    public enum StolenTime: RecordStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var footprint: Int { 64 }
        public static var requiredAlignment: Int { 64 }
        @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            CStrategyFunctions.stealRead.unsafelyUnwrapped(base, &retries)
        }
        @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            CStrategyFunctions.stealWrite.unsafelyUnwrapped(base, value)
        }
    }

    /// `pv_preempted_read`/`pv_preempted_write` on the flag (offset 0).
    public enum Preempted: RecordStrategy {
        public typealias Target = PreemptedFlagTarget
        public static var footprint: Int { 64 }
        public static var requiredAlignment: Int { 64 }
        @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt32 {
            CStrategyFunctions.preemptedRead.unsafelyUnwrapped(base, &retries)
        }
        @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt32) {
            CStrategyFunctions.preemptedWrite.unsafelyUnwrapped(base, value)
        }
    }
}
