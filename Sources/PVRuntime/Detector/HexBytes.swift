extension Sequence<UInt8> {
    /// The bytes in order, two hex digits each, space-separated
    /// (`59 de 3b 89`): how every report shows a value's bytes in memory.
    public var hexBytes: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ") }
}
