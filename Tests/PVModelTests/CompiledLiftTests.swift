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

    /// `objdump` with every line that contains `old` replaced by `new`.
    func replacing(_ old: String, _ new: String, in objdump: String) -> String {
        objdump.split(separator: "\n", omittingEmptySubsequences: false).map { $0.contains(old) ? new : String($0) }.joined(separator: "\n")
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
        #expect(l.text.contains("movl $1,(x)") && l.text.contains("movl (y),%eax"), "\(l.text)")
        #expect(l.text.contains("MFENCE"))
        #expect(l.notes.contains { $0.contains("lock addl $0,-4(%rsp) written MFENCE") })
        let r = try ModelChecker.check(try LitmusParser.parse(l.text), model: .x86TSO)
        #expect(!r.allowed && r.states.count == 3)
    }

    @Test("refused constructs name the instruction and its address")
    func refusals() {
        #expect(refusal(replacing("   8:\tdmb\tish", "   8:\tbl\t0 <foo>", in: Self.sbArm64)).contains("P0 at 0x8: 'bl 0 <foo>': a call"))
        #expect(refusal(replacing("   8:\tdmb\tish", "   8:\tstr\tw3, [sp, #12]", in: Self.sbArm64)).contains("P0 at 0x8: 'str w3, [sp, #12]': a stack access"))
        #expect(refusal(replacing("   c:\tldr\tw0, [x1]", "   c:\tcbnz\tw3, 40 <P0+0x40>", in: Self.sbArm64)).contains("P0 at 0xc: 'cbnz w3, 40 <P0+0x40>': a branch out of the function"))
        #expect(refusal(replacing("   6:\tlock addl $0x0,-0x4(%rsp)", "   6:\tlock cmpxchg %edx,(%rdi)", in: Self.sbX86), .x86_64)
            .contains("a LOCK'd read-modify-write"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tjne    20 <P0+0x20>", in: Self.sbX86), .x86_64)
            .contains("'jne    20 <P0+0x20>': a branch out of the function"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tjg     10 <P0+0x10>", in: Self.sbX86), .x86_64)
            .contains("'jg     10 <P0+0x10>': a conditional jump on flags other than ZF"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tjne    0 <P0>", in: Self.sbX86), .x86_64)
            .contains("'jne    0 <P0>': a backward branch (a loop: x86 loops are not lifted)"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tsete   %al", in: Self.sbX86), .x86_64)
            .contains("'sete   %al': a flag-dependent instruction other than a jump"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tlea    0x8(%rdi),%rax", in: Self.sbX86), .x86_64)
            .contains("an address computation (LEA) other than a register plus a constant, or on an argument pointer"))
        #expect(refusal(replacing("   c:\tldr\tw0, [x1]", "   c:\tldr\tw0, [x1]\n\t\t\tc: R_AARCH64_LDST32_ABS_LO12_NC\tz", in: Self.sbArm64)).contains("P0 at 0xc: relocation R_AARCH64_LDST32_ABS_LO12_NC"))
        #expect(refusal(replacing("   c:\tmov    (%rsi),%eax", "   c:\tmov    (%rax),%eax", in: Self.sbX86), .x86_64)
            .contains("P0 at 0xc: 'mov    (%rax),%eax': an access through (%rax)"))
        #expect(refusal(replacing("   6:\tlock addl $0x0,-0x4(%rsp)", "   6:\tmov    %eax,-0x4(%rsp)", in: Self.sbX86), .x86_64)
            .contains("a stack access"))
        #expect(refusal(replacing("   e:\tmov    %eax,(%rdx)", "   e:\tmov    %rdi,(%rdx)", in: Self.sbX86), .x86_64)
            .contains("an argument pointer used as a value"))
    }

    /// The stolen-time record reached at offsets through its pointer, and a
    /// sequence-counter reader's retry: examples/seqcount_normb.c (writer: the
    /// counter at 16, stolen_time as two 32-bit halves at 8 and 12; reader: no
    /// smp_rmb) in the unit `validate --c` compiles for the torn question,
    /// recorded from aarch64-linux-gnu-gcc 12.2 and gcc 12.2 (-O2).
    static let record = """
        C seqcount_normb+stolen-time+torn
        {}
        P0(long *st) { int w; }
        P1(long *st) { long r0; }
        exists (~(1:r0=0 \\/ 1:r0=4294967298 \\/ 1:r0=12884901892))
        """

    static let recordArm64 = """
        0000000000000060 <P0>:
          60:\tldr\tw1, [x0, #16]
          64:\tadd\tw2, w1, #0x1
          68:\tstr\tw2, [x0, #16]
          6c:\tdmb\tishst
          70:\tmov\tw2, #0x2                   \t// #2
          74:\tstr\tw2, [x0, #8]
          78:\tmov\tw2, #0x1                   \t// #1
          7c:\tstr\tw2, [x0, #12]
          80:\tdmb\tishst
          84:\tadd\tw1, w1, #0x2
          88:\tstr\tw1, [x0, #16]
          8c:\tldr\tw1, [x0, #16]
          90:\tadd\tw2, w1, w2
          94:\tstr\tw2, [x0, #16]
          98:\tdmb\tishst
          9c:\tmov\tw2, #0x4                   \t// #4
          a0:\tstr\tw2, [x0, #8]
          a4:\tmov\tw2, #0x3                   \t// #3
          a8:\tstr\tw2, [x0, #12]
          ac:\tdmb\tishst
          b0:\tadd\tw1, w1, #0x2
          b4:\tstr\tw1, [x0, #16]
          b8:\tret
          bc:\tnop

        00000000000000c0 <P1>:
          c0:\tldr\tw2, [x0, #16]
          c4:\ttbnz\tw2, #0, d8 <P1+0x18>
          c8:\tldr\tx4, [x0, #8]
          cc:\tldr\tw3, [x0, #16]
          d0:\tcmp\tw2, w3
          d4:\tb.eq\te0 <P1+0x20>  // b.none
          d8:\tyield
          dc:\tb\tc0 <P1>
          e0:\tstr\tx4, [x1]
          e4:\tret
        """

    static let recordX86 = """
        0000000000000050 <P0>:
          50:\tmov    0x10(%rdi),%eax
          53:\tlea    0x1(%rax),%edx
          56:\tmov    %edx,0x10(%rdi)
          59:\tmovl   $0x2,0x8(%rdi)
          60:\tmovl   $0x1,0xc(%rdi)
          67:\tadd    $0x2,%eax
          6a:\tmov    %eax,0x10(%rdi)
          6d:\tmov    0x10(%rdi),%eax
          70:\tlea    0x1(%rax),%edx
          73:\tmov    %edx,0x10(%rdi)
          76:\tmovl   $0x4,0x8(%rdi)
          7d:\tmovl   $0x3,0xc(%rdi)
          84:\tadd    $0x2,%eax
          87:\tmov    %eax,0x10(%rdi)
          8a:\tret
          8b:\tnopl   0x0(%rax,%rax,1)

        0000000000000090 <P1>:
          90:\tmov    0x10(%rdi),%eax
          93:\ttest   $0x1,%al
          95:\tjne    a2 <P1+0x12>
          97:\tmov    0x8(%rdi),%rcx
          9b:\tmov    0x10(%rdi),%edx
          9e:\tcmp    %edx,%eax
          a0:\tje     b0 <P1+0x20>
          a2:\tpause
          a4:\tjmp    90 <P1>
          a6:\tcs nopw 0x0(%rax,%rax,1)
          b0:\tmov    %rcx,(%rsi)
          b3:\tret
        """

    func liftRecord(_ objdump: String, _ arch: CompileTarget.Arch) throws -> (LiftedTest, CheckResult) {
        let test = try CLitmusParser.parse(Self.record)
        var l = try ObjdumpLifter.lift(test, source: try CompiledSource(test, arch: arch), objdump: objdump, arch: arch,
                                       name: "seqcount_normb", oneAttempt: [1])
        // The record: one 64-byte location the code reaches at offsets (as CStrategyModel declares it).
        l.text = l.text.replacingOccurrences(of: "int64_t st=0;", with: "int64_t st[8];")
        return (l, try ModelChecker.check(try LitmusParser.parse(l.text), model: arch.isArm64 ? .armv8 : .x86TSO))
    }

    @Test("a record's fields at offsets from its pointer (arm64 [x0, #16], x86 0x10(%rdi)); a reader's retry lifted as one attempt: torn allowed under ARMv8, forbidden under x86-TSO")
    func recordAtOffsetsAndRetry() throws {
        let (arm, a) = try liftRecord(Self.recordArm64, .armv8)
        #expect(arm.text.contains("LDR W2,[X0,#16]") && arm.text.contains("LDR X4,[X0,#8]") && arm.text.contains("STR W2,[X0,#12]"), "\(arm.text)")
        // The retry (b c0, backward) ends the thread marked; the condition leaves those executions out.
        #expect(arm.text.contains("B L1_retried") && arm.text.contains("L1_retried: MOV X9,#1"), "\(arm.text)")
        #expect(arm.text.contains("exists (1:X9=0 /\\ ~(P1_r0=0 \\/ P1_r0=4294967298 \\/ P1_r0=12884901892))"), "\(arm.text)")
        #expect(arm.notes.contains { $0.contains("one attempt") } && arm.oneAttempt == [1])
        #expect(a.allowed && !a.unrollingLimitReached, "a 64-bit load may take one half from each update: \(HerdReport.render(a))")

        let (x86, x) = try liftRecord(Self.recordX86, .x86_64)
        // Offsets through a register the functions never name, holding the record's address.
        #expect(x86.text.contains("0:r15=st;") && x86.text.contains("1:r15=st;"), "\(x86.text)")
        #expect(x86.text.contains("movl $2,8(%r15)") && x86.text.contains("movl 16(%r15),%eax") && x86.text.contains("movq 8(%r15),%rcx"), "\(x86.text)")
        // LEA as MOV and ADD; TEST as MOV and AND into a spare register; pause a NOP a jump lands on.
        #expect(x86.text.contains("movl %eax,%edx") && x86.text.contains("addl $1,%edx"), "\(x86.text)")
        #expect(x86.text.contains("movl %eax,%r14d") && x86.text.contains("and $1,%r14d"), "\(x86.text)")
        #expect(x86.text.contains("jne L1_a2") && x86.text.contains("L1_a2: nop") && x86.text.contains("jmp L1_retried"), "\(x86.text)")
        #expect(x86.text.contains("L1_retried: movq $1,%r13") && x86.text.contains("exists (1:r13=0 /\\ "), "\(x86.text)")
        #expect(!x.allowed && !x.unrollingLimitReached, "TSO keeps the loads in order: \(HerdReport.render(x))")
    }

    @Test("x86 rewrites keep the width and the flags: a 64-bit TEST ANDs all 64 bits, a constant reaching the high half and a LEA before a jump or into 16 bits are refused; one attempt says how to ask that it completes")
    func rewritesKeepWidthAndFlags() throws {
        // `test %rcx,%rcx` of the 64-bit value: a torn high half over a zero low half is not zero.
        let (wide, _) = try liftRecord(replacing("  93:\ttest   $0x1,%al", "  93:\ttest   %rax,%rax", in: Self.recordX86), .x86_64)
        #expect(wide.text.contains("movq %rax,%r14") && wide.text.contains("and %rax,%r14") && !wide.text.contains("movl %eax,%r14d"), "\(wide.text)")
        func refused(_ objdump: String) -> String {
            do { _ = try liftRecord(objdump, .x86_64); return "lifted" } catch { return "\(error)" }
        }
        #expect(refused(replacing("  93:\ttest   $0x1,%al", "  93:\ttest   $0x80000000,%rax", in: Self.recordX86)).contains("a 64-bit TEST with a constant that reaches the high half"))
        #expect(refused(replacing("  53:\tlea    0x1(%rax),%edx", "  53:\tlea    0x1(%rax),%dx", in: Self.recordX86)).contains("a LEA into a 16- or 8-bit register"))
        #expect(refused(replacing("  56:\tmov    %edx,0x10(%rdi)", "  56:\tjmp    59 <P0+0x9>", in: Self.recordX86)).contains("a LEA followed by a flag reader or a jump"))
        // The one-attempt question's companion: some execution completes the attempt.
        let (arm, _) = try liftRecord(Self.recordArm64, .armv8)
        #expect(arm.attemptCompletes == "exists (1:X9=0)")
        var lines = arm.text.split(separator: "\n").map(String.init)
        lines[lines.count - 1] = arm.attemptCompletes!
        #expect(try ModelChecker.check(try LitmusParser.parse(lines.joined(separator: "\n") + "\n"), model: .armv8).allowed)
    }
}
