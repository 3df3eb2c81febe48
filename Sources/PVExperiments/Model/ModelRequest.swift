import Foundation
import PVModel

/// What `pvbench model` is asked: litmus files, the models to decide them
/// under (empty: each test's own), the checker's options and, for C tests,
/// the compilers to check the compiled code of.
public struct ModelRequest: Sendable {
    public var files: [String]
    /// Empty: each test under its own architecture's model (a C test: lkmm).
    public var models: [ModelKind] = []
    public var options = CheckOptions()
    /// Non-empty: each C test compiled for each target, lifted and checked beside its source (docs/compiled.md).
    public var compile: [CompileTarget] = []
    /// With `compile`: where each lifted test (and the C it came from) is written.
    public var emitLifted: String?

    public init(files: [String]) { self.files = files }

    /// The targets named (`all`: every one), each once, in the order first named.
    public static func compileTargets(_ names: [String]) throws(ModelInputError) -> [CompileTarget] {
        var out: [CompileTarget] = []
        for n in names {
            if n == "all" { out += CompileTarget.all; continue }
            guard let t = CompileTarget(n) else { throw .unknownCompileTarget(n) }
            out.append(t)
        }
        return out.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }
}

/// Input `pvbench model` cannot take: a usage error, said in one line.
public enum ModelInputError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String)
    case syntax(file: String, LitmusError)
    /// A parser failure that is not a ``LitmusError`` (the parsers throw none today).
    case unparsed(file: String, String)
    /// Compiled checks were asked of a test that is not a C test.
    case compileNeedsC(file: String)
    case unknownCompileTarget(String)

    public var description: String {
        switch self {
        case let .unreadable(f): "\(f): cannot read the file"
        case let .syntax(f, e): "\(f):\(e.line): \(e.message) at '\(e.token)'"
        case let .unparsed(f, why): "\(f): \(why)"
        case let .compileNeedsC(f): "compiled checks take C tests; \(f) is not one"
        case let .unknownCompileTarget(n):
            "unknown compile target '\(n)'; valid: all, \(CompileTarget.all.map(\.description).joined(separator: ", "))"
        }
    }
}

/// The files of a request, read and parsed: herd7 litmus programs and C tests, each with its file.
public struct ModelInputs: Sendable {
    public var programs: [(file: String, program: Program)] = []
    public var cTests: [(file: String, test: CLitmusTest)] = []

    public init() {}

    /// Files it could not read or parse, each with its one-line error, in
    /// the order given: as herd7 does, one bad file does not stop the others.
    public var errors: [ModelInputError] = []

    /// Reads every file; one that cannot be read or parsed goes to ``errors``.
    public init(files: [String]) {
        for f in files {
            guard let data = FileManager.default.contents(atPath: f), let text = String(data: data, encoding: .utf8) else {
                errors.append(.unreadable(file: f))
                continue
            }
            do {
                if CLitmusParser.isCLitmus(text) { cTests.append((f, try CLitmusParser.parse(text))) } else {
                    programs.append((f, try LitmusParser.parse(text)))
                }
            } catch let e as LitmusError {
                errors.append(.syntax(file: f, e))
            } catch {
                errors.append(.unparsed(file: f, "\(error)"))
            }
        }
    }
}

extension ModelRequest {
    /// The files read and parsed; `compile` takes only C tests, and its
    /// path stops at the first file it cannot take.
    public func inputs() throws -> ModelInputs {
        let inputs = ModelInputs(files: files)
        if !compile.isEmpty {
            if let first = inputs.errors.first { throw first }
            if let other = inputs.programs.first { throw ModelInputError.compileNeedsC(file: other.file) }
        }
        return inputs
    }
}
