import Foundation

/// Copies the sysfs files a ``Topology`` is read from into a directory, so
/// another machine can be planned for offline (`--sysfs-root`).
///
/// The tree is laid out as `/sys/devices/system` (`cpu/`, `node/`), holds
/// only the files the topology reader uses, plus `pvbench-allowed-cpulist`:
/// the capturing process's affinity mask. It is written into a temporary
/// sibling directory and renamed into place at the end, so a failed capture
/// leaves nothing half-written.
public enum TopologyCapture {
    public enum CaptureError: Error, Equatable, CustomStringConvertible {
        case destinationExists(String)
        case writeFailed(path: String, reason: String)

        public var description: String {
            switch self {
            case let .destinationExists(path): "'\(path)' already exists; pass --force to replace it"
            case let .writeFailed(path, reason): "cannot write '\(path)': \(reason)"
            }
        }
    }

    /// Captures `sourceRoot` (default: this machine) into `destination`.
    /// - Parameter allowedCPUs: the mask to record; default: this process's
    ///   affinity for the live tree, the source tree's own file otherwise.
    /// - Returns: the number of files written.
    @discardableResult
    public static func capture(from sourceRoot: String = Topology.liveSysfsRoot, to destination: String,
                               force: Bool = false, allowedCPUs: [Int]? = nil) throws -> Int
    {
        let fm = FileManager.default
        let dest = destination.hasSuffix("/") && destination.count > 1 ? String(destination.dropLast()) : destination
        if fm.fileExists(atPath: dest), !force { throw CaptureError.destinationExists(dest) }
        let source = try SysfsTree(root: sourceRoot)
        let live = sourceRoot == Topology.liveSysfsRoot
        let allowed: [Int]? = if let allowedCPUs { allowedCPUs } else if live {
            try ProcessAffinity.allowedCPUs()
        } else { try source.optionalList(SysfsTree.allowedCPUsFile) }

        let temporary = dest + ".partial-\(getpid())"
        try? fm.removeItem(atPath: temporary)
        var written = 0
        do {
            func copy(_ relative: String) throws {
                guard let text = try source.read(relative) else { return }
                try put(relative, text + "\n")
            }
            func put(_ relative: String, _ text: String) throws {
                let path = temporary + "/" + relative
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard fm.createFile(atPath: path, contents: Data(text.utf8)) else {
                    throw CaptureError.writeFailed(path: path, reason: "create failed")
                }
                written += 1
            }
            for name in ["online", "offline", "possible", "present"] { try copy("cpu/" + name) }
            for cpu in source.numberedEntries("cpu", prefix: "cpu") {
                let dir = "cpu/cpu\(cpu)"
                try copy(dir + "/online")
                for file in ["thread_siblings_list", "core_id", "physical_package_id"] { try copy(dir + "/topology/" + file) }
                for node in source.numberedEntries(dir, prefix: "node") { try put("\(dir)/node\(node)", "") }
                for index in source.numberedEntries(dir + "/cache", prefix: "index") {
                    for file in ["level", "type", "size", "shared_cpu_list"] { try copy("\(dir)/cache/index\(index)/\(file)") }
                }
            }
            if source.isDirectory("node") {
                for name in ["online", "possible", "has_cpu", "has_memory", "has_normal_memory"] { try copy("node/" + name) }
                for node in source.numberedEntries("node", prefix: "node") {
                    for file in ["cpulist", "distance", "meminfo"] { try copy("node/node\(node)/\(file)") }
                }
            }
            if let allowed { try put(SysfsTree.allowedCPUsFile, CPUList.format(allowed) + "\n") }
            // Prove the capture reads back before it replaces anything.
            _ = try Topology.load(sysfsRoot: temporary)
            if fm.fileExists(atPath: dest) { try fm.removeItem(atPath: dest) }
            try fm.moveItem(atPath: temporary, toPath: dest)
        } catch {
            try? fm.removeItem(atPath: temporary)
            if let e = error as? CaptureError { throw e }
            if let e = error as? TopologyError { throw e }
            throw CaptureError.writeFailed(path: dest, reason: "\(error.localizedDescription)")
        }
        return written
    }
}
