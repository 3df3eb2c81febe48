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
