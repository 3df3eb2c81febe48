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

    public init(reads: UInt64 = 0, torn: UInt64 = 0, backwards: UInt64 = 0, retries: UInt64 = 0) {
        self.reads = reads
        self.torn = torn
        self.backwards = backwards
        self.retries = retries
    }

    /// Torn plus backwards.
    public var violations: UInt64 { torn + backwards }

    /// Sum over readers.
    public static func + (a: ReaderCounts, b: ReaderCounts) -> ReaderCounts {
        ReaderCounts(reads: a.reads + b.reads, torn: a.torn + b.torn, backwards: a.backwards + b.backwards,
                     retries: a.retries + b.retries)
    }
}
