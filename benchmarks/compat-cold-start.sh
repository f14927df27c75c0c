#!/usr/bin/env bash
# Cold start of the compatibility matrix's functions (compat/) on the real Lambda runtime client, without and with the
# Warden layer and its default policy, alternating: launch to first response (Init Duration + Duration of the first
# invocation) and the warm invocation's Duration, medians per function and function JDK, as a Markdown table.
# Usage: benchmarks/compat-cold-start.sh [runs] [java homes of the function JVMs, comma-separated]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
default_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
homes="${2:-$default_home,/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
mvn -B -q -Pcompat,compat-benchmark -pl compat/matrix -am verify -DskipTests \
  -Dbenchmark.runs="$runs" -Dbenchmark.javaHomes="$homes"
