# Sourced by scripts/bench and scripts/test: installs what pvbench needs from
# Debian, idempotently and quietly when everything is already there.
# shellcheck shell=bash

# Debian packages pvbench builds against or drives.
PVBENCH_APT_PACKAGES=(libnuma-dev numactl libck-dev pkg-config)
# Optional: plots, profiling, and the aarch64 cross compiler that checks the C
# kernels' arm64 instructions (CKernelAArch64Tests), with the arm64 C library
# headers the C strategy examples reach through <stdint.h> (installing the
# compiler without recommends leaves them out); installed when possible,
# one at a time (one that cannot be installed does not keep out the others), never required.
PVBENCH_APT_OPTIONAL=(gnuplot-nox linux-perf valgrind gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross)

pvbench_log() { printf 'pvbench-setup: %s\n' "$*" >&2; }

pvbench_missing_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    printf '%s\n' "${missing[@]}"
}

pvbench_apt_install() {
    # $1 = required|optional, rest = packages
    local kind=$1; shift
    local missing
    mapfile -t missing < <(pvbench_missing_packages "$@" | sed '/^$/d')
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        [ "$kind" = optional ] && { pvbench_log "skipping optional ${missing[*]}: no apt-get"; return 0; }
        pvbench_log "missing ${missing[*]} and this is not a Debian-like system: install them by hand"; return 1
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n)
        else
            [ "$kind" = optional ] && { pvbench_log "skipping optional ${missing[*]}: not root and no sudo"; return 0; }
            pvbench_log "need ${missing[*]} but not root and no password-less sudo: run 'sudo apt-get install ${missing[*]}' and retry"
            return 1
        fi
    fi
    pvbench_log "installing ${missing[*]}"
    if ! { "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
        || { [ -z "${PVBENCH_APT_UPDATED:-}" ] && PVBENCH_APT_UPDATED=1 && "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 \
             && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; }; then
        [ "$kind" = optional ] && { pvbench_log "could not install optional ${missing[*]}; continuing"; return 0; }
        pvbench_log "apt-get install ${missing[*]} failed"; return 1
    fi
}

pvbench_setup() {
    export DEBIAN_FRONTEND=noninteractive
    pvbench_apt_install required "${PVBENCH_APT_PACKAGES[@]}" || exit 1
    local pkg
    for pkg in "${PVBENCH_APT_OPTIONAL[@]}"; do pvbench_apt_install optional "$pkg"; done
    command -v swift >/dev/null 2>&1 || { pvbench_log "swift is not on PATH: install the Swift 6.3 toolchain"; exit 1; }
}
