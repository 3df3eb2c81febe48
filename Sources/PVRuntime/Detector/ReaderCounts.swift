/// What one reader saw.
public struct ReaderCounts: Sendable, Codable, Equatable {
    /// Values read (a seqlock read that retried counts once).
    public var reads: UInt64 = 0
    /// Values that are not a value any single write produced.
    public var torn: UInt64 = 0
    /// Values older than one this reader had already seen.
    public var backwards: UInt64 = 0
    /// Attempts the protocol discarded (seqlock, ck-sequence).
    public var retries: UInt64 = 0
    /// Values no write produced that the detector could not decode as a mix
    /// of two writes it can name (undecided: neither torn nor good).
    public var unexplained: UInt64 = 0
    /// Stress values whose order against the previous one cannot be told
    /// (the 32-bit index moved 2^30 or more: far ahead or far behind).
    public var unordered: UInt64 = 0

    public init(reads: UInt64 = 0, torn: UInt64 = 0, backwards: UInt64 = 0, retries: UInt64 = 0,
                unexplained: UInt64 = 0, unordered: UInt64 = 0) {
        self.reads = reads
        self.torn = torn
        self.backwards = backwards
        self.retries = retries
        self.unexplained = unexplained
        self.unordered = unordered
    }

    /// Torn plus backwards: what the detector decided is wrong.
    public var violations: UInt64 { torn + backwards }
    /// Reads the detector could not decide (``unexplained`` plus ``unordered``).
    public var undecided: UInt64 { unexplained + unordered }

    /// Sum over readers.
    public static func + (a: ReaderCounts, b: ReaderCounts) -> ReaderCounts {
        ReaderCounts(reads: a.reads + b.reads, torn: a.torn + b.torn, backwards: a.backwards + b.backwards,
                     retries: a.retries + b.retries, unexplained: a.unexplained + b.unexplained,
                     unordered: a.unordered + b.unordered)
    }
}
