import CPVPlatform
import PVABI
import PVHost
import PVModel
import PVRuntime

/// CVE-2019-3016's shape: a flag byte both sides write. The host sets
/// `preempted` = KVM_VCPU_PREEMPTED (bit 0) when it schedules a vCPU out;
/// another vCPU of the guest, seeing it preempted, asks for a TLB flush by
/// setting KVM_VCPU_FLUSH_TLB (bit 1) with `cmpxchg(preempted, PREEMPTED,
/// PREEMPTED|FLUSH_TLB)` (arch/x86/kernel/kvm.c); when the vCPU runs again
/// the host reads the flag, flushes if bit 1 is set, and clears it.
///
/// Clearing with a load and a plain store (`preempt-clear-plain`, the code
/// before the fix) loses a request the guest makes between the two: the
/// host saw no bit 1 and its store erases it, so the vCPU runs on with a
/// stale TLB. Clearing with one atomic exchange (`preempt-clear-xchg`,
/// `xchg(&st->preempted, 0)` in the fix; on arm64 LDXR/STLXR or SWPAL)
/// returns every request it erases.
public enum PreemptClear: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case plain = "preempt-clear-plain"
    case exchange = "preempt-clear-xchg"

    public var description: String { rawValue }

    /// KVM_VCPU_PREEMPTED and KVM_VCPU_FLUSH_TLB (include/uapi/asm/kvm_para.h, x86).
    public static let preempted: UInt32 = 1 << 0
    public static let flushTLB: UInt32 = 1 << 1

    /// Whether the variant claims no request can be lost.
    public var claimsSafety: Bool { self == .exchange }

    public var summary: String {
        switch self {
        case .plain: "UNSAFE: host reads preempted, then clears it with a plain store (READ_ONCE; WRITE_ONCE(0))"
        case .exchange: "host clears preempted with one atomic exchange (xchg(&preempted, 0))"
        }
    }

    /// Spin-wait hints between the plain clear's load and store.
    static let hostWorkSpins = 8

    /// The host's clear: the flag's old value, and 0 stored.
    @inline(__always)
    func clear(_ flag: SharedU32) -> UInt32 {
        switch self {
        case .plain:
            let old = flag.loadRelaxed()
            // The pre-fix host read the guest's record into a copy, decided on
            // the flush, and wrote the copy back: a few spins stand for that work.
            for _ in 0 ..< Self.hostWorkSpins { pv_cpu_relax() }
            flag.storeRelaxed(0)
            return old
        case .exchange:
            return flag.exchangeSeqCst(0)
        }
    }
}

/// The lost update as a program, per architecture, and the checker's verdict per model.
///
/// P0 is the host's clear, P1 the guest's request; `preempted` starts at
/// PREEMPTED (1). The guest's cmpxchg(1 → 3) is modelled as an exchange of
/// 3 (AArch64: LDXR/STLXR/DMB ISH, the kernel's LL/SC; x86: XCHG) whose old
/// value the condition requires to be 1 — exactly the executions where the
/// cmpxchg succeeds. Lost: the host read 1 (no request), the guest's
/// request went in, and the final flag is 0.
public enum LostUpdateModel {
    /// The AArch64 program (for ARMv8 and SC); exclusives must succeed in the condition.
    public static func aarch64(_ clear: PreemptClear) -> Program {
        let base = 10
        let at = Address(base: .register(base))
        let host: [Instruction]
        switch clear {
        case .plain:
            host = plainClear(at)
        case .exchange:
            host = rmw(at, storing: 0)
        }
        let guest = rmw(at, storing: UInt64(PreemptClear.preempted | PreemptClear.flushTLB))
        func reg(_ t: Int, _ r: Int, _ v: UInt64) -> Proposition { .equals(.register(thread: t, register: r), Value(bits: v)) }
        var lost = [reg(0, 0, 1), reg(1, 0, 1), reg(1, 1, 0)]
        if clear == .exchange { lost.append(reg(0, 1, 0)) }
        lost.append(.equals(.memory(location: "preempted", element: nil), Value(bits: 0)))
        let types: [Int: ValueType] = [0: ValueType(bytes: 4, signed: false)]
        return Program(
            name: "\(clear)+lost-update", architecture: .aarch64,
            locations: [Location(name: "preempted", type: ValueType(bytes: 4, signed: false))],
            threads: [ProgramThread(instructions: host, initialRegisters: [base: Value(location: 0)], registerTypes: types),
                      ProgramThread(instructions: guest, initialRegisters: [base: Value(location: 0)], registerTypes: types)],
            initialMemory: ["preempted": [UInt64(PreemptClear.preempted)]],
            condition: Condition(.exists, .and(lost)))
    }

    /// The pre-fix host: a plain load, then a plain store of 0 (LDR/STR, MOV/MOV).
    static func plainClear(_ at: Address) -> [Instruction] {
        [.load(destination: 0, address: at, bytes: 4, ordering: .plain, exclusive: false),
         .store(source: .immediate(0), address: at, bytes: 4, ordering: .plain, status: nil)]
    }

    /// A fully ordered exchange as arm64 Linux writes it with LL/SC: LDXR, STLXR (status in X1), DMB ISH.
    static func rmw(_ at: Address, storing v: UInt64) -> [Instruction] {
        [.load(destination: 0, address: at, bytes: 4, ordering: .plain, exclusive: true),
         .store(source: .immediate(v), address: at, bytes: 4, ordering: .release, status: 1),
         .fence(.dmbFull)]
    }

    /// The x86-64 program (for x86-TSO and SC): plain MOVs or XCHG.
    public static func x86(_ clear: PreemptClear) -> Program {
        let at = Address(base: .location(0))
        let host: [Instruction]
        switch clear {
        case .plain:
            host = plainClear(at)
        case .exchange:
            host = [.move(destination: 0, source: .immediate(0), bytes: 4), .exchange(register: 0, address: at, bytes: 4)]
        }
        let guest: [Instruction] = [.move(destination: 0, source: .immediate(UInt64(PreemptClear.preempted | PreemptClear.flushTLB)), bytes: 4),
                                    .exchange(register: 0, address: at, bytes: 4)]
        func reg(_ t: Int, _ v: UInt64) -> Proposition { .equals(.register(thread: t, register: 0), Value(bits: v)) }
        let types: [Int: ValueType] = [0: ValueType(bytes: 4, signed: false)]
        return Program(
            name: "\(clear)+lost-update", architecture: .x86_64,
            locations: [Location(name: "preempted", type: ValueType(bytes: 4, signed: false))],
            threads: [ProgramThread(instructions: host, registerTypes: types), ProgramThread(instructions: guest, registerTypes: types)],
            initialMemory: ["preempted": [UInt64(PreemptClear.preempted)]],
            condition: Condition(.exists, .and([reg(0, 1), reg(1, 1), .equals(.memory(location: "preempted", element: nil), Value(bits: 0))])))
    }

    /// The program a model is decided on: x86-TSO on the x86 program (LKMM on
    /// it written as C: XCHG is `xchg()`), ARMv8 and SC on the AArch64 one.
    public static func program(_ clear: PreemptClear, for model: ModelKind) -> Program {
        model == .x86TSO || model == .lkmm ? x86(clear) : aarch64(clear)
    }

    /// Can the request be lost, per model.
    public static func check(_ clear: PreemptClear, models: [ModelKind] = StrategyModel.models) -> [LostUpdateVerdict] {
        models.map { m in
            var v = LostUpdateVerdict(variant: clear, model: m, verdict: .notModelled)
            let p = program(clear, for: m)
            do {
                let c = m == .lkmm ? try StrategyModel.lkmm(p) : nil
                let r = try ModelChecker.check(c?.program ?? p, model: m)
                v.verdict = ModelAnswer(allowed: r.allowed)
                let notes = ["\(clear): can the host's clear lose the guest's flush request? Allowed under \(m.rawValue)."]
                if r.allowed {
                    v.witness = c?.text ?? (try? (p.architecture == .aarch64 ? AArch64Litmus.write(p, notes: notes) : X86Litmus.write(p, notes: notes)))
                }
            } catch {
                v.reason = "\(error)"
            }
            return v
        }
    }
}

/// The checker's answer for one variant under one model.
public struct LostUpdateVerdict: Sendable, Codable, Equatable {
    public var variant: PreemptClear
    public var model: ModelKind
    /// Not modelled: then `reason` says why.
    public var verdict: ModelAnswer
    public var reason: String?
    /// For an allowed verdict: the litmus test whose `exists` the model allows.
    public var witness: String?

    /// The exchange variant claims no request is lost; a model allowing it fails validate.
    public var violatesClaim: Bool { variant.claimsSafety && verdict == .allowed }
}

/// What one hardware race of a variant counted.
public struct LostUpdateRaceResult: Sendable, Codable, Equatable {
    public var variant: PreemptClear
    public var hostCPU: Int
    public var guestCPU: Int
    /// Preempt/clear rounds the host made.
    public var rounds: UInt64
    /// Flush requests the guest's cmpxchg put in.
    public var requests: UInt64
    /// Requests the host's clear saw (old value had FLUSH_TLB).
    public var seen: UInt64
    /// A request still in the flag at the end (0 or 1).
    public var remaining: UInt64
    /// Requests neither seen nor remaining: erased by the host's clear.
    public var lost: UInt64

    public init(variant: PreemptClear, hostCPU: Int, guestCPU: Int, rounds: UInt64, requests: UInt64, seen: UInt64, remaining: UInt64) {
        self.variant = variant
        self.hostCPU = hostCPU
        self.guestCPU = guestCPU
        self.rounds = rounds
        self.requests = requests
        self.seen = seen
        self.remaining = remaining
        lost = requests - min(requests, seen + remaining)
    }

    public var verdict: String {
        if requests == 0 { return "inconclusive: the guest never made a request (its thread did not run beside the host's)" }
        if lost > 0 { return variant.claimsSafety ? "FAIL: \(lost) lost" : "lost as expected" }
        return variant.claimsSafety ? "pass" : "none lost here"
    }
}

/// Races the host's clear against the guest's request on two CPUs.
///
/// The host, `rounds` times: store PREEMPTED (the vCPU is scheduled out,
/// as `kvm_steal_time_set_preempted` writes it), wait a few spins that vary
/// per round (so the guest's cmpxchg lands at every point of the clear),
/// clear (plain or exchange) and count a request seen. The guest, until the
/// host is done: when it reads PREEMPTED, cmpxchg(PREEMPTED →
/// PREEMPTED|FLUSH_TLB) and count a request made. Every access is through
/// `SharedU32`'s named accessors. Each request moves bit 1 from 0 to 1 and
/// each clear moves it to 0, so requests = seen + remaining + lost exactly.
public enum LostUpdateRace {
    public static func run(_ clear: PreemptClear, hostCPU: Int, guestCPU: Int, rounds: UInt64,
                           seconds: Double) throws -> LostUpdateRaceResult {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
        let flag = SharedU32(memory)
        let counts = RaceCounts()
        let stop = StopFlag()
        let deadline = ContinuousClock.now + .nanoseconds(Int64(seconds * 1e9))
        _ = try PinnedThreads.run(
            [PinnedThreadSpec(role: ThreadRole(.hypervisorWriter, 0), cpu: hostCPU),
             PinnedThreadSpec(role: ThreadRole(.guestReader, 0), cpu: guestCPU)],
            stop: stop, oversubscribe: hostCPU == guestCPU
        ) { context in
            if context.index == 0 {
                var done: UInt64 = 0, seen: UInt64 = 0
                while done < rounds {
                    flag.storeRelaxed(PreemptClear.preempted)
                    for _ in 0 ..< (done & 31) { pv_cpu_relax() }
                    if clear.clear(flag) & PreemptClear.flushTLB != 0 { seen += 1 }
                    done += 1
                    if done & 0xFFF == 0, ContinuousClock.now >= deadline { break }
                }
                counts.host = (done, seen)
                stop.stop()
            } else {
                var requests: UInt64 = 0
                while !stop.isStopped {
                    if flag.loadRelaxed() == PreemptClear.preempted,
                       flag.compareExchangeSeqCst(expected: PreemptClear.preempted,
                                                  desired: PreemptClear.preempted | PreemptClear.flushTLB).exchanged {
                        requests += 1
                    }
                }
                counts.requests = requests
            }
        }
        let remaining: UInt64 = flag.loadSeqCst() & PreemptClear.flushTLB != 0 ? 1 : 0
        return LostUpdateRaceResult(variant: clear, hostCPU: hostCPU, guestCPU: guestCPU, rounds: counts.host.rounds,
                                    requests: counts.requests, seen: counts.host.seen, remaining: remaining)
    }
}

/// Each thread writes its own slot once, after its loop; read after the join.
private final class RaceCounts: @unchecked Sendable {
    var host: (rounds: UInt64, seen: UInt64) = (0, 0)
    var requests: UInt64 = 0
}

/// One variant's model verdicts and, unless only the models were asked for, its race here.
public struct LostUpdateCaseResult: Sendable, Codable, Equatable {
    public var variant: PreemptClear
    public var models: [LostUpdateVerdict]
    public var hardware: LostUpdateRaceResult?

    public init(variant: PreemptClear, models: [LostUpdateVerdict], hardware: LostUpdateRaceResult?) {
        self.variant = variant
        self.models = models
        self.hardware = hardware
    }

    /// What fails `pvbench validate`: the exchange variant lost a request on
    /// this machine, or a model allows it to.
    public var failures: [String] {
        var out = models.filter(\.violatesClaim).map { "\(variant): lost update allowed under \($0.model)" }
        if let h = hardware, variant.claimsSafety, h.lost > 0 { out.append("\(variant): \(h.lost) requests lost on this machine") }
        return out
    }
}
