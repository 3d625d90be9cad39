#!/usr/bin/env bash
# A quick local try of the web app's speed (README "What was measured"): page response times,
# then how many live simulated sessions one server holds with telemetry flowing. Talks only to
# 127.0.0.1, bounded in requests and time, stops its own server. Usage: quick-measure.sh [SESSIONS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
sessions=${1:-50}
port=$((20000 + RANDOM % 10000))
dir=$(mktemp -d)
base="http://127.0.0.1:$port"
dotnet build src/OpenBfr.Web -c Release -v q -nologo >/dev/null
ASPNETCORE_URLS=$base OpenBfr__DatabasePath=$dir/openbfr.db dotnet src/OpenBfr.Web/bin/Release/net10.0/OpenBfr.Web.dll \
  --contentRoot "$PWD/src/OpenBfr.Web" --demo >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do curl -fs "$base/Account/Login" >/dev/null 2>&1 && break; sleep 0.5; done
jar=$dir/cookies
token=$(curl -s -c "$jar" -b "$jar" "$base/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "Email=clinician@demo.openbfr.org" --data-urlencode "Password=demo-password-1" \
  --data-urlencode "__RequestVerificationToken=$token" "$base/Account/Login"
athlete=$(curl -s -b "$jar" "$base/api/v1/athletes" | grep -o '"id":"[^"]*","displayName":"Maya' | cut -d'"' -f4)
rx=$(curl -s -b "$jar" "$base/api/v1/athletes/$athlete/prescriptions" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)

timing() { # path count -> "median p95 (ms)"
  for _ in $(seq 1 "$2"); do curl -s -o /dev/null -b "$jar" -w '%{time_total}\n' "$base$1"; done | sort -n |
    awk '{a[NR]=$1*1000} END {printf "%.1f %.1f", a[int(NR*0.5)+0], a[int(NR*0.95)+0]}'
}
echo "page | median ms | p95 ms (100 sequential requests, after 10 warm-up)"
for path in /Clinician "/Athletes/$athlete" /api/v1/me "/api/v1/athletes/$athlete/lop" /openapi/v1.json; do
  timing "$path" 10 >/dev/null
  echo "$path | $(timing "$path" 100 | sed 's/ / | /')" | sed "s/$athlete/{id}/"
done

ids=()
for _ in $(seq 1 "$sessions"); do
  ids+=("$(curl -s -b "$jar" -H 'Content-Type: application/json' -d "{\"prescriptionIds\":[\"$rx\"]}" "$base/api/v1/athletes/$athlete/sessions" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)")
done
sleep 20
running=0; samples=0
for id in "${ids[@]}"; do
  d=$(curl -s -b "$jar" "$base/api/v1/sessions/$id?seconds=0")
  grep -q '"state":"running"' <<<"$d" && running=$((running + 1))
  samples=$((samples + $(grep -o '"telemetryCount":[0-9]*' <<<"$d" | cut -d: -f2)))
done
echo "live sessions started: $sessions; still running after 20 s: $running; telemetry samples stored: $samples (10 per second per session while running)"
echo "/api/v1/me with $sessions sessions live | $(timing /api/v1/me 100 | sed 's/ / | /') ms (median | p95)"
echo "server CPU over its life: $(ps -o %cpu= -p $pid)% of one core; RSS $(( $(ps -o rss= -p $pid) / 1024 )) MB"
for id in "${ids[@]}"; do curl -s -o /dev/null -b "$jar" -X POST "$base/api/v1/sessions/$id/stop"; done
