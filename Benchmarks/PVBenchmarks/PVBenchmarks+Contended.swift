import Benchmark
import CPVPlatform
import Dispatch
import PVRuntime
import PVHost
import PVABI

/// `contended-read/<strategy>/<target>`: the guest's read while a hypervisor
/// writer thread, pinned to another CPU, writes the record back to back:
/// what the strategy costs when the cache line bounces. The writer is
/// started and pinned in `setup`, before any measurement, and stopped in
/// `teardown`; the reading thread is pinned to a different CPU around the
/// measured loop.
func registerContendedBenchmarks() {
    guard let cpus = try? ProcessAffinity.allowedCPUs(), cpus.count >= 2 else {
        print("contended-read benchmarks skipped: they need 2 allowed CPUs")
        return
    }
    forEachStrategy { kind, target in
        ContendedBenchmark(name: "\(kind)/\(target)", readerCPU: cpus[0], writerCPU: cpus[cpus.count - 1], allowed: cpus)
    }
}

struct ContendedBenchmark: StrategyVisitor {
    let name: String
    let readerCPU: Int, writerCPU: Int
    let allowed: [Int]
    func visit<S: OrderingStrategy>(_: S.Type) {
        registerContended(S.self, name: name, readerCPU: readerCPU, writerCPU: writerCPU, allowed: allowed)
    }
}

func registerContended<S: OrderingStrategy>(_: S.Type, name: String, readerCPU: Int, writerCPU: Int, allowed: [Int]) {
    let writer = BackgroundWriter<S>(cpu: writerCPU)
    Benchmark("contended-read/\(name)", configuration: .init(scalingFactor: .kilo), closure: { benchmark in
        let pinned = pv_pin_current_thread(Int32(readerCPU)) == 0
        var retries: UInt64 = 0
        benchmark.startMeasurement()
        readLoop(S.self, base: writer.region.base, count: benchmark.scaledIterations.count, retries: &retries)
        benchmark.stopMeasurement()
        blackHole(retries)
        if pinned {
            let cpus = allowed.map(Int32.init)
            _ = cpus.withUnsafeBufferPointer { pv_pin_current_thread_to_set($0.baseAddress, Int32($0.count)) }
        }
    }, setup: {
        try writer.start()
    }, teardown: {
        writer.stop()
    })
}

/// A hypervisor writer thread (`hv-w0`) pinned to `cpu`, writing the
/// strategy's spec sequence into its own record until stopped.
final class BackgroundWriter<S: OrderingStrategy>: @unchecked Sendable {
    let region = BenchmarkRegion()
    let cpu: Int
    private var stopFlag = StopFlag()
    private var finished = DispatchSemaphore(value: 0)

    init(cpu: Int) { self.cpu = cpu }

    /// Starts the writer and returns once it is pinned and writing.
    func start() throws {
        stopFlag = StopFlag()
        finished = DispatchSemaphore(value: 0)
        StrategyLoops.prepare(S.self, base: region.base, mode: .spec)
        let running = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        let (stop, done, region, cpu) = (stopFlag, finished, region, cpu)
        DispatchQueue.global().async {
            do {
                _ = try PinnedThreads.run([PinnedThreadSpec(role: ThreadRole(.hypervisorWriter, 0), cpu: cpu)],
                                          stop: stop) { context in
                    running.signal()
                    _ = StrategyLoops.runWriter(S.self, base: region.base, mode: .spec, stop: context.stop)
                }
            } catch {
                failure.error = error
                running.signal()
            }
            done.signal()
        }
        running.wait()
        if let error = failure.error { throw error }
    }

    /// Stops the writer and waits for its thread to end.
    func stop() {
        stopFlag.stop()
        finished.wait()
    }
}

/// The writer thread's start failure, read after the semaphore.
private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
}
