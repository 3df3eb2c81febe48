import PVABI

/// The memory ordering every access of a litmus test uses.
public enum LitmusOrdering: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// `memory_order_relaxed` loads and stores (READ_ONCE/WRITE_ONCE).
    case relaxed = "relaxed"
    /// store-release and load-acquire.
    case acquireRelease = "acquire-release"
    /// `memory_order_seq_cst` loads and stores.
    case seqCst = "seq-cst"

    public var description: String { rawValue }
}

/// A litmus ordering as a type, so the per-instance code is specialised.
protocol LitmusAccess: SendableMetatype {
    static func load(_ location: SharedU32) -> UInt32
    static func store(_ location: SharedU32, _ value: UInt32)
}

enum RelaxedLitmusAccess: LitmusAccess {
    @inline(__always) static func load(_ location: SharedU32) -> UInt32 { location.loadRelaxed() }
    @inline(__always) static func store(_ location: SharedU32, _ value: UInt32) { location.storeRelaxed(value) }
}

enum AcquireReleaseLitmusAccess: LitmusAccess {
    @inline(__always) static func load(_ location: SharedU32) -> UInt32 { location.loadAcquire() }
    @inline(__always) static func store(_ location: SharedU32, _ value: UInt32) { location.storeRelease(value) }
}

enum SeqCstLitmusAccess: LitmusAccess {
    @inline(__always) static func load(_ location: SharedU32) -> UInt32 { location.loadSeqCst() }
    @inline(__always) static func store(_ location: SharedU32, _ value: UInt32) { location.storeSeqCst(value) }
}

extension LitmusOrdering {
    var access: any LitmusAccess.Type {
        switch self {
        case .relaxed: RelaxedLitmusAccess.self
        case .acquireRelease: AcquireReleaseLitmusAccess.self
        case .seqCst: SeqCstLitmusAccess.self
        }
    }
}
