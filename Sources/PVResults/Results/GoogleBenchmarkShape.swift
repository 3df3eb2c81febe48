import Foundation

/// Checks JSON against the shape google-benchmark writes with
/// `--benchmark_format=json`, independently of pvbench's Codable model: the
/// required keys with their JSON types, and flat (number or string) extra
/// keys in each benchmark, which is what its `compare.py` and other tools
/// rely on.
public enum GoogleBenchmarkShape {
    /// Required `context` keys and their JSON types.
    public static let requiredContextKeys: [(String, String)] = [
        ("date", "string"), ("host_name", "string"), ("executable", "string"), ("num_cpus", "integer"),
        ("mhz_per_cpu", "integer"), ("cpu_scaling_enabled", "boolean"), ("caches", "array"),
        ("library_build_type", "string"),
    ]
    /// Required keys of every `benchmarks[]` entry.
    public static let requiredBenchmarkKeys: [(String, String)] = [
        ("name", "string"), ("run_name", "string"), ("run_type", "string"), ("repetitions", "integer"),
        ("threads", "integer"), ("iterations", "integer"), ("real_time", "number"), ("cpu_time", "number"),
        ("time_unit", "string"),
    ]

    /// Every way `data` departs from the shape; empty when it conforms.
    public static func problems(in data: Data) -> [String] {
        let root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch { return ["not valid JSON: \(error)"] }
        guard case let .object(top) = root else { return ["top level is \(root.typeName), expected object"] }
        var problems: [String] = []

        if case let .object(context)? = top["context"] {
            problems += check(context, requiredContextKeys, at: "context")
            if case let .array(caches)? = context["caches"] {
                for (i, cache) in caches.enumerated() {
                    guard case let .object(c) = cache else { problems.append("context.caches[\(i)] is not an object"); continue }
                    problems += check(c, [("type", "string"), ("level", "integer"), ("size", "integer"),
                                          ("num_sharing", "integer")], at: "context.caches[\(i)]")
                }
            }
        } else {
            problems.append("missing object 'context'")
        }

        guard case let .array(benchmarks)? = top["benchmarks"] else {
            return problems + ["missing array 'benchmarks'"]
        }
        for (i, value) in benchmarks.enumerated() {
            let at = "benchmarks[\(i)]"
            guard case let .object(b) = value else { problems.append("\(at) is not an object"); continue }
            problems += check(b, requiredBenchmarkKeys, at: at)
            switch b["run_type"] {
            case .string("iteration")?:
                problems += check(b, [("repetition_index", "integer")], at: at)
            case .string("aggregate")?:
                problems += check(b, [("aggregate_name", "string")], at: at)
            case let other?:
                if case .string = other { problems.append("\(at).run_type must be \"iteration\" or \"aggregate\"") }
            case nil: break
            }
            if case let .string(unit)? = b["time_unit"], TimeUnit(rawValue: unit) == nil {
                problems.append("\(at).time_unit \"\(unit)\" is not one of ns, us, ms, s")
            }
            for (key, v) in b.sorted(by: { $0.key < $1.key }) {
                switch v {
                case .number, .string, .bool: continue
                default: problems.append("\(at).\(key) is \(v.typeName): counters must be flat numbers")
                }
            }
        }
        return problems
    }

    private static func check(_ object: [String: JSONValue], _ keys: [(String, String)], at: String) -> [String] {
        keys.compactMap { key, type in
            guard let v = object[key] else { return "\(at): missing '\(key)' (\(type))" }
            let ok = switch type {
            case "integer": v.isInteger
            case "number": { if case .number = v { true } else { false } }()
            default: v.typeName == type
            }
            return ok ? nil : "\(at).\(key) is \(v.typeName), expected \(type)"
        }
    }
}
