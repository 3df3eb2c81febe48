import CPVPlatform
import Testing
@testable import PVHost
@testable import PVExperiments
import PVRecords

@Suite("Cycle clock")
struct ClockTests {
    @Test("tick conversion is exact for round frequencies and never divides")
    func conversionArithmetic() {
        let ghz = TickConversion(frequencyHz: 1e9)
        #expect(ghz.nanoseconds(1_000) == 1_000)
        #expect(ghz.nanoseconds(3_000_000_000) == 3_000_000_000)
        let cntvct = TickConversion(frequencyHz: 25e6)   // a common CNTFRQ_EL0: 40 ns per tick
        #expect(cntvct.nanoseconds(1) == 40)
        #expect(cntvct.nanoseconds(25_000_000) == 1_000_000_000)
        let tsc = TickConversion(frequencyHz: 2.1e9)
        #expect(tsc.nanoseconds(2_100_000_000) == 1_000_000_000 || tsc.nanoseconds(2_100_000_000) == 999_999_999)
        // An hour of ticks at 3 GHz does not overflow the fixed-point product.
        let hour = UInt64(3_600) * 3_000_000_000
        let ns = TickConversion(frequencyHz: 3e9).nanoseconds(hour)
        #expect(ns >= 3_599_999_999_000 && ns <= 3_600_000_000_001)
    }

    @Test("a reading pair that runs backwards gives 0, not a huge wrapped value")
    func backwardsReadings() {
        let c = TickConversion(frequencyHz: 1e9)
        #expect(c.nanoseconds(from: 500, to: 100) == 0)
        #expect(c.nanoseconds(from: 100, to: 500) == 400)
    }

    @Test("cpuinfo flags are intersected over all CPUs")
    func cpuinfoFlags() {
        let text = """
            processor\t: 0
            flags\t\t: fpu tsc constant_tsc nonstop_tsc rdtscp
            processor\t: 1
            flags\t\t: fpu tsc constant_tsc rdtscp
            """
        let flags = CPUFlags(cpuinfo: text)
        #expect(flags.cpuCount == 2)
        #expect(flags.contains("constant_tsc"))
        #expect(!flags.contains("nonstop_tsc"))   // missing on CPU 1
    }

    @Test("the TSC is trusted across cores only with constant_tsc and nonstop_tsc")
    func tscTrust() {
        let invariant = CPUFlags(cpuinfo: "flags : tsc constant_tsc nonstop_tsc\nflags : tsc constant_tsc nonstop_tsc\n")
        let yes = CounterSynchronisation.evaluate(kind: PV_COUNTER_X86_TSC, cpuFlags: invariant, currentClocksource: "tsc")
        #expect(yes.trusted)
        #expect(yes.reason.contains("kernel clocksource is tsc"))

        let variant = CPUFlags(cpuinfo: "flags : tsc constant_tsc\n")
        let no = CounterSynchronisation.evaluate(kind: PV_COUNTER_X86_TSC, cpuFlags: variant, currentClocksource: nil)
        #expect(!no.trusted)
        #expect(no.reason.contains("nonstop_tsc"))
        #expect(!no.reason.contains("constant_tsc and"))

        let unreadable = CounterSynchronisation.evaluate(kind: PV_COUNTER_X86_TSC, cpuFlags: nil, currentClocksource: nil)
        #expect(!unreadable.trusted)

        let arm = CounterSynchronisation.evaluate(kind: PV_COUNTER_ARM64_CNTVCT, cpuFlags: nil, currentClocksource: nil)
        #expect(arm.trusted)
        #expect(arm.reason.contains("CNTVCT_EL0"))
    }

    @Test("an untrusted counter puts a warning into the clock description")
    func untrustedWarning() throws {
        let untrusted = CounterSynchronisation(trusted: false, reason: "TSC lacks nonstop_tsc")
        let clock = try CycleClock.calibrate(windows: 3, windowNanoseconds: 1_000_000, synchronisation: untrusted)
        let description = clock.clockDescription
        #expect(!description.crossCoreSynchronised)
        #expect(description.warnings.contains { $0.contains("cross-core latencies unreliable") })
        #expect(description.summary.contains("NOT synchronised"))
    }

    @Test("calibration summary: median and spread of the windows")
    func calibrationArithmetic() {
        let c = ClockCalibration(source: .calibrated, frequencyHz: 2e9, samplesHz: [2.02e9, 1.98e9, 2.0e9, 2.01e9],
                                 windowNanoseconds: 10_000_000)
        #expect(c.measuredHz == 2.005e9)
        #expect(abs(c.spread - 0.04e9 / 2.005e9) < 1e-12)
    }

    @Test("the counter's step: nearly all differences within a tick of its multiples, not the smallest one seen")
    func latticeStep() {
        // This VM's TSC: 26 or 25 ticks every 10 ns; now and then a read one tick past a step.
        var amd: [UInt64] = []
        for i in 0 ..< 1_000 {
            let steps = UInt64(1 + i % 15)
            amd.append(i % 200 == 0 ? 1 : 26 * steps - (i % 7 == 0 ? steps / 13 + 1 : 0))
        }
        #expect(CycleClock.latticeStep(amd) == 26)
        // A counter that ticks every tick, read 24 ticks apart at least: differences of every size.
        #expect(CycleClock.latticeStep((0 ..< 1_000).map { UInt64(24 + ($0 * 7) % 300) }) == 1)
        // Always the same difference (reads back to back) is no lattice either: a tenth more.
        #expect(CycleClock.latticeStep((0 ..< 1_000).map { UInt64($0 % 5 == 0 ? 24 + $0 % 200 : 24) }) == 1)
        // A 25 MHz counter read faster than it ticks: its own single ticks.
        #expect(CycleClock.latticeStep([1, 1, 2, 1, 3, 1, 1]) == 1)
        #expect(CycleClock.latticeStep([]) == nil && CycleClock.latticeStep([0, 0]) == nil)
    }

    @Test("calibrating on this machine gives a plausible, self-consistent clock")
    func liveCalibration() throws {
        let clock = try CycleClock.calibrate(windows: 3, windowNanoseconds: 2_000_000)
        #expect(clock.frequencyHz > 1e6)                     // no counter runs below 1 MHz
        #expect(clock.calibration.samplesHz.count == 3)
        #expect(clock.readCostNanoseconds > 0)
        #expect(clock.observedStepNanoseconds > 0)
        #expect(abs(clock.resolutionNanoseconds - 1e9 / clock.frequencyHz) < 1e-9)
        // The converted counter agrees with CLOCK_MONOTONIC_RAW over a window
        // to within the calibration's own spread plus 1 %.
        let t0 = CycleClock.now(), n0 = ClockCalibration.monotonicRawNanoseconds()
        while ClockCalibration.monotonicRawNanoseconds() - n0 < 2_000_000 {}
        let t1 = CycleClock.now(), n1 = ClockCalibration.monotonicRawNanoseconds()
        let counted = Double(clock.conversion.nanoseconds(from: t0, to: t1))
        let actual = Double(n1 - n0)
        #expect(abs(counted - actual) / actual < 0.01 + clock.calibration.spread,
                "counter says \(counted) ns, CLOCK_MONOTONIC_RAW \(actual) ns")
        print("clock: \(clock.clockDescription.summary); spread \(clock.calibration.spread); "
            + "step \(clock.observedStepNanoseconds) ns; \(clock.synchronisation.reason)")
    }
}
