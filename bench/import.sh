#!/usr/bin/env bash
# CSV import benchmark (not a test; not part of ./mvnw verify).
# Builds what the stack needs, starts PostgreSQL, Kafka, Keycloak and the five services as processes on free ports, then
# imports ROWS CSV rows (10% duplicates, 2% invalid) through the gateway into a campaign and measures the time from the
# job's start until it is completed, its leads are listed and analytics shows them; prints rows/s next to a raw
# PostgreSQL COPY of the same rows (the ceiling), and the heap in use of scraping-service and lead-service.
# Usage: bench/import.sh        ROWS=100000 bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-100000}"
MVN="./mvnw -B -ntp -q"
$MVN -o install -DskipTests -pl test-support/stack -am 2>/dev/null || $MVN install -DskipTests -pl test-support/stack -am
KEYCLOAK_DIST="$(ls -d "$PWD"/test-support/stack/target/keycloak-*/ | head -n 1)"
CP="test-support/stack/target/classes:$(cat test-support/stack/target/stack.classpath)"
rm -rf bench/target/import-classes && mkdir -p bench/target/import-classes
javac -d bench/target/import-classes -cp "$CP" $(find bench/import/src -name '*.java')
export LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_USER=1000000 LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_AGENCY=1000000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_USER=1000000 LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_AGENCY=1000000
exec java -Xmx512m -Dleadforge.children.jvm=service -Dleadforge.keycloak.dist="$KEYCLOAK_DIST" -cp "bench/target/import-classes:$CP" \
  com.leadforge.bench.ImportBench "$ROWS" bench/target/import-stack
