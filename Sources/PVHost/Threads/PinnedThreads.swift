#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CPVPlatform
import PVABI

/// Starts threads that are pinned and named before any of their code runs.
///
/// Each thread is created with its CPU affinity already in its pthread
/// attributes (`pthread_attr_setaffinity_np`), sets its name to its role
/// (`pthread_setname_np`), pins itself again, and checks with
/// `sched_getcpu()` that it is on the planned CPU. Then it waits on one start
/// barrier. Only when every thread has arrived ready are they released
/// together; if any one failed, none runs its body and ``run(_:stop:oversubscribe:body:)``
/// throws. The threads are plain pthreads, not Foundation threads or tasks,
/// so nothing the runtime does can move them before they are pinned.
public enum PinnedThreads {
    /// Runs `body` once on each thread described by `specs`, all started
    /// together from one barrier, and waits for all of them.
    ///
    /// - Parameters:
    ///   - specs: one entry per thread; names must be distinct.
    ///   - stop: the run's stop flag, handed to every body.
    ///   - oversubscribe: allow two or more threads on one CPU.
    ///   - body: the thread's work; it should return soon after `stop` is set.
    /// - Returns: one report per spec, in spec order.
    /// - Throws: ``PinningError`` naming the thread, CPU and reason; no body
    ///   has run when it is thrown.
    public static func run(
        _ specs: [PinnedThreadSpec], stop: StopFlag, oversubscribe: Bool = false,
        body: @escaping @Sendable (PinnedThreadContext) -> Void
    ) throws -> [PinnedThreadReport] {
        try validate(specs, oversubscribe: oversubscribe)
        if specs.isEmpty { return [] }

        let gate = StartGate()
        let results = ReportSlots(count: specs.count)
        var handles: [pthread_t] = []
        handles.reserveCapacity(specs.count)
        for (index, spec) in specs.enumerated() {
            let start = ThreadStart(spec: spec, index: index, stop: stop, gate: gate, results: results, body: body)
            let argument = Unmanaged.passRetained(start).toOpaque()
            var handle = pthread_t()
            let rc = pv_thread_spawn_pinned(&handle, Int32(spec.cpu), pinnedThreadEntry, argument)
            if rc != 0 {
                Unmanaged<ThreadStart>.fromOpaque(argument).release()
                gate.recordSpawnFailure(index: index, .spawnFailed(thread: spec.role.name, cpu: spec.cpu, errno: rc))
                break
            }
            handles.append(handle)
        }
        let failures = gate.awaitArrivalsAndRelease(count: handles.count)
        for handle in handles { _ = pv_thread_join(handle) }
        if let first = failures.keys.min(), let failure = failures[first] { throw failure }
        return results.collect()
    }

    /// Checks the specs before any thread exists.
    static func validate(_ specs: [PinnedThreadSpec], oversubscribe: Bool) throws(PinningError) {
        var names = Set<String>()
        for spec in specs where !names.insert(spec.role.name).inserted { throw .duplicateName(spec.role.name) }
        let allowed = try ProcessAffinity.allowedCPUs()
        let allowedSet = Set(allowed)
        for spec in specs {
            guard spec.cpu >= 0, spec.cpu < Int(Int32.max) else { throw .invalidCPU(thread: spec.role.name, cpu: spec.cpu) }
            guard allowedSet.contains(spec.cpu) else {
                throw .cpuNotAllowed(thread: spec.role.name, cpu: spec.cpu, allowed: allowed)
            }
        }
        if !oversubscribe {
            var byCPU: [Int: [String]] = [:]
            for spec in specs { byCPU[spec.cpu, default: []].append(spec.role.name) }
            if let (cpu, threads) = byCPU.filter({ $0.value.count > 1 }).min(by: { $0.key < $1.key }) {
                throw .oversubscribed(cpu: cpu, threads: threads)
            }
        }
    }
}

/// Everything one new thread needs, handed over through pthread_create's
/// argument (retained once, released by the thread).
private final class ThreadStart: @unchecked Sendable {
    let spec: PinnedThreadSpec
    let index: Int
    let stop: StopFlag
    let gate: StartGate
    let results: ReportSlots
    let body: @Sendable (PinnedThreadContext) -> Void

    init(spec: PinnedThreadSpec, index: Int, stop: StopFlag, gate: StartGate, results: ReportSlots,
         body: @escaping @Sendable (PinnedThreadContext) -> Void)
    {
        self.spec = spec
        self.index = index
        self.stop = stop
        self.gate = gate
        self.results = results
        self.body = body
    }

    /// Pins, names and verifies the calling thread; nil when all went well.
    func prepare() -> (PinningError?, observedCPU: Int) {
        let name = spec.role.name
        let cpu = spec.cpu
        var rc = spec.role.name.withCString { pv_set_current_thread_name($0) }
        if rc != 0 { return (.nameFailed(thread: name, cpu: cpu, errno: rc), -1) }
        rc = pv_pin_current_thread(Int32(cpu))
        if rc != 0 { return (.pinFailed(thread: name, cpu: cpu, errno: rc), -1) }
        let observed = Int(pv_current_cpu())
        if observed != cpu { return (.verificationFailed(thread: name, plannedCPU: cpu, observedCPU: observed), observed) }
        return (nil, observed)
    }

    func main() {
        let (failure, observedAtStart) = prepare()
        guard gate.arrive(index: index, failure: failure) else { return }
        let tid = pv_current_tid()
        body(PinnedThreadContext(role: spec.role, cpu: spec.cpu, tid: tid, index: index, stop: stop))
        let observedAtEnd = Int(pv_current_cpu())
        results.store(index, PinnedThreadReport(name: spec.role.name, plannedCPU: spec.cpu,
                                                observedCPUAtStart: observedAtStart,
                                                observedCPUAtEnd: observedAtEnd, tid: tid))
    }
}

/// The C entry point of every pinned thread.
private func pinnedThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
    start.main()
    return nil
}

/// One report slot per thread; slot i is written only by thread i, and read
/// only after every thread has been joined (join orders the accesses).
private final class ReportSlots: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<PinnedThreadReport?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func store(_ index: Int, _ report: PinnedThreadReport) { storage[index] = report }

    func collect() -> [PinnedThreadReport] { storage.map { $0! } }
}
