import CPVPlatform

/// The CPUs this process may run on (`sched_getaffinity`, which reflects
/// `taskset`, cgroup cpusets and offline CPUs).
public enum ProcessAffinity {
    /// The calling thread's allowed CPUs, sorted.
    public static func allowedCPUs() throws(PinningError) -> [Int] {
        var capacity = 1024
        while true {
            var buffer = [Int32](repeating: 0, count: capacity)
            let n = buffer.withUnsafeMutableBufferPointer { pv_current_affinity($0.baseAddress, Int32(capacity)) }
            if n < 0 { throw .affinityUnreadable(errno: -n) }
            if Int(n) <= capacity { return buffer.prefix(Int(n)).map(Int.init) }
            capacity = Int(n)
        }
    }

    /// The CPU the calling thread is running on now (`sched_getcpu()`), or
    /// nil when the kernel cannot say.
    public static func currentCPU() -> Int? {
        let cpu = pv_current_cpu()
        return cpu < 0 ? nil : Int(cpu)
    }
}
