import Foundation
import Synchronization

/// `--pause-before-start`: holds a run's threads after they are pinned and
/// named, prints the process and thread ids so `perf record -p`/`perf stat -t`
/// can attach, and releases them on Enter or SIGUSR1.
public enum PauseGate {
    private static let released = Atomic<Bool>(false)

    /// Prints the ids and blocks until Enter on stdin, SIGUSR1, end of stdin,
    /// or `isInterrupted()`.
    static func wait(threads: [(name: String, tid: Int32, cpu: Int)], isInterrupted: () -> Bool) {
        released.store(false, ordering: .relaxed)
        signal(SIGUSR1) { _ in PauseGate.released.store(true, ordering: .relaxed) }
        defer { signal(SIGUSR1, SIG_DFL) }
        let pid = getpid()
        let list = threads.map { "\($0.name) tid \($0.tid) (CPU \($0.cpu))" }.joined(separator: ", ")
        let tids = threads.map { String($0.tid) }.joined(separator: ",")
        FileHandle.standardError.write(Data("""
            pvbench: paused before measuring; pid \(pid); threads: \(list)
            pvbench: attach now, e.g. `perf record -g -p \(pid)` or `perf stat --per-thread -t \(tids)`,
            pvbench: then press Enter or run `kill -USR1 \(pid)`

            """.utf8))
        let line = Thread {
            _ = readLine()
            PauseGate.released.store(true, ordering: .relaxed)
        }
        line.start()
        while !released.load(ordering: .relaxed), !isInterrupted() { usleep(10_000) }
        FileHandle.standardError.write(Data("pvbench: released\n".utf8))
    }
}
