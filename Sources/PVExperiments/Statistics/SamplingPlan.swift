/// How many operations a hot loop runs between two clock reads (one batch),
/// so that sampling stays within an overhead budget and the loop still sees
/// the stop flag often enough to end within 100 ms of a signal.
public struct SamplingPlan: Sendable, Equatable {
    /// Operations per batch (a power of two, so `i & (n - 1) == 0` tests a boundary).
    public let operationsPerBatch: Int

    /// - Parameters:
    ///   - nanosecondsPerOperation: the loop's cost per operation, measured
    ///     in a short warm-up (must be > 0).
    ///   - clockReadNanoseconds: ``CycleClock/readCostNanoseconds``; a batch
    ///     costs two reads plus a histogram record (counted as one more read).
    ///   - overheadBudget: fraction of time sampling may take (default 1 %,
    ///     well inside the 3 % the harness must stay under).
    ///   - maximumBatchNanoseconds: longest a batch may run (default 1 ms), so
    ///     the stop flag checked per batch is seen promptly.
    public init(nanosecondsPerOperation: Double, clockReadNanoseconds: Double, overheadBudget: Double = 0.01,
                maximumBatchNanoseconds: Double = 1_000_000)
    {
        precondition(nanosecondsPerOperation > 0 && overheadBudget > 0, "need a positive cost and budget")
        let sampleCost = 3 * max(clockReadNanoseconds, 1)
        let wanted = sampleCost / (overheadBudget * nanosecondsPerOperation)
        let cap = max(1, maximumBatchNanoseconds / nanosecondsPerOperation)
        let ops = Swift.min(Swift.max(wanted, 64), cap)
        var power = 1
        while Double(power) < ops { power *= 2 }          // round up: stay within the budget…
        if Double(power) > cap && power > 1 { power /= 2 }   // …unless that breaks the batch-time cap
        operationsPerBatch = power
    }

    /// Expected sampling overhead with this batch size.
    public func expectedOverhead(nanosecondsPerOperation: Double, clockReadNanoseconds: Double) -> Double {
        3 * max(clockReadNanoseconds, 1) / (Double(operationsPerBatch) * nanosecondsPerOperation)
    }
}
