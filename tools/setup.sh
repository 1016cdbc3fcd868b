#!/usr/bin/env bash
# Installs what is missing from Debian's packages, builds wolfSSL from Debian's
# source package with AES-NI into build/deps/wolfssl, and configures + compiles
# the requested build variants. Idempotent: a second run only rebuilds what
# changed. Called by tools/demo.sh and tools/test.sh; safe to run by hand.
#
#   tools/setup.sh [release|debug|asan|tsan|fuzz ...]   (default: release)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps_dir="$root/build/deps"
wolfssl_prefix="$deps_dir/wolfssl"
fallback_marker="$deps_dir/wolfssl-fallback"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
loud() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else loud "need root (or sudo) to run: $*"; exit 1
    fi
}

# Why each package is here is in README.md ("Dependencies").
packages=(
    build-essential pkg-config meson ninja-build git ca-certificates
    liburing-dev libmimalloc-dev
    libfmt-dev libcli11-dev libtomlplusplus-dev
    libgtest-dev libgmock-dev libbenchmark-dev libsimdjson-dev libcurl4-openssl-dev
    python3 python3-websockets
    clang libclang-rt-14-dev
    dpkg-dev autoconf automake libtool
)

install_missing_packages() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing from Debian: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# deb-src entries are derived from the machine's own Debian entries (same
# mirrors, suites and keys), so no host name is ever written here.
ensure_deb_src() {
    if apt-cache showsrc wolfssl 2>/dev/null | grep '^Package: wolfssl' >/dev/null; then return 0; fi
    local codename
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || return 1
    local tmp
    tmp=$(mktemp)
    # deb822 stanzas (Debian 12's default format).
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v cn="$codename" '
            function flush() {
                if (is_deb && has_suite && enabled) {
                    for (i = 1; i <= n; i++) print lines[i]
                    print ""
                }
                n = 0; is_deb = 0; has_suite = 0; enabled = 1
            }
            BEGIN { n = 0; enabled = 1 }
            /^[[:space:]]*$/ { flush(); next }
            /^#/ { next }
            /^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) is_deb = 1; lines[++n] = "Types: deb-src"; next }
            /^Suites:/ { if (index($0, cn) > 0) has_suite = 1 }
            /^Enabled:[[:space:]]*no/ { enabled = 0 }
            { lines[++n] = $0 }
            END { flush() }
        ' "$f" >>"$tmp"
    done
    if [ -s "$tmp" ]; then
        as_root cp "$tmp" /etc/apt/sources.list.d/edgefeed-deb-src.sources
    fi
    # One-line format (older installs).
    : >"$tmp"
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        grep -E "^deb[[:space:]].*[[:space:]]${codename}" "$f" | sed 's/^deb /deb-src /' >>"$tmp" || true
    done
    if [ -s "$tmp" ]; then
        as_root cp "$tmp" /etc/apt/sources.list.d/edgefeed-deb-src.list
    fi
    rm -f "$tmp"
    as_root apt-get update -qq || true
    apt-cache showsrc wolfssl 2>/dev/null | grep '^Package: wolfssl' >/dev/null
}

# The flags are the reason this build exists: Debian's binary package has no
# AES-NI (AES-128-GCM ~30x slower). LARGE_STATIC_BUFFERS keeps wolfSSL from
# allocating a buffer per large record; WOLFSSL_USER_IO removes its socket
# code, so only our io_uring callbacks can move bytes; WOLFSSL_ALT_NAMES lets
# edgesim put subjectAltNames (localhost, 127.0.0.1, ::1) in its test certificate.
wolfssl_configure_flags=(
    --enable-static --disable-shared --with-pic
    --enable-aesni --enable-intelasm --enable-sp --enable-sp-asm
    --enable-tls13 --enable-sni --enable-session-ticket --enable-alpn
    --enable-certgen --enable-keygen --enable-certext --enable-ip-alt-name
    --disable-examples --disable-crypttests --disable-benchmark
)
wolfssl_cppflags="-DLARGE_STATIC_BUFFERS -DWOLFSSL_USER_IO -DWOLFSSL_ALT_NAMES"

build_wolfssl() {
    local want
    want=$(printf '%s\n' "${wolfssl_configure_flags[@]}" "$wolfssl_cppflags" | sha256sum | cut -c1-16)
    if [ -f "$wolfssl_prefix/lib/libwolfssl.a" ] && [ "$(cat "$wolfssl_prefix/.stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    ensure_deb_src || return 1
    say "building wolfSSL from Debian's source package (AES-NI, TLS 1.3, SNI, tickets)"
    local src="$deps_dir/src"
    rm -rf "$src" && mkdir -p "$src"
    (cd "$src" && apt-get source -qq wolfssl >/dev/null 2>&1) || return 1
    local dir
    dir=$(find "$src" -maxdepth 1 -type d -name 'wolfssl-*' | head -n 1)
    [ -n "$dir" ] || return 1
    (
        cd "$dir"
        ./autogen.sh >/dev/null 2>&1
        ./configure --prefix="$wolfssl_prefix" "${wolfssl_configure_flags[@]}" \
            CPPFLAGS="$wolfssl_cppflags" CFLAGS="-O2 -g" >"$deps_dir/wolfssl-configure.log" 2>&1
        make -j"$(nproc)" >"$deps_dir/wolfssl-make.log" 2>&1
        make install >/dev/null 2>&1
    ) || return 1
    echo "$want" >"$wolfssl_prefix/.stamp"
    rm -f "$fallback_marker"
}

prepare_wolfssl() {
    mkdir -p "$deps_dir"
    if build_wolfssl; then return 0; fi
    loud "could not build wolfSSL from Debian's source package."
    loud "FALLING BACK to Debian's binary libwolfssl: TLS crypto is SLOW (no AES-NI, ~30x)."
    loud "edgefeed will say so at start and edgestat shows 'tls_crypto: slow, no AES-NI'."
    install_fallback_wolfssl
    touch "$fallback_marker"
}

install_fallback_wolfssl() {
    dpkg-query -W -f='${Status}' libwolfssl-dev 2>/dev/null | grep 'install ok installed' >/dev/null && return 0
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libwolfssl-dev >/dev/null
}

# Unity builds (a few sources per compiler run) halve the time a clean build
# takes on a small machine: the heavy headers (fmt, CLI11, toml++, GoogleTest)
# are parsed once per batch instead of once per file. The sanitizer builds
# use -O1 -g1: line tables are all a sanitizer report needs, and they compile
# far faster than -O2 -g.
meson_args_for() {
    local common=(-Dunity=on)
    [ -f "$fallback_marker" ] || common+=(-Dwolfssl_dir="$wolfssl_prefix")
    local checked=(-Doptimization=1 -Ddebug=false -Dc_args=-g1 -Dcpp_args=-g1 -Dsanitized=true)
    case "$1" in
    release) echo -Dbuildtype=release "${common[@]}" ;;
    debug) echo -Dbuildtype=debug "${common[@]}" ;;
    asan) echo "${checked[@]}" -Db_sanitize=address,undefined -Db_lundef=false "${common[@]}" ;;
    tsan) echo "${checked[@]}" -Db_sanitize=thread "${common[@]}" ;;
    fuzz) echo "${checked[@]}" -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true \
        "${common[@]}" ;;
    *) loud "unknown build variant: $1"; exit 2 ;;
    esac
}

configure_and_build() {
    local variant=$1 dir="$root/build/$1"
    local env_cc=()
    [ "$variant" = fuzz ] && env_cc=(CC=clang CXX=clang++)
    local args
    args=$(meson_args_for "$variant")
    if [ ! -f "$dir/build.ninja" ]; then
        say "configuring build/$variant"
        # shellcheck disable=SC2086
        env "${env_cc[@]}" meson setup "$dir" "$root" $args >/dev/null
        echo "$args" >"$dir/.edgefeed-setup-args"
    elif [ "$(cat "$dir/.edgefeed-setup-args" 2>/dev/null)" != "$args" ]; then
        # A build directory from an older setup.sh: bring its options up to date.
        say "reconfiguring build/$variant"
        # shellcheck disable=SC2086
        meson configure "$dir" $args >/dev/null
        echo "$args" >"$dir/.edgefeed-setup-args"
    fi
    say "compiling build/$variant"
    # Regenerate first if a meson.build changed: the target lists below are
    # read from meson's introspection data, which only regeneration updates.
    ninja -C "$dir" build.ninja >/dev/null
    local targets=()
    if [ "$variant" = fuzz ]; then
        # Only the fuzz targets: the rest of the tree is built and tested elsewhere.
        mapfile -t targets < <(meson introspect --targets "$dir" | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["name"].startswith("fuzz_"):
        print(t["name"])')
    elif [ "$variant" = tsan ]; then
        # Only the tests of the "tsan" suite (the shared-memory ones), as ninja outputs.
        mapfile -t targets < <(meson introspect --tests "$dir" | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if "tsan" in t["suite"] or any(s.endswith(":tsan") for s in t["suite"]):
        print(os.path.relpath(t["cmd"][0], sys.argv[1]))' "$dir")
    fi
    if [ ${#targets[@]} -gt 0 ] && [ "$variant" = tsan ]; then
        ninja -C "$dir" "${targets[@]}" >/dev/null || ninja -C "$dir" "${targets[@]}"
        return
    fi
    meson compile -C "$dir" "${targets[@]}" >/dev/null || meson compile -C "$dir" "${targets[@]}"
}

main() {
    local variants=("$@")
    [ ${#variants[@]} -eq 0 ] && variants=(release)
    install_missing_packages
    prepare_wolfssl
    for v in "${variants[@]}"; do configure_and_build "$v"; done
}

main "$@"
