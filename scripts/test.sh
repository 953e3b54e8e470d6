#!/usr/bin/env bash
# Builds softmax4j and runs every test: the kernel's tests on each vector width this CPU has and without the
# incubator module (see kernel/pom.xml), then one short run of every benchmark (scripts/bench.sh --smoke), so a
# broken benchmark fails here too. Needs only a JDK 25 (found automatically) and Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/jdk.sh
source "$root/scripts/lib/jdk.sh"
cd "$root"
echo "== JDK: $JAVA_HOME ($(java -version 2>&1 | head -n 1))"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
mvn -B verify 2>&1 | tee "$log"
echo "== benchmark smoke run"
scripts/bench.sh --smoke --no-build
# One closing line over all surefire executions (each prints its own "Tests run:" total, as INFO, WARNING when it
# skipped some, ERROR when it failed).
awk -F'[:,]' '/^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ {
    run += $2; failed += $4 + $6; skipped += $8 }
  END { printf "softmax4j tests: %d passed, %d failed, %d skipped\n", run - failed - skipped, failed, skipped }' "$log"
