#!/usr/bin/env bash
# Brings up the whole LeadForge suite on this machine without Docker: PostgreSQL, Kafka and Keycloak from Maven
# Central, then the five services. Ctrl+C stops everything. Data lives in .leadforge/ (./run-local.sh --reset wipes it).
set -euo pipefail
cd "$(dirname "$0")"

echo "Building the services (tests skipped; ./mvnw verify runs them) ..."
./mvnw -B -q -ntp package -DskipTests

classpath="test-support/stack/target/classes:$(cat test-support/stack/target/stack.classpath)"
exec java -Xmx256m -Dleadforge.children.jvm=service -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dleadforge.root="$PWD" -cp "$classpath" com.leadforge.stack.LocalStack "$@"
