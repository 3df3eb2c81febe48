/// A strategy whose reader and writer are written once, over a
/// ``SharedAccessor``: the hot loops run them on the record
/// (``HardwareAccessor``, specialised away), and the model checker records
/// the very same code (``ProgramRecorder``).
public protocol RecordableStrategy: OrderingStrategy {
    /// The guest's read.
    static func read<M: SharedAccessor>(_ m: inout M) -> Target.Value
    /// The hypervisor's write.
    static func write<M: SharedAccessor>(_ m: inout M, _ value: Target.Value)
    /// A value the recorder's writer stores, from its bits (truncated to the target).
    static func recordedValue(_ bits: UInt64) -> Target.Value
}

extension RecordableStrategy {
    @inlinable @inline(__always)
    public static func read(_ base: UnsafeMutableRawPointer, retries: inout UInt64) -> Target.Value {
        var m = HardwareAccessor(base)
        return read(&m)
    }

    @inlinable @inline(__always)
    public static func write(_ base: UnsafeMutableRawPointer, _ value: Target.Value) {
        var m = HardwareAccessor(base)
        write(&m, value)
    }

    /// One guest read, recorded.
    public static func recordRead(_ m: inout ProgramRecorder) { _ = read(&m) }
    /// One hypervisor write of `bits`, recorded.
    public static func recordWrite(_ m: inout ProgramRecorder, _ bits: UInt64) { write(&m, recordedValue(bits)) }
}
