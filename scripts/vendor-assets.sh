#!/usr/bin/env bash
# Fetches the dashboard's vendored files from their npm packages (pinned versions) into
# crates/dyad-serve/assets/vendor/, each with its licence. Run by hand when a version
# changes; the build never downloads anything (the files are committed and compiled in).
set -euo pipefail
cd "$(dirname "$0")/.."
out=crates/dyad-serve/assets/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
fetch() { # package@version -> $tmp/<package>/
    local spec=$1 name=${1%@*}
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
    mkdir -p "$tmp/$name"
    tar -xzf "$tmp/$name"-*.tgz -C "$tmp/$name" --strip-components=1
}
fetch world-atlas@2.0.2
fetch topojson-client@3.1.0
fetch i18n-iso-countries@7.14.0

# Natural Earth 1:110m country shapes (TopoJSON; ids are ISO 3166-1 numeric codes).
cp "$tmp/world-atlas/countries-110m.json" "$out/countries-110m.json"
cp "$tmp/world-atlas/LICENSE" "$out/LICENSE.world-atlas"
# TopoJSON → GeoJSON in the browser.
cp "$tmp/topojson-client/dist/topojson-client.min.js" "$out/topojson-client.min.js"
cp "$tmp/topojson-client/LICENSE" "$out/LICENSE.topojson-client"
# ISO 3166-1 numeric → alpha-3 (dyad's country codes), from the codes table only.
python3 - "$tmp/i18n-iso-countries/codes.json" "$out/iso-numeric.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))  # [alpha2, alpha3, numeric, ...]
mapping = {r[2]: r[1] for r in rows}
json.dump(mapping, open(sys.argv[2], "w"), sort_keys=True, separators=(",", ":"))
PY
cp "$tmp/i18n-iso-countries/LICENSE" "$out/LICENSE.i18n-iso-countries"
cat > "$out/README.md" <<'MD'
Vendored by `scripts/vendor-assets.sh` (do not edit by hand):

| file | from | licence |
|---|---|---|
| `countries-110m.json` | npm `world-atlas@2.0.2` (Natural Earth 1:110m, public domain) | ISC, `LICENSE.world-atlas` |
| `topojson-client.min.js` | npm `topojson-client@3.1.0` | ISC, `LICENSE.topojson-client` |
| `iso-numeric.json` | npm `i18n-iso-countries@7.14.0`, `codes.json` reduced to numeric → alpha-3 | MIT, `LICENSE.i18n-iso-countries` |
MD
ls -l "$out"
