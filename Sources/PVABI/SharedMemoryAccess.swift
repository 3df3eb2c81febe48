import Synchronization

// Every access to memory shared between the emulated hypervisor and the
// emulated guest goes through one of the accessors in this file (or in the
// `Shared*` extensions beside the deliberately unsafe strategies), and each
// accessor's name says its ordering. `grep -rn "Relaxed()\|Acquire()\|Release(\|SeqCst("`
// over Sources/ finds every racy access.
//
// Values are little-endian in guest memory (pvtime.rst, pvsched.txt); the
// accessors convert, which is free on the little-endian hosts KVM/arm64 and
// x86_64 run on.
//
// The atomics are the standard library's `Atomic`, bound onto memory the
// package does not own as a Swift value (the guest-memory mapping), which is
// the pattern `UnsafeAtomic(at:)` exists for in swift-atomics.

/// A naturally aligned little-endian `u32` in shared memory.
///
/// Orderings map to C11 and the Linux-kernel memory model as:
/// `loadRelaxed` = `atomic_load_explicit(p, memory_order_relaxed)` = `READ_ONCE`;
/// `storeRelaxed` = relaxed store = `WRITE_ONCE`;
/// `loadAcquire` = `memory_order_acquire` = `smp_load_acquire`;
/// `storeRelease` = `memory_order_release` = `smp_store_release`;
/// `*SeqCst` = `memory_order_seq_cst` (no single LKMM primitive; `smp_mb()` around).
@frozen
public struct SharedU32: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    /// Alignment is checked in debug builds only: in a hot loop the check
    /// would cost a test and branch per access. Callers establish it once
    /// (layouts place records aligned; `pvbench run` checks a strategy's
    /// required alignment against the layout before any thread starts).
    @inlinable
    public init(_ address: UnsafeMutableRawPointer) {
        assert(UInt(bitPattern: address) & 3 == 0, "SharedU32 needs 4-byte alignment")
        self.address = address
    }

    @inlinable @inline(__always)
    var atomic: UnsafeMutablePointer<Atomic<UInt32>> {
        address.assumingMemoryBound(to: Atomic<UInt32>.self)
    }

    @inlinable @inline(__always)
    public func loadRelaxed() -> UInt32 { UInt32(littleEndian: atomic.pointee.load(ordering: .relaxed)) }
    @inlinable @inline(__always)
    public func loadAcquire() -> UInt32 { UInt32(littleEndian: atomic.pointee.load(ordering: .acquiring)) }
    @inlinable @inline(__always)
    public func loadSeqCst() -> UInt32 { UInt32(littleEndian: atomic.pointee.load(ordering: .sequentiallyConsistent)) }
    @inlinable @inline(__always)
    public func storeRelaxed(_ value: UInt32) { atomic.pointee.store(value.littleEndian, ordering: .relaxed) }
    @inlinable @inline(__always)
    public func storeRelease(_ value: UInt32) { atomic.pointee.store(value.littleEndian, ordering: .releasing) }
    @inlinable @inline(__always)
    public func storeSeqCst(_ value: UInt32) { atomic.pointee.store(value.littleEndian, ordering: .sequentiallyConsistent) }
    /// Atomic exchange, sequentially consistent (`xchg`): how x86 KVM must
    /// clear a flag the guest may also write (CVE-2019-3016).
    @inlinable @inline(__always)
    public func exchangeSeqCst(_ value: UInt32) -> UInt32 {
        UInt32(littleEndian: atomic.pointee.exchange(value.littleEndian, ordering: .sequentiallyConsistent))
    }
    /// Atomic compare-and-exchange, sequentially consistent (`lock cmpxchg`;
    /// C11 `atomic_compare_exchange_strong`, LKMM `cmpxchg`): how an x86 guest
    /// sets KVM_VCPU_FLUSH_TLB in another vCPU's `preempted` byte.
    /// Returns whether it stored `desired`, and the value it found.
    @inlinable @inline(__always)
    public func compareExchangeSeqCst(expected: UInt32, desired: UInt32) -> (exchanged: Bool, original: UInt32) {
        let r = atomic.pointee.compareExchange(expected: expected.littleEndian, desired: desired.littleEndian,
                                               ordering: .sequentiallyConsistent)
        return (r.exchanged, UInt32(littleEndian: r.original))
    }
}

/// A naturally aligned little-endian `u64` in shared memory. Orderings as for
/// ``SharedU32``. An aligned 64-bit access is single-copy atomic on arm64
/// (ARMv8 B2.2.1) and x86_64; that is the whole of PV time's tearing defence.
@frozen
public struct SharedU64: @unchecked Sendable {
    public let address: UnsafeMutableRawPointer

    /// Alignment is checked in debug builds only (see ``SharedU32/init(_:)``).
    @inlinable
    public init(_ address: UnsafeMutableRawPointer) {
        assert(UInt(bitPattern: address) & 7 == 0, "SharedU64 needs 8-byte alignment")
        self.address = address
    }

    @inlinable @inline(__always)
    var atomic: UnsafeMutablePointer<Atomic<UInt64>> {
        address.assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    @inlinable @inline(__always)
    public func loadRelaxed() -> UInt64 { UInt64(littleEndian: atomic.pointee.load(ordering: .relaxed)) }
    @inlinable @inline(__always)
    public func loadAcquire() -> UInt64 { UInt64(littleEndian: atomic.pointee.load(ordering: .acquiring)) }
    @inlinable @inline(__always)
    public func loadSeqCst() -> UInt64 { UInt64(littleEndian: atomic.pointee.load(ordering: .sequentiallyConsistent)) }
    @inlinable @inline(__always)
    public func storeRelaxed(_ value: UInt64) { atomic.pointee.store(value.littleEndian, ordering: .relaxed) }
    @inlinable @inline(__always)
    public func storeRelease(_ value: UInt64) { atomic.pointee.store(value.littleEndian, ordering: .releasing) }
    @inlinable @inline(__always)
    public func storeSeqCst(_ value: UInt64) { atomic.pointee.store(value.littleEndian, ordering: .sequentiallyConsistent) }
}

/// Stand-alone fences, for protocols (the seqlock) whose ordering is carried
/// by fences rather than by the accesses.
public enum SharedMemoryFence {
    /// `atomic_thread_fence(memory_order_acquire)` ~ `smp_rmb()`.
    @inlinable @inline(__always)
    public static func acquire() { atomicMemoryFence(ordering: .acquiring) }
    /// `atomic_thread_fence(memory_order_release)` ~ `smp_wmb()`.
    @inlinable @inline(__always)
    public static func release() { atomicMemoryFence(ordering: .releasing) }
    /// `atomic_thread_fence(memory_order_seq_cst)` ~ `smp_mb()`.
    @inlinable @inline(__always)
    public static func seqCst() { atomicMemoryFence(ordering: .sequentiallyConsistent) }
}
