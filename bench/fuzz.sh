#!/usr/bin/env bash
# Fuzzes each of Herald's parsers with Jazzer, one fuzz test per JVM (Jazzer fuzzes only the first @FuzzTest it
# meets in a JVM), for DURATION each (default 2m).
#
#   bench/fuzz.sh                       all five targets, 2 minutes each
#   DURATION=30m bench/fuzz.sh DataReaderFuzzTest
#
# New coverage-increasing inputs go to .cifuzz-corpus/ (ignored by git); a finding stops that target, is saved as
# src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1> and the script exits non-zero. Rename a finding
# to say what it is and commit it beside the fix: from then on the normal suite replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-2m}"
ALL=(SmtpCommandFuzzTest DataReaderFuzzTest ReplyReaderFuzzTest AddressFuzzTest ConfigLoaderFuzzTest)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")

failed=()
for target in "${TARGETS[@]}"; do
  echo "== fuzzing $target for $DURATION"
  if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$DURATION" ./herald test -q -Dtest="$target" \
       -Dsurefire.failIfNoSpecifiedTests=false; then
    echo "== $target: no finding in $DURATION"
  else
    echo "== $target: FINDING (see the test output above and src/test/resources/**/${target}Inputs/)"
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "findings in: ${failed[*]}"
  exit 1
fi
echo "all targets fuzzed for $DURATION without a finding"
