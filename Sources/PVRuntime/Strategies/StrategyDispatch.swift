/// Something generic over an ordering strategy, to be called with the
/// concrete strategy type a run selects by name.
///
/// Opening `any OrderingStrategy.Type` and passing it to a generic function
/// calls the *unspecialised* function: every read becomes a witness-table
/// call and nothing inlines. ``StrategyKind/dispatch(_:to:)`` instead names
/// each concrete type in a `switch`, so (being `@inlinable`) the visitor's
/// `visit` is specialised for every strategy in the caller's module and the
/// hot loop compiles to the same instructions as a hand-written one.
public protocol StrategyVisitor {
    associatedtype Output
    func visit<S: OrderingStrategy>(_ strategy: S.Type) throws -> Output
}

extension StrategyKind {
    /// Calls `visitor.visit(S.self)` with the concrete strategy for
    /// (`self`, `target`); nil when the strategy does not apply to the target.
    /// Keep the cases in step with ``strategyType(for:)``.
    @inlinable
    public func dispatch<V: StrategyVisitor>(_ target: SharedRecordKind, to visitor: V) throws -> V.Output? {
        switch (self, target) {
        case (.relaxed, .stolenTime): try visitor.visit(RelaxedStrategy.StolenTime.self)
        case (.relaxed, .preempted): try visitor.visit(RelaxedStrategy.Preempted.self)
        case (.acquireRelease, .stolenTime): try visitor.visit(AcquireReleaseStrategy.StolenTime.self)
        case (.acquireRelease, .preempted): try visitor.visit(AcquireReleaseStrategy.Preempted.self)
        case (.seqCst, .stolenTime): try visitor.visit(SeqCstStrategy.StolenTime.self)
        case (.seqCst, .preempted): try visitor.visit(SeqCstStrategy.Preempted.self)
        case (.seqlock, .record): try visitor.visit(SeqLockStrategy.Record.self)
        case (.seqlock, .stolenTime): try visitor.visit(SeqLockStrategy.StolenTime.self)
        case (.seqlockNoFence, .record): try visitor.visit(SeqLockNoFenceStrategy.Record.self)
        case (.seqlockNoFence, .stolenTime): try visitor.visit(SeqLockNoFenceStrategy.StolenTime.self)
        case (.ckSequence, .record): try visitor.visit(CKSequenceStrategy.Record.self)
        case (.ckSequence, .stolenTime): try visitor.visit(CKSequenceStrategy.StolenTime.self)
        case (.doubleWord, .record): try visitor.visit(DoubleWordStrategy.Record.self)
        case (.splitHalves, .record): try visitor.visit(SplitHalvesStrategy.Record.self)
        case (.splitHalves, .stolenTime): try visitor.visit(SplitHalvesStrategy.StolenTime.self)
        case (.straddle, .stolenTime): try visitor.visit(StraddleStrategy.StolenTime.self)
        case (.straddle, .preempted): try visitor.visit(StraddleStrategy.Preempted.self)
        case (.flagThenData, .stolenTime): try visitor.visit(FlagThenDataStrategy.StolenTime.self)
        default: nil
        }
    }
}
