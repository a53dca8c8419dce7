#!/usr/bin/env bash
# Runs a command with the project's pinned toolchain first on PATH: Node 24 (or the Node given
# with --node) and pnpm. When the machine's own Node is older than the development line, the
# pinned Node comes from the npm registry (the node-<os>-<arch> packages ship the official
# binary) into .tools/, which git ignores; nothing is installed system-wide.
#
#   bash scripts/toolchain.sh pnpm install          # Node 24 + pnpm, then the command
#   bash scripts/toolchain.sh --node 22.12.0 node -v # the supported floor, always provisioned
set -euo pipefail

NODE_VERSION=24.22.3 # development and CI runtime (DESIGN §10)
PNPM_VERSION=12.4.2  # must equal packageManager in package.json
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"

say() { printf 'toolchain: %s\n' "$*" >&2; }

# Provisions Node $1 into .tools/node-$1 and prints its bin folder.
provision_node() {
  local version=$1 os arch dir
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os=unknown ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=unknown ;; esac
  dir="$tools/node-$version"
  if [ ! -x "$dir/bin/node" ]; then
    say "provisioning Node $version (node-$os-$arch from the npm registry) into .tools/"
    local tmp
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && npm pack --silent "node-$os-$arch@$version" >/dev/null 2>&1); then
      rm -rf "$tmp"
      say "no node-$os-$arch@$version on the registry: install Node $version yourself and put it first on PATH"
      exit 1
    fi
    mkdir -p "$dir"
    tar -xzf "$tmp"/node-*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
  fi
  printf '%s\n' "$dir/bin"
}

# Provisions pnpm into .tools/pnpm-$PNPM_VERSION (with the Node already first on PATH).
provision_pnpm() {
  local dir="$tools/pnpm-$PNPM_VERSION"
  if [ ! -x "$dir/node_modules/.bin/pnpm" ]; then
    say "provisioning pnpm $PNPM_VERSION into .tools/"
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" "pnpm@$PNPM_VERSION" >/dev/null
  fi
  printf '%s\n' "$dir/node_modules/.bin"
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

wanted=""
if [ "${1:-}" = "--node" ]; then
  wanted=$2
  shift 2
fi

if [ -n "$wanted" ]; then
  PATH="$(provision_node "$wanted"):$PATH"
elif [ "$(node_major)" -lt "${NODE_VERSION%%.*}" ]; then
  PATH="$(provision_node "$NODE_VERSION"):$PATH"
fi
export PATH
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  PATH="$(provision_pnpm):$PATH"
fi
# npm's own run-script settings (prefix, user agent, ...) must not leak into pnpm's config.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_config_[A-Za-z0-9_]*\)=.*/\1/p')
export PATH
exec "$@"
