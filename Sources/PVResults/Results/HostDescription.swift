import Foundation

/// The host facts google-benchmark puts in its context (read from sysfs and
/// procfs by `HostDescription.collect`, in PVExperiments).
public struct HostDescription: Sendable, Equatable {
    public var hostName: String
    public var numCPUs: Int
    public var mhzPerCPU: Int
    public var cpuScalingEnabled: Bool
    public var caches: [CacheDescription]
    public var loadAverage: [Double]
    /// `model name` in `/proc/cpuinfo` (x86), else its `CPU implementer`/`CPU part` (arm64).
    public var cpuModel: String?

    public init(hostName: String, numCPUs: Int, mhzPerCPU: Int, cpuScalingEnabled: Bool,
                caches: [CacheDescription], loadAverage: [Double], cpuModel: String? = nil)
    {
        self.cpuModel = cpuModel
        self.hostName = hostName
        self.numCPUs = numCPUs
        self.mhzPerCPU = mhzPerCPU
        self.cpuScalingEnabled = cpuScalingEnabled
        self.caches = caches
        self.loadAverage = loadAverage
    }

    /// A context for a run starting now: these host facts plus pvbench's.
    public func context(executable: String = CommandLine.arguments.first ?? "pvbench", pvbenchVersion: String,
                        build: BuildRecord = .current(), date: Date = Date()) -> ResultContext
    {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        formatter.formatOptions = [.withInternetDateTime]
        var context = ResultContext(date: formatter.string(from: date), hostName: hostName, executable: executable,
                                    numCPUs: numCPUs, mhzPerCPU: mhzPerCPU, cpuScalingEnabled: cpuScalingEnabled,
                                    caches: caches, loadAverage: loadAverage, libraryBuildType: build.configuration,
                                    pvbenchVersion: pvbenchVersion, build: build)
        context.cpuModel = cpuModel
        return context
    }
}
