import PVABI

/// `split-halves` — DELIBERATELY UNSAFE: the value moved as two halves.
///
/// - stolen-time: two 32-bit relaxed stores and loads, low half first
///   : what a 32-bit host or
///   guest would have to do, and the reason pvtime.rst excludes 32-bit guests.
/// - record: two 64-bit relaxed stores and loads (revision+attributes, then
///   stolen_time): a field-by-field copy of the record with no protocol.
///
/// C11/LKMM: two `memory_order_relaxed` accesses / two `READ_ONCE`s of the
/// halves. Guarantees: each half is single-copy atomic; the whole is NOT, so
/// a reader can combine one write's low half with another's high half.
/// Exists to prove the detector sees tears on this hardware.
public enum SplitHalvesStrategy {
    /// The 64-bit stolen_time field as two 32-bit halves.
    public enum StolenTime: RecordableStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .splitHalves }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> UInt64 {
            let low = m.load32(8, RelaxedOrdering.self)
            let high = m.load32(12, RelaxedOrdering.self)
            return UInt64(high) << 32 | UInt64(low)
        }

        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt64) { write(&m, value, midpoint: {}) }

        /// `midpoint` runs after the low half is stored and before the high half.
        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt64, midpoint: () -> Void) {
            m.store32(8, UInt32(truncatingIfNeeded: value), RelaxedOrdering.self)
            midpoint()
            m.store32(12, UInt32(truncatingIfNeeded: value >> 32), RelaxedOrdering.self)
        }
    }

    /// The 16-byte record as two 64-bit halves.
    public enum Record: RecordableStrategy {
        public typealias Target = StolenTimeRecordTarget
        public static var kind: StrategyKind { .splitHalves }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> RecordWords {
            RecordWords(low: m.load64(0, RelaxedOrdering.self), high: m.load64(8, RelaxedOrdering.self))
        }

        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: RecordWords) { write(&m, value, midpoint: {}) }

        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: RecordWords, midpoint: () -> Void) {
            m.store64(0, value.low, RelaxedOrdering.self)
            midpoint()
            m.store64(8, value.high, RelaxedOrdering.self)
        }
    }
}
