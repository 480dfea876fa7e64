# scripts/lib.sh: shared by demo.sh and test.sh (sourced, not run).
# Installs the Debian 12 packages the project needs when they are missing,
# then builds and installs the extension.

PG_MAJOR=15
# -Werror here too: what CI builds is what a newcomer builds.
CR_CFLAGS="-Wall -Wextra -Werror"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
			|| missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "== installing Debian packages: ${missing[*]}"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null
	fi
}

BASE_PACKAGES=(build-essential postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR
	postgresql-$PG_MAJOR-postgis-3 postgresql-$PG_MAJOR-pgtap
	libtap-parser-sourcehandler-pgtap-perl postgresql-common)
# the test kinds beyond pg_regress and pgTAP: kill -9 (PostgreSQL::Test::Cluster needs
# IPC::Run), fuzzing (clang's libFuzzer and sanitizers), memcheck; STIX bundles validated offline against
# the official schemas (test/stix.sh); rendering impact_map()'s SVG (rsvg-convert,
# test/map_render.sh; the demo uses it when present) with a Japanese font for the map's
# title and credit line (fonts-ipafont-gothic: IPAPGothic, named in the SVG's font-family;
# without it the PNG shows boxes); the drivers of test/drivers.sh
# (psycopg2, psycopg 3, PgJDBC and a JDK to compile its test program, psqlODBC with pyodbc, GDAL)
TEST_PACKAGES=(libipc-run-perl clang libclang-rt-14-dev valgrind python3-jsonschema librsvg2-bin fonts-ipafont-gothic
	python3-psycopg2 python3-psycopg libpostgresql-jdbc-java default-jdk-headless
	odbc-postgresql python3-pyodbc unixodbc gdal-bin)

# the demo's map (scripts/demo.sh): Japanese text (the title, the data's credit line) in a
# font rsvg-convert finds, so that the PNG shows it and not boxes
DEMO_PACKAGES=(fonts-ipafont-gothic)

build_and_install() {
	echo "== building ceptoar_registry"
	make -s PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" PG_CFLAGS="$CR_CFLAGS"
	as_root make -s PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" install
}

# Japan's prefectures (MLIT N03 via SmartNews): ../shared/data beside the
# checkout, or $CEPTOAR_DATA.
find_prefectures() {
	local dir="${CEPTOAR_DATA:-$(cd "$(dirname "$PWD")" && pwd)/shared/data}"
	local f="$dir/japan_prefectures_s0001.geojson"
	if [ -r "$f" ]; then echo "$f"; return 0; fi
	return 1
}
