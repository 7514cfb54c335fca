#!/usr/bin/env bash
# Install the Debian packages BranchLink needs (CJK font, QR decoder, Chromium for browser tests).
# Idempotent: installs only what is missing; does nothing without apt-get or root.
set -euo pipefail
want=(fonts-wqy-microhei libzbar0 "$@")
missing=()
for pkg in "${want[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
  echo "sysdeps: please install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 0
fi
echo "sysdeps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
