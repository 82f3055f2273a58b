#!/usr/bin/env bash
# Event freshness benchmark (not a test; not part of ./mvnw verify).
# Builds what the stack needs (from a fresh clone with an empty ~/.m2 too), starts PostgreSQL, Kafka, Keycloak and the
# five services as processes on free ports, then measures how long a lead write takes to show in analytics' overview
# and in its campaign's counters (RATE writes/s for DURATION s), and how long a new campaign takes until lead-service
# accepts a lead into it (CAMPAIGNS samples). Prints p50/p95/p99/max against the target p95 < 150 ms.
# Usage: bench/freshness.sh        RATE=20 DURATION=60 CAMPAIGNS=30 bench/freshness.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATE="${RATE:-20}"
DURATION="${DURATION:-60}"
CAMPAIGNS="${CAMPAIGNS:-30}"
MVN="./mvnw -B -ntp -q"
# -am builds and installs the parent POM, shared, the test infrastructure and the five services with the stack
# module (which also unpacks Keycloak and records its classpath): nothing has to be in ~/.m2 beforehand.
$MVN -o install -DskipTests -pl test-support/stack -am 2>/dev/null || $MVN install -DskipTests -pl test-support/stack -am
KEYCLOAK_DIST="$(ls -d "$PWD"/test-support/stack/target/keycloak-*/ | head -n 1)"
CP="test-support/stack/target/classes:$(cat test-support/stack/target/stack.classpath)"
rm -rf bench/target/freshness-classes && mkdir -p bench/target/freshness-classes
javac -d bench/target/freshness-classes -cp "$CP" $(find bench/freshness/src -name '*.java')
# The stack's processes inherit these: one user writes RATE leads a second, far above the production per-user limit.
export LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_USER=1000000 LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_AGENCY=1000000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_USER=1000000 LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_AGENCY=1000000
exec java -Xmx256m -Dleadforge.children.jvm=service -Dleadforge.keycloak.dist="$KEYCLOAK_DIST" -cp "bench/target/freshness-classes:$CP" \
  com.leadforge.bench.FreshnessBench "$RATE" "$DURATION" "$CAMPAIGNS" bench/target/freshness-stack
