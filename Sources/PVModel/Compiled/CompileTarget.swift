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
        switch (compiler, arch) {
        case (.gcc, .x86_64): return ("gcc", common + ["-mno-red-zone"])
        case (.clang, .x86_64): return ("clang", common + ["--target=x86_64-linux-gnu", "-mno-red-zone"])
        case (.gcc, _): return ("aarch64-linux-gnu-gcc", common + ["-march=\(arch.rawValue)", "-mno-outline-atomics"])
        case (.clang, _): return ("clang", common + ["--target=aarch64-linux-gnu", "-march=\(arch.rawValue)", "-mno-outline-atomics"])
        }
    }

    /// The disassemblers that read this target's objects, in preference order.
    public var disassemblers: [String] {
        arch.isArm64 ? ["aarch64-linux-gnu-objdump", "llvm-objdump"] : ["objdump", "llvm-objdump"]
    }
}
