/// A register value: plain bits, or an address (a location plus a byte
/// offset) as herd7 keeps addresses symbolic. Arithmetic on addresses is
/// limited to what the dependency idioms need (address + integer, and an
/// address EOR itself, which is 0); anything else is not modelled.
public struct Value: Sendable, Hashable {
    /// The location an address points into; nil for plain bits.
    public var location: Int?
    /// The bits (the byte offset for an address).
    public var bits: UInt64

    public init(bits: UInt64) {
        self.location = nil
        self.bits = bits
    }

    public init(location: Int, offset: UInt64 = 0) {
        self.location = location
        self.bits = offset
    }

    public static let zero = Value(bits: 0)
}
