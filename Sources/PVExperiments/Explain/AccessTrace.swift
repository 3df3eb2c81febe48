import PVRuntime

/// A ``SharedAccessor`` that writes down each access of a strategy's code as
/// the C11 access it is (kind, byte offset, width, ordering): the side of the
/// mapping ``ProgramRecorder`` does not keep (it records instructions, and
/// LDAR is both an acquire and a seq_cst load). Loads return 0, as the
/// recorder's do.
public struct AccessTrace: SharedAccessor {
    public struct Access: Sendable, Equatable {
        public var kind: SharedAccessKind
        public var offset: Int
        public var bytes: Int
        public var ordering: C11Ordering
        /// An access at an offset of any alignment: a plain (non-atomic)
        /// unaligned access in the code, relaxed in the trace.
        public var unaligned: Bool

        public init(kind: SharedAccessKind, offset: Int, bytes: Int, ordering: C11Ordering, unaligned: Bool = false) {
            self.kind = kind
            self.offset = offset
            self.bytes = bytes
            self.ordering = ordering
            self.unaligned = unaligned
        }
    }

    public private(set) var accesses: [Access] = []
    /// Why the code could not be traced (a call into C), as the recorder says.
    public private(set) var refusal: String?

    /// What loads at an offset return (absent: 0): the guard word's value
    /// a reader accepts, so its one attempt is traced whole.
    public var values: [Int: UInt64] = [:]

    public init(values: [Int: UInt64] = [:]) { self.values = values }

    /// One attempt of `S`'s read, traced with the first guard-word value
    /// (0, 1, 2) it accepts; the attempt with 0 when it accepts none.
    public static func acceptedRead<S: RecordableStrategy>(_: S.Type) -> AccessTrace {
        for v: UInt64 in [0, 1, 2] {
            var t = AccessTrace(values: S.guardWord.map { [$0.offset: v] } ?? [:])
            var retries: UInt64 = 0
            if S.readBounded(&t, retries: &retries, limit: 1) != nil || S.guardWord == nil { return t }
        }
        var t = AccessTrace()
        var retries: UInt64 = 0
        _ = S.readBounded(&t, retries: &retries, limit: 1)
        return t
    }

    public mutating func load64<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt64 {
        accesses.append(Access(kind: .load, offset: offset, bytes: 8, ordering: O.load))
        return values[offset] ?? 0
    }

    public mutating func load32<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt32 {
        accesses.append(Access(kind: .load, offset: offset, bytes: 4, ordering: O.load))
        return UInt32(truncatingIfNeeded: values[offset] ?? 0)
    }

    public mutating func store64<O: AccessOrdering>(_ offset: Int, _ value: UInt64, _: O.Type) {
        accesses.append(Access(kind: .store, offset: offset, bytes: 8, ordering: O.store))
    }

    public mutating func store32<O: AccessOrdering>(_ offset: Int, _ value: UInt32, _: O.Type) {
        accesses.append(Access(kind: .store, offset: offset, bytes: 4, ordering: O.store))
    }

    public mutating func fenceAcquire() { accesses.append(Access(kind: .fence, offset: 0, bytes: 0, ordering: .acquire)) }
    public mutating func fenceRelease() { accesses.append(Access(kind: .fence, offset: 0, bytes: 0, ordering: .release)) }
    public mutating func fenceSeqCst() { accesses.append(Access(kind: .fence, offset: 0, bytes: 0, ordering: .seqCst)) }

    public mutating func load64Unaligned(_ offset: Int) -> UInt64 {
        accesses.append(Access(kind: .load, offset: offset, bytes: 8, ordering: .relaxed, unaligned: true))
        return 0
    }

    public mutating func load32Unaligned(_ offset: Int) -> UInt32 {
        accesses.append(Access(kind: .load, offset: offset, bytes: 4, ordering: .relaxed, unaligned: true))
        return 0
    }

    public mutating func store64Unaligned(_ offset: Int, _ value: UInt64) {
        accesses.append(Access(kind: .store, offset: offset, bytes: 8, ordering: .relaxed, unaligned: true))
    }

    public mutating func store32Unaligned(_ offset: Int, _ value: UInt32) {
        accesses.append(Access(kind: .store, offset: offset, bytes: 4, ordering: .relaxed, unaligned: true))
    }

    public mutating func opaque<R>(_ reason: StaticString, placeholder: R, _ call: (UnsafeMutableRawPointer) -> R) -> R {
        if refusal == nil { refusal = "\(reason)" }
        return placeholder
    }
}
