import PVABI
@testable import PVHost

/// Guest memory placed by NUMAMemoryBacking, for the live placement tests.
enum GuestMemoryForTest {
    static func make(nodes: [Int]) throws -> GuestMemory {
        try GuestMemory(ramBytes: 256 * 1024, pvPages: 1, backing: NUMAMemoryBacking(nodes: nodes))
    }
}
