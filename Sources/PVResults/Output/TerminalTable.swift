/// A plain-text table for terminals: a header with units, numbers
/// right-aligned so digits line up, text left-aligned, columns two spaces
/// apart, no colour, no box drawing (it pastes into mail and commit messages).
public struct TerminalTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        /// Shown under the title, e.g. "ns", "M/s".
        public var unit: String?
        public var alignment: Alignment

        public init(_ title: String, unit: String? = nil, alignment: Alignment = .right) {
            self.title = title
            self.unit = unit
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(columns: [Column]) { self.columns = columns }

    /// Adds a row; missing cells are shown as "-", extra cells are an error.
    public mutating func addRow(_ cells: [String]) {
        precondition(cells.count <= columns.count, "row has \(cells.count) cells for \(columns.count) columns")
        rows.append(cells + Array(repeating: "-", count: columns.count - cells.count))
    }

    public func render() -> String {
        let hasUnits = columns.contains { $0.unit != nil }
        var header = [columns.map(\.title)]
        if hasUnits { header.append(columns.map { $0.unit.map { "(\($0))" } ?? "" }) }
        let all = header + rows
        let widths = columns.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return columns[i].alignment == .right ? pad + cell : cell + pad
            }.joined(separator: "  ").trailingSpacesRemoved()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return (header.map(line) + [rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func trailingSpacesRemoved() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
