import Foundation

/// JSON as pvbench writes it everywhere: pretty-printed, keys sorted,
/// slashes unescaped, a final newline.
public enum PrettyJSON {
    public static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
