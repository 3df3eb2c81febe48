import CPVPlatform
import CPVReference
import PVABI
import Synchronization
import PVHost
import PVRuntime

/// Runs litmus tests on pinned threads, one CPU each, litmus7-style.
///
/// Each run is split into batches of ``batchSize`` instances, each instance
/// with its own `x`, `y`, `z` (on separate cache lines). Per batch the
/// threads meet at a barrier, then walk the instances in step against the
/// cycle counter (litmus7's "timebase" mode: instance `i` starts at
/// `start + i × spacing` ticks on every CPU, the counter being synchronised
/// across cores), so the racing accesses really overlap. After the batch,
/// thread 0 tallies the outcomes and resets the locations.
///
/// Each thread executes its ``LitmusStep``s with C11 atomics compiled at
/// -O2 (`pvlit_execute`; the mapping is in ``LitmusTarget``): the program
/// that runs is the one `LitmusShape.litmus(LitmusTarget.host)` prints,
/// not the AArch64 target.
public struct LitmusRunner: Sendable {
    /// The CPU of each thread, in thread order.
    public let cpus: [Int]
    public var batchSize: Int = 1000
    /// Ticks between two instances' start times.
    public var spacingTicks: UInt64 = 256

    /// - Throws: ``ValidationSetupError/noParallelism(writerCPUs:readerCPUs:)``
    ///   when two threads would share a CPU.
    public init(placement: Placement) throws {
        try ValidationRunner.checkParallelism(placement)
        cpus = placement.writerCPUs + placement.readerCPUs
    }

    /// The architecture this binary runs on.
    public static var architecture: String { LitmusTarget.host?.rawValue ?? "unknown" }

    /// Runs `iterations` instances (rounded up to whole batches) of one test.
    /// - Precondition: `cpus.count >= shape.threads.count`.
    public func run(_ expectation: LitmusExpectation, iterations: UInt64) throws -> LitmusResult {
        let shape = expectation.shape
        precondition(cpus.count >= shape.threads.count, "\(shape) needs \(shape.threads.count) CPUs")
        let batches = max(1, (iterations + UInt64(batchSize) - 1) / UInt64(batchSize))
        let n = batchSize
        let state = LitmusState(instances: n, threads: shape.threads.count)
        let spacing = spacingTicks
        let specs = shape.threads.indices.map { PinnedThreadSpec(role: ThreadRole(custom: "litmus-t\($0)"), cpu: cpus[$0]) }
        let programs = shape.threads
        let exists = shape.exists
        let threads = try PinnedThreads.run(specs, stop: StopFlag()) { context in
            let me = context.index
            let steps = programs[me]
            var barrier: UInt64 = 0
            for _ in 0 ..< batches {
                if me == 0 { state.startTick.store(pv_read_cycle_counter() + 4 * spacing * 64, ordering: .relaxed) }
                state.arrive(&barrier)
                let start = state.startTick.load(ordering: .relaxed)
                Self.batch(steps, thread: me, state: state, start: start, spacing: spacing)
                state.arrive(&barrier)
                if me == 0 { state.tally(exists) }
            }
        }
        let positive = state.histogram.filter { Self.satisfies(exists, $0.key) }.values.reduce(0, +)
        let total = state.histogram.values.reduce(0, +)
        var histogram: [String: UInt64] = [:]
        let target = LitmusTarget.host ?? .aarch64
        for (packed, count) in state.histogram { histogram[Self.key(exists, packed, target), default: 0] += count }
        return LitmusResult(expectation, iterations: total, histogram: histogram, positive: positive, threads: threads)
    }

    /// One thread's part of one batch.
    @inline(never)
    static func batch(_ steps: [LitmusStep], thread: Int, state: LitmusState, start: UInt64, spacing: UInt64) {
        let regs = state.registers[thread]
        let encoded = steps.map(encode)
        let count = Int32(encoded.count)
        for i in 0 ..< state.instances {
            let base = state.memory + i * LitmusState.stride
            let r = regs + 2 * i
            let due = start &+ UInt64(i) &* spacing
            while pv_read_cycle_counter() < due {}
            encoded.withUnsafeBufferPointer { pvlit_execute($0.baseAddress, count, base, r) }
        }
    }

    /// A step as the C executor takes it (`pv_litmus.h`).
    static func encode(_ s: LitmusStep) -> pvlit_step {
        switch s {
        case let .store(l, v, o, d):
            let order = switch o { case .relaxed: PVLIT_RELAXED; case .release: PVLIT_ACQREL; case .seqCst: PVLIT_SEQCST }
            return pvlit_step(op: UInt8(PVLIT_STORE.rawValue), order: UInt8(order.rawValue), location: UInt8(l), result: 0,
                              depends_on: Int8(d ?? -1), value: v)
        case let .load(k, l, o, d):
            let order = switch o { case .relaxed: PVLIT_RELAXED; case .acquire, .acquirePC: PVLIT_ACQREL; case .seqCst: PVLIT_SEQCST }
            return pvlit_step(op: UInt8(PVLIT_LOAD.rawValue), order: UInt8(order.rawValue), location: UInt8(l), result: UInt8(k),
                              depends_on: Int8(d ?? -1), value: 0)
        case let .fence(f):
            let order = switch f { case .full: PVLIT_SEQCST; case .load: PVLIT_ACQREL; case .store: PVLIT_RELAXED }
            return pvlit_step(op: UInt8(PVLIT_FENCE.rawValue), order: UInt8(order.rawValue), location: 0, result: 0,
                              depends_on: -1, value: 0)
        }
    }

    /// A packed outcome: the condition's atoms' values, 8 bits each, in order.
    static func satisfies(_ exists: [LitmusAtom], _ packed: UInt64) -> Bool {
        exists.enumerated().allSatisfy { i, a in
            let v = UInt32(packed >> (8 * UInt64(i)) & 0xFF)
            switch a {
            case let .result(_, _, e), let .memory(_, e): return v == e
            }
        }
    }

    /// litmus7 spelling of a packed outcome, with `target`'s register names.
    static func key(_ exists: [LitmusAtom], _ packed: UInt64, _ target: LitmusTarget) -> String {
        exists.enumerated().map { i, a in
            let v = packed >> (8 * UInt64(i)) & 0xFF
            switch a {
            case let .result(t, k, _):
                let reg = target == .swiftOnX86 ? (k == 0 ? "EAX" : "EBX") : "X\(2 * k)"
                return "\(t):\(reg)=\(v);"
            case let .memory(l, _): return "\(LitmusShape.locationNames[l])=\(v);"
            }
        }.joined(separator: " ")
    }
}

extension LitmusResult {
    init(_ e: LitmusExpectation, iterations: UInt64, histogram: [String: UInt64], positive: UInt64,
         threads: [PinnedThreadReport], notRun: String? = nil) {
        self.init(name: e.shape.name, program: e.shape.litmus(.aarch64), models: e.target, x86Mapping: e.x86Mapping,
                  ranAs: e.ranAsName, ranAsProgram: e.ranAsText, hostModel: e.host, note: e.hostNote, notRun: notRun,
                  iterations: iterations, histogram: histogram,
                  asked: LitmusRunner.key(e.shape.exists, e.shape.exists.enumerated().reduce(0) { p, a in
                      switch a.element {
                      case let .result(_, _, v), let .memory(_, v): p | UInt64(v) << (8 * UInt64(a.offset))
                      }
                  }, LitmusTarget.host ?? .aarch64),
                  positive: positive,
                  architecture: LitmusRunner.architecture, threads: threads)
    }

    /// The model verdicts of a test this machine cannot run (`reason`: why).
    public static func notRun(_ e: LitmusExpectation, reason: String) -> LitmusResult {
        LitmusResult(e, iterations: 0, histogram: [:], positive: 0, threads: [], notRun: reason)
    }
}

/// The locations, registers, barrier and histogram of one litmus run.
final class LitmusState: @unchecked Sendable {
    static let stride = 256
    let instances: Int
    let threadCount: Int
    /// Instance i: location l at i × 256 + l × 64 (separate cache lines).
    let memory: UnsafeMutableRawPointer
    /// Thread t's results 0, 1 of instance i at registers[t][2i], [2i+1].
    let registers: [UnsafeMutablePointer<UInt32>]
    let arrivals = Atomic<UInt64>(0)
    let startTick = Atomic<UInt64>(0)
    /// Packed outcome → count; touched only by thread 0, read after join.
    var histogram: [UInt64: UInt64] = [:]

    init(instances: Int, threads: Int) {
        self.instances = instances
        threadCount = threads
        memory = UnsafeMutableRawPointer.allocate(byteCount: instances * Self.stride, alignment: 4096)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: instances * Self.stride)
        registers = (0 ..< threads).map { _ in
            let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * instances)
            p.initialize(repeating: 0, count: 2 * instances)
            return p
        }
    }

    deinit {
        memory.deallocate()
        registers.forEach { $0.deallocate() }
    }

    /// Barrier of all threads: the n-th meeting waits for n × threads arrivals.
    func arrive(_ meeting: inout UInt64) {
        meeting += 1
        arrivals.add(1, ordering: .acquiringAndReleasing)
        while arrivals.load(ordering: .acquiring) < UInt64(threadCount) * meeting { pv_cpu_relax() }
    }

    /// Thread 0, after the batch: counts outcomes and resets memory for the next.
    func tally(_ exists: [LitmusAtom]) {
        for i in 0 ..< instances {
            let base = memory + i * Self.stride
            var outcome: UInt64 = 0
            for (k, a) in exists.enumerated() {
                let v: UInt32 = switch a {
                case let .result(t, r, _): registers[t][2 * i + r]
                case let .memory(l, _): SharedU32(base + l * 64).loadRelaxed()
                }
                outcome |= UInt64(min(v, 0xFF)) << (8 * UInt64(k))
            }
            histogram[outcome, default: 0] += 1
            for l in 0 ..< 3 { SharedU32(base + l * 64).storeRelaxed(0) }
        }
    }
}
