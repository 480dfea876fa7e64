#!/usr/bin/env bash
# test/map_render.sh: impact_map()'s SVG renders with rsvg-convert (Debian librsvg2-bin, in
# scripts/lib.sh TEST_PACKAGES): without error or warning, to a PNG of the document's size,
# with a Japanese font of the SVG's font-family installed (fonts-ipafont-gothic), so that the
# title and the credit line are text, not boxes.
# Skipped, saying so, where rsvg-convert is missing.  Runs against the server in
# PGHOST/PGPORT as a superuser; prints TAP.
set -euo pipefail
if ! command -v rsvg-convert >/dev/null; then
	echo "1..0 # SKIP rsvg-convert not installed (apt-get install librsvg2-bin)"
	exit 0
fi
db=ceptoar_map_render
tmp=$(mktemp -d)
cleanup() { dropdb --if-exists $db 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
dropdb --if-exists $db 2>/dev/null
createdb $db
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "$1"; }
q "CREATE EXTENSION ceptoar_registry CASCADE" 2>/dev/null
q "INSERT INTO ceptoar.operator (code, name, sector) VALUES ('p', 'P', 'electricity'), ('t', 'T', 'telecom')"
q "INSERT INTO ceptoar.service_instance (id, service, population, operator, name, area) VALUES
   (1, 'electricity.supply', 100, 'p', '電力 <A&B>', ST_Multi(ST_MakeEnvelope(139, 35, 140, 36, 4326))),
   (2, 'telecom.telecommunications', 50, 't', '通信', ST_Multi(ST_MakeEnvelope(139.5, 35, 140.5, 36, 4326)))"
q "INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (2, 1, '3 hours')"
echo "1..5"
PGCLIENTENCODING=UTF8 psql -X -q -At -v ON_ERROR_STOP=1 -d $db -o "$tmp/map.svg" \
	-c "SELECT ceptoar.impact_map(1, '2024-01-15 09:00+09', '10 hours',
	      background => ARRAY[ST_MakeEnvelope(138, 34, 141, 37, 4326)])"
# read back from the file, as a viewer would
size=$(PGCLIENTENCODING=UTF8 psql -X -q -At -v ON_ERROR_STOP=1 -d $db -v svg="$(cat "$tmp/map.svg")" <<'SQL'
SELECT (xpath('/s:svg/@width', d, n))[1]::text || 'x' || (xpath('/s:svg/@height', d, n))[1]::text
  FROM (SELECT xmlparse(document :'svg') AS d, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']] AS n) x
SQL
)
[ -n "$size" ] && echo "ok 1 - the SVG written by psql is well-formed ($size)" || echo "not ok 1 - the SVG written by psql is well-formed"
if rsvg-convert --format=png -o "$tmp/map.png" "$tmp/map.svg" 2>"$tmp/err"; then
	echo "ok 2 - rsvg-convert renders it"
else
	echo "not ok 2 - rsvg-convert renders it"; sed 's/^/# /' "$tmp/err"
fi
[ ! -s "$tmp/err" ] && echo "ok 3 - without a warning" || { echo "not ok 3 - without a warning"; sed 's/^/# /' "$tmp/err"; }
# the PNG's IHDR: width and height, big-endian, at bytes 16-23
png=$(od -An -tu1 -j16 -N8 "$tmp/map.png" 2>/dev/null | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
[ "$png" = "$size" ] && echo "ok 4 - a PNG of the document's size ($png)" || echo "not ok 4 - a PNG of the document's size (got '$png', want '$size')"
# the Japanese text (the title names the instance, the credit line is Japanese) finds a font
# the SVG names: fontconfig lists one of its families among those covering Japanese
fams=$(sed -n 's/.*<svg [^>]*font-family="\([^"]*\)".*/\1/p' "$tmp/map.svg" | head -1)
ja=$(fc-list :lang=ja family 2>/dev/null | tr ',' '\n' | sort -u)
found=$(tr ',' '\n' <<< "$fams" | sed 's/^ *//; s/ *$//' | while IFS= read -r f; do if grep -qxF "$f" <<< "$ja"; then echo "$f"; fi; done | head -1)
if [ -n "$found" ] && grep -q '<text[^>]*>[^<]*電力' "$tmp/map.svg"; then echo "ok 5 - the Japanese text has a font of the SVG's font-family ($found)"
else echo "not ok 5 - the Japanese text has a font of the SVG's font-family (font-family '$fams'; install fonts-ipafont-gothic)"; fi
