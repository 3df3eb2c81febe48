/// How shared memory is split into cells: each location into equal cells
/// of `cellBytes[loc]` (4 by default, smaller where an access needs it).
/// Reads-from is chosen per (read, cell), coherence per cell.
struct CellLayout: Sendable {
    var cellBytes: [Int]
    var firstCell: [Int]
    var cellCount: Int

    init(locations: [Location], cellBytes: [Int]) {
        self.cellBytes = cellBytes
        var first: [Int] = []
        var n = 0
        for (i, l) in locations.enumerated() {
            first.append(n)
            n += l.byteSize / cellBytes[i]
        }
        firstCell = first
        cellCount = n
    }

    /// The cells of `[offset, offset+bytes)` of `location`, or nil when the
    /// range does not fall on cell boundaries.
    func cells(location: Int, offset: Int, bytes: Int) -> [Int]? {
        let cb = cellBytes[location]
        guard offset % cb == 0, bytes % cb == 0 else { return nil }
        return (0 ..< bytes / cb).map { firstCell[location] + offset / cb + $0 }
    }
}

/// gcd for cell sizes.
func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
