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
///
/// The field at byte offset `o` of the record is addressed by X(10 + o/4)
/// (LDAR/STLR take no offset); loaded values go to X0, X2, ...;
/// a loaded value is not known here, so a load returns 0 (strategies whose
/// control flow depends on loaded values are not recordable this way).
public struct ProgramRecorder: SharedAccessor {
    public static let baseRegister = 10
    /// The register that holds the address of the field at `offset`.
    public static func register(forOffset offset: Int) -> Int { baseRegister + offset / 4 }
    /// Offsets accessed, in first-access order.
    public private(set) var offsets: [Int] = []
    public private(set) var instructions: [Instruction] = []
    /// Destination register of each load, in program order.
    public private(set) var loads: [Int] = []
    /// Type of each destination register.
    public private(set) var registerTypes: [Int: ValueType] = [:]

    public init() {}

    public static func aarch64(_ o: C11Ordering) -> LoadOrdering { o == .relaxed ? .plain : .acquire }
    public static func aarch64Store(_ o: C11Ordering) -> StoreOrdering { o == .relaxed ? .plain : .release }

    mutating func at(_ offset: Int) -> Address {
        if !offsets.contains(offset) { offsets.append(offset) }
        return Address(base: .register(Self.register(forOffset: offset)))
    }

    mutating func load(_ offset: Int, bytes: Int, _ o: C11Ordering) {
        let r = 2 * loads.count
        loads.append(r)
        registerTypes[r] = ValueType(bytes: bytes, signed: false)
        instructions.append(.load(destination: r, address: at(offset), bytes: bytes,
                                  ordering: Self.aarch64(o), exclusive: false))
    }

    mutating func store(_ offset: Int, _ value: UInt64, bytes: Int, _ o: C11Ordering) {
        instructions.append(.store(source: .immediate(value), address: at(offset), bytes: bytes,
                                   ordering: Self.aarch64Store(o), status: nil))
    }

    public mutating func load64<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt64 {
        load(offset, bytes: 8, O.load)
        return 0
    }

    public mutating func load32<O: AccessOrdering>(_ offset: Int, _: O.Type) -> UInt32 {
        load(offset, bytes: 4, O.load)
        return 0
    }

    public mutating func store64<O: AccessOrdering>(_ offset: Int, _ value: UInt64, _: O.Type) {
        store(offset, value, bytes: 8, O.store)
    }

    public mutating func store32<O: AccessOrdering>(_ offset: Int, _ value: UInt32, _: O.Type) {
        store(offset, UInt64(value), bytes: 4, O.store)
    }
}
