import Foundation
import Testing
@testable import PVResults

@Suite("report: CIs, disturbance counts, repetition plots, and the compare section for two files")
struct CompareReportTests {
    static let name = "steal-clock/relaxed/cacheline/vcpus:1/readers:1/writers:1"

    func inputs() throws -> (ReportInput, ReportInput) {
        var reps = CompareFixtures.values(1e9, count: 9, seed: 4)
        reps[4] = 2e8
        let old = try CompareFixtures.input(CompareFixtures.file([(Self.name, reps)]), path: "old.json", disturbed: [Self.name: [4]])
        let new = try CompareFixtures.input(CompareFixtures.file([(Self.name, CompareFixtures.values(1e9, count: 9, seed: 5))], scale: 1 / 1.4),
                                            path: "new.json")
        return (old, new)
    }

    @Test("the table shows the median's CI and how many repetitions were disturbed")
    func table() throws {
        let (old, _) = try inputs()
        let row = try #require(ReportDataset(inputs: [old]).rows.first)
        #expect(row.disturbedRepetitions == 1 && row.repetitionValues.count == 9 && row.repetitionValues[4].disturbed)
        let ci = try #require(row.throughputCI)
        #expect(ci.low > 9.7e8 && ci.high < 1.03e9)  // the disturbed 2e8 is not in the interval's sample
        let md = ReportMarkdown.render(ReportDataset(inputs: [old]), plots: [], plotNote: nil, command: "pvbench report")
        #expect(md.contains("| 95% CI | disturbed |") && md.contains(" | 1 of 9 |"))
    }

    @Test("per-repetition plot marks disturbed repetitions; two files add the compare table and the ratio plot")
    func twoFiles() throws {
        let (old, new) = try inputs()
        let dataset = ReportDataset(inputs: [old, new])
        let comparison = try Comparison(old: old, new: new)
        let plots = ReportPlots.plots(for: dataset, comparison: comparison)
        let reps = try #require(plots.first { $0.name == "repetitions-steal-clock" })
        #expect(reps.script.contains("\n4 200000000.0 1\n") && reps.script.contains("set multiplot layout 1,2"))
        let ratio = try #require(plots.first { $0.name == "compare-ratio" })
        #expect(ratio.script.contains(" 13382417 ") && ratio.script.contains("with yerrorbars"))  // 0xCC3311: slower
        let dir = ReportFixtures.temporaryDirectory()
        _ = try ReportGenerator.generate(inputs: [old, new], directory: dir, overwrite: false, gnuplot: nil, command: "pvbench report old.json new.json")
        let md = try String(contentsOfFile: "\(dir)/summary.md", encoding: .utf8)
        #expect(md.contains("## Compare: `old.json` → `new.json`") && md.contains("**slower**"))
        // Files with nothing in common: said so, the report is still written.
        let other = try CompareFixtures.input(CompareFixtures.file([("steal-clock/other", CompareFixtures.values(1e9, seed: 6))]), path: "other.json")
        let dir2 = ReportFixtures.temporaryDirectory()
        _ = try ReportGenerator.generate(inputs: [old, other], directory: dir2, overwrite: false, gnuplot: nil, command: "pvbench report")
        #expect(try String(contentsOfFile: "\(dir2)/summary.md", encoding: .utf8).contains("Not compared: no case in common"))
        // A suite beside a c2c matrix sharing one of its cases: two sets side by side, no compare section.
        let suite = try CompareFixtures.input(CompareFixtures.file((0 ..< 4).map { ("steal-clock/s\($0)", CompareFixtures.values(1e9, seed: UInt64($0))) }
            + [("c2c/cpu:0->cpu:1", CompareFixtures.values(1e6, seed: 9))]), path: "suite.json")
        let matrix = try CompareFixtures.input(CompareFixtures.file([("c2c/cpu:0->cpu:1", CompareFixtures.values(1e6, seed: 10)),
                                                                     ("c2c/cpu:1->cpu:0", CompareFixtures.values(1e6, seed: 11))]), path: "matrix.json")
        let dir3 = ReportFixtures.temporaryDirectory()
        _ = try ReportGenerator.generate(inputs: [suite, matrix], directory: dir3, overwrite: false, gnuplot: nil, command: "pvbench report")
        let md3 = try String(contentsOfFile: "\(dir3)/summary.md", encoding: .utf8)
        #expect(md3.contains("Not compared: suite.json (5 cases) and matrix.json (2 cases) have 1 in common"), "\(md3)")
        #expect(!md3.contains("## Compare:") && !md3.contains("compare-ratio"))
    }

    @Test("a repetitions plot shows at most 36 cases and says so")
    func panelCap() throws {
        let cases = (0 ..< 40).map { ("c2c/cpu:\($0)->cpu:\($0 + 1)", CompareFixtures.values(1e6, count: 3, seed: UInt64($0))) }
        let input = try CompareFixtures.input(CompareFixtures.file(cases), path: "matrix.json")
        let plot = try #require(ReportPlots.plots(for: ReportDataset(pvbench: [input])).first { $0.name.hasPrefix("repetitions-") })
        #expect(plot.title.hasSuffix("first 36 of 40 cases") && plot.script.contains("set multiplot layout 6,6"))
    }
}
