import PVModel
import Testing

/// Lifting object code back into litmus, from disassemblies as
/// `objdump -dr --no-show-raw-insn` prints them (recorded from Debian
/// aarch64-linux-gnu-gcc 12.2 and gcc 12.2 at -O2, or written in that
/// format for the refused constructs), and the C the compilers are given.
@Suite("Lifting compiled C tests")
struct CompiledLiftTests {
    static let sb = """
        C SB+mb
        {}
        P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); smp_mb(); r0 = READ_ONCE(*y); }
        P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
        exists (0:r0=0 /\\ 1:r0=0)
        """

    static let sbArm64 = """

        m.o:     file format elf64-littleaarch64


        Disassembly of section .text:

        0000000000000000 <P0>:
           0:\tmov\tw3, #0x1                   \t// #1
           4:\tstr\tw3, [x0]
           8:\tdmb\tish
           c:\tldr\tw0, [x1]
          10:\tstr\tw0, [x2]
          14:\tret
          18:\tnop
          1c:\tnop

        0000000000000020 <P1>:
          20:\tmov\tw3, #0x1                   \t// #1
          24:\tstr\tw3, [x1]
          28:\tdmb\tish
          2c:\tldr\tw0, [x0]
          30:\tstr\tw0, [x2]
          34:\tret
        """

    static let sbX86 = """
        Disassembly of section .text:

        0000000000000000 <P0>:
           0:\tmovl   $0x1,(%rdi)
           6:\tlock addl $0x0,-0x4(%rsp)
           c:\tmov    (%rsi),%eax
           e:\tmov    %eax,(%rdx)
          10:\tret
          11:\tdata16 cs nopw 0x0(%rax,%rax,1)
          1c:\tnopl   0x0(%rax)

        0000000000000020 <P1>:
          20:\tmovl   $0x1,(%rsi)
          26:\tlock addl $0x0,-0x4(%rsp)
          2c:\tmov    (%rdi),%eax
          2e:\tmov    %eax,(%rdx)
          30:\tret
        """

    func lift(_ objdump: String, _ arch: CompileTarget.Arch) throws -> LiftedTest {
        let test = try CLitmusParser.parse(Self.sb)
        return try ObjdumpLifter.lift(test, source: try CompiledSource(test, arch: arch), objdump: objdump, arch: arch, name: "SB+mb+lifted")
    }

    func refusal(_ objdump: String, _ arch: CompileTarget.Arch = .armv8) -> String {
        do { _ = try lift(objdump, arch); return "lifted" } catch { return "\(error)" }
    }

    @Test("the C file: one function per thread, observed locals stored to their result locations")
    func source() throws {
        let s = try CompiledSource(try CLitmusParser.parse(Self.sb), arch: .armv81)
        #expect(s.text.contains("void P0(int* x, int* y, int *P0_r0)"))
        #expect(s.text.contains("\t*P0_r0 = r0;\n}"))
        #expect(s.text.contains("dmb ish\""))
        #expect(s.arguments == [["x", "y", "P0_r0"], ["x", "y", "P1_r0"]])
        // herd7 takes an undeclared register as an int starting at 0.
        let u = try CompiledSource(try CLitmusParser.parse("C U\n{}\nP0(int *x) { r0 = READ_ONCE(*x); }\nexists (0:r0=1 /\\ 0:r9=0)\n"), arch: .armv8)
        #expect(u.text.contains("void P0(int* x, int *P0_r0, int *P0_r9)\n{\n\tint r0 = 0;\n\tint r9 = 0;\n"))
        let x86 = try CompiledSource(try CLitmusParser.parse(Self.sb), arch: .x86_64)
        #expect(x86.text.contains("lock; addl $0,-4(%%rsp)"))
    }

    @Test("a primitive the header does not define is refused with its name and line")
    func unknownPrimitive() throws {
        let t = try CLitmusParser.parse("C L\n{}\nP0(spinlock_t *s, int *x) { spin_lock(s); WRITE_ONCE(*x, 1); }\nexists (x=1)\n")
        do { _ = try CompiledSource(t, arch: .armv8); Issue.record("spin_lock compiled") } catch {
            #expect("\(error)".contains("'spinlock_t* s' of P0: locks and SRCU are not compiled"))
        }
        let u = try CLitmusParser.parse("C L\n{}\nP0(int *x) { int r0; r0 = atomic_read(x); }\nexists (0:r0=1)\n")
        do { _ = try CompiledSource(u, arch: .armv8); Issue.record("atomic_read compiled") } catch {
            #expect("\(error)".contains("atomic_read at line 3"))
        }
    }

    @Test("arm64: arguments become registers holding the locations, ret ends the thread, herd7's syntax")
    func arm64() throws {
        let l = try lift(Self.sbArm64, .armv8)
        #expect(l.text.contains("0:X0=x;\n0:X1=y;\n0:X2=P0_r0;"))
        #expect(l.text.contains(" MOV W3,#1   | MOV W3,#1   ;"))
        #expect(l.text.contains("exists (P0_r0=0 /\\ P1_r0=0)"))
        #expect(!l.text.contains("RET") && !l.text.contains("NOP"))
        let r = try ModelChecker.check(try LitmusParser.parse(l.text), model: .armv8)
        #expect(!r.allowed && r.states.count == 3)
    }

    @Test("arm64: a backward branch (a wait loop) lifted with its label and unrolled; register-offset addresses as herd7 reads them")
    func loopAndRegisterOffset() throws {
        func replacing(_ old: String, _ new: String, in s: String) -> String {
            s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.contains(old) ? new : String($0) }.joined(separator: "\n")
        }
        // P0 waits for y: `c: ldr w0, [x1]; cbz w0, c` (the ldr's target moved to 0x10).
        let loop = replacing("   c:\tldr\tw0, [x1]", "   c:\tldr\tw0, [x1]\n  10:\tcbz\tw0, c <P0+0xc>",
                             in: replacing("  10:\tstr\tw0, [x2]", "  11:\tstr\tw0, [x2]", in: Self.sbArm64))
        let l = try lift(loop, .armv8)
        #expect(l.text.contains("L0_c: LDR W0,[X1]"))
        #expect(l.text.contains("CBZ W0,L0_c"))
        let r = try ModelChecker.check(try LitmusParser.parse(l.text), model: .armv8)
        // P0 leaves the loop only once it reads y=1: P0_r0=0 is never final.
        #expect(!r.allowed && r.states.allSatisfy { s in s.values.first != .zero })
        // A bitmask immediate (herd7 reads no such MOV) as MOVZ/MOVK: the same value.
        let wide = try lift(replacing("   0:\tmov\tw3, #0x1                   \t// #1", "   0:\tmov\tw3, #0x10001", in: Self.sbArm64), .armv8)
        #expect(wide.text.contains("MOVZ W3,#1") && wide.text.contains("MOVK W3,#1,LSL #16"), "\(wide.text)")
        #expect(try ModelChecker.check(try LitmusParser.parse(wide.text), model: .armv8).states.count == 3)
        // cpu_relax()'s YIELD at the loop's head: written NOP (herd7 reads no YIELD), the branch to it kept.
        let relax = replacing("   c:\tldr\tw0, [x1]", "   c:\tyield\n   d:\tldr\tw0, [x1]\n   e:\tcbz\tw0, c <P0+0xc>",
                              in: replacing("  10:\tstr\tw0, [x2]", "  11:\tstr\tw0, [x2]", in: Self.sbArm64))
        let y = try lift(relax, .armv8)
        #expect(y.text.contains("L0_c: NOP") && y.text.contains("CBZ W0,L0_c"), "\(y.text)")
        #expect(y.notes.contains { $0.hasPrefix("YIELD written NOP") })
        #expect(try ModelChecker.check(try LitmusParser.parse(y.text), model: .armv8).states == r.states)
        let indexed = try lift(replacing("  2c:\tldr\tw0, [x0]", "  2c:\tldr\tw0, [x0, w3, sxtw #2]", in: Self.sbArm64), .armv8)
        #expect(indexed.text.contains("LDR W0,[X0,W3,SXTW #2]"))
        _ = try LitmusParser.parse(indexed.text)
    }

    @Test("x86-64: accesses through argument registers name their locations; the kernel's smp_mb is MFENCE")
    func x86() throws {
        let l = try lift(Self.sbX86, .x86_64)
        #expect(l.text.contains("movl $1,(x)"))
        #expect(l.text.contains("MFENCE"))
        #expect(l.notes.contains { $0.contains("lock addl $0,-4(%rsp) written MFENCE") })
        let r = try ModelChecker.check(try LitmusParser.parse(l.text), model: .x86TSO)
        #expect(!r.allowed && r.states.count == 3)
    }

    @Test("refused constructs name the instruction and its address")
    func refusals() {
        func replacing(_ old: String, _ new: String, in s: String = CompiledLiftTests.sbArm64) -> String {
            s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.contains(old) ? new : String($0) }.joined(separator: "\n")
        }
        #expect(refusal(replacing("   8:\tdmb\tish", "   8:\tbl\t0 <foo>")).contains("P0 at 0x8: 'bl 0 <foo>': a call"))
        #expect(refusal(replacing("   8:\tdmb\tish", "   8:\tstr\tw3, [sp, #12]")).contains("P0 at 0x8: 'str w3, [sp, #12]': a stack access"))
        #expect(refusal(replacing("   c:\tldr\tw0, [x1]", "   c:\tcbnz\tw3, 40 <P0+0x40>")).contains("P0 at 0xc: 'cbnz w3, 40 <P0+0x40>': a branch out of the function"))
        #expect(refusal(replacing("   6:\tlock addl $0x0,-0x4(%rsp)", "   6:\tlock cmpxchg %edx,(%rdi)", in: Self.sbX86), .x86_64)
            .contains("a LOCK'd read-modify-write"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tjne    20 <P0+0x20>", in: Self.sbX86), .x86_64)
            .contains("'jne    20 <P0+0x20>': a branch or a flag-dependent instruction"))
        #expect(refusal(replacing("   c:\tldr\tw0, [x1]", "   c:\tldr\tw0, [x1]\n\t\t\tc: R_AARCH64_LDST32_ABS_LO12_NC\tz")).contains("P0 at 0xc: relocation R_AARCH64_LDST32_ABS_LO12_NC"))
        #expect(refusal(replacing("   c:\tmov    (%rsi),%eax", "   c:\tmov    (%rax),%eax", in: Self.sbX86), .x86_64)
            .contains("P0 at 0xc: 'mov    (%rax),%eax': an access through (%rax)"))
        #expect(refusal(replacing("   6:\tlock addl $0x0,-0x4(%rsp)", "   6:\tmov    %eax,-0x4(%rsp)", in: Self.sbX86), .x86_64)
            .contains("a stack access"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tmov    %rdi,(%rdx)", in: Self.sbX86), .x86_64)
            .contains("an argument pointer used as a value"))
    }
}
