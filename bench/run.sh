#!/usr/bin/env bash
# Lead-service benchmark (not a test; not part of ./mvnw verify).
# Starts a real PostgreSQL (the same embedded server the tests use), applies lead-service's Flyway migrations, seeds
# ROWS leads (default 1,000,000) into one agency (+10% into a second one), and measures the exact SQL the API runs for
# list, search, keyset (cursor) paging and export: through JDBC from the JVM, and through pgbench with the same SQL.
# Usage: bench/run.sh            ROWS=200000 bench/run.sh            ITERATIONS=500 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
ITERATIONS="${ITERATIONS:-300}"
if ! command -v pgbench >/dev/null; then
  echo "pgbench is not installed (Debian: apt-get install postgresql-client)" >&2
  exit 1
fi
mkdir -p bench/target
MVN="./mvnw -B -ntp -q"
# -am: the parent POM and test-support/kafka-broker too. lead-service's build needs the parent POM in ~/.m2, and its
# test classpath (below) needs test-support/infra; installing `shared` alone fails on a fresh clone with an empty ~/.m2.
$MVN -o -pl shared,test-support/infra -am install -DskipTests 2>/dev/null \
  || $MVN -pl shared,test-support/infra -am install -DskipTests
$MVN -o -pl lead-service compile 2>/dev/null || $MVN -pl lead-service compile
$MVN -o -pl lead-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/bench/target/classpath.txt" 2>/dev/null \
  || $MVN -pl lead-service dependency:build-classpath -Dmdep.includeScope=test \
       -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
CP="lead-service/target/classes:$(cat bench/target/classpath.txt)"
rm -rf bench/target/classes && mkdir -p bench/target/classes
javac -d bench/target/classes -cp "$CP" $(find bench/src -name '*.java')
# A small heap on purpose: the export of every row must stream, not collect.
exec java -Xmx256m -cp "bench/target/classes:$CP" com.leadforge.bench.LeadBench "$ROWS" "$ITERATIONS" bench/target
