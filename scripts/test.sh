#!/usr/bin/env bash
# The project's one test command (README, .ci/run): installs what the tests need, restores, builds with
# warnings as errors, checks formatting, and runs every test project.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-prerequisites.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "==> restore"
dotnet restore StageSet.slnx -v q
echo "==> build (warnings are errors)"
dotnet build StageSet.slnx --no-restore -v q -nologo
echo "==> format check"
dotnet format StageSet.slnx --verify-no-changes --no-restore -v q
echo "==> test"
# A hung test aborts its assembly after 5 minutes instead of eating the CI budget.
dotnet test StageSet.slnx --no-build -v q -nologo --blame-hang-timeout 5m \
  --logger "console;verbosity=minimal" "$@"
