/// A compiler and architecture a C litmus test is compiled for, as the
/// kernel builds: -O2, freestanding, no outlined atomics, no stack
/// protector. The compiler itself runs elsewhere (PVExperiments); this is
/// what to run and how to read its output.
public struct CompileTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Compiler: String, Sendable, CaseIterable { case gcc, clang }
    public enum Arch: String, Sendable, CaseIterable {
        /// ARMv8.0: no LSE, the kernel's LL/SC atomics.
        case armv8 = "armv8-a"
        /// ARMv8.1: LSE atomics (SWPAL, CASAL, LDADDAL…).
        case armv81 = "armv8.1-a"
        case x86_64 = "x86-64"

        public var isArm64: Bool { self != .x86_64 }
    }

    public var compiler: Compiler
    public var arch: Arch

    public init(compiler: Compiler, arch: Arch) {
        self.compiler = compiler
        self.arch = arch
    }

    /// `gcc:armv8-a`, `clang:x86-64`, …
    public var description: String { "\(compiler.rawValue):\(arch.rawValue)" }

    public static let all: [CompileTarget] = Compiler.allCases.flatMap { c in Arch.allCases.map { CompileTarget(compiler: c, arch: $0) } }

    /// Parses `gcc:armv8-a`; nil for anything else.
    public init?(_ text: String) {
        guard let t = Self.all.first(where: { $0.description == text }) else { return nil }
        self = t
    }

    /// The compiler's executable name and its flags before `-c IN -o OUT`.
    /// `clang` is looked up beside the Swift toolchain by the caller.
    public var command: (executable: String, flags: [String]) {
        let common = ["-O2", "-ffreestanding", "-nostdinc", "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-fomit-frame-pointer"]
        return (executable, common + selection + (arch.isArm64 ? ["-mno-outline-atomics"] : ["-mno-red-zone"]))
    }

    /// The compiler's executable name (`clang` for both architectures).
    public var executable: String { compiler == .gcc && arch.isArm64 ? "aarch64-linux-gnu-gcc" : compiler.rawValue }

    /// The flags that choose the target and nothing else (a build with other
    /// flags, such as the package's own, adds these).
    public var selection: [String] {
        switch (compiler, arch) {
        case (.gcc, .x86_64): []
        case (.clang, .x86_64): ["--target=x86_64-linux-gnu"]
        case (.gcc, _): ["-march=\(arch.rawValue)"]
        case (.clang, _): ["--target=aarch64-linux-gnu", "-march=\(arch.rawValue)"]
        }
    }

    /// The disassemblers that read this target's objects, in preference order.
    public var disassemblers: [String] {
        arch.isArm64 ? ["aarch64-linux-gnu-objdump", "llvm-objdump"] : ["objdump", "llvm-objdump"]
    }
}
