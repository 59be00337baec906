#!/usr/bin/env bash
# Runs `millrace bench compare` from a source checkout, first writing bench/target/kafka.classpath
# (Apache Kafka 4.3.1 from Maven Central, via the bench module's `compare` profile) when it is
# missing or older than bench/pom.xml, and the Millrace jar when it is missing.
#
#   bench/compare/compare.sh [compare options]      e.g. --rounds 3 --workloads W1,W2,W3,W4,W5
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
classpath=$root/bench/target/kafka.classpath

if [[ ! -f $root/server/target/millrace.jar ]]; then
    (cd "$root" && mvn -B -q -DskipTests package -pl server -am)
fi
if [[ ! -f $classpath || $root/bench/pom.xml -nt $classpath ]]; then
    echo "compare: resolving Apache Kafka 4.3.1 into $classpath" >&2
    (cd "$root" && mvn -B -q -Dmaven.test.skip=true package -pl bench -am -Pcompare)
fi
exec "$root/bin/millrace" bench compare "$@"
