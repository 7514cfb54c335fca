#!/usr/bin/env bash
# Refresh the console's front-end kit in bot/web/static/vendor from the npm registry: pinned
# versions, checked against the registry's sha512 integrity, with each package's licence.
# The files are committed: a bank's intranet has no CDN, and the service serves them itself.
# To upgrade, change a line below, run this script, and update the templates' paths.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=bot/web/static/vendor
REGISTRY=https://registry.npmjs.org

# package | version | integrity | files to keep (from the package's folder; path:new-name).
# Tabler ships no licence file: its licence (MIT) is in its CSS banner and package.json. It
# bundles Tom Select (Apache-2.0), the console's searchable pickers.
PACKAGES=(
  "@tabler/core|1.6.1|sha512-lgmR9gcxRp5JlLxcmRi9Rz85JrEvH6Bz71KnlcPVSa97wtwQNjgSs3g3fxwbAlulHyRMghhIV04QUuW3pqDsIg==|dist/css/tabler.min.css dist/js/tabler.min.js package.json dist/libs/tom-select/dist/js/tom-select.base.min.js dist/libs/tom-select/dist/css/tom-select.bootstrap5.min.css dist/libs/tom-select/LICENSE:LICENSE-tom-select"
  "htmx.org|2.0.8|sha512-fm297iru0iWsNJlBrjvtN7V9zjaxd+69Oqjh4F/Vq9Wwi2kFisLcrLCiv5oBX0KLfOX/zG8AUo9ROMU5XUB44Q==|dist/htmx.min.js LICENSE"
  "echarts|5.6.0|sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA==|dist/echarts.min.js LICENSE NOTICE"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name version integrity files <<<"$entry"
  tarball="$work/${name//\//_}.tgz"
  curl -fsSL "$REGISTRY/$name/-/${name##*/}-$version.tgz" -o "$tarball"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [[ "$actual" == "$integrity" ]] || { echo "vendor: $name $version: integrity mismatch" >&2; exit 1; }
  folder=${name#@}; target="$DEST/${folder//\//-}-$version"
  rm -rf "$target" && mkdir -p "$target" "$work/x"
  tar -xzf "$tarball" -C "$work/x"
  for file in $files; do  # path[:name in the target]
    source=${file%%:*}; kept=${file#*:}; [[ "$kept" == "$file" ]] && kept=$(basename "$source")
    cp "$work/x/package/$source" "$target/$kept"
  done
  rm -rf "$work/x"
  echo "vendor: $name $version -> $target"
done
