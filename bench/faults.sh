#!/usr/bin/env bash
# Herald's fault script: SIGKILL under load many times, then a full disk, each ending with the count of messages
# sent, acknowledged (250) and delivered to a real smtp-sink, and zero lost. Bounded: a few minutes in all.
#
#   sudo bench/faults.sh                   10 kills with 8 clients, then the disk-full case on a 24 MB tmpfs
#   sudo LOOPS=20 CLIENTS=16 bench/faults.sh
#   bench/faults.sh                        without root: the kill loop only (the disk-full case is skipped)
#
# Needs smtp-sink (postfix) and dnsmasq. The small file system is a tmpfs mounted in a private mount namespace
# (unshare -m): nobody else sees it, and it disappears with the script. The scenarios are the JUnit tests in
# src/test/java/org/heraldmta/app/FaultScriptTest.java (tagged "faults", so the normal suite leaves them out).
set -euo pipefail
cd "$(dirname "$0")/.."
LOOPS="${LOOPS:-10}"
CLIENTS="${CLIENTS:-8}"
SMALL_FS_SIZE="${SMALL_FS_SIZE:-24m}"
SEED="${SEED:-$RANDOM}"

if [ "$(id -u)" = 0 ] && [ -z "${HERALD_FAULTS_NAMESPACE:-}" ] && command -v unshare >/dev/null; then
  exec env HERALD_FAULTS_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi

small_fs=""
if [ -n "${HERALD_FAULTS_NAMESPACE:-}" ]; then
  small_fs=$(mktemp -d /tmp/herald-faults-fs.XXXXXX)
  mount -t tmpfs -o "size=$SMALL_FS_SIZE,mode=0755" herald-faults "$small_fs"
  trap 'umount "$small_fs" 2>/dev/null; rmdir "$small_fs" 2>/dev/null' EXIT
  echo "disk-full case on a $SMALL_FS_SIZE tmpfs at $small_fs (private mount namespace)"
else
  echo "not root: the disk-full case is skipped"
fi

rm -rf target/faults
start=$(date +%s)
status=0
./herald test -q -Dtest=FaultScriptTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dherald.test.excludedGroups=benchmark \
  -Dherald.faults.loops="$LOOPS" -Dherald.faults.clients="$CLIENTS" -Dherald.faults.seed="$SEED" \
  ${small_fs:+-Dherald.faults.smallfs="$small_fs"} || status=$?

echo
echo "== Herald fault script, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, seed $SEED, $(( $(date +%s) - start )) s"
cat target/faults/*.txt 2>/dev/null || echo "(no figures: see target/surefire-reports/org.heraldmta.app.FaultScriptTest*.txt)"
if [ "$status" -ne 0 ]; then
  echo "FAILED (see target/surefire-reports/org.heraldmta.app.FaultScriptTest*)"
fi
exit "$status"
