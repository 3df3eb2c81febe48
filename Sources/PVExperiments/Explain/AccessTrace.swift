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

        public init(kind: SharedAccessKind, offset: Int, bytes: Int, ordering: C11Ordering) {
            self.kind = kind
            self.offset = offset
            self.bytes = bytes
            self.ordering = ordering
        }
    }

    public private(set) var accesses: [Access] = []

    public init() {}

    public mutating func load64<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt64 {
        accesses.append(Access(kind: .load, offset: offset, bytes: 8, ordering: O.load))
        return 0
    }

    public mutating func load32<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt32 {
        accesses.append(Access(kind: .load, offset: offset, bytes: 4, ordering: O.load))
        return 0
    }

    public mutating func store64<O: AccessOrdering>(_ offset: Int, _ value: UInt64, _: O.Type) {
        accesses.append(Access(kind: .store, offset: offset, bytes: 8, ordering: O.store))
    }

    public mutating func store32<O: AccessOrdering>(_ offset: Int, _ value: UInt32, _: O.Type) {
        accesses.append(Access(kind: .store, offset: offset, bytes: 4, ordering: O.store))
    }
}
