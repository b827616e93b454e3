#!/usr/bin/env bash
# Checks the install paths the README shows, as a user takes them: the .NET tool package and the
# self-contained single-file builds (linux-x64 runs here; linux-arm64, for a Raspberry Pi, is
# built and checked to be an arm64 executable) and the native (AOT) linux-x64 build. With each installed `mqttrules` it runs
# `validate` on the bundled rules and the README's replay example, pasted from the README.
# The systemd unit in samples/ is checked by systemd's own parser where systemd-analyze exists.
# Everything happens in a temporary folder; exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mqttrules-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The README's replay example: the shell block under "### Testing rules with `replay`".
awk '/^### Testing rules with `replay`/{f=1} f&&/^```sh/{c=1;next} c&&/^```/{exit} c' README.md > "$work/replay-example.sh"
grep -q 'mqttrules replay' "$work/replay-example.sh" || { echo "README replay example not found"; exit 1; }

check() { # $1: a folder whose `mqttrules` is the installed command
  local bin=$1 out
  (cd "$root" && PATH="$bin:$PATH" mqttrules validate rules/)
  out=$(cd "$work" && cp -r "$root/rules" . && PATH="$bin:$PATH" bash "$work/replay-example.sh")
  echo "$out" | grep -q '"rule"' || { echo "the README's replay example printed no action: $out"; return 1; }
  echo "$out" | head -3
}

echo "-- .NET tool: dotnet pack + dotnet tool install"
dotnet pack src/MqttRules.Cli -c Release -o "$work/nupkg" -v q -nologo >/dev/null
dotnet tool install --tool-path "$work/tool" --add-source "$work/nupkg" mqttrules >/dev/null
check "$work/tool"

echo "-- single file (JIT, no clang needed), linux-x64"
dotnet publish src/MqttRules.Cli -c Release -r linux-x64 -p:PublishAot=false -o "$work/linux-x64" -v q -nologo >/dev/null
[ "$(ls "$work/linux-x64")" = "mqttrules" ] || { echo "linux-x64 build is more than one file: $(ls "$work/linux-x64")"; exit 1; }
DOTNET_BUNDLE_EXTRACT_BASE_DIR="$work/extract" check "$work/linux-x64"

echo "-- native (AOT), linux-x64, the default for the machine's own RID: the executable and the SQLite library beside it"
if [ -n "${INSTALL_CHECK_AOT_DIR:-}" ]; then
  cp -a "$INSTALL_CHECK_AOT_DIR" "$work/aot"   # already published by the caller (.ci/run) with the same command
  check "$work/aot"
  (cd "$root" && "$work/aot/mqttrules" test rules samples | tail -1)
elif compgen -c | grep -qE '^clang(-[0-9]+)?$'; then
  dotnet publish src/MqttRules.Cli -c Release -r linux-x64 -o "$work/aot" -v q -nologo >/dev/null
  [ "$(ls "$work/aot" | tr '\n' ' ')" = "libe_sqlite3.so mqttrules " ] || { echo "AOT build holds other files: $(ls "$work/aot")"; exit 1; }
  check "$work/aot"
  (cd "$root" && "$work/aot/mqttrules" test rules samples | tail -1)
else
  echo "AOT check SKIPPED: no clang on this machine (native AOT links with it)"
fi

echo "-- single file, linux-arm64 (built, not run)"
dotnet publish src/MqttRules.Cli -c Release -r linux-arm64 -o "$work/linux-arm64" -v q -nologo >/dev/null
# ELF e_machine (offset 18, little-endian) 0xb7 = AArch64
machine=$(od -An -tx1 -j18 -N2 "$work/linux-arm64/mqttrules" | tr -d ' ')
[ "$machine" = "b700" ] || { echo "linux-arm64 build is not an AArch64 executable (e_machine $machine)"; exit 1; }
ls -l "$work/linux-x64/mqttrules" "$work/linux-arm64/mqttrules" | awk '{print $5, $9}'

echo "-- systemd unit"
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s#/usr/local/bin/mqttrules#$work/linux-x64/mqttrules#" samples/systemd/mqttrules.service > "$work/mqttrules.service"
  problems=$(systemd-analyze verify "$work/mqttrules.service" 2>&1 || true)
  [ -z "$problems" ] || { echo "systemd-analyze verify: $problems"; exit 1; }
  echo "systemd-analyze verify: no problems"
else
  echo "systemd unit check SKIPPED: systemd-analyze is not installed"
fi
echo "install paths OK"
