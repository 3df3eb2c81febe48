import PVRuntime

/// `pvbench run --c FILE.c …`: each file compiled and loaded into a slot of
/// its own, so each is its own strategy type beside the built-ins.
public struct CStrategyRunFiles: Sendable {
    public let files: [CStrategyFile]

    /// The strategies, in the order given.
    public var strategies: [StrategyChoice] { files.map { .cFile($0.strategy) } }

    /// Compiles and loads `paths`, one slot each; `compiled` gets each
    /// file as soon as it compiled (to print its command). A file that
    /// fails removes the build directories made so far.
    /// - Throws: ``CStrategyError``: a file that does not compile or load,
    ///   more files than slots, a name taken by a built-in or another file.
    public static func load(_ paths: [String], compiled: (CStrategyFile) -> Void = { _ in }) throws(CStrategyError) -> CStrategyRunFiles {
        guard paths.count <= CStrategyFunctions.slotCount else { throw .tooMany(paths.count) }
        var files: [CStrategyFile] = []
        do throws(CStrategyError) {
            for (slot, path) in paths.enumerated() {
                let file = try CStrategyFile.compile(path)
                files.append(file)
                compiled(file)
                if StrategyKind(rawValue: file.name) != nil {
                    throw CStrategyError.nameTaken(file: path, name: file.name, by: "a built-in strategy's name")
                }
                if let other = files.dropLast().first(where: { $0.name == file.name }) {
                    throw CStrategyError.nameTaken(file: path, name: file.name, by: "the name of \(other.source)")
                }
                files[files.count - 1] = try file.load(slot: slot)
            }
        } catch {
            files.forEach { $0.removeBuildDirectory() }
            throw error
        }
        return CStrategyRunFiles(files: files)
    }

    /// Removes every file's build directory (at exit).
    public func removeBuildDirectories() { files.forEach { $0.removeBuildDirectory() } }

    /// `--suite` with C files: each file beside the built-ins in every
    /// scenario of `cases` that takes a strategy, once per distinct case
    /// shape (layout, vCPUs, timing, parameters: the built-ins' strategy
    /// replaced by the file's). Scenarios the file has no pair for (or
    /// cannot run in) get one line each in `notes`.
    public func addingTo(_ cases: [RunSettings]) -> (cases: [RunSettings], notes: [String]) {
        var added: [RunSettings] = [], notes: [String] = []
        for strategy in strategies {
            var refused = Set<ScenarioKind>()
            for c in cases where c.scenario.target != nil && c.strategy.builtIn != nil {
                var s = c
                s.strategy = strategy
                s.implementation = .swift
                do { try s.validate() } catch {
                    if refused.insert(c.scenario).inserted { notes.append("\(error)") }
                    continue
                }
                if !added.contains(where: { $0.name == s.name }) { added.append(s) }
            }
        }
        return (cases + added, notes)
    }
}
