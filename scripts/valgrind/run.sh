#!/usr/bin/env bash
# scripts/valgrind/run.sh: `make valgrind-check`.  Starts a throwaway PostgreSQL 15
# under valgrind memcheck, runs pg_regress (sql/) and the pgTAP files (test/[0-9]*.sql)
# against it, stops it, and fails if valgrind reported any error whose stack passes
# through ceptoar_registry.so.  Errors of the server alone are listed as a count only
# (the ones we know are suppressed by scripts/valgrind/server.supp).
#
# Needs: valgrind, postgresql-15, postgresql-15-postgis-3, postgresql-15-pgtap,
# libtap-parser-sourcehandler-pgtap-perl, the extension built and installed.
# Runs as root (the server then runs as "postgres") or as any other user.
#
# Limits (Debian's postgres is not built with USE_VALGRIND): memory inside palloc
# blocks is not marked per chunk, so an overrun of a small palloc chunk into the next
# chunk of the same block, and use of a pfree'd chunk, go unseen; what is seen is
# use of uninitialised memory (in branches, syscalls, hashing), reads and writes past
# malloc'd blocks (big palloc chunks > 8 kB each get their own malloc block), invalid
# frees, and overlapping memcpy.
#
# Environment: VALGRIND_TESTS="sector classify" runs those pg_regress files only (empty: none);
# VALGRIND_TAP="test/20_search_path.sql" those pgTAP files only (empty: none);
# VALGRIND_EXTRA="..." more valgrind options; VALGRIND_KEEP=1 keeps the directory.
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
PG_MAJOR=15
bindir=/usr/lib/postgresql/$PG_MAJOR/bin
pgxs=$("$bindir/pg_config" --pgxs)
pg_regress="$(dirname "$pgxs")/../test/regress/pg_regress"
supp="$top/scripts/valgrind/server.supp"
started=$(date +%s)

for tool in valgrind pg_prove "$bindir/postgres"; do
	command -v "$tool" >/dev/null || { echo "valgrind-check: $tool not found (apt-get install valgrind postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl)" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/ceptoar_valgrind.XXXXXX)
chmod 755 "$tmp"
runas=()
if [ "$(id -u)" -eq 0 ]; then
	chown postgres: "$tmp"
	runas=(runuser -u postgres --)
fi
"${runas[@]}" mkdir "$tmp/sock" "$tmp/vg"

pm=
# Fast shutdown of the postmaster itself ($pm is runuser's pid when run as root), then
# wait until every process under valgrind has written its last lines.
stop_server() {
	local pid
	pid=$(head -1 "$tmp/data/postmaster.pid" 2>/dev/null) || pid=
	[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null
	[ -n "$pm" ] && for _ in $(seq 1 600); do kill -0 "$pm" 2>/dev/null || break; sleep 1; done
	pm=
}
cleanup() {
	stop_server
	if [ -z "${VALGRIND_KEEP:-}" ]; then rm -rf "$tmp"; else echo "# kept $tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== valgrind-check: cluster in $tmp"
"${runas[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust --no-sync -E UTF8 \
	--locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; exit 2; }

port=$((54000 + $$ % 1000))
# Error markers let the checker below cut each error out of the logs; every process
# (postmaster, backends, workers: forked, so followed without exec) logs to its own file.
# --gen-suppressions=all prints a suppression after each error, to extend server.supp.
vg=(valgrind --quiet --tool=memcheck --trace-children=yes --track-origins=yes
	--read-var-info=no --num-callers=40 --error-limit=no --leak-check=no
	--gen-suppressions=all --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END
	--suppressions="$supp" --log-file="$tmp/vg/%p.log" ${VALGRIND_EXTRA:-})
# autovacuum off: only the tests' own work runs under valgrind (10-50x slower).
"${runas[@]}" "${vg[@]}" "$bindir/postgres" -D "$tmp/data" -p "$port" \
	-c listen_addresses= -c unix_socket_directories="$tmp/sock" -c fsync=off \
	-c autovacuum=off -c shared_buffers=64MB -c max_connections=20 \
	-c log_min_messages=warning -c wal_level=logical \
	>"$tmp/server.log" 2>&1 &
pm=$!

export PGHOST="$tmp/sock" PGPORT=$port PGUSER=postgres PGDATABASE=postgres
for _ in $(seq 1 600); do
	"$bindir/pg_isready" -q && break
	kill -0 "$pm" 2>/dev/null || { cat "$tmp/server.log"; exit 2; }
	sleep 1
done
"$bindir/pg_isready" -q || { echo "server did not start"; cat "$tmp/server.log"; exit 2; }
echo "# server up after $(( $(date +%s) - started )) s"

rc=0
# pg_regress in a copy of the test files, so that results/ of a run in the tree is not
# touched (the files write results/*.bin relative to the current directory).
mkdir "$tmp/tree"
cp -r sql expected "$tmp/tree/"
tests=${VALGRIND_TESTS-$(cd sql && ls *.sql | sed 's/\.sql$//' | tr '\n' ' ')}
rm -f "$top/valgrind.regression.diffs"
if [ -n "$tests" ]; then
	echo "== pg_regress under valgrind: $tests"
	t0=$(date +%s)
	if ! (cd "$tmp/tree" && "$pg_regress" --inputdir=./ --bindir="$bindir" \
			--load-extension=postgis --load-extension=ceptoar_registry \
			--dbname=contrib_regression $tests); then
		rc=1
		[ -f "$tmp/tree/regression.diffs" ] && cp "$tmp/tree/regression.diffs" "$top/valgrind.regression.diffs" \
			&& echo "# differences in valgrind.regression.diffs"
	fi
	echo "# pg_regress: $(( $(date +%s) - t0 )) s"
fi

tap=${VALGRIND_TAP-$(ls test/[0-9]*.sql | tr '\n' ' ')}
if [ -n "$tap" ]; then
	echo "== pgTAP under valgrind: $tap"
	t0=$(date +%s)
	"$bindir/dropdb" --if-exists ceptoar_registry_tap
	"$bindir/createdb" ceptoar_registry_tap
	pg_prove -d ceptoar_registry_tap --failures $tap || rc=1
	echo "# pgTAP: $(( $(date +%s) - t0 )) s"
fi

t0=$(date +%s)
stop_server
echo "# server stopped in $(( $(date +%s) - t0 )) s"

echo "== valgrind findings"
# Which errors are ours: scripts/valgrind/ours.awk (a frame of the stack or of the
# origin in ceptoar_registry.so; WAL flushes judged by the origin only).  WAL and data
# file writes at commit are left unsuppressed for that reason: a datum of ours with
# undefined padding shows up only as the origin of an error in XLogFlush.
so="$("$bindir/pg_config" --pkglibdir)/ceptoar_registry.so"
nm --defined-only "$so" | awk '$2 ~ /^[tTwW]$/ { sub(/\..*/, "", $3); print $3 }' | sort -u > "$tmp/syms"
ls src/*.c src/*.h | sed 's|.*/||' > "$tmp/srcs"
ours=$(awk -v syms="$tmp/syms" -v srcs="$tmp/srcs" -f scripts/valgrind/ours.awk "$tmp"/vg/*.log)
mine=$(printf '%s\n' "$ours" | tail -1 | sed 's/^# //')
ours=$(printf '%s\n' "$ours" | sed '$d')
total=$(cat "$tmp"/vg/*.log | grep -c VALGRINDERROR-BEGIN)
echo "# $total unsuppressed valgrind errors in all, $mine with a ceptoar_registry frame"
echo "# valgrind logs of the server: $(ls "$tmp"/vg | wc -l) processes"
if [ "$total" -gt 0 ]; then
	cat "$tmp"/vg/*.log > "$top/valgrind.log"
	echo "# every unsuppressed error (with a suggested suppression): valgrind.log"
fi
if [ "$mine" -gt 0 ]; then
	printf '%s\n' "$ours" | sed 's/^==[0-9]*== //'
	rc=2
fi
echo "# valgrind-check took $(( $(date +%s) - started )) s; exit $rc"
exit $rc
