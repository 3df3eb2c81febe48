import Foundation
import PVModel

/// Runs the real compilers and disassemblers for `pvbench model --compile`:
/// the C file `CompiledSource` writes goes through the target's compiler
/// at -O2 into an object, `objdump -dr` prints it, and `ObjdumpLifter`
/// reads it back as a litmus test.
public enum CompileRunner {
    public struct Compiled: Sendable {
        public var target: CompileTarget
        public var source: CompiledSource
        public var objdump: String
        public var lifted: LiftedTest
    }

    /// The executable's path: on PATH, or for clang beside the Swift toolchain.
    public static func locate(_ name: String) -> String? {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        if name == "clang" { dirs.append("/opt/swift/usr/bin") }
        return dirs.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The targets whose compiler and a disassembler are present.
    public static func present(_ t: CompileTarget) -> Bool {
        locate(t.command.executable) != nil && t.disassemblers.contains { locate($0) != nil }
    }

    public struct Failed: Error, CustomStringConvertible { public let description: String }

    private static func run(_ path: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting: a large disassembly would fill the pipe.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let first = String(decoding: e, as: UTF8.self).split(separator: "\n").first { $0.contains("error") } ?? "exit \(p.terminationStatus)"
            throw Failed(description: "\(URL(fileURLWithPath: path).lastPathComponent): \(first)")
        }
        return String(decoding: o, as: UTF8.self)
    }

    /// Compiles, disassembles and lifts one test for one target.
    public static func compile(_ test: CLitmusTest, target: CompileTarget) throws -> Compiled {
        let source = try CompiledSource(test, arch: target.arch)
        guard let cc = locate(target.command.executable) else { throw Failed(description: "\(target.command.executable) is not installed") }
        guard let dis = target.disassemblers.lazy.compactMap(locate).first else { throw Failed(description: "no disassembler for \(target)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pvbench-compile-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("test.c"), o = dir.appendingPathComponent("test.o")
        try source.text.write(to: c, atomically: true, encoding: .utf8)
        _ = try run(cc, target.command.flags + ["-c", c.path, "-o", o.path])
        let dump = try run(dis, ["-dr", "--no-show-raw-insn", o.path])
        let name = "\(test.name)+\(target.compiler.rawValue)-\(target.arch.rawValue)"
        let lifted = try ObjdumpLifter.lift(test, source: source, objdump: dump, arch: target.arch, name: name)
        return Compiled(target: target, source: source, objdump: dump, lifted: lifted)
    }
}
