import PVABI

/// `seq-cst`: one naturally aligned sequentially consistent store and load.
///
/// C11: `memory_order_seq_cst`. LKMM: no single primitive; the closest is
/// `smp_mb(); WRITE_ONCE(); smp_mb()` on the writer (or `xchg`). x86_64: the
/// store becomes `xchg` (a locked, fully fenced RMW), the load a plain `mov`;
/// arm64: `stlr`/`ldar`.
///
/// Guarantees: everything ``AcquireReleaseStrategy`` does, plus a single
/// total order of all seq-cst accesses, which forbids store buffering. Costs
/// the writer a full fence per store on x86_64. Gives no multi-field snapshot.
public enum SeqCstStrategy {
    /// The 64-bit stolen_time field (record offset 8).
    public enum StolenTime: OrderingStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .seqCst }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            SharedU64(base + 8).loadSeqCst()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            SharedU64(base + 8).storeSeqCst(value)
        }
    }

    /// The 32-bit preempted flag (block offset 0).
    public enum Preempted: OrderingStrategy {
        public typealias Target = PreemptedFlagTarget
        public static var kind: StrategyKind { .seqCst }
        public static var footprint: Int { PVSchedLayout.flagSize }
        public static var requiredAlignment: Int { 4 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt32 {
            SharedU32(base).loadSeqCst()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt32) {
            SharedU32(base).storeSeqCst(value)
        }
    }
}
