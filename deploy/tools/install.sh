#!/usr/bin/env bash
# Installs, when missing, the tools that test-support/deploy-checks runs (each check is skipped with a message
# when its tool is absent, so without this script those checks silently stop counting):
#   promtool        Debian "prometheus"         promtool check rules / test rules
#   docker-compose  Debian "docker-compose"     docker-compose config -q
#   kubectl         Debian "kubernetes-client"  kubectl kustomize (only if no kubectl at all: Debian's is 1.20,
#                                               whose kustomize is too old for the overlays; machine images ship 1.32)
#   jsonschema/yaml Debian python3 modules      ../shared/k8s-schemas/validate (only for Debian's own python3)
#   asyncapi        npm "@asyncapi/cli"         asyncapi validate docs/asyncapi.yaml
# Idempotent and quick when everything is present. Needs root (or sudo) for apt-get and npm -g.
set -euo pipefail

ASYNCAPI_CLI_VERSION=6.2.0
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
have() { command -v "$1" >/dev/null 2>&1; }

packages=()
have promtool || packages+=(prometheus)
have docker-compose || packages+=(docker-compose)
have kubectl || packages+=(kubernetes-client)
have python3 || packages+=(python3)
if have python3 && ! python3 -c 'import jsonschema, yaml' >/dev/null 2>&1 \
    && [ "$(command -v python3)" = /usr/bin/python3 ]; then
  packages+=(python3-jsonschema python3-yaml)
fi

if [ ${#packages[@]} -gt 0 ]; then
  echo "install.sh: apt-get install ${packages[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if ! have asyncapi; then
  if have npm; then
    echo "install.sh: npm install -g @asyncapi/cli@${ASYNCAPI_CLI_VERSION} (a few minutes)"
    $SUDO npm install -g --no-fund --no-audit --loglevel=error "@asyncapi/cli@${ASYNCAPI_CLI_VERSION}" >/dev/null
  else
    echo "install.sh: npm not found: asyncapi validation will be skipped"
  fi
fi

for tool in kubectl python3 promtool docker-compose asyncapi; do
  if have "$tool"; then echo "install.sh: $tool $(command -v "$tool")"; else echo "install.sh: $tool MISSING"; fi
done
