/// A plain-text table for terminals: a header with units, numbers
/// right-aligned so digits line up, text left-aligned, columns two spaces
/// apart, no colour, no box drawing (it pastes into mail and commit messages).
/// ``render()`` is for figures (units, a rule under the header);
/// ``plain(_:_:)`` for listings (text only, no rule).
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
    /// A rule of dashes under the header.
    var rule = true

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
        let widths = columns.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return columns[i].alignment == .right ? pad + cell : cell + pad
            }.joined(separator: "  ").trailingSpacesRemoved()
        }
        let dashes = rule ? [widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] : []
        return (header.map(line) + dashes + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// Left-aligned text columns, two spaces apart, under a header with no
    /// rule and no trailing newline: the listings of `validate`, `litmus`,
    /// `list`, `topology`. A row may have fewer cells than the header.
    public static func plain(_ header: [String], _ rows: [[String]]) -> String {
        var table = TerminalTable(columns: header.map { Column($0, alignment: .left) })
        table.rows = rows
        table.rule = false
        return String(table.render().dropLast())
    }
}

extension String {
    fileprivate func trailingSpacesRemoved() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
