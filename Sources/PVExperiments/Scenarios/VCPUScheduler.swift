import CPVPlatform
import CPVReference
import PVRuntime

/// Swift's handle on the emulated hypervisor scheduler of `pv_vcpu_sched.h`:
/// vCPU threads over fewer host CPUs, preempted asynchronously by their own
/// timer's signal, whose handler (C, async-signal-safe) is KVM's
/// `vcpu_put`/`vcpu_load` with the stores of ``WriterKernels``.
///
/// Every method but ``kick(_:)`` and the read-outs is called on the vCPU's
/// own thread. One scheduler exists at a time (it owns a signal).
final class VCPUScheduler: @unchecked Sendable {
    /// The C writer kernels (CPVReference) the handler stores through.
    struct WriterKernels {
        let flag: pv_flag_write_fn
        let steal: pv_steal_update_fn

        /// The kernels for a strategy that has a single-store writer for
        /// both records, nil for any other.
        init?(_ strategy: StrategyKind) {
            switch strategy {
            case .relaxed: (flag, steal) = (pvref_preempted_write_relaxed, pvref_steal_update_relaxed)
            case .acquireRelease: (flag, steal) = (pvref_preempted_write_release, pvref_steal_update_release)
            case .seqCst: (flag, steal) = (pvref_preempted_write_seq_cst, pvref_steal_update_seq_cst)
            default: return nil
            }
        }

        /// A built-in's kernels, or those of a C file with both pairs
        /// (``pv_c_strategy_flag_writer(_:)``: the file's functions, called from C).
        init?(_ strategy: StrategyChoice) {
            switch strategy {
            case let .builtIn(kind): self.init(kind)
            case let .cFile(file):
                guard file.targets.contains(.preempted), file.targets.contains(.stolenTime),
                      let flag = pv_c_strategy_flag_writer(Int32(file.slot)), let steal = pv_c_strategy_steal_updater(Int32(file.slot))
                else { return nil }
                self.init(flag: flag, steal: steal)
            }
        }

        private init(flag: pv_flag_write_fn, steal: pv_steal_update_fn) {
            (self.flag, self.steal) = (flag, steal)
        }
    }

    enum SetupError: Error, CustomStringConvertible {
        case create(errno: Int32)
        case enter(vcpu: Int, errno: Int32)

        var description: String {
            switch self {
            case let .create(e): "the emulated scheduler could not be set up (errno \(e))"
            case let .enter(v, e): "vCPU \(v) could not enter the emulated scheduler (errno \(e))"
            }
        }
    }

    private let raw: OpaquePointer
    let vcpus: Int
    /// The host CPU of each vCPU.
    let hostCPU: [Int]
    /// ns per slice.
    let slice: UInt64
    /// Every Nth `preempted` store skipped (drop-writes); 0: none.
    let dropEvery: Int

    /// - Parameters:
    ///   - flags: `&preempted` of each vCPU (the hypervisor's view).
    ///   - stolen: `&stolen_time` of each vCPU (the hypervisor's view).
    ///   - dropEvery: the drop-writes fault: every Nth store of a vCPU's
    ///     `preempted` (put or load) is skipped; 0: none.
    init(hostCPU: [Int], slice: UInt64, pvSched: Bool, flags: [UnsafeMutableRawPointer],
         stolen: [UnsafeMutableRawPointer], kernels: WriterKernels, episodeCapacity: Int, dropEvery: Int = 0) throws
    {
        precondition(hostCPU.count == flags.count && flags.count == stolen.count)
        var error: Int32 = 0
        let flagPointers: [UnsafeMutablePointer<UInt32>?] = flags.map { $0.assumingMemoryBound(to: UInt32.self) }
        let stolenPointers: [UnsafeMutablePointer<UInt64>?] = stolen.map { $0.assumingMemoryBound(to: UInt64.self) }
        let created: OpaquePointer? = hostCPU.map(Int32.init).withUnsafeBufferPointer { cpus in
            flagPointers.withUnsafeBufferPointer { f in
                stolenPointers.withUnsafeBufferPointer { s in
                    var config = pv_vcpu_sched_config(
                        vcpus: Int32(hostCPU.count), host_cpu: cpus.baseAddress, slice_ns: slice,
                        pv_sched: pvSched ? 1 : 0, flags: f.baseAddress, stolen: s.baseAddress,
                        write_flag: kernels.flag, update_steal: kernels.steal, episode_capacity: episodeCapacity,
                        drop_every: UInt32(dropEvery))
                    return pv_vcpu_sched_create(&config, &error)
                }
            }
        }
        guard let created else { throw SetupError.create(errno: error) }
        raw = created
        vcpus = hostCPU.count
        self.hostCPU = hostCPU
        self.slice = slice
        self.dropEvery = dropEvery
    }

    deinit { pv_vcpu_sched_destroy(raw) }

    /// On vCPU v's pinned thread: returns once v runs (its first load).
    func enter(_ v: Int) throws {
        let rc = pv_vcpu_enter(raw, Int32(v))
        if rc != 0 { throw SetupError.enter(vcpu: v, errno: rc) }
    }

    /// Voluntary put until kicked; false when refused (last vCPU awake, or stopping).
    @discardableResult
    func halt(_ v: Int) -> Bool { pv_vcpu_halt(raw, Int32(v)) != 0 }

    func kick(_ w: Int) { pv_vcpu_kick(raw, Int32(w)) }

    @inline(__always)
    func isHalted(_ w: Int) -> Bool { pv_vcpu_is_halted(raw, Int32(w)) != 0 }

    func exit(_ v: Int) { pv_vcpu_exit(raw, Int32(v)) }

    /// The word vCPU v sets while inside a marked region.
    func regionWord(_ v: Int) -> UnsafeMutablePointer<Int32> {
        UnsafeMutablePointer(mutating: pv_vcpu_region_word(raw, Int32(v)))
    }

    /// vCPU w's schedule sequence (acquire): 4k running, 4k+2 descheduled, odd in between.
    @inline(__always)
    func sequence(_ w: Int) -> UInt64 { pv_vcpu_sched_seq(raw, Int32(w)) }

    func stats(_ v: Int) -> pv_vcpu_stats {
        var s = pv_vcpu_stats()
        pv_vcpu_read_stats(raw, Int32(v), &s)
        return s
    }

    func episodes(_ v: Int) -> UnsafeBufferPointer<pv_vcpu_episode> {
        var count = 0
        let base = pv_vcpu_episodes(raw, Int32(v), &count)
        return UnsafeBufferPointer(start: base, count: count)
    }

    /// For the next repetition; every vCPU thread has exited.
    func reset() { pv_vcpu_sched_reset(raw) }

    /// Median ns of one futex handoff between two threads pinned to `cpu`.
    static func measureHandoff(cpu: Int, rounds: Int = 200) -> UInt64? {
        var median: UInt64 = 0
        return pv_vcpu_sched_measure_handoff(Int32(cpu), Int32(rounds), &median) == 0 ? median : nil
    }
}
