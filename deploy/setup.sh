#!/usr/bin/env bash
# Installs the instructor kit's check tools (pinned, deploy/requirements.txt) into deploy/.venv.
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
