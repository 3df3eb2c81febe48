/// Figures in a result file's `context.figures`, so that a file says itself
/// which way each of its figures is better (`compare` reads it):
/// `{"key": "reads_per_second", "unit": "/s", "operation": "reads", "better": "higher"}`.
extension Figure: Codable {
    enum CodingKeys: String, CodingKey { case key, unit, operation, better }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let unitText = try c.decode(String.self, forKey: .unit)
        let betterText = try c.decode(String.self, forKey: .better)
        guard let unit = Unit(rawValue: unitText) else {
            throw DecodingError.dataCorruptedError(forKey: .unit, in: c, debugDescription: "unit '\(unitText)' is not /s or ns")
        }
        guard let better = Better(rawValue: betterText) else {
            throw DecodingError.dataCorruptedError(forKey: .better, in: c, debugDescription: "better '\(betterText)' is not higher or lower")
        }
        self.init(key: try c.decode(String.self, forKey: .key), unit: unit, better: better,
                  operation: try c.decodeIfPresent(String.self, forKey: .operation))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(unit.rawValue, forKey: .unit)
        try c.encodeIfPresent(operation, forKey: .operation)
        try c.encode(better.rawValue, forKey: .better)
    }
}

/// A scenario's figures by role: `{"rate": …, "cost": …, "latency_p50": …, "latency_p99": …}`.
extension HeadlineFigures: Codable {
    enum CodingKeys: String, CodingKey { case rate, cost, latencyP50 = "latency_p50", latencyP99 = "latency_p99" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rate: try c.decode(Figure.self, forKey: .rate), cost: try c.decodeIfPresent(Figure.self, forKey: .cost),
                  latencyP50: try c.decodeIfPresent(Figure.self, forKey: .latencyP50),
                  latencyP99: try c.decodeIfPresent(Figure.self, forKey: .latencyP99))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rate, forKey: .rate)
        try c.encodeIfPresent(cost, forKey: .cost)
        try c.encodeIfPresent(latencyP50, forKey: .latencyP50)
        try c.encodeIfPresent(latencyP99, forKey: .latencyP99)
    }

    /// Every figure with a role, in the order rate, cost, latency p50, p99.
    public var all: [Figure] { [rate] + [cost, latencyP50, latencyP99].compactMap { $0 } }
}
