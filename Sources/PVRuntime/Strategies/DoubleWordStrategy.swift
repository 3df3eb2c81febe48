import PVABI

/// `double-word`: the whole 16-byte record as one 128-bit atomic
/// (``SharedU128``, the stdlib's `Atomic<WordPair>`).
///
/// C11: `_Atomic unsigned __int128` relaxed load/store (GCC/Clang
/// `__atomic_load_n` on `__int128`). LKMM: none for plain accesses; the
/// kernel has `cmpxchg128` only. x86_64: `lock cmpxchg16b` for the store AND
/// the load: every read is a locked write to the line, so readers bounce the
/// line between cores like writers do. arm64: `LDXP`/`STXP` loop (v8.0),
/// `CASP` (FEAT_LSE) or a plain `LDP`/`STP` (FEAT_LSE2).
///
/// Guarantees: single-copy atomicity of all 16 bytes (a reader gets a whole
/// record some write produced) and per-location coherence. No ordering
/// against other locations (relaxed). Needs a 16-byte aligned record (the
/// ABI's 64-byte IPA alignment gives it).
public enum DoubleWordStrategy {
    /// The whole 16-byte record.
    public enum Record: OrderingStrategy {
        public typealias Target = StolenTimeRecordTarget
        public static var kind: StrategyKind { .doubleWord }
        public static var footprint: Int { StolenTimeLayout.size }
        public static var requiredAlignment: Int { 16 }

        @inlinable @inline(__always)
        public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> RecordWords {
            SharedU128(base).loadRelaxed()
        }

        @inlinable @inline(__always)
        public static func write(_ base: UnsafeMutableRawPointer, _ value: RecordWords) {
            SharedU128(base).storeRelaxed(value)
        }
    }
}
