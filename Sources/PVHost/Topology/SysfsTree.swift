import Foundation

/// Read access to a tree laid out as `/sys/devices/system` (`cpu/`, `node/`),
/// with errors that name the file.
struct SysfsTree {
    /// The directory holding `cpu/` and `node/`.
    let base: String

    /// The file a capture writes with the capturing process's allowed CPUs
    /// (a cpulist); it has no counterpart in the kernel's sysfs.
    static let allowedCPUsFile = "pvbench-allowed-cpulist"

    /// Accepts a directory laid out as `/sys/devices/system` or as `/sys`.
    init(root: String) throws(TopologyError) {
        let candidates = [root + "/devices/system", root]
        guard let base = candidates.first(where: { Self.isDirectory($0 + "/cpu") }) else {
            throw .notASysfsTree(root: root)
        }
        self.base = base
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    func path(_ relative: String) -> String { base + "/" + relative }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    func isDirectory(_ relative: String) -> Bool { Self.isDirectory(path(relative)) }

    /// The file's text, or nil when it does not exist.
    func read(_ relative: String) throws(TopologyError) -> String? {
        let full = path(relative)
        guard FileManager.default.fileExists(atPath: full) else { return nil }
        guard let data = FileManager.default.contents(atPath: full) else {
            throw .unreadable("cannot read '\(full)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(path: full, content: "<\(data.count) bytes, not UTF-8>", reason: "not text")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func require(_ relative: String, for needed: String) throws(TopologyError) -> String {
        guard let text = try read(relative) else { throw .missingFile(path: path(relative), needed: needed) }
        return text
    }

    func list(_ relative: String, for needed: String) throws(TopologyError) -> [Int] {
        try parseList(try require(relative, for: needed), at: relative)
    }

    func optionalList(_ relative: String) throws(TopologyError) -> [Int]? {
        guard let text = try read(relative) else { return nil }
        return try parseList(text, at: relative)
    }

    func parseList(_ text: String, at relative: String) throws(TopologyError) -> [Int] {
        do { return try CPUList.parse(text) } catch {
            throw .malformed(path: path(relative), content: text, reason: "not a cpulist such as 0-3,8")
        }
    }

    func optionalInt(_ relative: String) throws(TopologyError) -> Int? {
        guard let text = try read(relative) else { return nil }
        guard let v = Int(text) else { throw .malformed(path: path(relative), content: text, reason: "not an integer") }
        return v
    }

    /// Numbers N of the entries named `<prefix>N` in a directory, sorted.
    func numberedEntries(_ relative: String, prefix: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(relative))) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix) else { return nil }
            let digits = name.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            return Int(digits)
        }.sorted()
    }
}
