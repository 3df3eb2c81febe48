import PVABI

extension SharedU64 {
    /// Loads the value as two relaxed 32-bit loads, low half first, as a
    /// 32-bit guest must (two `READ_ONCE`s of `u32`). NOT single-copy atomic:
    /// the halves may come from two different stores. For the deliberately
    /// unsafe `split-halves` strategy only.
    @inlinable @inline(__always)
    public func loadSplitHalvesRelaxed() -> UInt64 {
        let low = SharedU32(address).loadRelaxed()
        let high = SharedU32(address + 4).loadRelaxed()
        return UInt64(high) << 32 | UInt64(low)
    }

    /// Stores the value as two relaxed 32-bit stores, low half first, as a
    /// 32-bit host would. NOT single-copy atomic. `split-halves` only.
    @inlinable @inline(__always)
    public func storeSplitHalvesRelaxed(_ value: UInt64) {
        storeSplitHalvesRelaxed(value, between: {})
    }

    /// As ``storeSplitHalvesRelaxed(_:)`` with `between` run after the low
    /// half is stored and before the high half: a writer stopped mid-update
    /// (`--inject stall-writer`).
    @inlinable @inline(__always)
    public func storeSplitHalvesRelaxed(_ value: UInt64, between: () -> Void) {
        SharedU32(address).storeRelaxed(UInt32(truncatingIfNeeded: value))
        between()
        SharedU32(address + 4).storeRelaxed(UInt32(truncatingIfNeeded: value >> 32))
    }
}
