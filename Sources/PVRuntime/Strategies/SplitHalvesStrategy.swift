import PVABI

/// `split-halves` — DELIBERATELY UNSAFE: the value moved as two halves.
///
/// - stolen-time: two 32-bit relaxed stores and loads, low half first
///   (``PVABI/SharedU64/storeSplitHalvesRelaxed(_:)``): what a 32-bit host or
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
    public enum StolenTime: OrderingStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .splitHalves }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> UInt64 {
            SharedU64(base + 8).loadSplitHalvesRelaxed()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64) {
            SharedU64(base + 8).storeSplitHalvesRelaxed(value)
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: UInt64, midpoint: () -> Void) {
            SharedU64(base + 8).storeSplitHalvesRelaxed(value, between: midpoint)
        }
    }

    /// The 16-byte record as two 64-bit halves.
    public enum Record: OrderingStrategy {
        public typealias Target = StolenTimeRecordTarget
        public static var kind: StrategyKind { .splitHalves }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 8 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> RecordWords {
            RecordWords(low: SharedU64(base).loadRelaxed(), high: SharedU64(base + 8).loadRelaxed())
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords) {
            write(base, value, midpoint: {})
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords, midpoint: () -> Void) {
            SharedU64(base).storeRelaxed(value.low)
            midpoint()
            SharedU64(base + 8).storeRelaxed(value.high)
        }
    }
}
