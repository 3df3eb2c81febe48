/// The first value a reader should never have seen.
public struct Violation: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// Not a value any single write produced.
        case torn
        /// Older than a value this reader had already seen.
        case backwards
    }

    public var kind: Kind
    /// Why it is a violation, in words.
    public var reason: String
    /// The offending value's bytes, in memory order.
    public var observed: [UInt8]
    /// The last good value this reader had seen before it.
    public var previous: [UInt8]
    /// The two writes whose bytes the value most likely mixed (torn only).
    public var mixed: MixedWrites?
    /// 1-based number of the read that saw it.
    public var readNumber: UInt64
    /// Cycle-counter ticks from the reader's start to this read.
    public var ticksSinceStart: UInt64
}

/// Two writes a torn value can be assembled from.
public struct MixedWrites: Sendable, Codable, Equatable {
    /// Write numbers (stress index, or spec write number).
    public var first: UInt64
    public var second: UInt64
    public var firstBytes: [UInt8]
    public var secondBytes: [UInt8]
    /// Whether every byte of the observed value is the same byte of one of
    /// the two writes (false: the closest pair found, not a full explanation).
    public var explainsEveryByte: Bool

    /// For each byte of `observed`: 0 when it is `a`'s, 1 when `b`'s (a's
    /// when both agree), nil when neither's.
    public static func sources(of observed: [UInt8], _ a: [UInt8], _ b: [UInt8]) -> [Int?] {
        zip(observed, zip(a, b)).map { o, ab in o == ab.0 ? 0 : (o == ab.1 ? 1 : nil) }
    }
}

/// Counts and first violation of one reader.
public struct ReaderVerdict: Sendable, Codable, Equatable {
    public var counts: ReaderCounts
    public var firstViolation: Violation?
    /// Why the first undecided read could not be decided, with its bytes.
    public var firstUndecided: String?

    public init(counts: ReaderCounts, firstViolation: Violation?, firstUndecided: String? = nil) {
        self.counts = counts
        self.firstViolation = firstViolation
        self.firstUndecided = firstUndecided
    }
}
