#!/usr/bin/env bash
# Installs the emulator's Python packages (pinned) into emulator/.venv, idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$here/.venv"
  }
fi
# Reinstall only when the pins change.
if ! cmp -s "$here/requirements.txt" "$here/.venv/installed-requirements.txt"; then
  "$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$here/.venv/installed-requirements.txt"
fi
# The AWS CLI for checking copied commands: its own venv, since it pins botocore exactly.
if [ ! -x "$here/.venv-cli/bin/aws" ] || ! grep -q "awscli==$("$here/.venv-cli/bin/pip" show awscli 2>/dev/null | awk '/^Version/ {print $2}')\$" "$here/cli-requirements.txt"; then
  python3 -m venv "$here/.venv-cli"
  "$here/.venv-cli/bin/pip" install --quiet --disable-pip-version-check -r "$here/cli-requirements.txt"
fi
