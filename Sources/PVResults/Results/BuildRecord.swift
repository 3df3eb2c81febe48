#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How the measuring binary was built and where it ran (`context.build`).
public struct BuildRecord: Sendable, Equatable, Codable {
    /// "release" or "debug" (also google-benchmark's `library_build_type`).
    public var configuration: String
    /// Compiler the binary was built with, e.g. "Swift 6.3".
    public var compiler: String
    /// uname machine: "x86_64", "aarch64".
    public var architecture: String
    /// uname release of the running kernel.
    public var kernel: String
    /// Flags worth knowing (e.g. "-enforce-exclusivity=unchecked"), as the caller states them.
    public var flags: [String]

    public init(configuration: String, compiler: String, architecture: String, kernel: String, flags: [String]) {
        self.configuration = configuration
        self.compiler = compiler
        self.architecture = architecture
        self.kernel = kernel
        self.flags = flags
    }

    /// This binary: configuration from the `DEBUG` condition SwiftPM sets in
    /// debug builds, compiler from `#if compiler`, machine from uname(2).
    public static func current(flags: [String] = []) -> BuildRecord {
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        #if compiler(>=6.4)
        let compiler = "Swift 6.4 or later"
        #elseif compiler(>=6.3)
        let compiler = "Swift 6.3"
        #elseif compiler(>=6.2)
        let compiler = "Swift 6.2"
        #else
        let compiler = "Swift 6.1 or earlier"
        #endif
        var u = utsname()
        uname(&u)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return BuildRecord(configuration: configuration, compiler: compiler, architecture: field(&u.machine),
                           kernel: field(&u.release), flags: flags)
    }
}
