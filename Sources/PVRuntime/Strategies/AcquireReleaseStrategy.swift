import PVABI

/// `acquire-release`: one naturally aligned store-release by the hypervisor,
/// one load-acquire by the guest.
///
/// C11: `memory_order_release` store / `memory_order_acquire` load. LKMM:
/// `smp_store_release`/`smp_load_acquire`. x86_64: plain `mov` both ways
/// (TSO already gives it); arm64: `stlr`/`ldar` (or `ldapr` with FEAT_LRCPC).
///
/// Guarantees: everything ``RelaxedStrategy`` does, plus: a reader that sees
/// the new value also sees every write the hypervisor made before it (the
/// message-passing pattern). Does NOT order a store before a later load
/// (store buffering: see `pvbench litmus SB`), and gives no multi-field
/// snapshot.
public enum AcquireReleaseStrategy {
    /// The 64-bit stolen_time field (record offset 8).
    public enum StolenTime: OrderingStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .acquireRelease }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            SharedU64(base + 8).loadAcquire()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            SharedU64(base + 8).storeRelease(value)
        }
    }

    /// The 32-bit preempted flag (block offset 0).
    public enum Preempted: OrderingStrategy {
        public typealias Target = PreemptedFlagTarget
        public static var kind: StrategyKind { .acquireRelease }
        public static var footprint: Int { PVSchedLayout.flagSize }
        public static var requiredAlignment: Int { 4 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt32 {
            SharedU32(base).loadAcquire()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt32) {
            SharedU32(base).storeRelease(value)
        }
    }
}
