import CPVReference
import Testing

/// The C loop kernels are aligned to 64 bytes (`PVREF_HOT` in
/// reference.c), so that a rebuild that moves them moves them by whole
/// fetch lines: the same loop over one vCPU read 0.89 G scans/s in three
/// builds and 1.18 G in a fourth when its start fell 16 bytes into a line.
@Suite("C loop kernels start on a 64-byte line")
struct CKernelPlacementTests {
    typealias StealRead = @convention(c) (UnsafePointer<UInt64>?, UInt64, UnsafeMutablePointer<pvref_steal_reader>?) -> Void
    typealias SeqlockRead = @convention(c) (UnsafePointer<UInt32>?, UnsafePointer<UInt64>?, UInt64,
                                            UnsafeMutablePointer<pvref_steal_reader>?) -> Void
    typealias CKRead = @convention(c) (UnsafeRawPointer?, UnsafePointer<UInt64>?, UInt64,
                                       UnsafeMutablePointer<pvref_steal_reader>?) -> Void
    typealias Poll = @convention(c) (UnsafeRawPointer?, Int, Int, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<Int>?,
                                     UInt64, UnsafeMutablePointer<Int64>?) -> UInt64
    typealias Scan = @convention(c) (UnsafeRawPointer?, Int, Int, UInt64) -> UInt64

    @Test("every loop kernel's entry address is a multiple of 64")
    func aligned() {
        let kernels: [(name: String, address: UInt)] = [
            ("pvref_steal_read_relaxed", unsafeBitCast(pvref_steal_read_relaxed as StealRead, to: UInt.self)),
            ("pvref_steal_read_acquire", unsafeBitCast(pvref_steal_read_acquire as StealRead, to: UInt.self)),
            ("pvref_steal_read_seqlock", unsafeBitCast(pvref_steal_read_seqlock as SeqlockRead, to: UInt.self)),
            ("pvref_steal_read_ck", unsafeBitCast(pvref_steal_read_ck as CKRead, to: UInt.self)),
            ("pvref_preempt_poll_relaxed", unsafeBitCast(pvref_preempt_poll_relaxed as Poll, to: UInt.self)),
            ("pvref_preempt_poll_acquire", unsafeBitCast(pvref_preempt_poll_acquire as Poll, to: UInt.self)),
            ("pvref_idle_scan_relaxed", unsafeBitCast(pvref_idle_scan_relaxed as Scan, to: UInt.self)),
        ]
        for k in kernels {
            #expect(k.address != 0 && k.address % 64 == 0, "\(k.name) at 0x\(String(k.address, radix: 16))")
        }
    }
}
