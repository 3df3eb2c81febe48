#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import PVHost
import PVResults
import PVRecords

extension HostDescription {
    /// Reads this machine (or the tree under `sysRoot`/`procRoot`).
    ///
    /// - num_cpus: CPUs in `<sys>/devices/system/cpu/online`.
    /// - mhz_per_cpu: `cpufreq/cpuinfo_max_freq` of cpu0, else `cpu MHz` in `<proc>/cpuinfo`, else 0.
    /// - cpu_scaling_enabled: some CPU has a cpufreq governor other than
    ///   "performance" (as google-benchmark decides).
    /// - caches: cpu0's `cache/index*` (type, level, size, CPUs sharing).
    public static func collect(sysRoot: String = "/sys", procRoot: String = "/proc") -> HostDescription {
        let cpuDir = "\(sysRoot)/devices/system/cpu"
        let online = SystemTextFile.readLine("\(cpuDir)/online").flatMap { try? CPUList.parse($0) } ?? []
        let numCPUs = online.isEmpty ? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) : online.count

        var mhz = 0
        if let khz = SystemTextFile.readLine("\(cpuDir)/cpu0/cpufreq/cpuinfo_max_freq").flatMap({ Int($0) }) {
            mhz = khz / 1000
        } else if let text = SystemTextFile.contents(of: "\(procRoot)/cpuinfo"),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu MHz") }),
                  let value = line.split(separator: ":").last.flatMap({ Double($0.trimmingWhitespace()) })
        {
            mhz = Int(value.rounded())
        }

        let governors = (online.isEmpty ? [0] : online).compactMap {
            SystemTextFile.readLine("\(cpuDir)/cpu\($0)/cpufreq/scaling_governor")
        }
        let scaling = governors.contains { $0 != "performance" }

        var caches: [CacheDescription] = []
        for index in 0 ..< 16 {
            let dir = "\(cpuDir)/cpu0/cache/index\(index)"
            guard let type = SystemTextFile.readLine("\(dir)/type"),
                  let level = SystemTextFile.readLine("\(dir)/level").flatMap({ Int($0) }),
                  let size = SystemTextFile.readLine("\(dir)/size").flatMap(Self.parseSize)
            else { continue }
            let sharing = SystemTextFile.readLine("\(dir)/shared_cpu_list").flatMap { try? CPUList.parse($0) }?.count ?? 1
            caches.append(CacheDescription(type: type, level: level, size: size, numSharing: sharing))
        }

        var loads = [Double](repeating: 0, count: 3)
        let got = getloadavg(&loads, 3)
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
        return HostDescription(hostName: host, numCPUs: numCPUs, mhzPerCPU: mhz, cpuScalingEnabled: scaling,
                               caches: caches, loadAverage: got > 0 ? Array(loads.prefix(Int(got))) : [],
                               cpuModel: SystemTextFile.contents(of: "\(procRoot)/cpuinfo").flatMap(Self.cpuModel(cpuinfo:)))
    }

    /// The first CPU's model from `/proc/cpuinfo` text: `model name` where
    /// the kernel gives one (x86), else `CPU implementer 0x41 part 0xd0c` (arm64).
    static func cpuModel(cpuinfo: String) -> String? {
        func field(_ name: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last.map { String($0.trimmingWhitespace()) } }
        }
        if let model = field("model name"), !model.isEmpty { return model }
        guard let implementer = field("CPU implementer"), let part = field("CPU part") else { return nil }
        return "CPU implementer \(implementer) part \(part)"
    }

    /// sysfs cache sizes: "32K", "1024K", "16M", or plain bytes.
    static func parseSize(_ text: String) -> Int? {
        let multipliers: [Character: Int] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024]
        if let last = text.last, let m = multipliers[last] { return Int(text.dropLast()).map { $0 * m } }
        return Int(text)
    }
}
