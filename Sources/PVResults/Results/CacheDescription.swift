/// One CPU cache as google-benchmark's context lists it.
public struct CacheDescription: Sendable, Equatable, Codable {
    /// "Data", "Instruction" or "Unified".
    public var type: String
    public var level: Int
    /// Bytes.
    public var size: Int
    /// How many CPUs share one instance.
    public var numSharing: Int

    enum CodingKeys: String, CodingKey { case type, level, size, numSharing = "num_sharing" }

    public init(type: String, level: Int, size: Int, numSharing: Int) {
        self.type = type
        self.level = level
        self.size = size
        self.numSharing = numSharing
    }
}
