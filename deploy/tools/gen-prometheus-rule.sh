#!/usr/bin/env bash
# Regenerates k8s/monitoring/prometheus-rule.yaml (a PrometheusRule for prometheus-operator) from the plain rule file
# k8s/monitoring/rules/leadforge-rules.yaml: its header comment dropped, everything from "groups:" on indented under
# "spec:". DeployChecksTest applies the same transformation and fails when the two files differ.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=k8s/monitoring/rules/leadforge-rules.yaml
out=k8s/monitoring/prometheus-rule.yaml
{
  cat <<'HEADER'
# GENERATED from rules/leadforge-rules.yaml by deploy/tools/gen-prometheus-rule.sh: edit that file, then rerun.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: leadforge
  labels:
    app.kubernetes.io/name: leadforge-alerts
spec:
HEADER
  sed -n '/^groups:/,$p' "$src" | sed -e 's/^\(.\)/  \1/'
} > "$out"
echo "wrote $out"
