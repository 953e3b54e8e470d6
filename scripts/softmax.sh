#!/usr/bin/env bash
# Prints the softmax of its arguments and the kernel used:  scripts/softmax.sh 2 1 0.5 1.5
#                                       log-softmax:       scripts/softmax.sh --log 2 1 0.5 1.5
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib/jdk.sh"
classes="$root/kernel/target/classes"
if [ ! -f "$classes/org/softmax4j/SoftmaxCli.class" ]; then
  (cd "$root" && mvn -B -q -DskipTests compile -pl kernel) >&2
fi
exec java --add-modules jdk.incubator.vector -cp "$classes" org.softmax4j.SoftmaxCli "$@"
