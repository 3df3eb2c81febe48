import PVABI

/// `relaxed`: one naturally aligned relaxed store by the hypervisor, one
/// relaxed load by the guest: exactly what KVM/arm64 (`kvm_update_stolen_time`,
/// the pvsched `vcpu_put`/`vcpu_load` writes) and Linux (`para_steal_clock`,
/// `vcpu_is_preempted`) do.
///
/// C11: `atomic_store_explicit`/`atomic_load_explicit` with
/// `memory_order_relaxed`. LKMM: `WRITE_ONCE`/`READ_ONCE`. Compiles to a
/// plain `mov` (x86_64) or `str`/`ldr` (arm64), with no barrier.
///
/// Guarantees: single-copy atomicity of the aligned access (no tear, ARMv8
/// B2.2.1, x86 SDM 9.1.1) and per-location coherence (one reader never sees
/// the value go backwards). Does NOT order the access against any other
/// memory access, and gives no snapshot of more than one field.
public enum RelaxedStrategy {
    /// The 64-bit stolen_time field (record offset 8).
    public enum StolenTime: OrderingStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .relaxed }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            SharedU64(base + 8).loadRelaxed()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            SharedU64(base + 8).storeRelaxed(value)
        }
    }

    /// The 32-bit preempted flag (block offset 0).
    public enum Preempted: OrderingStrategy {
        public typealias Target = PreemptedFlagTarget
        public static var kind: StrategyKind { .relaxed }
        public static var footprint: Int { PVSchedLayout.flagSize }
        public static var requiredAlignment: Int { 4 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt32 {
            SharedU32(base).loadRelaxed()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt32) {
            SharedU32(base).storeRelaxed(value)
        }
    }
}
