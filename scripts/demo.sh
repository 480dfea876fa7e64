#!/usr/bin/env bash
# scripts/demo.sh: install what is missing (Debian 12), build, install, start
# a throwaway cluster, create the extension, load Japan's 47 prefectures and
# print a short tour for a ministry analyst: the catalogues, a wide-area blackout
# and the FY2009 cross-sector exercise played on it through the registry
# (scripts/demo.sql, demo_blackout.sql, demo_exercise.sql).  Any SQL error stops
# it with a non-zero exit.  Nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_packages "${BASE_PACKAGES[@]}" "${DEMO_PACKAGES[@]}"
build_and_install

if CR_PREFECTURES=$(find_prefectures); then
	export CR_PREFECTURES
else
	cat <<'MSG'
== Japan's prefecture boundaries were not found (looked in ../shared/data/ and $CEPTOAR_DATA).
   Download prefectures.json (0.1 % simplification, 317,492 bytes) from
     https://github.com/smartnews-smri/japan-topography
     path data/municipality/geojson/s0001/prefectures.json
   save it as japan_prefectures_s0001.geojson in a folder, and run
     CEPTOAR_DATA=/that/folder scripts/demo.sh
   The tour below runs without the map.
MSG
	export CR_PREFECTURES=
fi

# The blackout's map (demo_blackout.sql, (e)): an SVG, and a PNG where rsvg-convert
# (Debian librsvg2-bin) is installed.
CR_OUT="${CEPTOAR_DEMO_OUT:-/tmp/ceptoar_demo}"
mkdir -p "$CR_OUT"
export CR_MAP_SVG="$CR_OUT/blackout_map.svg"
rm -f "$CR_MAP_SVG" "$CR_OUT/blackout_map.png"

export PATH="/usr/lib/postgresql/$PG_MAJOR/bin:$PATH"
pg_virtualenv -t -v "$PG_MAJOR" bash -c '
	set -euo pipefail
	createdb ceptoar_demo
	have=0; [ -n "$CR_PREFECTURES" ] && have=1
	psql -X -q -v ON_ERROR_STOP=1 -d ceptoar_demo -v have_data=$have -v file="$CR_PREFECTURES" -v map_svg="$CR_MAP_SVG" \
		-f scripts/demo.sql
'

if [ -s "$CR_MAP_SVG" ]; then
	echo
	echo "== The blackout's map: $CR_MAP_SVG"
	if command -v rsvg-convert >/dev/null; then
		rsvg-convert --format=png --background-color=white -o "$CR_OUT/blackout_map.png" "$CR_MAP_SVG"
		echo "   and $CR_OUT/blackout_map.png"
	else
		echo "   (install librsvg2-bin for rsvg-convert to get a PNG as well)"
	fi
fi
