/// CPUs that share one cache (`cpuN/cache/indexM/shared_cpu_list`).
public struct CacheGroup: Sendable, Codable, Equatable, Hashable {
    /// 1, 2, 3 … (`level`).
    public var level: Int
    /// `Data`, `Instruction` or `Unified` (`type`).
    public var type: String
    /// Size as sysfs writes it (`32K`, `1024K`), nil when absent.
    public var size: String?
    /// The CPUs sharing the cache.
    public var cpus: [Int]

    public init(level: Int, type: String, size: String?, cpus: [Int]) {
        self.level = level
        self.type = type
        self.size = size
        self.cpus = cpus
    }

    /// `L1d`, `L1i`, `L2`, `L3` as `lscpu` names them.
    public var name: String {
        switch type {
        case "Data": "L\(level)d"
        case "Instruction": "L\(level)i"
        default: "L\(level)"
        }
    }
}
