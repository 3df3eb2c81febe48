import CPVPlatform
import PVABI
import Synchronization
import PVHost
import PVRuntime

/// Runs litmus tests on two pinned threads, litmus7-style.
///
/// Each run is split into batches of ``batchSize`` instances, each instance
/// with its own `x` and `y` (on separate cache lines). Per batch the two
/// threads meet at a barrier, then walk the instances in step against the
/// cycle counter (litmus7's "timebase" mode: instance `i` starts at
/// `start + i × spacing` ticks on both CPUs, the counter being synchronised
/// across cores), so the racing accesses really overlap. After the batch,
/// thread 0 tallies the outcomes and resets the locations.
public struct LitmusRunner: Sendable {
    /// CPUs of thread 0 and thread 1.
    public let cpus: (Int, Int)
    public var batchSize: Int = 1000
    /// Ticks between two instances' start times.
    public var spacingTicks: UInt64 = 256

    /// - Throws: ``ValidationSetupError/noParallelism(writerCPUs:readerCPUs:)``
    ///   when the two threads would share a CPU.
    public init(placement: Placement) throws {
        try ValidationRunner.checkParallelism(placement)
        cpus = (placement.writerCPUs[0], placement.readerCPUs[0])
    }

    /// The architecture this binary runs on, as `allowed(_:on:)` names it.
    public static var architecture: String {
        #if arch(x86_64)
        "x86_64"
        #elseif arch(arm64)
        "arm64"
        #else
        "c11"
        #endif
    }

    /// Runs `iterations` instances (rounded up to whole batches) of one test.
    public func run(_ shape: LitmusShape, _ ordering: LitmusOrdering, iterations: UInt64) throws -> LitmusResult {
        let batches = max(1, (iterations + UInt64(batchSize) - 1) / UInt64(batchSize))
        return try run(ordering.access, shape, ordering, batches: batches)
    }

    func run<A: LitmusAccess>(_: A.Type, _ shape: LitmusShape, _ ordering: LitmusOrdering,
                              batches: UInt64) throws -> LitmusResult {
        let n = batchSize
        let state = LitmusState(instances: n)
        let spacing = spacingTicks
        let specs = [PinnedThreadSpec(role: ThreadRole(custom: "litmus-t0"), cpu: cpus.0),
                     PinnedThreadSpec(role: ThreadRole(custom: "litmus-t1"), cpu: cpus.1)]
        let threads = try PinnedThreads.run(specs, stop: StopFlag()) { context in
            let me = context.index
            var barrier: UInt64 = 0
            for _ in 0 ..< batches {
                if me == 0 { state.startTick.store(pv_read_cycle_counter() + 4 * spacing * 64, ordering: .relaxed) }
                state.arrive(&barrier)
                let start = state.startTick.load(ordering: .relaxed)
                Self.batch(A.self, shape, thread: me, state: state, start: start, spacing: spacing)
                state.arrive(&barrier)
                if me == 0 { state.tally(shape) }
            }
        }
        let positive = state.histogram.filter { Self.satisfies(shape, $0.key) }.values.reduce(0, +)
        let total = state.histogram.values.reduce(0, +)
        return LitmusResult(shape: shape, ordering: ordering, iterations: total,
                            histogram: Dictionary(uniqueKeysWithValues: state.histogram.map { (Self.key(shape, $0.key), $0.value) }),
                            positive: positive, allowed: shape.allowed(ordering, on: Self.architecture),
                            architecture: Self.architecture, threads: threads)
    }

    /// One thread's part of one batch.
    @inline(never)
    static func batch<A: LitmusAccess>(_: A.Type, _ shape: LitmusShape, thread: Int, state: LitmusState,
                                       start: UInt64, spacing: UInt64) {
        let regs = thread == 0 ? state.registers0 : state.registers1
        for i in 0 ..< state.instances {
            let x = state.x(i), y = state.y(i)
            let due = start &+ UInt64(i) &* spacing
            while pv_read_cycle_counter() < due {}
            switch (shape, thread) {
            case (.sb, 0): A.store(x, 1); regs[2 * i] = A.load(y)
            case (.sb, _): A.store(y, 1); regs[2 * i] = A.load(x)
            case (.mp, 0): A.store(x, 1); A.store(y, 1)
            case (.mp, _): regs[2 * i] = A.load(y); regs[2 * i + 1] = A.load(x)
            case (.lb, 0): regs[2 * i] = A.load(x); A.store(y, 1)
            case (.lb, _): regs[2 * i] = A.load(y); A.store(x, 1)
            case (.twoPlusTwoW, 0): A.store(x, 1); A.store(y, 2)
            case (.twoPlusTwoW, _): A.store(y, 1); A.store(x, 2)
            }
        }
    }

    /// Outcome of one instance, packed: four registers/values of 8 bits.
    static func satisfies(_ shape: LitmusShape, _ o: UInt32) -> Bool {
        let (a, b, c, d) = (o & 0xFF, o >> 8 & 0xFF, o >> 16 & 0xFF, o >> 24)
        switch shape {
        case .sb: return a == 0 && c == 0
        case .mp: return c == 1 && d == 0
        case .lb: return a == 1 && c == 1
        case .twoPlusTwoW: return a == 1 && b == 1
        }
    }

    /// litmus7 spelling of a packed outcome.
    static func key(_ shape: LitmusShape, _ o: UInt32) -> String {
        let (a, b, c, d) = (o & 0xFF, o >> 8 & 0xFF, o >> 16 & 0xFF, o >> 24)
        switch shape {
        case .sb, .lb: return "0:r0=\(a); 1:r0=\(c);"
        case .mp: return "1:r0=\(c); 1:r1=\(d);"
        case .twoPlusTwoW: return "x=\(a); y=\(b);"
        }
    }
}

/// The locations, registers, barrier and histogram of one litmus run.
final class LitmusState: @unchecked Sendable {
    let instances: Int
    /// Instance i: x at i × 128, y at i × 128 + 64 (separate cache lines).
    let memory: UnsafeMutableRawPointer
    /// Thread t's registers r0, r1 of instance i at [2i], [2i+1].
    let registers0: UnsafeMutablePointer<UInt32>
    let registers1: UnsafeMutablePointer<UInt32>
    let arrivals = Atomic<UInt64>(0)
    let startTick = Atomic<UInt64>(0)
    /// Packed outcome → count; touched only by thread 0, read after join.
    var histogram: [UInt32: UInt64] = [:]

    init(instances: Int) {
        self.instances = instances
        memory = UnsafeMutableRawPointer.allocate(byteCount: instances * 128, alignment: 4096)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: instances * 128)
        registers0 = .allocate(capacity: 2 * instances)
        registers0.initialize(repeating: 0, count: 2 * instances)
        registers1 = .allocate(capacity: 2 * instances)
        registers1.initialize(repeating: 0, count: 2 * instances)
    }

    deinit {
        memory.deallocate()
        registers0.deallocate()
        registers1.deallocate()
    }

    @inline(__always) func x(_ i: Int) -> SharedU32 { SharedU32(memory + i * 128) }
    @inline(__always) func y(_ i: Int) -> SharedU32 { SharedU32(memory + i * 128 + 64) }

    /// Two-thread barrier: the n-th meeting waits for 2n arrivals.
    func arrive(_ meeting: inout UInt64) {
        meeting += 1
        arrivals.add(1, ordering: .acquiringAndReleasing)
        while arrivals.load(ordering: .acquiring) < 2 * meeting { pv_cpu_relax() }
    }

    /// Thread 0, after the batch: counts outcomes and resets x, y for the next.
    func tally(_ shape: LitmusShape) {
        for i in 0 ..< instances {
            let outcome: UInt32
            if shape == .twoPlusTwoW {
                outcome = x(i).loadRelaxed() | y(i).loadRelaxed() << 8
            } else {
                outcome = registers0[2 * i] | registers0[2 * i + 1] << 8 | registers1[2 * i] << 16 | registers1[2 * i + 1] << 24
            }
            histogram[outcome, default: 0] += 1
            x(i).storeRelaxed(0)
            y(i).storeRelaxed(0)
        }
    }
}
