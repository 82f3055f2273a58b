#!/usr/bin/env bash
# HTTP benchmark (not a test; not part of ./mvnw verify): the API's throughput and latency through the front door.
# Builds what the stack needs, starts PostgreSQL, Kafka, Keycloak and the five services as processes on free ports
# (production JIT), seeds LEADS leads into the benchmark user's agency and LEADS/10 into another one directly in
# lead-service's database, and drives nine requests with wrk (1 thread, each connection count in CONNECTIONS, for
# DURATION) with real Keycloak tokens, through the gateway and directly against the owning service; for the five list
# requests pgbench runs the exact SQL lead-service runs, at the same connection counts and duration. Prints a markdown
# table of req/s, latency, errors, the gateway/direct and service/pgbench ratios and the CPU and memory of each
# process, and writes it to bench/target/http-results.md. See bench/README.md, "HTTP benchmark".
# Usage: bench/http.sh        LEADS=50000 DURATION=5s bench/http.sh        CONNECTIONS="16 64" WARMUP=5s bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LEADS="${LEADS:-1000000}"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-16 64}"
WARMUP="${WARMUP:-5s}"
seconds() {
  case "$1" in
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
DURATION_S="$(seconds "$DURATION")"
WARMUP_S="$(seconds "$WARMUP")"
fail() { echo "$1" >&2; exit 2; }
[[ "$LEADS" =~ ^[0-9]+$ && "$LEADS" -ge 1000 ]] || fail "LEADS must be a whole number >= 1000, not '$LEADS'"
[[ "$DURATION_S" =~ ^[0-9]+$ && "$DURATION_S" -ge 1 ]] || fail "DURATION must be like 15s or 1m, not '$DURATION'"
[[ "$WARMUP_S" =~ ^[0-9]+$ ]] || fail "WARMUP must be like 5s or 0, not '$WARMUP'"
if ! command -v wrk >/dev/null; then
  echo "wrk is not installed: it is the load generator of this benchmark (Debian: apt-get install -y wrk)" >&2
  exit 1
fi
if ! command -v pgbench >/dev/null; then
  echo "pgbench is not installed: it measures the SQL ceiling (Debian: apt-get install -y postgresql-client)" >&2
  exit 1
fi
MVN="./mvnw -B -ntp -q"
$MVN -o install -DskipTests -pl test-support/stack -am 2>/dev/null || $MVN install -DskipTests -pl test-support/stack -am
KEYCLOAK_DIST="$(ls -d "$PWD"/test-support/stack/target/keycloak-*/ | head -n 1)"
# The bench builds the SQL with lead-service's own LeadQuery (what pgbench runs is what the service runs), so it needs
# lead-service's classes and the two jars LeadQuery reaches (shared, libphonenumber); the API jars only keep javac
# from warning about annotations it cannot resolve.
LIB=lead-service/target/quarkus-app/lib/main
lib() { ls "$LIB"/$1 | head -n 1; }
CP="test-support/stack/target/classes:$(cat test-support/stack/target/stack.classpath):lead-service/target/classes"
CP="$CP:$(lib 'com.leadforge.leadforge-shared-*.jar'):$(lib 'com.googlecode.libphonenumber.libphonenumber-*.jar')"
API="$(lib 'jakarta.ws.rs.jakarta.ws.rs-api-*.jar'):$(lib 'jakarta.validation.jakarta.validation-api-*.jar')"
rm -rf bench/target/http-classes && mkdir -p bench/target/http-classes
javac -d bench/target/http-classes -cp "$CP:$API" $(find bench/http/src -name '*.java')
# Every request of the bench comes from one user, far above the production limits (300/min per user by default).
export LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_USER=100000000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_DEFAULT_PER_AGENCY=100000000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_USER=100000000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_AGENCY=100000000
exec java -Xmx512m -Dleadforge.children.jvm=service -Dleadforge.keycloak.dist="$KEYCLOAK_DIST" \
  -cp "bench/target/http-classes:$CP" com.leadforge.bench.HttpBench \
  "$LEADS" "$DURATION_S" "$CONNECTIONS" "$WARMUP_S" bench/target/http-stack bench/target/http-results.md
