import Foundation

/// Something that differs between the contexts of the two files compared:
/// the machine, the placement, the clock, the build, pvbench's version, the
/// disturbance rule. A difference of machine or placement makes the
/// comparison one across machines or placements, which the header flags.
public struct ContextDifference: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Host, CPU model, CPU count or frequency, topology: another machine.
        case machine
        case placement
        case clock
        case build
        case version
        /// How a repetition is judged disturbed (and what is done about it).
        case disturbance
        /// Interrupted runs, injected faults: the figures are not a clean run's.
        case run
    }

    public var kind: Kind
    /// What differs: "host", "CPU model", "placement reader CPUs", …
    public var what: String
    public var old: String
    public var new: String

    /// Whether this difference makes the comparison one across machines or placements.
    public var crossesMachinesOrPlacements: Bool { kind == .machine || kind == .placement }

    /// The context keys compared, with their kind and label. Keys whose name
    /// says "disturb" (the disturbance rule, however a version spells it)
    /// are compared too; the date, load, command, round seed and thread ids are not.
    static let compared: [(path: [String], kind: Kind, what: String)] = [
        (["host_name"], .machine, "host"),
        (["cpu_model"], .machine, "CPU model"),
        (["num_cpus"], .machine, "CPUs"),
        (["mhz_per_cpu"], .machine, "MHz per CPU"),
        (["cpu_scaling_enabled"], .machine, "CPU frequency scaling"),
        (["topology", "summary"], .machine, "topology"),
        (["placement", "relation"], .placement, "placement relation"),
        (["placement", "writer_cpus"], .placement, "writer CPUs"),
        (["placement", "reader_cpus"], .placement, "reader CPUs"),
        (["placement", "memory_nodes"], .placement, "memory nodes"),
        (["placement", "oversubscribed"], .placement, "oversubscribed"),
        (["clock", "name"], .clock, "clock"),
        (["clock", "cross_core_synchronised"], .clock, "clock synchronised across cores"),
        (["library_build_type"], .build, "build type"),
        (["build", "configuration"], .build, "build configuration"),
        (["build", "compiler"], .build, "compiler"),
        (["build", "architecture"], .build, "architecture"),
        (["build", "kernel"], .build, "kernel"),
        (["build", "flags"], .build, "build flags"),
        (["pvbench_version"], .version, "pvbench version"),
        // How `pvbench run` judges and treats disturbed repetitions (`context.rounds`).
        // The rule's text names the idle floor, which differs in every run:
        // the floor is compared by value below.
        (["rounds", "off_cpu_fraction"], .disturbance, "disturbed above off-CPU fraction"),
        (["rounds", "disturbed_policy"], .disturbance, "disturbed repetitions"),
        (["interrupted"], .run, "interrupted"),
        (["injected_faults"], .run, "injected faults"),
    ]

    /// Every difference between two raw contexts (nil: the file had none).
    public static func between(_ old: JSONValue?, _ new: JSONValue?) -> [ContextDifference] {
        var out: [ContextDifference] = []
        for (path, kind, what) in compared {
            let a = lookup(old, path), b = lookup(new, path)
            if a != b { out.append(ContextDifference(kind: kind, what: what, old: text(a), new: text(b))) }
        }
        // The clock frequency: a difference beyond 0.5 % (calibration noise is far below).
        if case let .number(fa)? = lookup(old, ["clock", "frequency_hz"]), case let .number(fb)? = lookup(new, ["clock", "frequency_hz"]),
           fa > 0, abs(fb / fa - 1) > 0.005
        {
            out.append(ContextDifference(kind: .clock, what: "clock frequency", old: hz(fa), new: hz(fb)))
        }
        // The idle floor: judged from zero in one and not the other, or floors
        // further apart than a percentage point (the default limit itself).
        let floorPath = ["rounds", "idle_floor", "off_cpu_fraction"]
        if lookup(old, ["rounds"]) != nil, lookup(new, ["rounds"]) != nil {
            let fa = number(lookup(old, floorPath)), fb = number(lookup(new, floorPath))
            if (fa == nil) != (fb == nil) || abs((fa ?? 0) - (fb ?? 0)) > 0.01 {
                out.append(ContextDifference(kind: .disturbance, what: "idle floor", old: percent(fa), new: percent(fb)))
            }
        }
        var disturbKeys: Set<String> = []
        for c in [old, new] { if case let .object(o)? = c { disturbKeys.formUnion(o.keys.filter { $0.contains("disturb") }) } }
        for key in disturbKeys.sorted() {
            let a = lookup(old, [key]), b = lookup(new, [key])
            if a != b { out.append(ContextDifference(kind: .disturbance, what: key.replacingOccurrences(of: "_", with: " "), old: text(a), new: text(b))) }
        }
        return out
    }

    static func number(_ v: JSONValue?) -> Double? {
        if case let .number(x)? = v { x } else { nil }
    }

    static func percent(_ f: Double?) -> String { f.map { String(format: "%.2f%%", 100 * $0) } ?? "none" }

    /// Whether a raw context records how disturbance is judged.
    static func recordsDisturbanceRule(_ context: JSONValue?) -> Bool {
        guard case let .object(o)? = context else { return false }
        return lookup(context, ["rounds", "rule"]) != nil || o.keys.contains { $0.contains("disturb") }
    }

    static func lookup(_ value: JSONValue?, _ path: [String]) -> JSONValue? {
        var v = value
        for key in path {
            guard case let .object(o)? = v else { return nil }
            v = o[key]
        }
        return v
    }

    /// A short form of a JSON value for a header line.
    static func text(_ v: JSONValue?) -> String {
        switch v {
        case nil, .null?: return "not recorded"
        case let .bool(b)?: return b ? "yes" : "no"
        case let .number(d)?: return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        case let .string(s)?: return s.count > 80 ? String(s.prefix(77)) + "..." : s
        case let .array(a)?:
            if a.isEmpty { return "none" }
            let parts = a.prefix(8).map { text($0) }
            return parts.joined(separator: ",") + (a.count > 8 ? ",…" : "")
        case let .object(o)?:
            let parts = o.keys.sorted().prefix(6).map { "\($0) \(text(o[$0]))" }
            return parts.joined(separator: ", ") + (o.count > 6 ? ", …" : "")
        }
    }

    static func hz(_ v: Double) -> String { String(format: "%.3f GHz", v / 1e9) }
}
