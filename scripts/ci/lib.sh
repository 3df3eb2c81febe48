# Sourced by .ci/run and the scripts/ci jobs: labelled, timed jobs whose
# failures are collected, a check that a test run really ran tests, and
# which tests run outside AddressSanitizer.
# shellcheck shell=bash

# CI runs every test once: those matching CI_PLAIN_TESTS in the plain debug
# build (scripts/ci/tests), every other one under AddressSanitizer
# (scripts/ci/asan; `--filter` and `--skip` of the same pattern). A test
# runs outside ASan when ASan has nothing to check in it or ASan defeats it:
# - safe Swift only, no raw pointer and no C code of ours: the checker and
#   what only feeds it (PVModelTests, StrategyModel, LitmusEmission,
#   EmitLitmusCLI, ValidateModelCLI, StrategyTableDoc, ModelSession, ModelCLI,
#   ValidateReport with made-up races); C compiled by gcc/clang and lifted,
#   never run (CompiledStrategy, CompiledLitmus, CKernelAArch64,
#   ModelCompileCLI, SwiftAtomicsMapping); statistics over arrays (Compare,
#   CompareReport, CompareCLI, RunComparison, PlacementClasses, RunMerge,
#   RepeatedRuns, SampleStatistics); the detector's decoding of values
#   (DetectorTests, SpecSequenceTests but its raced stoppedReader). The same
#   detector, reader and writer loops run under ASan in every race.
# - ValidateSafeTests/safeStrategy: 10^7 reads per safe strategy; the same
#   loops over the same raw memory run under ASan in ValidateSafeTests/
#   shortRace (every safe strategy x target x mode) and ValidateUnsafeTests.
# - FuzzCLIOptions, FuzzReportJSON: thousands of spawned processes refusing
#   bad arguments and JSON, parsing that is safe Swift; the ASan binary's real
#   work runs in the leaks job and the CLI suites kept under ASan.
CI_PLAIN_TESTS=${PVBENCH_PLAIN_TESTS:-'^PVModelTests\.|\.(StrategyModel|LitmusEmission|EmitLitmusCLI|ValidateModelCLI|StrategyTableDoc|ModelSession|ModelCLI|ValidateReport)Tests/|\.(CompiledStrategy|CompiledLitmus|CKernelAArch64|ModelCompileCLI|SwiftAtomicsMapping)Tests/|\.(Compare|CompareReport|CompareCLI|RunComparison|PlacementClasses|RunMerge|RepeatedRuns|SampleStatistics)Tests/|\.DetectorTests/|\.SpecSequenceTests/(roundTrip|realisticDeltas|detectionPower|nearbyMixesAreNamed|pathologicalLag)|\.ValidateSafeTests/safeStrategy|\.Fuzz(CLIOptions|ReportJSON)Tests/'}

CI_FAILED=()
CI_PASSED=()

ci_now() { date +%s; }

# ci_job LABEL COMMAND...: runs COMMAND with a banner, records pass/fail and
# its wall time; never stops the script, so every job reports.
ci_job() {
    local label=$1; shift
    local start status
    start=$(ci_now)
    printf '\n==== ci job: %s ====\n' "$label"
    printf '==== command: %s\n' "$*"
    "$@"
    status=$?
    local seconds=$(( $(ci_now) - start ))
    if [ "$status" -eq 0 ]; then
        CI_PASSED+=("$label (${seconds}s)")
        printf '==== ci job passed: %s (%ds) ====\n' "$label" "$seconds"
    else
        CI_FAILED+=("$label (exit $status, ${seconds}s)")
        printf '==== ci job FAILED: %s (exit %d, %ds) ====\n' "$label" "$status" "$seconds"
    fi
}

# ci_summary: prints every job's outcome; exit status 1 when any failed.
ci_summary() {
    printf '\n==== ci summary ====\n'
    local j
    for j in "${CI_PASSED[@]}"; do printf 'passed: %s\n' "$j"; done
    for j in "${CI_FAILED[@]}"; do printf 'FAILED: %s\n' "$j"; done
    printf 'ci jobs: %d passed, %d failed\n' "${#CI_PASSED[@]}" "${#CI_FAILED[@]}"
    [ ${#CI_FAILED[@]} -eq 0 ]
}

# ci_tests_run LOG: how many tests the swift test run logged in LOG ran
# (Swift Testing's closing line plus XCTest's), 0 if none.
ci_tests_run() {
    local log=$1 testing xctest
    testing=$(grep -Eo 'Test run with [0-9]+ tests?' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
    xctest=$(grep -Eo 'Executed [0-9]+ tests?' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
    echo $(( ${testing:-0} + ${xctest:-0} ))
}
