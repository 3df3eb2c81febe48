# Sourced by .ci/run and the scripts/ci jobs: labelled, timed jobs whose
# failures are collected, and a check that a test run really ran tests.
# shellcheck shell=bash

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
