import CPVPlatform

/// `straddle` — DELIBERATELY UNSAFE: the field placed across a cache-line
/// boundary and accessed with one unaligned load/store
/// (``SharedUnalignedU64``, ``SharedUnalignedU32``).
///
/// `base` must be cache-line aligned; the 64-bit field sits at `base + 60`
/// (4 bytes in each line), the 32-bit flag at `base + 62` (2 and 2). This is
/// not the ABI layout (the ABI aligns both naturally); it shows what a
/// packed or misplaced field costs. A record needs ``footprint`` bytes, more
/// than one cache line, so only a page-per-vCPU layout can host it.
///
/// C11: none (an `_Atomic` object is always aligned); in C, `READ_ONCE` of a
/// `__packed` field. Guarantees: NONE across the line boundary (x86 SDM
/// 9.1.1; Arm ARM B2.2.1): the halves in the two lines may come from
/// different writes. Exists to prove the detector sees tears.
public enum StraddleStrategy {
    /// Offset of the straddling 64-bit field from the cache-line-aligned base.
    public static let stolenTimeOffset = Int(PV_CACHE_LINE_SIZE) - 4
    /// Offset of the straddling 32-bit flag from the cache-line-aligned base.
    public static let preemptedOffset = Int(PV_CACHE_LINE_SIZE) - 2

    /// The 64-bit stolen_time value across two cache lines.
    public enum StolenTime: RecordableStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .straddle }
        public static var footprint: Int { stolenTimeOffset + 8 }
        public static var requiredAlignment: Int { Int(PV_CACHE_LINE_SIZE) }

        @inlinable @inline(__always)
        public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> UInt64 {
            m.load64Unaligned(stolenTimeOffset)
        }

        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt64) { m.store64Unaligned(stolenTimeOffset, value) }
    }

    /// The 32-bit preempted flag across two cache lines.
    public enum Preempted: RecordableStrategy {
        public typealias Target = PreemptedFlagTarget
        public static var kind: StrategyKind { .straddle }
        public static var footprint: Int { preemptedOffset + 4 }
        public static var requiredAlignment: Int { Int(PV_CACHE_LINE_SIZE) }

        @inlinable @inline(__always)
        public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> UInt32 {
            m.load32Unaligned(preemptedOffset)
        }

        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt32) { m.store32Unaligned(preemptedOffset, value) }
    }
}
