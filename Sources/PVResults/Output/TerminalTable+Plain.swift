import Foundation

extension TerminalTable {
    /// Left-aligned text columns, two spaces apart, under a header with no
    /// rule and no trailing newline: the listings of `validate`, `litmus`,
    /// `list`, `topology` (``render()`` is for figures, with units).
    public static func plain(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = (0 ..< header.count).map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
