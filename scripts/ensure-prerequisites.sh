#!/usr/bin/env bash
# Installs, on a fresh machine, the external programs the tests use as oracles or real parts.
# Idempotent: anything already present is left alone.
set -euo pipefail

need_apt=()
command -v kubectl >/dev/null 2>&1 || need_apt+=(kubectl)

if ((${#need_apt[@]})); then
  echo "==> installing: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}"
fi

command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET SDK (dotnet) is required on PATH" >&2; exit 1; }
command -v kubectl >/dev/null 2>&1 || { echo "error: kubectl is required (tests use it as an oracle)" >&2; exit 1; }

shared="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared"
[ -n "${STAGESET_SHARED_DIR:-}" ] && shared="$STAGESET_SHARED_DIR"
[ -d "$shared/testdata" ] || { echo "error: shared spec/testdata not found at $shared (set STAGESET_SHARED_DIR)" >&2; exit 1; }
