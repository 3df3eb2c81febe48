/// A small concurrent program: the unit the checker decides.
///
/// Invariants: thread `i` is processor `Pi`; every `Location` a thread
/// names is in `locations`; branch targets are instruction indices of the
/// same thread (`Instruction.branch`). A backward target makes a loop: the
/// checker unrolls it as herd7 does (`CheckOptions.unroll`). The program is what
/// a litmus file describes, and what another module records when it
/// expresses a strategy as a program (build it directly, no text needed).
public struct Program: Sendable {
    public var name: String
    public var architecture: Architecture
    /// Shared memory: each location a separate, 64-byte aligned region.
    public var locations: [Location]
    public var threads: [ProgramThread]
    /// Initial memory: the first elements of each location (one value for a
    /// scalar); a location or element absent here starts at zero.
    public var initialMemory: [String: [UInt64]]
    public var condition: Condition
    /// Extra observed registers/locations (herd's `locations [...]`).
    public var observed: [Observable]
    /// For a C program (`Architecture.c`): each thread as herd7's C semantics
    /// sees it (`threads` then carries only register types and initial values).
    public var lkmmThreads: [LKMMThread] = []
    /// herd7's `filter p`: an execution whose final state does not satisfy
    /// `p` is discarded before the model sees it (herd/mem.ml check_filter).
    public var filter: Proposition?

    public init(name: String, architecture: Architecture, locations: [Location], threads: [ProgramThread],
                initialMemory: [String: [UInt64]] = [:], condition: Condition, observed: [Observable] = []) {
        self.name = name
        self.architecture = architecture
        self.locations = locations
        self.threads = threads
        self.initialMemory = initialMemory
        self.condition = condition
        self.observed = observed
    }

    public func locationIndex(_ name: String) -> Int? { locations.firstIndex { $0.name == name } }
}

/// The instruction set the program's text was written in; it picks the
/// default model and the register names herd7 prints.
public enum Architecture: String, Sendable, CaseIterable {
    case aarch64 = "AArch64"
    case x86 = "X86"
    case x86_64 = "X86_64"
    /// Kernel C, as `tools/memory-model` litmus tests write it.
    case c = "C"

    /// herd7's default model for tests of this architecture (for C, `-conf linux-kernel.cfg`'s).
    public var defaultModel: ModelKind {
        switch self {
        case .aarch64: .armv8
        case .x86, .x86_64: .x86TSO
        case .c: .lkmm
        }
    }
}

/// A typed scalar or array in shared memory (herd7 default: 32-bit `int`).
public struct Location: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    /// 1 for a scalar; `n` for `uint64_t t[n]`.
    public var count: Int
    public var byteSize: Int { type.bytes * count }
    public init(name: String, type: ValueType = .int, count: Int = 1) {
        self.name = name
        self.type = type
        self.count = count
    }
}

/// A C scalar type of herd7's init block. Sizes are bytes.
public struct ValueType: Sendable, Hashable {
    public var bytes: Int
    public var signed: Bool
    public static let int = ValueType(bytes: 4, signed: true)
    public init(bytes: Int, signed: Bool) {
        self.bytes = bytes
        self.signed = signed
    }

    /// herd7's spellings; nil for a type outside the subset.
    public static func named(_ s: String) -> ValueType? {
        switch s {
        case "int", "int32_t": return ValueType(bytes: 4, signed: true)
        case "uint32_t", "unsigned", "uint": return ValueType(bytes: 4, signed: false)
        case "int64_t", "long": return ValueType(bytes: 8, signed: true)
        case "uint64_t": return ValueType(bytes: 8, signed: false)
        case "int8_t", "char": return ValueType(bytes: 1, signed: true)
        case "uint8_t": return ValueType(bytes: 1, signed: false)
        case "int16_t", "short": return ValueType(bytes: 2, signed: true)
        case "uint16_t": return ValueType(bytes: 2, signed: false)
        default: return nil
        }
    }

    /// The value as herd7 prints it: truncated to the type, sign-extended if signed.
    public func render(_ bits: UInt64) -> String {
        let width = bytes * 8
        let masked = width >= 64 ? bits : bits & ((1 << UInt64(width)) - 1)
        guard signed, width < 64 || Int64(bitPattern: masked) < 0 else {
            return String(masked)
        }
        if width >= 64 { return String(Int64(bitPattern: masked)) }
        let sign = UInt64(1) << UInt64(width - 1)
        if masked & sign != 0 { return String(Int64(bitPattern: masked | ~((sign << 1) &- 1))) }
        return String(masked)
    }

    /// Truncation to the type (comparisons in conditions are typed).
    public func truncate(_ bits: UInt64) -> UInt64 {
        bytes >= 8 ? bits : bits & ((1 << UInt64(bytes * 8)) - 1)
    }
}

/// One processor's instructions in program order.
public struct ProgramThread: Sendable {
    public var instructions: [Instruction]
    /// Initial register values (`0:X1=x` is `.address(x, 0)`).
    public var initialRegisters: [Int: Value]
    /// Register types from the init block (herd7 default `int`).
    public var registerTypes: [Int: ValueType]
    /// Instruction indices of AArch64 DMB/DSB barriers with the full-system
    /// option (SY, LD, ST). Any other DMB (ISH, OSH: what a program built in
    /// code, such as the kernel's mapping, means) makes aarch64fences.cat
    /// flag the execution `Assuming-common-inner-shareable-domain`.
    public var systemFences: Set<Int> = []
    public init(instructions: [Instruction], initialRegisters: [Int: Value] = [:], registerTypes: [Int: ValueType] = [:]) {
        self.instructions = instructions
        self.initialRegisters = initialRegisters
        self.registerTypes = registerTypes
    }
}

/// Something a final state shows: a register of a thread, or memory.
public enum Observable: Sendable, Hashable {
    case register(thread: Int, register: Int)
    /// `x` (whole scalar) or `t[i]` (element `i` of an array).
    case memory(location: String, element: Int?)
}
