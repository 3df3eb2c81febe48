import PVABI

/// A C11 ordering of one load and one store, as a type (as swift-atomics
/// spells orderings), so code generic over it specialises to one instruction.
public protocol AccessOrdering: SendableMetatype {
    /// The strategy a single access with this ordering is.
    static var strategy: StrategyKind { get }
    static var load: C11Ordering { get }
    static var store: C11Ordering { get }
    static func load(_ a: SharedU64) -> UInt64
    static func load(_ a: SharedU32) -> UInt32
    static func store(_ a: SharedU64, _ v: UInt64)
    static func store(_ a: SharedU32, _ v: UInt32)
}

/// A C11 memory order, as the recorder sees it (not an instruction: the
/// C11 → instruction mapping is ``C11Ordering/aarch64Load`` and friends).
public enum C11Ordering: String, Sendable, Hashable {
    case relaxed, acquire, release, seqCst = "seq_cst"
}

/// `memory_order_relaxed` (LKMM READ_ONCE/WRITE_ONCE).
public enum RelaxedOrdering: AccessOrdering {
    public static var strategy: StrategyKind { .relaxed }
    public static var load: C11Ordering { .relaxed }
    public static var store: C11Ordering { .relaxed }
    @inlinable @inline(__always) public static func load(_ a: SharedU64) -> UInt64 { a.loadRelaxed() }
    @inlinable @inline(__always) public static func load(_ a: SharedU32) -> UInt32 { a.loadRelaxed() }
    @inlinable @inline(__always) public static func store(_ a: SharedU64, _ v: UInt64) { a.storeRelaxed(v) }
    @inlinable @inline(__always) public static func store(_ a: SharedU32, _ v: UInt32) { a.storeRelaxed(v) }
}

/// `memory_order_acquire` loads, `memory_order_release` stores
/// (LKMM smp_load_acquire/smp_store_release).
public enum AcquireReleaseOrdering: AccessOrdering {
    public static var strategy: StrategyKind { .acquireRelease }
    public static var load: C11Ordering { .acquire }
    public static var store: C11Ordering { .release }
    @inlinable @inline(__always) public static func load(_ a: SharedU64) -> UInt64 { a.loadAcquire() }
    @inlinable @inline(__always) public static func load(_ a: SharedU32) -> UInt32 { a.loadAcquire() }
    @inlinable @inline(__always) public static func store(_ a: SharedU64, _ v: UInt64) { a.storeRelease(v) }
    @inlinable @inline(__always) public static func store(_ a: SharedU32, _ v: UInt32) { a.storeRelease(v) }
}

/// `memory_order_seq_cst` loads and stores.
public enum SeqCstOrdering: AccessOrdering {
    public static var strategy: StrategyKind { .seqCst }
    public static var load: C11Ordering { .seqCst }
    public static var store: C11Ordering { .seqCst }
    @inlinable @inline(__always) public static func load(_ a: SharedU64) -> UInt64 { a.loadSeqCst() }
    @inlinable @inline(__always) public static func load(_ a: SharedU32) -> UInt32 { a.loadSeqCst() }
    @inlinable @inline(__always) public static func store(_ a: SharedU64, _ v: UInt64) { a.storeSeqCst(v) }
    @inlinable @inline(__always) public static func store(_ a: SharedU32, _ v: UInt32) { a.storeSeqCst(v) }
}

/// The memory a strategy's code runs on: the shared record itself
/// (``HardwareAccessor``, which the hot loops specialise into plain
/// instructions) or a ``ProgramRecorder``, which writes the same code down
/// as a program for the memory-model checker. Offsets are bytes from the
/// record's base.
public protocol SharedAccessor {
    mutating func load64<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt64
    mutating func load32<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt32
    mutating func store64<O: AccessOrdering>(_ offset: Int, _ value: UInt64, _: O.Type)
    mutating func store32<O: AccessOrdering>(_ offset: Int, _ value: UInt32, _: O.Type)
    /// `atomic_thread_fence(memory_order_acquire)` (LKMM `smp_rmb()`).
    mutating func fenceAcquire()
    /// `atomic_thread_fence(memory_order_release)` (LKMM `smp_wmb()`).
    mutating func fenceRelease()
    /// `atomic_thread_fence(memory_order_seq_cst)` (LKMM `smp_mb()`).
    mutating func fenceSeqCst()
    /// One relaxed 64-bit load at an offset of any alignment: single-copy
    /// atomic only when it does not cross a cache line (``SharedUnalignedU64``).
    mutating func load64Unaligned(_ offset: Int) -> UInt64
    mutating func load32Unaligned(_ offset: Int) -> UInt32
    mutating func store64Unaligned(_ offset: Int, _ value: UInt64)
    mutating func store32Unaligned(_ offset: Int, _ value: UInt32)
    /// A call into code the accessor cannot see into (C: Concurrency Kit),
    /// given the record's base. The hardware runs it; a recorder cannot
    /// record it, notes `reason` and returns `placeholder`.
    mutating func opaque<R>(_ reason: StaticString, placeholder: R, _ call: (UnsafeMutableRawPointer) -> R) -> R
}

/// The record in shared memory: each call is the one accessor it names.
public struct HardwareAccessor: SharedAccessor {
    public let base: UnsafeMutableRawPointer
    @inlinable @inline(__always) public init(_ base: UnsafeMutableRawPointer) { self.base = base }
    @inlinable @inline(__always)
    public func load64<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt64 { O.load(SharedU64(base + offset)) }
    @inlinable @inline(__always)
    public func load32<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt32 { O.load(SharedU32(base + offset)) }
    @inlinable @inline(__always)
    public func store64<O: AccessOrdering>(_ offset: Int, _ value: UInt64, _: O.Type) { O.store(SharedU64(base + offset), value) }
    @inlinable @inline(__always)
    public func store32<O: AccessOrdering>(_ offset: Int, _ value: UInt32, _: O.Type) { O.store(SharedU32(base + offset), value) }
    @inlinable @inline(__always) public func fenceAcquire() { SharedMemoryFence.acquire() }
    @inlinable @inline(__always) public func fenceRelease() { SharedMemoryFence.release() }
    @inlinable @inline(__always) public func fenceSeqCst() { SharedMemoryFence.seqCst() }
    @inlinable @inline(__always)
    public func load64Unaligned(_ offset: Int) -> UInt64 { SharedUnalignedU64(base + offset).loadRelaxedUnaligned() }
    @inlinable @inline(__always)
    public func load32Unaligned(_ offset: Int) -> UInt32 { SharedUnalignedU32(base + offset).loadRelaxedUnaligned() }
    @inlinable @inline(__always)
    public func store64Unaligned(_ offset: Int, _ value: UInt64) { SharedUnalignedU64(base + offset).storeRelaxedUnaligned(value) }
    @inlinable @inline(__always)
    public func store32Unaligned(_ offset: Int, _ value: UInt32) { SharedUnalignedU32(base + offset).storeRelaxedUnaligned(value) }
    @inlinable @inline(__always)
    public func opaque<R>(_ reason: StaticString, placeholder: R, _ call: (UnsafeMutableRawPointer) -> R) -> R { call(base) }
}
