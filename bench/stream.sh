#!/usr/bin/env bash
# Live stream benchmark (not a test; not part of ./mvnw verify): STREAMS concurrent server-sent-event streams through
# the gateway on this machine. Builds the stack's modules through the reactor (no install: ~/.m2 stays untouched),
# starts PostgreSQL, Kafka, Keycloak and the five services as processes on free ports, opens STREAMS streams for
# Acme's admin, makes WARMUP unmeasured changes (default 120, at WARMUP_RATE=4 a second: the JVMs have just started),
# then changes a campaign's status EVENTS times (RATE a second) and measures, for every stream and event,
# event (the change's occurred_at) -> delivered (the SSE event read by the client); plus the gateway's and
# analytics-service's resident memory and heap before and after the streams opened (per stream). Prints a markdown
# table and writes it to bench/target/stream-results.md. Target: p95 < 250 ms. See bench/README.md, "Live stream".
# Run it only on an otherwise idle machine (no other test or bench JVM), or say the figures were taken under load.
# The streams are read by READER_THREADS threads (default 2) multiplexing them; READER_THREADS=0: a thread per stream.
# Usage: bench/stream.sh        STREAMS=500 EVENTS=40 RATE=4 bench/stream.sh        WARMUP=0 bench/stream.sh (cold)
set -euo pipefail
cd "$(dirname "$0")/.."
STREAMS="${STREAMS:-500}"
EVENTS="${EVENTS:-40}"
RATE="${RATE:-4}"
fail() { echo "$1" >&2; exit 2; }
[[ "$STREAMS" =~ ^[0-9]+$ && "$STREAMS" -ge 1 ]] || fail "STREAMS must be a positive whole number, not '$STREAMS'"
[[ "$EVENTS" =~ ^[0-9]+$ && "$EVENTS" -ge 2 ]] || fail "EVENTS must be a whole number >= 2, not '$EVENTS'"
[[ "$RATE" =~ ^[0-9]+$ && "$RATE" -ge 1 ]] || fail "RATE must be a positive whole number, not '$RATE'"
MVN="./mvnw -B -ntp -q"
# package (not install): the stack runs the services from <module>/target/quarkus-app of this checkout.
$MVN -o package -DskipTests -pl test-support/stack -am 2>/dev/null || $MVN package -DskipTests -pl test-support/stack -am
KEYCLOAK_DIST="$(ls -d "$PWD"/test-support/stack/target/keycloak-*/ | head -n 1)"
CP="test-support/stack/target/classes:$(cat test-support/stack/target/stack.classpath)"
rm -rf bench/target/stream-classes && mkdir -p bench/target/stream-classes
javac -d bench/target/stream-classes -cp "$CP" $(find bench/stream/src -name '*.java')
# One user holds every stream: the per-user bounds (5 through a gateway, 10 per analytics replica) and the rate of
# opening streams are lifted for the bench; the per-replica bound (2000) and the gateway's stream pool (2000) are not.
export LEADFORGE_GATEWAY_STREAM_MAX_PER_USER=100000 LEADFORGE_GATEWAY_STREAM_MAX_PER_AGENCY=100000 \
       LEADFORGE_STREAM_MAX_STREAMS_PER_USER=100000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_STREAM_PER_USER=100000 LEADFORGE_GATEWAY_RATE_LIMIT_STREAM_PER_AGENCY=100000 \
       LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_USER=100000 LEADFORGE_GATEWAY_RATE_LIMIT_MUTATIONS_PER_AGENCY=100000
exec java -Xmx1g -Dleadforge.children.jvm=service -Dleadforge.keycloak.dist="$KEYCLOAK_DIST" \
  -cp "bench/target/stream-classes:$CP" com.leadforge.bench.StreamBench \
  "$STREAMS" "$EVENTS" "$RATE" bench/target/stream-stack bench/target/stream-results.md
