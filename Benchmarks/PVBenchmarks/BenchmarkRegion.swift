/// A page of zeroed, page-aligned memory standing for one shared record:
/// every strategy's footprint and alignment fit at its start.
final class BenchmarkRegion: @unchecked Sendable {
    static let size = 4096
    let base: UnsafeMutableRawPointer

    init() {
        base = UnsafeMutableRawPointer.allocate(byteCount: Self.size, alignment: Self.size)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: Self.size)
    }

    deinit { base.deallocate() }
}
