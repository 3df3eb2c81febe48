import CPVPlatform
import PVABI

/// `flag-then-data` — DELIBERATELY UNSAFE on arm64: the message-passing
/// shape with relaxed accesses only. The writer stores the data, then sets
/// a `valid` word (a `u32` at record offset 16, where the seqlock keeps its
/// sequence); the reader waits until `valid` is set, then loads the data.
///
/// C11: relaxed stores data-then-flag, relaxed loads flag-then-data; LKMM
/// `WRITE_ONCE(data); WRITE_ONCE(valid, 1)` / `if (READ_ONCE(valid))
/// READ_ONCE(data)`: the litmus test MP without `smp_wmb`/`smp_rmb` (or
/// release/acquire). x86-TSO keeps W→W and R→R order, so a reader that
/// sees `valid` sees the data; ARMv8 does not: the reader can see `valid`
/// and still load the data as it was before the first write.
///
/// Guarantees: each load is single-copy atomic (no tear of the one
/// field) and per-location coherent; the data is at least as new as the
/// flag says only under x86-TSO and SC. `retries` counts the spins before
/// `valid` is first set.
public enum FlagThenDataStrategy {
    /// Offset of the `valid` word from the record start.
    @inlinable public static var validOffset: Int { StolenTimeLayout.size }

    /// The 64-bit stolen_time field, published by the valid word.
    public enum StolenTime: RecordableStrategy {
        public typealias Target = StolenTimeFieldTarget
        public static var kind: StrategyKind { .flagThenData }
        public static var footprint: Int { validOffset + 4 }
        public static var requiredAlignment: Int { 8 }
        public static var guardWord: (offset: Int, name: String)? { (validOffset, "valid") }

        @inlinable @inline(__always)
        public static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> UInt64 {
            readBounded(&m, retries: &retries, limit: .max)!
        }

        @inlinable @inline(__always)
        public static func readBounded<M: SharedAccessor>(_ m: inout M, retries: inout UInt64, limit: UInt64) -> UInt64? {
            var attempts: UInt64 = 0
            while _slowPath(m.load32(validOffset, RelaxedOrdering.self) == 0) {
                retries &+= 1
                attempts &+= 1
                if attempts >= limit { return nil }
                pv_cpu_relax()
            }
            return m.load64(8, RelaxedOrdering.self)
        }

        @inlinable @inline(__always)
        public static func write<M: SharedAccessor>(_ m: inout M, _ value: UInt64) {
            m.store64(8, value, RelaxedOrdering.self)
            m.store32(validOffset, 1, RelaxedOrdering.self)
        }
    }
}
