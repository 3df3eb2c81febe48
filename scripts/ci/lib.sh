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
#   never run (CompiledStrategy, CompiledLitmus, CKernelAArch64, CKernelModel,
#   CStrategyCompiled, ModelCompileCLI, SwiftAtomicsMapping); the verdicts `validate --c` gives
#   the shipped C examples (CStrategyModelCLI: mostly the checker's work on
#   the lifted code; the same validate --c race, crash and hang code runs
#   under ASan in CStrategyCLI and CStrategyRunCLI); statistics over arrays (Compare,
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
CI_PLAIN_TESTS=${PVBENCH_PLAIN_TESTS:-'^PVModelTests\.|\.(StrategyModel|LitmusEmission|EmitLitmusCLI|ValidateModelCLI|StrategyTableDoc|ModelSession|ModelCLI|ValidateReport)Tests/|\.(CompiledStrategy|CompiledLitmus|CKernelAArch64|CKernelModel|CStrategyCompiled|ModelCompileCLI|SwiftAtomicsMapping|CStrategyModelCLI)Tests/|\.(Compare|CompareReport|CompareCLI|RunComparison|PlacementClasses|RunMerge|RepeatedRuns|SampleStatistics)Tests/|\.DetectorTests/|\.SpecSequenceTests/(roundTrip|realisticDeltas|detectionPower|nearbyMixesAreNamed|pathologicalLag)|\.ValidateSafeTests/safeStrategy|\.Fuzz(CLIOptions|ReportJSON)Tests/'}

# How CI compiles Swift, in every build: each module whole (-wmo, still
# -Onone, with -enable-testing), its code generated on 2 threads, one object
# per file as SwiftPM links them. A fresh debug build of the package and its
# tests then costs 237 CPU-s against 269 in batch mode (measured on this
# 2-CPU VM), and CI's builds are always fresh. Not in scripts/test: whole-
# module builds are not incremental, which a developer's rebuilds need.
# (SwiftPM warns that it ignores -enable-batch-mode: expected.)
CI_COMPILE=(-Xswiftc -wmo -Xswiftc -num-threads -Xswiftc 2)

# Build flags of the sanitizer jobs, in one place: the jobs' own
# `swift build`/`swift test` and the prebuild lane (ci_prebuild_start) use
# the same ones, so a job whose build the lane has made finds it done.
CI_ASAN_BUILD=(--scratch-path .build-asan --sanitize=address "${CI_COMPILE[@]}")
CI_TSAN_BUILD=(--scratch-path .build-tsan --sanitize=thread "${CI_COMPILE[@]}")
CI_BENCHMARKS_CONFIG=${PVBENCH_BENCHMARKS_CONFIG:-debug}
CI_PREBUILD_DIR=.build-ci-prebuild

# ci_prebuild_start: in the background, one after another, the ASan and
# TSan builds (the later jobs' builds) while the first job builds and runs
# its tests. (The Benchmarks build shares .build with the first job: see
# ci_build_benchmarks.) Only builds overlap the tests: no two test runs share
# the CPUs. Each build leaves NAME.status (its exit status and seconds) and
# its output in NAME.log below $CI_PREBUILD_DIR. A failed prebuild fails no
# job by itself: the job builds again and shows the error where it belongs.
ci_prebuild_start() {
    rm -rf "$CI_PREBUILD_DIR"; mkdir -p "$CI_PREBUILD_DIR"
    (
        ci_prebuild_one asan swift build --build-tests "${CI_ASAN_BUILD[@]}"
        ci_prebuild_one tsan swift build --product pvbench "${CI_TSAN_BUILD[@]}"
    ) </dev/null >/dev/null 2>&1 &
    CI_PREBUILD_PID=$!
}

ci_prebuild_one() {
    local name=$1; shift
    local start status=0
    start=$(ci_now)
    "$@" >"$CI_PREBUILD_DIR/$name.log" 2>&1 || status=$?
    echo "$status $(( $(ci_now) - start ))" >"$CI_PREBUILD_DIR/$name.status"
}

# ci_prebuild_stop: ends the lane and the builds it started (an interrupted
# run leaves no build behind); nothing when it has finished.
ci_prebuild_stop() {
    [ -n "${CI_PREBUILD_PID:-}" ] || return 0
    ci_kill_tree "$CI_PREBUILD_PID"
}

ci_kill_tree() {
    local child
    for child in $(pgrep -P "$1" 2>/dev/null); do ci_kill_tree "$child"; done
    kill "$1" 2>/dev/null || true
}

# ci_prebuild_wait NAME: waits for the prebuild of NAME (when the lane runs)
# and says how it went; never fails.
ci_prebuild_wait() {
    local name=$1 start status seconds
    [ -n "${CI_PREBUILD_PID:-}" ] || return 0
    start=$(ci_now)
    while [ ! -f "$CI_PREBUILD_DIR/$name.status" ] && kill -0 "$CI_PREBUILD_PID" 2>/dev/null; do sleep 2; done
    if [ -f "$CI_PREBUILD_DIR/$name.status" ]; then
        read -r status seconds <"$CI_PREBUILD_DIR/$name.status"
        printf '==== prebuild %s: exit %s after %ss beside the jobs before it (waited %ss; log %s)\n' \
            "$name" "$status" "$seconds" "$(( $(ci_now) - start ))" "$CI_PREBUILD_DIR/$name.log"
    else
        printf '==== prebuild %s: did not finish (its lane ended); the job builds it\n' "$name"
    fi
}

# ci_build_benchmarks: the Benchmarks package's build (scripts/ci/benchmarks),
# in the root's own .build. The Benchmarks package depends on the root by
# path and compiles its modules with the same commands, so after the tests
# job's debug build only package-benchmark and the benchmarks compile (on a
# fresh clone: 28 s and 39 CPU-s, against 105 s and ~200 CPU-s in a scratch
# path of its own); the root's next build finds nothing to redo.
ci_build_benchmarks() {
    swift build --package-path Benchmarks -c "$CI_BENCHMARKS_CONFIG" --scratch-path "$PWD/.build" "${CI_COMPILE[@]}"
}

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
