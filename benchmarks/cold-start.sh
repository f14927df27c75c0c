#!/usr/bin/env bash
# Cold start of a hello-world function on the real Lambda Java runtime client, with and without the Warden layer:
# launch to first response (Init Duration + Duration of the first invocation, from the REPORT line), alternating runs,
# medians and their ratio. Usage: benchmarks/cold-start.sh [runs] [java home of the function's JVM]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
java_home="${2:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/fn/io/warden/benchmarks"
cp "$root/benchmarks/target/classes/io/warden/benchmarks/HelloFunction.class" "$work/fn/io/warden/benchmarks/"
(cd "$work/fn" && jar cf "$work/hello.zip" io)
echo '{"name":"warden"}' > "$work/event.json"

first_response_ms() { # prints Init Duration + Duration of the first REPORT line
  "$root/bin/warden" invoke --zip "$work/hello.zip" --handler io.warden.benchmarks.HelloFunction \
    --event "$work/event.json" --java-home "$java_home" "$@" 2>&1 >/dev/null \
    | grep -m1 '^REPORT' | sed -E 's/.*\tDuration: ([0-9.]+) ms.*Init Duration: ([0-9.]+) ms.*/\1 \2/' \
    | awk '{printf "%.2f\n", $1 + $2}'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: > "$work/without"; : > "$work/with"
first_response_ms --no-layer >/dev/null # warm the file system cache
for ((i = 0; i < runs; i++)); do
  if ((i % 2)); then
    first_response_ms >> "$work/with"; first_response_ms --no-layer >> "$work/without"
  else
    first_response_ms --no-layer >> "$work/without"; first_response_ms >> "$work/with"
  fi
done
without=$(median < "$work/without"); with=$(median < "$work/with")
echo "function JVM: $("$java_home/bin/java" -version 2>&1 | head -1)"
echo "| launch to first response, median of $runs alternating runs | without layer | with Warden layer | ratio |"
echo "|---|---:|---:|---:|"
awk -v a="$without" -v b="$with" 'BEGIN {printf "| milliseconds | %.1f | %.1f | %.2f |\n", a, b, b / a}'
