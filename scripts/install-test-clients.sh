#!/usr/bin/env bash
# Installs the external Kafka clients that the end-to-end tests in it/ drive:
#   - Debian packages kcat, python3-kafka (kafka-python) and python3-confluent-kafka
#     (librdkafka); the Python modules install for /usr/bin/python3, so tests use that
#     interpreter, never whichever python3 comes first on PATH;
#   - kafkajs from npm, at the version pinned by it/src/test/js/package-lock.json, installed with
#     `npm ci` into it/target/js (never globally).
#
# Idempotent: it checks what is already there first, runs `apt-get update` only when a Debian
# package is missing, and reinstalls kafkajs only when the lock file changed.
#
# Exit status: 0 when every client is usable afterwards, 1 otherwise (the reason is printed).
# `mvn verify` runs this script before the integration tests and ignores its exit status: the
# tests then say SKIPPED loudly for a missing client, or fail when CI=true.
#
# Usage: scripts/install-test-clients.sh [--js-dir DIR] [--log FILE]
set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
js_src="$repo_root/it/src/test/js"
js_dir="$repo_root/it/target/js"
log_file=""

while [ $# -gt 0 ]; do
  case "$1" in
    --js-dir) js_dir="$2"; shift 2 ;;
    --log) log_file="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ -n "$log_file" ]; then
  mkdir -p "$(dirname "$log_file")"
  exec > >(tee "$log_file") 2>&1
fi

say() { printf '[install-test-clients] %s\n' "$*"; }

debian_packages=(kcat python3-kafka python3-confluent-kafka)
failures=()

is_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# Runs a command as root: directly when we are root, through password-less sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 126
  fi
}

can_be_root() {
  [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

install_debian_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    failures+=("Debian packages ${debian_packages[*]}: this is not a Debian system (no dpkg/apt-get)")
    return
  fi
  local missing=()
  local pkg
  for pkg in "${debian_packages[@]}"; do
    if is_installed "$pkg"; then
      say "$pkg: already installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
    else
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return
  if ! can_be_root; then
    failures+=("${missing[*]}: not installed, and installing needs root (or password-less sudo)")
    return
  fi
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get -o DPkg::Lock::Timeout=300 update -q; then
    failures+=("${missing[*]}: 'apt-get update' failed (no network access to Debian's mirrors?)")
    return
  fi
  if ! as_root apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"; then
    failures+=("${missing[*]}: 'apt-get install' failed")
    return
  fi
  for pkg in "${missing[@]}"; do
    say "$pkg: installed ($(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null))"
  done
}

check_debian_clients() {
  if command -v kcat >/dev/null 2>&1; then
    say "kcat: usable at $(command -v kcat)"
  else
    failures+=("kcat: not found on PATH")
  fi
  local module
  for module in kafka confluent_kafka; do
    if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import $module" 2>/dev/null; then
      say "/usr/bin/python3: module $module importable"
    else
      failures+=("/usr/bin/python3: cannot import $module")
    fi
  done
}

install_kafkajs() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    failures+=("kafkajs: node and npm are needed (not found on PATH)")
    return
  fi
  local pinned
  pinned=$(node -p "require('$js_src/package-lock.json').packages['node_modules/kafkajs'].version" 2>/dev/null)
  if [ -z "$pinned" ]; then
    failures+=("kafkajs: cannot read the pinned version from $js_src/package-lock.json")
    return
  fi
  local installed=""
  if [ -f "$js_dir/node_modules/kafkajs/package.json" ]; then
    installed=$(node -p "require('$js_dir/node_modules/kafkajs/package.json').version" 2>/dev/null)
  fi
  if [ "$installed" = "$pinned" ] && cmp -s "$js_src/package-lock.json" "$js_dir/package-lock.json"; then
    say "kafkajs $pinned: already installed in $js_dir"
  else
    say "kafkajs $pinned: installing with 'npm ci' into $js_dir"
    mkdir -p "$js_dir" || { failures+=("kafkajs: cannot create $js_dir"); return; }
    cp "$js_src/package.json" "$js_src/package-lock.json" "$js_dir/"
    if ! (cd "$js_dir" && npm ci --no-audit --no-fund --update-notifier=false --prefer-offline --loglevel=error); then
      failures+=("kafkajs: 'npm ci' failed in $js_dir (no network access to the npm registry?)")
      return
    fi
  fi
  if (cd "$js_dir" && node -e "require('kafkajs')") 2>/dev/null; then
    say "kafkajs: loadable from $js_dir/node_modules"
  else
    failures+=("kafkajs: installed but 'require(\"kafkajs\")' fails in $js_dir")
  fi
}

install_debian_packages
check_debian_clients
install_kafkajs

if [ ${#failures[@]} -eq 0 ]; then
  say "all test clients are installed"
  exit 0
fi
say "NOT INSTALLED -- the tests that need these clients will be SKIPPED (or FAIL when CI=true):"
for f in "${failures[@]}"; do
  say "  - $f"
done
exit 1
