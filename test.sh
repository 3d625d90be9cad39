#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed, N skipped".
# Installs what the tests need when missing (see tests/setup.d/), starts and stops its own
# servers on 127.0.0.1. Exit status is non-zero when anything fails or does not build.
set -uo pipefail
cd "$(dirname "$0")"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out="$root/.test-output"
rm -rf "$out"; mkdir -p "$out"
export OPENBFR_TEST_OUTPUT="$out"

# Set-up steps: each script in tests/setup.d is sourced in order; a script that starts a
# server registers its stop command with on_exit.
exit_cmds=()
on_exit() { exit_cmds+=("$1"); }
run_exit_cmds() { for ((i=${#exit_cmds[@]}-1; i>=0; i--)); do eval "${exit_cmds[$i]}" || true; done; }
trap run_exit_cmds EXIT
for f in tests/setup.d/*.sh; do
  [ -e "$f" ] || continue
  # shellcheck source=/dev/null
  source "$f" || { echo "test.sh: set-up step $f failed" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
done

if ! dotnet build OpenBfr.slnx -c Debug -v q -nologo > "$out/build.log" 2>&1; then
  grep -E 'error|rror ' "$out/build.log" | sort -u | head -40
  echo "test.sh: build failed (full log: $out/build.log)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

passed=0 failed=0 skipped=0 status=0
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  log="$out/$name.log"
  dotnet test "$proj" --no-build -c Debug --logger "trx;LogFileName=$name.trx" \
      --results-directory "$out" 2>&1 | tee "$log" | grep -E '^(Passed!|Failed!|  Failed |Skipped!)|error' || true
  rc=${PIPESTATUS[0]}
  trx="$out/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
    e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters"); e=${e:-0}
    n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); n=${n:-0}
    passed=$((passed + p)); failed=$((failed + f + e)); skipped=$((skipped + n))
  else
    echo "test.sh: $name produced no results (log: $log)"; failed=$((failed + 1))
  fi
  [ "$rc" -ne 0 ] && status=1
done
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
