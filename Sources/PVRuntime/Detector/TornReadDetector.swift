import CPVPlatform

/// The torn-read detector for one reader of one ``SharedTarget``.
///
/// Call ``observe(_:)`` with every value the reader gets; it counts reads,
/// torn values and values that went backwards (``ReaderCounts``) and, with
/// ``DetectorDetail/firstViolation``, keeps the first offending value with
/// the two writes it mixed and the ticks it took to appear.
///
/// A value counts as **torn** only when it is no written value *and* the
/// detector names two writes whose bytes make it up, byte for byte; a value
/// no write produced that it cannot so explain is **unexplained**, and a
/// stress value whose order it cannot tell is **unordered**: undecided, never
/// a violation (``ReaderCounts/undecided``). Nothing here depends on how far
/// the reader lags behind the writer.
///
/// Per-read cost, all O(1): stress mode re-encodes the decoded index (a few
/// multiplies) and compares; spec mode decodes the write number from the
/// value and verifies its tag (``SpecSequence``); monotonic mode is one
/// compare. Violations are handled out of line.
public struct TornReadDetector<Target: SharedTarget> {
    public let mode: DetectorMode
    public let detail: DetectorDetail
    /// Writes either side of each anchor tried when explaining a value.
    public static var explainWindow: UInt64 { 48 }
    /// A stress index that moved by this much or more (either way, modulo
    /// 2^32) cannot be ordered against the previous one.
    public static var stressOrderLimit: UInt32 { 1 << 30 }

    @usableFromInline var state = ReaderCounts()
    @usableFromInline var first: Violation?
    @usableFromInline var firstUndecided: String?
    /// The last good value seen (initially the value before the first write).
    @usableFromInline var lastValid: Target.Value
    /// Stress: last good index. Spec: the write number of `lastValid`.
    @usableFromInline var lastIndex: UInt64 = 0
    /// Monotonic: ordering key of `lastValid`.
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
        switch mode {
        case .stress: self.lastIndex = UInt64(Target.stressIndex(start) ?? 0)
        case .spec: self.lastIndex = Target.specIndex(start) ?? 0
        case .monotonic: self.lastIndex = 0
        }
        self.startTicks = startTicks
    }

    /// The value a record must hold before the first write in `mode`.
    public static func initialValue(mode: DetectorMode) -> Target.Value {
        mode == .stress ? Target.stressValue(0) : Target.specInitial
    }

    /// The writer's `n`-th value (n from 1) in `mode`. O(1) in both modes.
    @inlinable @inline(__always)
    public static func writerValue(_ n: UInt64, mode: DetectorMode) -> Target.Value {
        mode == .stress ? Target.stressValue(UInt32(truncatingIfNeeded: n)) : Target.specValue(n)
    }

    public var counts: ReaderCounts { state }
    public var firstViolation: Violation? { first }
    public var verdict: ReaderVerdict {
        ReaderVerdict(counts: state, firstViolation: first, firstUndecided: firstUndecided)
    }

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
            guard let k = Target.stressIndex(value) else { return recordNotWritten(value) }
            if Target.stressChecksOrder {
                let delta = k &- UInt32(truncatingIfNeeded: lastIndex)
                if _slowPath(delta >= Self.stressOrderLimit) {
                    if delta > 0 &- Self.stressOrderLimit { return recordBackwards(value) }
                    recordUnordered(value, k)
                }
            }
            lastIndex = UInt64(k)
        case .spec:
            if value == lastValid { return }
            guard let n = Target.specIndex(value) else { return recordNotWritten(value) }
            if Target.specIsMonotonic {
                if n < lastIndex { return recordBackwards(value) }
                lastIndex = n
            }
        case .monotonic:
            guard let key = Target.specKey(value) else {
                return recordTorn(value, reason: "invariant broken (revision/attributes not 0, or flag not 0/1)", mixed: nil)
            }
            if key == lastKey { return }
            if Target.specIsMonotonic, key < lastKey { return recordBackwards(value) }
            lastKey = key
        }
        lastValid = value
    }

    // MARK: cold path

    /// A value no write produced: torn when two named writes make it up,
    /// otherwise unexplained.
    @usableFromInline @inline(never)
    mutating func recordNotWritten(_ value: Target.Value) {
        if let mixed = explain(value) {
            return recordTorn(value, reason: "never written: bytes of writes \(mixed.first) and \(mixed.second)", mixed: mixed)
        }
        state.unexplained &+= 1
        guard detail == .firstViolation, firstUndecided == nil else { return }
        firstUndecided = "value [\(Target.hexBytes(value))] at read \(state.reads) was never written, and no two writes "
            + "near the last value seen or the value's own bytes make it up"
    }

    @usableFromInline @inline(never)
    mutating func recordTorn(_ value: Target.Value, reason: String, mixed: MixedWrites?) {
        state.torn &+= 1
        guard detail == .firstViolation, first == nil else { return }
        first = violation(.torn, value, reason: reason, mixed: mixed)
    }

    @usableFromInline @inline(never)
    mutating func recordBackwards(_ value: Target.Value) {
        state.backwards &+= 1
        guard detail == .firstViolation, first == nil else { return }
        first = violation(.backwards, value, reason: "older than a value this reader had already seen", mixed: nil)
    }

    @usableFromInline @inline(never)
    mutating func recordUnordered(_ value: Target.Value, _ k: UInt32) {
        state.unordered &+= 1
        guard detail == .firstViolation, firstUndecided == nil else { return }
        firstUndecided = "stress index \(k) at read \(state.reads) is 2^30 or more writes from the previous one "
            + "(\(UInt32(truncatingIfNeeded: lastIndex))): a 32-bit index cannot tell far ahead from far behind"
    }

    /// The two writes whose bytes make up `value`, closest together first,
    /// searched among the writes near the reader's last good value and near
    /// where the value's own bytes point (``SharedTarget/specAnchors(_:)``,
    /// ``SharedTarget/stressCandidates(_:)``): the anchors themselves first,
    /// then ±2 and ±``explainWindow`` writes around them. Nil when no pair
    /// explains every byte.
    func explain(_ value: Target.Value) -> MixedWrites? {
        let anchors: [UInt64]
        let limit: UInt64
        switch mode {
        case .spec where Target.specIsMonotonic:
            anchors = Target.specAnchors(value) + [lastIndex]
            limit = SpecSequence.lastIndex
        case .spec:
            anchors = [0, 1]  // the flag: its spec values are only 0 and 1
            limit = 1
        case .stress where !Target.stressChecksOrder:
            anchors = [0]  // an 8-bit index: every write is within the window
            limit = 255
        case .stress:
            anchors = (Target.stressCandidates(value) + [UInt32(truncatingIfNeeded: lastIndex)]).map(UInt64.init)
            limit = UInt64(UInt32.max)
        case .monotonic:
            return nil
        }
        for w in limit == 255 ? [255] : [0, 2, Self.explainWindow] {
            if let found = explain(value, around: anchors, window: w, limit: limit) { return found }
        }
        return nil
    }

    /// One stage of ``explain(_:)``: writes within `window` of each anchor
    /// (wrapping modulo 2^32 in stress mode, clipped to `0 ... limit` in spec).
    func explain(_ value: Target.Value, around anchors: [UInt64], window w: UInt64, limit: UInt64) -> MixedWrites? {
        let wraps = mode == .stress && limit == UInt64(UInt32.max)
        func valueOf(_ n: UInt64) -> Target.Value {
            mode == .stress ? Target.stressValue(UInt32(truncatingIfNeeded: n)) : Target.specValue(n)
        }
        let full: UInt32 = (1 << UInt32(Target.byteCount)) - 1
        // Distinct equal-byte masks, each with the write nearest the last good value.
        var masks: [(mask: UInt32, n: UInt64)] = []
        // The windows, merged where they overlap (anchors cluster), each write once.
        var ranges: [(lo: UInt64, count: UInt64)] = []
        for a in anchors.sorted() where a <= limit {
            let lo = wraps ? a &- w : (a > w ? a - w : 0)
            let count = wraps ? 2 * w : min(limit, a + w) - lo
            if let last = ranges.last, !wraps, lo <= last.lo + last.count + 1 {
                ranges[ranges.count - 1].count = max(last.count, lo + count - last.lo)
            } else {
                ranges.append((lo, count))
            }
        }
        for (lo, count) in ranges {
            for d in 0 ... count {
                let n = wraps ? (lo &+ d) & limit : lo + d
                let mask = Target.equalBytes(valueOf(n), value)
                if mask == 0 || mask == full { continue }
                if let k = masks.firstIndex(where: { $0.mask == mask }) {
                    if distance(n, lastIndex) < distance(masks[k].n, lastIndex) { masks[k].n = n }
                } else {
                    masks.append((mask, n))
                }
            }
        }
        var best: (UInt64, UInt64)?
        for (i, a) in masks.enumerated() {
            for b in masks[(i + 1)...] where a.mask | b.mask == full {
                let pair = (min(a.n, b.n), max(a.n, b.n))
                if best == nil || pair.1 - pair.0 < best!.1 - best!.0 { best = pair }
            }
        }
        guard let (a, b) = best else { return nil }
        return MixedWrites(first: a, second: b, firstBytes: Target.bytes(of: valueOf(a)),
                           secondBytes: Target.bytes(of: valueOf(b)), explainsEveryByte: true)
    }

    func distance(_ a: UInt64, _ b: UInt64) -> UInt64 { a > b ? a - b : b - a }

    func violation(_ kind: Violation.Kind, _ value: Target.Value, reason: String, mixed: MixedWrites?) -> Violation {
        let now = pv_read_cycle_counter()
        return Violation(kind: kind, reason: reason, observed: Target.bytes(of: value), previous: Target.bytes(of: lastValid),
                         mixed: mixed, readNumber: state.reads, ticksSinceStart: now &- startTicks)
    }
}
