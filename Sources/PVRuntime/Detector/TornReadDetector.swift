import CPVPlatform

/// The torn-read detector for one reader of one ``SharedTarget``.
///
/// Call ``observe(_:)`` with every value the reader gets; it counts reads,
/// torn values and values that went backwards (``ReaderCounts``) and, with
/// ``DetectorDetail/firstViolation``, keeps the first offending value with
/// the two writes it most likely mixed and the ticks it took to appear.
///
/// Per-read cost: stress mode re-encodes the decoded index (a few multiplies)
/// and compares; spec mode compares with the last value and, when the value
/// moved, replays the writer's deterministic sequence up to it (amortised:
/// one step per write the reader skipped); monotonic mode is one compare.
/// Violations are handled out of line.
public struct TornReadDetector<Target: SharedTarget> {
    public let mode: DetectorMode
    public let detail: DetectorDetail
    /// A spec-mode value more than this many writes past the last one seen
    /// is counted as torn (a jump larger than the run could have produced).
    public static var maxSpecWalk: UInt64 { 1 << 26 }

    @usableFromInline var state = ReaderCounts()
    @usableFromInline var first: Violation?
    /// The last good value seen (initially the value before the first write).
    @usableFromInline var lastValid: Target.Value
    /// Stress: last good index. Spec: the writer's value number of `lastValid`.
    @usableFromInline var lastIndex: UInt64 = 0
    /// Spec/monotonic: ordering key of `lastValid`.
    @usableFromInline var lastKey: UInt64
    @usableFromInline var startTicks: UInt64

    /// - Parameters:
    ///   - initial: the value the record holds before the writer starts
    ///     (``SharedTarget/specInitial`` or `stressValue(0)`, see ``initialValue(mode:)``).
    ///   - startTicks: cycle counter at the reader's start, for time to first violation.
    public init(mode: DetectorMode, detail: DetectorDetail = .firstViolation, initial: Target.Value? = nil,
                startTicks: UInt64 = 0) {
        self.mode = mode
        self.detail = detail
        let start = initial ?? Self.initialValue(mode: mode)
        self.lastValid = start
        self.lastKey = Target.specKey(start) ?? 0
        self.lastIndex = mode == .stress ? UInt64(Target.stressIndex(start) ?? 0) : 0
        self.startTicks = startTicks
    }

    /// The value a record must hold before the first write in `mode`.
    public static func initialValue(mode: DetectorMode) -> Target.Value {
        mode == .stress ? Target.stressValue(0) : Target.specInitial
    }

    /// The writer's `n`-th value (n from 1) in `mode`, given its previous one.
    @inlinable @inline(__always)
    public static func writerValue(_ n: UInt64, after previous: Target.Value, mode: DetectorMode) -> Target.Value {
        mode == .stress ? Target.stressValue(UInt32(truncatingIfNeeded: n)) : Target.specNext(after: previous, index: n)
    }

    public var counts: ReaderCounts { state }
    public var firstViolation: Violation? { first }
    public var verdict: ReaderVerdict { ReaderVerdict(counts: state, firstViolation: first) }

    /// Sets the reader's start time (cycle counter) for time to first violation.
    public mutating func start(atTicks ticks: UInt64) { startTicks = ticks }

    /// Adds protocol retries reported by the strategy.
    @inlinable @inline(__always)
    public mutating func addRetries(_ n: UInt64) { state.retries &+= n }

    /// Checks one value a reader got.
    @inlinable @inline(__always)
    public mutating func observe(_ value: Target.Value) {
        state.reads &+= 1
        switch mode {
        case .stress:
            guard let k = Target.stressIndex(value) else { return recordTorn(value, reason: "not a stress code word") }
            if Target.stressChecksOrder {
                let delta = Int32(bitPattern: k &- UInt32(truncatingIfNeeded: lastIndex))
                if delta < 0 { return recordBackwards(value) }
            }
            lastIndex = UInt64(k)
        case .spec, .monotonic:
            guard let key = Target.specKey(value) else {
                return recordTorn(value, reason: "invariant broken (revision/attributes not 0, or flag not 0/1)")
            }
            if key == lastKey { return }
            if !Target.specIsMonotonic { lastKey = key; lastValid = value; return }
            if key < lastKey { return recordBackwards(value) }
            if mode == .spec, !replaySpec(to: value, key: key) { return }
            lastKey = key
        }
        lastValid = value
    }

    /// Spec mode: walks the writer's sequence from the last value seen up to
    /// `key`; true when `value` is on it (and moves the position there).
    @inlinable @inline(__always)
    mutating func replaySpec(to value: Target.Value, key: UInt64) -> Bool {
        var v = lastValid
        var n = lastIndex
        var k = lastKey
        while k < key, n &- lastIndex < Self.maxSpecWalk {
            n &+= 1
            v = Target.specNext(after: v, index: n)
            k = Target.specKey(v) ?? 0
        }
        if v == value {
            lastIndex = n
            return true
        }
        recordSpecMiss(value, reached: v, at: n)
        return false
    }

    // MARK: cold path

    @usableFromInline @inline(never)
    mutating func recordTorn(_ value: Target.Value, reason: String) {
        state.torn &+= 1
        guard detail == .firstViolation, first == nil else { return }
        first = violation(.torn, value, reason: reason, mixed: explainStress(value))
    }

    @usableFromInline @inline(never)
    mutating func recordBackwards(_ value: Target.Value) {
        state.backwards &+= 1
        guard detail == .firstViolation, first == nil else { return }
        first = violation(.backwards, value, reason: "older than a value this reader had already seen", mixed: nil)
    }

    @usableFromInline @inline(never)
    mutating func recordSpecMiss(_ value: Target.Value, reached: Target.Value, at n: UInt64) {
        state.torn &+= 1
        guard detail == .firstViolation, first == nil else { return }
        let beyond = n &- lastIndex >= Self.maxSpecWalk && (Target.specKey(reached) ?? 0) < (Target.specKey(value) ?? 0)
        // Replay the writes just after the reader's last value and just before
        // where the walk stopped (a forward tear lands far past the writes it
        // mixed), and find the closest pair whose bytes make up the value.
        let window: UInt64 = 64
        var writes: [(UInt64, [UInt8])] = []
        var w = lastValid
        for m in lastIndex ... n {
            if m > lastIndex { w = Target.specNext(after: w, index: m) }
            if m - lastIndex <= window || n - m <= window { writes.append((m, Target.bytes(of: w))) }
        }
        let o = Target.bytes(of: value)
        var mixed: MixedWrites?
        for i in writes.indices {
            for j in writes.indices where j > i {
                let (a, b) = (writes[i], writes[j])
                if let found = mixed, b.0 - a.0 >= found.second - found.first { continue }
                if !MixedWrites.sources(of: o, a.1, b.1).contains(where: { $0 == nil }) {
                    mixed = MixedWrites(first: a.0, second: b.0, firstBytes: a.1, secondBytes: b.1, explainsEveryByte: true)
                }
            }
        }
        if mixed == nil, !beyond, writes.count >= 2 {
            let (a, b) = (writes[writes.count - 2], writes[writes.count - 1])
            mixed = MixedWrites(first: a.0, second: b.0, firstBytes: a.1, secondBytes: b.1, explainsEveryByte: false)
        }
        first = violation(
            .torn, value,
            reason: beyond ? "more than \(Self.maxSpecWalk) writes past the last value seen"
                : "never written: no write between \(lastIndex) and \(n) has this value",
            mixed: beyond ? nil : mixed)
    }

    func violation(_ kind: Violation.Kind, _ value: Target.Value, reason: String, mixed: MixedWrites?) -> Violation {
        let now = pv_read_cycle_counter()
        return Violation(kind: kind, reason: reason, observed: Target.bytes(of: value), previous: Target.bytes(of: lastValid),
                         mixed: mixed, readNumber: state.reads, ticksSinceStart: now &- startTicks)
    }

    /// The pair of stress writes that best explains `value` byte by byte.
    func explainStress(_ value: Target.Value) -> MixedWrites? {
        guard mode == .stress else { return nil }
        let last = UInt32(truncatingIfNeeded: lastIndex)
        var candidates: [UInt32] = []
        for c in Target.stressCandidates(value) + [last, last &+ 1, last &- 1] where !candidates.contains(c) {
            candidates.append(c)
        }
        let observed = Target.bytes(of: value)
        var best: (score: Int, a: UInt32, b: UInt32)?
        for (i, a) in candidates.enumerated() {
            for b in candidates[(i + 1)...] {
                let sources = MixedWrites.sources(of: observed, Target.bytes(of: Target.stressValue(a)),
                                                  Target.bytes(of: Target.stressValue(b)))
                let score = sources.filter { $0 != nil }.count
                if best == nil || score > best!.score { best = (score, min(a, b), max(a, b)) }
            }
        }
        guard let best else { return nil }
        return MixedWrites(first: UInt64(best.a), second: UInt64(best.b),
                           firstBytes: Target.bytes(of: Target.stressValue(best.a)),
                           secondBytes: Target.bytes(of: Target.stressValue(best.b)),
                           explainsEveryByte: best.score == observed.count)
    }
}
