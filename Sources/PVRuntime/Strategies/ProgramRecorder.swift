import PVModel

/// A ``SharedAccessor`` that runs a strategy's code without memory: each
/// access becomes an AArch64 instruction of a PVModel program, through the
/// C11 → AArch64 mapping the checker applies (no dependencies assumed):
///
/// | C11 access      | AArch64 | (x86-64, as Swift emits it) |
/// |-----------------|---------|-----------------------------|
/// | relaxed load    | LDR     | MOV                         |
/// | acquire load    | LDAR (the toolchain does not target +rcpc: no LDAPR) | MOV |
/// | seq_cst load    | LDAR    | MOV                         |
/// | relaxed store   | STR     | MOV                         |
/// | release store   | STLR    | MOV                         |
/// | seq_cst store   | STLR    | XCHG                        |
/// | acquire fence   | DMB ISHLD | nothing (compiler barrier) |
/// | release fence   | DMB ISH | nothing (compiler barrier)  |
/// | seq_cst fence   | DMB ISH | MFENCE                      |
/// | unaligned relaxed load/store | LDR/STR at the misaligned offset (the checker splits it as the architecture does) | MOV |
///
/// Addresses are record offsets from X(``baseRegister``) (``StrategyModel``
/// relocates them onto the record's fields); loaded values go to X0, X1, ...
/// (X8 left out: the litmus text moves immediates through it).
///
/// What a load returns: the next of the values ``script`` holds for its
/// offset, else what this thread last stored there (0 where it stored
/// nothing). That is exact for a word only this thread writes (the
/// seqlock writer's own sequence), and lets ``StrategyModel`` follow one
/// path of a reader's code (its accepted attempt) and ask which loaded
/// values the code accepts.
public struct ProgramRecorder: SharedAccessor {
    public static let baseRegister = 20

    /// One load, as the code made it.
    public struct RecordedLoad: Sendable, Equatable {
        public var register: Int
        public var offset: Int
        public var bytes: Int
    }

    public private(set) var instructions: [Instruction] = []
    /// Every access (offset, bytes), in program order.
    public private(set) var accesses: [(offset: Int, bytes: Int)] = []
    /// Each load, in program order.
    public private(set) var loads: [RecordedLoad] = []
    /// Type of each destination register.
    public private(set) var registerTypes: [Int: ValueType] = [:]
    /// Bytes this thread stored, by record offset.
    public private(set) var memory: [Int: UInt8] = [:]
    /// Values the next loads at an offset return, first first.
    public var script: [Int: [UInt64]] = [:]
    /// Why the code cannot be recorded (it called code the recorder cannot see), or nil.
    public private(set) var refusal: String?

    public init(script: [Int: [UInt64]] = [:]) { self.script = script }

    public static func aarch64(_ o: C11Ordering) -> LoadOrdering { o == .relaxed ? .plain : .acquire }
    public static func aarch64Store(_ o: C11Ordering) -> StoreOrdering { o == .relaxed ? .plain : .release }

    /// The memory's little-endian value of `[offset, offset + bytes)`.
    public func stored(_ offset: Int, bytes: Int) -> UInt64 {
        (0 ..< bytes).reduce(0) { $0 | UInt64(memory[offset + $1] ?? 0) << UInt64(8 * $1) }
    }

    mutating func at(_ offset: Int, _ bytes: Int) -> Address {
        accesses.append((offset, bytes))
        return Address(base: .register(Self.baseRegister), offset: Int64(offset))
    }

    mutating func load(_ offset: Int, bytes: Int, _ o: C11Ordering) -> UInt64 {
        let r = loads.count < 8 ? loads.count : loads.count + 1
        loads.append(RecordedLoad(register: r, offset: offset, bytes: bytes))
        registerTypes[r] = ValueType(bytes: bytes, signed: false)
        instructions.append(.load(destination: r, address: at(offset, bytes), bytes: bytes,
                                  ordering: Self.aarch64(o), exclusive: false))
        if var values = script[offset], !values.isEmpty {
            let v = values.removeFirst()
            script[offset] = values
            return v
        }
        return stored(offset, bytes: bytes)
    }

    mutating func store(_ offset: Int, _ value: UInt64, bytes: Int, _ o: C11Ordering) {
        instructions.append(.store(source: .immediate(value), address: at(offset, bytes), bytes: bytes,
                                   ordering: Self.aarch64Store(o), status: nil))
        for i in 0 ..< bytes { memory[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
    }

    public mutating func load64<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt64 { load(offset, bytes: 8, O.load) }

    public mutating func load32<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt32 {
        UInt32(truncatingIfNeeded: load(offset, bytes: 4, O.load))
    }

    public mutating func store64<O: AccessOrdering>(_ offset: Int, _ value: UInt64, _: O.Type) {
        store(offset, value, bytes: 8, O.store)
    }

    public mutating func store32<O: AccessOrdering>(_ offset: Int, _ value: UInt32, _: O.Type) {
        store(offset, UInt64(value), bytes: 4, O.store)
    }

    public mutating func fenceAcquire() { instructions.append(.fence(.dmbLoad)) }
    public mutating func fenceRelease() { instructions.append(.fence(.dmbFull)) }
    public mutating func fenceSeqCst() { instructions.append(.fence(.dmbFull)) }

    public mutating func load64Unaligned(_ offset: Int) -> UInt64 { load(offset, bytes: 8, .relaxed) }
    public mutating func load32Unaligned(_ offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: load(offset, bytes: 4, .relaxed)) }
    public mutating func store64Unaligned(_ offset: Int, _ value: UInt64) { store(offset, value, bytes: 8, .relaxed) }
    public mutating func store32Unaligned(_ offset: Int, _ value: UInt32) { store(offset, UInt64(value), bytes: 4, .relaxed) }

    public mutating func opaque<R>(_ reason: StaticString, placeholder: R, _ call: (UnsafeMutableRawPointer) -> R) -> R {
        if refusal == nil { refusal = "\(reason)" }
        return placeholder
    }
}
