#!/usr/bin/env bash
# First load of a library a function extracts from its own jar: a JVM on the compatibility matrix's aws-sdk function
# (unpacked as its task root, under the layer's default policy) initialises aws-crt's CRT class, which extracts
# libaws-crt-jni.so to /tmp, loads it and runs ldd; the time of that initialisation inside the JVM, without an agent
# and with each agent jar given, interleaved, medians.
# Usage: benchmarks/shipped-library-load.sh RUNS JAVA_HOME AGENT_JAR...
# Needs the aws-sdk function zip: mvn -B -Pcompat -pl compat/aws-sdk -am package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="$1"; java_home="$2"; shift 2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/task" "$work/classes"
(cd "$work/task" && unzip -q "$root/compat/aws-sdk/target/compat-aws-sdk.zip")
cat > "$work/LoadCrt.java" <<'JAVA'
public class LoadCrt {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Class.forName("software.amazon.awssdk.crt.CRT");
        System.out.println((System.nanoTime() - start) / 1_000_000);
    }
}
JAVA
"$java_home/bin/javac" -d "$work/classes" "$work/LoadCrt.java"
load() {
  env -i PATH=/usr/bin:/bin LAMBDA_TASK_ROOT="$work/task" WARDEN_POLICY_FILE="$root/layer/src/main/layer/warden/policy.json" \
    "$java_home/bin/java" "$@" -cp "$work/classes:$work/task:$work/task/lib/*" LoadCrt 2>/dev/null | tail -1
}
for run in $(seq "$runs"); do
  echo "none $(load -Dwarden.none=1)"
  for agent in "$@"; do echo "$agent $(load "-javaagent:$agent")"; done
done > "$work/times"
median() { grep "^$1 " "$work/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "no agent: $(median none) ms"
for agent in "$@"; do echo "$agent: $(median "$agent") ms"; done
