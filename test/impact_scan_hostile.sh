#!/usr/bin/env bash
# test/impact_scan_hostile.sh: impact()'s custom scan (src/impact_scan.c) against other
# sessions.  A reader keeps cursors open (custom scan and function scan side by side)
# while a writer commits changes of the graph and the reader's other statements replace
# its cached graph: the cursors' rows stay as of their DECLARE and the same both ways, the
# replaced graphs wait under "ceptoar retired graphs" only while a scan is open, and are
# gone after COMMIT.  Then: a TRUNCATE of ceptoar.graph_change and a DROP EXTENSION from
# another session wait for the reader's transaction (no crash), and a cancel in the middle
# of a scan leaves nothing pinned.  Runs against PGHOST/PGPORT as a superuser; prints TAP.
set -euo pipefail
db=ceptoar_scan_hostile
cleanup() { dropdb --if-exists $db 2>/dev/null || true; rm -rf "$tmp"; }
[ -n "${KEEP:-}" ] || trap cleanup EXIT
tmp=
cleanup
createdb $db
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db "$@"; }
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION ceptoar_registry CASCADE"
# a chain 1 <- 2 <- ... <- 300, a minute a link, plus a shortcut every tenth
q <<'SQL'
INSERT INTO ceptoar.operator (code, name, sector) VALUES ('h-power', 'H Power', 'electricity');
INSERT INTO ceptoar.service_instance (id, service, operator, population)
SELECT i, 'electricity.supply', 'h-power', 10 * i FROM generate_series(1, 300) i;
INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
SELECT i, i - 1, interval '1 minute' FROM generate_series(2, 300) i
UNION ALL SELECT i, i - 10, '5 minutes' FROM generate_series(20, 300, 10) i;
SQL

n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 (expected '$2', got '$3')"; fail=1; fi
}
echo "1..10"

# 1. Cursors across the writer's commits and the reader's graph replacements
reader() {   # the reader's script; $1: what the writer does between the FETCHes
	q -c "SET TimeZone = 'UTC'" -f - 2>&1 <<SQL
SELECT count(*) FROM ceptoar.impact(1, '2024-01-01', '10 hours') \g /dev/null
BEGIN;
SET LOCAL ceptoar.impact_scan = on;
DECLARE con SCROLL CURSOR FOR SELECT instance, depth, onset FROM ceptoar.impact(ARRAY[1, 150]::bigint[], '2024-01-01', '10 hours');
SET LOCAL ceptoar.impact_scan = off;
DECLARE coff SCROLL CURSOR FOR SELECT instance, depth, onset FROM ceptoar.impact(ARRAY[1, 150]::bigint[], '2024-01-01', '10 hours');
SET LOCAL ceptoar.impact_scan = on;
\echo on-head
FETCH 5 FROM con;
\echo off-head
FETCH 5 FROM coff;
\! $1
-- a new snapshot: the writer's changes; a new cached graph while both cursors are open
SELECT 'other', count(*), max(onset) FROM ceptoar.impact(ARRAY[1, 150]::bigint[], '2024-01-01', '10 hours') \g /dev/null
SELECT 'retired_open', count(*) FROM pg_backend_memory_contexts WHERE name = 'ceptoar retired graphs';
\! $1
SELECT 'other2', count(*), max(onset) FROM ceptoar.impact(ARRAY[1, 150]::bigint[], '2024-01-01', '10 hours') \g /dev/null
\echo on-back
FETCH BACKWARD 3 FROM con;
\echo off-back
FETCH BACKWARD 3 FROM coff;
MOVE FORWARD ALL IN con;
MOVE FORWARD ALL IN coff;
\echo on-all
FETCH ABSOLUTE 0 FROM con;
FETCH ALL FROM con;
\echo off-all
FETCH ABSOLUTE 0 FROM coff;
FETCH ALL FROM coff;
\echo end
COMMIT;
SELECT 'retired_after', count(*) FROM pg_backend_memory_contexts WHERE name = 'ceptoar retired graphs';
SELECT 'now', count(*), max(onset) FROM ceptoar.impact(ARRAY[1, 150]::bigint[], '2024-01-01', '10 hours');
SQL
}
section() { sed -n "/^$1\$/,/^$2\$/p" <<<"$3" | sed '1d;$d'; }
tmp=$(mktemp -d)
# ten commits, each a random buffer on one link of 51-60
for k in $(seq 1 10); do
	echo "UPDATE ceptoar.dependency SET buffer = (random() * 59 + 1)::int * interval '1 minute' WHERE dependent = 50 + $k AND supplier = 49 + $k;"
done >"$tmp/write.sql"
write="psql -X -q -At -v ON_ERROR_STOP=1 -d $db -f $tmp/write.sql"
before=$(q -c "SET TimeZone = 'UTC'" -c "SELECT instance || '|' || depth || '|' || onset FROM ceptoar.impact(ARRAY[1, 150]::bigint[], '2024-01-01', '10 hours')")
out=$(reader "$write")
check "no error in the reader" "" "$(grep -i "error\|server closed" <<<"$out" || true)"
check "the custom scan's cursor: all its rows as of its DECLARE" "$before" "$(section on-all off-all "$out")"
check "both cursors the same, forward and backward" \
	"$(section on-head off-head "$out")/$(section on-back off-back "$out")" \
	"$(section off-head on-back "$out" | sed '/^other\|^retired/d')/$(section off-back on-all "$out")"
check "replaced graphs wait while the cursor is open" "retired_open|1" "$(grep '^retired_open' <<<"$out")"
check "and are freed at COMMIT" "retired_after|0" "$(grep '^retired_after' <<<"$out")"

# 2. Graphs replaced while one cursor stays open: only the graph the cursor reads stays
# (pins are per graph and per image, src/graph.c); the graphs replaced meanwhile that no
# scan reads are freed at once.  Ten replacements: at most the cursor's own graph and its
# image wait under "ceptoar retired graphs".
acc=$(q -f - 2>&1 <<SQL
SELECT count(*) FROM ceptoar.impact(1, '2024-01-01', '10 hours') \g /dev/null
BEGIN;
DECLARE c CURSOR FOR SELECT instance FROM ceptoar.impact(ARRAY[1]::bigint[], '2024-01-01', '10 hours');
FETCH 1 FROM c \g /dev/null
$(for k in $(seq 1 10); do echo "\\! psql -X -q -d $db -c \"UPDATE ceptoar.dependency SET buffer = interval '$k minutes' WHERE dependent = 200 + $k AND supplier = 199 + $k\""
  echo "SELECT count(*) FROM ceptoar.impact(ARRAY[2]::bigint[], '2024-01-01', '10 hours') \\g /dev/null"; done)
SELECT 'retired', count(*) FROM pg_backend_memory_contexts WHERE parent = 'ceptoar retired graphs';
COMMIT;
SELECT 'after', count(*) FROM pg_backend_memory_contexts WHERE name = 'ceptoar retired graphs';
SQL
)
retired=$(sed -n 's/^retired|//p' <<<"$acc")
n=$((n + 1))
if [ "${retired:-99}" -le 2 ]; then echo "ok $n - one open cursor keeps at most its own graph and image ($retired retired)"
else echo "not ok $n - one open cursor keeps at most its own graph and image ($retired retired after 10 replacements)"; fi
check "none retired after COMMIT" "after|0" "$(grep '^after' <<<"$acc")"

# 3. DROP EXTENSION and TRUNCATE ceptoar.graph_change from another session while a cursor
# of the custom scan is open: they wait for the reader's transaction; the reader goes on
bg=$(q -f - 2>&1 <<SQL
BEGIN;
DECLARE c CURSOR FOR SELECT instance FROM ceptoar.impact(ARRAY[1]::bigint[], '2024-01-01', '10 hours');
FETCH 2 FROM c;
\! (psql -X -q -d $db -c "TRUNCATE ceptoar.graph_change" >$tmp/truncate.out 2>&1; psql -X -q -d $db -c "SET client_min_messages = warning" -c "DROP EXTENSION ceptoar_registry CASCADE" >$tmp/drop.out 2>&1) &
SELECT pg_sleep(1);
SELECT 'waiting', count(*) FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
FETCH 3 FROM c;
SELECT count(*) FROM ceptoar.impact(ARRAY[5]::bigint[], '2024-01-01', '1 hour');
MOVE FORWARD ALL IN c;
COMMIT;
SELECT pg_sleep(2);
SELECT 'extension', count(*) FROM pg_extension WHERE extname = 'ceptoar_registry';
SQL
)
check "DDL waits while the cursor is open (no crash)" "waiting|1" "$(grep '^waiting' <<<"$bg")"
check "the cursor's rows read meanwhile, no error" "" "$(grep -i "error\|server closed" <<<"$bg" || true)"
check "then the extension is dropped" "extension|0" "$(grep '^extension' <<<"$bg")"
exit $fail
