#!/usr/bin/env bash
# Import benchmark (not a test; not part of ./mvnw verify).
# Builds what the stack needs, starts PostgreSQL, Kafka, Keycloak and the five services as processes on free ports,
# runs a 1,000-row CSV import to warm the services up, then the scenarios SCENARIO selects:
#   csv     imports ROWS CSV rows (10% duplicates, 2% invalid) through the gateway into a campaign; prints rows/s next
#           to a raw PostgreSQL COPY of the same rows (the ceiling);
#   apollo  imports an Apollo people search of 10,000 people (100 pages of 100; 5% duplicates, 1% invalid e-mails)
#           from a stub Apollo inside the bench JVM through scraping-service's Apollo connector, page 37 rate-limited
#           once; prints records/s and what the stub served;
#   all     (default) csv, then apollo.
# Each measures the time from the job's start until it is completed, its leads are listed and analytics shows them,
# checks the counts exactly, and prints the heap in use of scraping-service and lead-service.
# Usage: bench/import.sh        ROWS=100000 bench/import.sh        SCENARIO=apollo bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-100000}"
SCENARIO="${SCENARIO:-all}"
case "$SCENARIO" in
  csv|apollo|all) ;;
  *) echo "SCENARIO must be csv, apollo or all, not '$SCENARIO'" >&2; exit 2 ;;
esac
MVN="./mvnw -B -ntp -q"
$MVN -o install -DskipTests -pl test-support/stack -am 2>/dev/null || $MVN install -DskipTests -pl test-support/stack -am
KEYCLOAK_DIST="$(ls -d "$PWD"/test-support/stack/target/keycloak-*/ | head -n 1)"
CP="test-support/stack/target/classes:$(cat test-support/stack/target/stack.classpath)"
rm -rf bench/target/import-classes && mkdir -p bench/target/import-classes
javac -d bench/target/import-classes -cp "$CP" $(find bench/import/src -name '*.java')
export LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_USER=1000000 LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_AGENCY=1000000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_USER=1000000 LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_AGENCY=1000000
# The services run in the prod profile, where HTTP connectors refuse sources on loopback or private addresses. The
# apollo scenario's stub Apollo listens on 127.0.0.1 inside the bench JVM, so scraping-service must be let reach it.
# The services inherit this: Stack starts each one with a ProcessBuilder, whose environment is a copy of the bench
# JVM's (this shell's exports) to which Stack.startService only adds its own keys. Only the bench's stub lives on
# loopback; nothing else the stack talks to through a connector does.
export LEADFORGE_CONNECTORS_HTTP_ALLOW_PRIVATE_NETWORKS=true
exec java -Xmx512m -Dleadforge.children.jvm=service -Dleadforge.keycloak.dist="$KEYCLOAK_DIST" -cp "bench/target/import-classes:$CP" \
  com.leadforge.bench.ImportBench "$ROWS" bench/target/import-stack "$SCENARIO"
