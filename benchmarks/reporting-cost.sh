#!/usr/bin/env bash
# What reporting to the policy service costs a warm invocation: JMH, the agent attached, each invocation benchmark run
# without and with a policy service (warden serve on loopback, a reporter token for the function), alternating over
# rounds; medians. ReportedInvocationBenchmark has one new violation per invocation (its event waits, at most 20 ms,
# for the service at the end of the invocation); InvocationScopeBenchmark has none.
# Usage: benchmarks/reporting-cost.sh [rounds]   (after mvn -B -DskipTests package); the policy is benchmarks/reporting-policy.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
work="$(mktemp -d)"
service_pid=""
cleanup() {
  if [[ -n "$service_pid" ]]; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$root/bin/warden" serve --data-dir "$work/service" --port 0 >"$work/serve.log" 2>&1 &
service_pid=$!
url=""
for _ in $(seq 1 300); do
  url="$(sed -n 's/^warden serve: listening on //p' "$work/serve.log")"
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { echo "warden serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
token="$(curl -fsS -X POST "$url/v1/tokens" -H "Authorization: Bearer $(cat "$work/service/admin-token")" \
  -H 'Content-Type: application/json' --data '{"role":"reporter","function":"benchmark"}' \
  | sed 's/.*"token":"\([^"]*\)".*/\1/')"

score() { # benchmark handler service-url: prints the JMH score (µs/op or ns/op as the benchmark says)
  WARDEN_POLICY_FILE="$root/benchmarks/reporting-policy.json" _HANDLER="$2" AWS_LAMBDA_FUNCTION_NAME=benchmark \
    WARDEN_SERVICE_URL="$3" WARDEN_SERVICE_TOKEN="$token" \
    java -jar "$root/benchmarks/target/benchmarks.jar" "$1" -f 1 -wi 3 -i 5 -w 1s -r 1s \
      -jvmArgsAppend "-javaagent:$root/runtime-wrapper/target/warden-agent.jar" \
      -rf json -rff "$work/result.json" >/dev/null
  sed -n 's/.*"score" : \([0-9.E-]*\),.*/\1/p' "$work/result.json" | head -1
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "| invocation, agent attached, median of $rounds alternating rounds | without a service | with a service | unit |"
echo "|---|---:|---:|---|"
for benchmark in ReportedInvocationBenchmark:io.warden.benchmarks.ViolatingHandler:µs \
                 InvocationScopeBenchmark:io.warden.benchmarks.BenchmarkHandler:ns; do
  IFS=: read -r name handler unit <<<"$benchmark"
  : >"$work/without"; : >"$work/with"
  for ((i = 0; i < rounds; i++)); do
    if ((i % 2)); then
      score "$name" "$handler" "$url" >>"$work/with"; score "$name" "$handler" "" >>"$work/without"
    else
      score "$name" "$handler" "" >>"$work/without"; score "$name" "$handler" "$url" >>"$work/with"
    fi
  done
  printf '| `%s` | %.1f | %.1f | %s/op |\n' "$name" "$(median <"$work/without")" "$(median <"$work/with")" "$unit"
done
stored="$(curl -fsS "$url/v1/violations/summary?function=benchmark" -H "Authorization: Bearer $(cat "$work/service/admin-token")" || true)"
echo "service's summary for the benchmark's function: ${stored:0:300}"
