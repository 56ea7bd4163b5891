#!/usr/bin/env bash
# bench/jmh.sh — Herald's JMH micro-benchmarks of the hot paths (issue 7).
#
#   bench/jmh.sh                     every benchmark (about 4 minutes)
#   bench/jmh.sh DataReader          those whose name matches a regular expression
#   bench/jmh.sh SpoolCommit -t 200  any JMH option after the pattern (here: 200 threads)
#   bench/jmh.sh -l                  list them
#
# Compiles the tests (JMH's annotation processor generates the benchmark list), writes the test class path once
# per pom change, and runs org.openjdk.jmh.Main with a JDK 21 or newer: JAVA_HOME, else the newest under
# /usr/lib/jvm, as ./herald finds it. HERALD_MAVEN_OFFLINE=1 builds offline, as for ./herald.
set -euo pipefail
REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1 | cut -d. -f1
}
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ]; then
  JAVA_HOME=""
  best=0
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    version=$(java_major "$candidate/bin/java")
    if [ "${version:-0}" -ge 21 ] && [ "$version" -gt "$best" ]; then JAVA_HOME=$candidate; best=$version; fi
  done
  [ -n "$JAVA_HOME" ] || { echo "jmh.sh: no JDK 21 or newer (set JAVA_HOME)" >&2; exit 1; }
fi
export JAVA_HOME

MVNW=("$REPO/mvnw" -q -B -f "$REPO/pom.xml")
if [ -n "${HERALD_MAVEN_OFFLINE:-}" ]; then MVNW+=(-o); fi
CLASSPATH_FILE="$REPO/target/jmh.classpath"
if [ ! -s "$CLASSPATH_FILE" ] || [ "$REPO/pom.xml" -nt "$CLASSPATH_FILE" ]; then
  "${MVNW[@]}" test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >&2
else
  "${MVNW[@]}" test-compile >&2
fi

args=("$@")
# A first argument that is not an option is the benchmark pattern: ".*Name.*" as JMH expects.
if [ ${#args[@]} -gt 0 ] && [[ "${args[0]}" != -* ]]; then args[0]=".*${args[0]}.*"; fi
exec "$JAVA_HOME/bin/java" -cp "$REPO/target/test-classes:$REPO/target/classes:$(cat "$CLASSPATH_FILE")" \
  org.openjdk.jmh.Main "${args[@]}"
