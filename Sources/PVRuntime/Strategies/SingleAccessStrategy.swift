import PVABI

/// `relaxed`, `acquire-release`, `seq-cst`: one naturally aligned store by
/// the hypervisor, one load by the guest, with the ordering `O`. One
/// strategy, generic over the ordering (``RelaxedOrdering``,
/// ``AcquireReleaseOrdering``, ``SeqCstOrdering``); its reader and writer
/// are written once over a ``SharedAccessor``, so the hot loops run them on
/// the record and the model checker records them (``ProgramRecorder``).
///
/// - relaxed — what KVM/arm64 (`kvm_update_stolen_time`, the pvsched
///   `vcpu_put`/`vcpu_load` writes) and Linux (`para_steal_clock`,
///   `vcpu_is_preempted`) do. C11 relaxed; LKMM `WRITE_ONCE`/`READ_ONCE`;
///   `mov` (x86_64), `str`/`ldr` (arm64).
/// - acquire-release — C11 release/acquire; LKMM `smp_store_release`/
///   `smp_load_acquire`; `mov` both ways on x86_64, `stlr`/`ldar` on arm64
///   (`ldapr` only with FEAT_LRCPC, which Swift's toolchain here does not target).
///   Adds message passing: a reader that sees the new value sees every write before it.
/// - seq-cst — C11 seq_cst; `xchg` store and `mov` load on x86_64,
///   `stlr`/`ldar` on arm64. Adds one total order of seq-cst accesses
///   (forbids store buffering).
///
/// Guarantees of all three: single-copy atomicity of the aligned access (no
/// tear, ARMv8 B2.2.1, x86 SDM 9.1.1) and per-location coherence (one reader
/// never sees the value go backwards). No snapshot of more than one field.
public enum SingleAccessStrategy<O: AccessOrdering> {
    /// The 64-bit stolen_time field (record offset 8).
    public enum StolenTime: RecordableStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { O.strategy }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> UInt64 { m.load64(8, O.self) }
        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt64) { m.store64(8, value, O.self) }
    }

    /// The 32-bit preempted flag (block offset 0).
    public enum Preempted: RecordableStrategy {
        public typealias Target = PreemptedFlagTarget
        public static var kind: StrategyKind { O.strategy }
        public static var footprint: Int { PVSchedLayout.flagSize }
        public static var requiredAlignment: Int { 4 }

        @inlinable @inline(__always)
        public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> UInt32 { m.load32(0, O.self) }
        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt32) { m.store32(0, value, O.self) }
    }
}

/// The three single-access strategies by their names.
public typealias RelaxedStrategy = SingleAccessStrategy<RelaxedOrdering>
public typealias AcquireReleaseStrategy = SingleAccessStrategy<AcquireReleaseOrdering>
public typealias SeqCstStrategy = SingleAccessStrategy<SeqCstOrdering>
