import Foundation
import Testing

/// docs/strategies.md's strategy table is `pvbench list --strategies
/// --markdown` verbatim, so it cannot drift from the code.
@Suite("generated strategy table")
struct StrategyTableDocTests {
    static let begin = "<!-- generated: pvbench list --strategies --markdown -->\n"
    static let end = "<!-- end generated -->"

    @Test("docs/strategies.md holds the table pvbench generates (regenerate it with the command in its marker)")
    func tableMatches() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/strategies.md"), encoding: .utf8)
        let start = try #require(doc.range(of: Self.begin), "no generated-table marker in docs/strategies.md")
        let stop = try #require(doc.range(of: Self.end, range: start.upperBound ..< doc.endIndex))
        let generated = try CLI.run(["list", "--strategies", "--markdown"])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(String(doc[start.upperBound ..< stop.lowerBound]) == generated.stdout,
                "docs/strategies.md's table is stale: put the output of `pvbench list --strategies --markdown` between its markers")
        #expect(generated.stdout.split(separator: "\n").count >= 2 + 8, "a row per strategy × record")
    }

    @Test("--markdown needs --strategies; --strategies is not JSON")
    func usage() throws {
        let r = try CLI.run(["list", "--markdown"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--markdown applies to --strategies"))
        let j = try CLI.run(["list", "--strategies", "--json"])
        #expect(j.status == 64)
    }
}
