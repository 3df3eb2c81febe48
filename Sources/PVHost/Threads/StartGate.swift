#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one start barrier of a run: every thread arrives (pinned, named,
/// verified, or failed), the coordinator decides go or abort once all have
/// arrived, and all waiting threads are released by one broadcast.
final class StartGate: @unchecked Sendable {
    enum Decision { case pending, go, abort }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var arrived = 0
    private var decision = Decision.pending
    private var failures: [Int: PinningError] = [:]

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Called by thread `index` once it is ready (or has failed); blocks until
    /// the coordinator decides. Returns true when the body may run.
    func arrive(index: Int, failure: PinningError?) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        arrived += 1
        if let failure { failures[index] = failure }
        pthread_cond_broadcast(condition)
        while decision == .pending { pthread_cond_wait(condition, mutex) }
        return decision == .go
    }

    /// Records a failure for a thread that never started.
    func recordSpawnFailure(index: Int, _ failure: PinningError) {
        pthread_mutex_lock(mutex)
        failures[index] = failure
        pthread_mutex_unlock(mutex)
    }

    /// Waits until `count` threads have arrived, then releases them all: to
    /// run their bodies when nobody failed, to return at once otherwise.
    /// Returns the failures by thread index.
    func awaitArrivalsAndRelease(count: Int) -> [Int: PinningError] {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while arrived < count { pthread_cond_wait(condition, mutex) }
        decision = failures.isEmpty ? .go : .abort
        pthread_cond_broadcast(condition)
        return failures
    }
}
