/// A strategy whose reader and writer are written once, over a
/// ``SharedAccessor``: the hot loops run them on the record
/// (``HardwareAccessor``, specialised away), and the model checker records
/// the very same code (``ProgramRecorder``).
public protocol RecordableStrategy: OrderingStrategy {
    /// The guest's read; `retries` as ``OrderingStrategy/read(_:retries:)``.
    static func read<M: SharedAccessor>(_ m: inout M, retries: inout UInt64) -> Target.Value
    /// The guest's read, giving up after `limit` discarded attempts (nil).
    static func readBounded<M: SharedAccessor>(_ m: inout M, retries: inout UInt64, limit: UInt64) -> Target.Value?
    /// The hypervisor's write.
    static func write<M: SharedAccessor>(_ m: inout M, _ value: Target.Value)
    /// The hypervisor's write with `midpoint` in the middle of the update.
    static func write<M: SharedAccessor>(_ m: inout M, _ value: Target.Value, midpoint: () -> Void)
    /// The word (offset, name) a reader checks before it accepts the data
    /// (a sequence, a valid flag), or nil when it loads the data alone.
    static var guardWord: (offset: Int, name: String)? { get }
}

extension RecordableStrategy {
    /// A single access never discards an attempt and never gives up.
    @inlinable @inline(__always)
    public static func readBounded<M: SharedAccessor>(_ m: inout M, retries: inout UInt64, limit: UInt64) -> Target.Value? {
        read(&m, retries: &retries)
    }

    /// A single store has no middle: `midpoint` runs first.
    @inlinable @inline(__always)
    public static func write<M: SharedAccessor>(_ m: inout M, _ value: Target.Value, midpoint: () -> Void) {
        midpoint()
        write(&m, value)
    }

    public static var guardWord: (offset: Int, name: String)? { nil }

    /// A value the recorder's writer stores, from its bits (``SharedTarget/recordedValue(_:)``).
    public static func recordedValue(_ bits: UInt64) -> Target.Value { Target.recordedValue(bits) }

    @inlinable @inline(__always)
    public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> Target.Value {
        var m = HardwareAccessor(base)
        return read(&m, retries: &retries)
    }

    @inlinable @inline(__always)
    public static func readBounded(_ base: UnsafeMutableRawPointer, retries: inout UInt64, limit: UInt64) -> Target.Value? {
        var m = HardwareAccessor(base)
        return readBounded(&m, retries: &retries, limit: limit)
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: Target.Value) {
        var m = HardwareAccessor(base)
        write(&m, value)
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: Target.Value, midpoint: () -> Void) {
        var m = HardwareAccessor(base)
        write(&m, value, midpoint: midpoint)
    }

    /// One guest read, recorded: one attempt (`limit` 1), so a protocol's
    /// recorded read is the accepted attempt when the loads return values it accepts.
    /// Whether it returned a value (accepted its attempt).
    @discardableResult
    public static func recordRead(_ m: inout ProgramRecorder) -> Bool {
        var retries: UInt64 = 0
        return readBounded(&m, retries: &retries, limit: 1) != nil
    }

    /// One hypervisor write of `bits`, recorded.
    public static func recordWrite(_ m: inout ProgramRecorder, _ bits: UInt64) {
        write(&m, recordedValue(bits), midpoint: {})
    }
}
