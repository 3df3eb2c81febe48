import PVRecords
/// The `context` object of a result file: google-benchmark's fields (so its
/// tooling reads the file) followed by pvbench's own.
public struct ResultContext: Sendable, Equatable, Codable {
    // google-benchmark
    /// When the run started, ISO 8601 with offset.
    public var date: String
    public var hostName: String
    /// The CPU's model name (`/proc/cpuinfo`), nil when unknown.
    public var cpuModel: String?
    public var executable: String
    public var numCPUs: Int
    public var mhzPerCPU: Int
    public var cpuScalingEnabled: Bool
    public var caches: [CacheDescription]
    public var loadAverage: [Double]
    /// "release" or "debug".
    public var libraryBuildType: String

    // pvbench
    public var pvbenchVersion: String
    public var topology: TopologyRecord?
    public var placement: PlacementRecord?
    public var clock: ClockDescription?
    public var build: BuildRecord
    /// True when a signal stopped the run: the figures cover only part of it.
    public var interrupted: Bool
    /// "SIGINT" or "SIGTERM" when interrupted.
    public var interruptSignal: String?
    /// Why NUMA placement is limited (no libnuma, one node), or nil.
    public var numaNote: String?
    public var injectedFaults: [InjectedFaultRecord]
    public var harnessOverhead: HarnessOverhead?
    /// Everything a reader must know before trusting the figures.
    public var warnings: [String]
    /// The command line that produced the result (argv joined by spaces).
    public var command: String?
    /// Per scenario (`steal-clock`, …), the figures its rows carry with unit
    /// and better-direction, from the scenarios' typed figures: a file says
    /// itself which way is better. Nil in files from other tools.
    public var figures: [String: HeadlineFigures]?
    /// Round seed and disturbance rule of a `pvbench run`.
    public var rounds: RoundsRecord?
    /// `pvbench run --runs K`: the K runs merged into this file.
    public var runs: [RunRecord]?
    /// The placement classes the c2c probe found, with per-case medians
    /// per class; nil when the probe found one class (or did not run).
    public var placementClasses: PlacementSummary?

    enum CodingKeys: String, CodingKey {
        case date, hostName = "host_name", executable, numCPUs = "num_cpus", mhzPerCPU = "mhz_per_cpu",
             cpuScalingEnabled = "cpu_scaling_enabled", caches, loadAverage = "load_avg",
             libraryBuildType = "library_build_type", pvbenchVersion = "pvbench_version", topology, placement,
             clock, build, interrupted, interruptSignal = "interrupt_signal", numaNote = "numa_note",
             injectedFaults = "injected_faults", harnessOverhead = "harness_overhead", warnings, command, rounds,
             cpuModel = "cpu_model", figures, runs, placementClasses = "placement_classes"
    }

    public init(date: String, hostName: String, executable: String, numCPUs: Int, mhzPerCPU: Int,
                cpuScalingEnabled: Bool, caches: [CacheDescription], loadAverage: [Double] = [],
                libraryBuildType: String, pvbenchVersion: String, topology: TopologyRecord? = nil,
                placement: PlacementRecord? = nil, clock: ClockDescription? = nil, build: BuildRecord,
                interrupted: Bool = false, interruptSignal: String? = nil, numaNote: String? = nil,
                injectedFaults: [InjectedFaultRecord] = [], harnessOverhead: HarnessOverhead? = nil,
                warnings: [String] = [])
    {
        self.date = date
        self.hostName = hostName
        self.executable = executable
        self.numCPUs = numCPUs
        self.mhzPerCPU = mhzPerCPU
        self.cpuScalingEnabled = cpuScalingEnabled
        self.caches = caches
        self.loadAverage = loadAverage
        self.libraryBuildType = libraryBuildType
        self.pvbenchVersion = pvbenchVersion
        self.topology = topology
        self.placement = placement
        self.clock = clock
        self.build = build
        self.interrupted = interrupted
        self.interruptSignal = interruptSignal
        self.numaNote = numaNote
        self.injectedFaults = injectedFaults
        self.harnessOverhead = harnessOverhead
        self.warnings = warnings
    }

    /// Decodes pvbench's fields leniently where google-benchmark lacks them,
    /// so a plain google-benchmark file can be read too.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        date = try c.decode(String.self, forKey: .date)
        hostName = try c.decode(String.self, forKey: .hostName)
        executable = try c.decode(String.self, forKey: .executable)
        numCPUs = try c.decode(Int.self, forKey: .numCPUs)
        mhzPerCPU = try c.decode(Int.self, forKey: .mhzPerCPU)
        cpuScalingEnabled = try c.decode(Bool.self, forKey: .cpuScalingEnabled)
        caches = try c.decodeIfPresent([CacheDescription].self, forKey: .caches) ?? []
        loadAverage = try c.decodeIfPresent([Double].self, forKey: .loadAverage) ?? []
        libraryBuildType = try c.decodeIfPresent(String.self, forKey: .libraryBuildType) ?? "unknown"
        pvbenchVersion = try c.decodeIfPresent(String.self, forKey: .pvbenchVersion) ?? "none (foreign file)"
        topology = try c.decodeIfPresent(TopologyRecord.self, forKey: .topology)
        placement = try c.decodeIfPresent(PlacementRecord.self, forKey: .placement)
        clock = try c.decodeIfPresent(ClockDescription.self, forKey: .clock)
        build = try c.decodeIfPresent(BuildRecord.self, forKey: .build)
            ?? BuildRecord(configuration: libraryBuildType, compiler: "unknown", architecture: "unknown",
                           kernel: "unknown", flags: [])
        interrupted = try c.decodeIfPresent(Bool.self, forKey: .interrupted) ?? false
        interruptSignal = try c.decodeIfPresent(String.self, forKey: .interruptSignal)
        numaNote = try c.decodeIfPresent(String.self, forKey: .numaNote)
        injectedFaults = try c.decodeIfPresent([InjectedFaultRecord].self, forKey: .injectedFaults) ?? []
        harnessOverhead = try c.decodeIfPresent(HarnessOverhead.self, forKey: .harnessOverhead)
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
        command = try c.decodeIfPresent(String.self, forKey: .command)
        cpuModel = try c.decodeIfPresent(String.self, forKey: .cpuModel)
        figures = try c.decodeIfPresent([String: HeadlineFigures].self, forKey: .figures)
        rounds = try c.decodeIfPresent(RoundsRecord.self, forKey: .rounds)
        runs = try c.decodeIfPresent([RunRecord].self, forKey: .runs)
        placementClasses = try c.decodeIfPresent(PlacementSummary.self, forKey: .placementClasses)
    }
}
