#!/usr/bin/env bash
# test/impact_unit.sh: impact()'s one-pass search by unit (issue 11, src/impact_times.c)
# takes the route it must, answers right when the graph changes under it, and after an
# error in the middle of a call.
#
# 1. Routes: every case of test/impact_unit_cases.sql (the graphs of
#    test/31_impact_unit_hostile.sql) takes the route it is meant to ("(by unit)", "(by unit, 8-byte edges)" or
#    "(radix heap)" at debug1: the limits of width, onsets walked, span and packed state,
#    on both sides), and still agrees with its oracle.
# 2. Live changes: an image written by another session (a graph of whole minutes), then
#    in new transactions a dependency of 7 seconds (the delta's unit, 1 s, differs from
#    the image's), one of 1 us (no usable unit: the radix heap), that one deleted again,
#    instances new with ids below and above the image's (ties by id then), a fold (1,200
#    instances at once: more keys than a delta takes) and changes after it.  After each,
#    the reader (a session that keeps its graph) and a new session agree with the
#    reference, and the reader's route is the one the graph's buffers allow.
# 3. Errors in the middle of a call (statement_timeout, a cancel from another session),
#    many times: the next call answers right, and the backend has not grown.
# Runs against the server in PGHOST/PGPORT as a superuser; prints TAP.
set -euo pipefail
db=ceptoar_impact_unit
here=$(cd "$(dirname "$0")" && pwd)
cleanup() { dropdb --if-exists $db 2>/dev/null || true; }
[ -n "${KEEP:-}" ] || trap cleanup EXIT
cleanup
createdb $db
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db "$@"; }
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION ceptoar_registry CASCADE"
q -c "SET client_min_messages = warning" -f "$here/reference_impact.sql" -f "$here/impact_graph_helpers.sql" \
	-f "$here/impact_unit_cases.sql" >/dev/null

n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 (expected '$2', got '$3')"; fail=1; fi
}
ncases=$(q -c "SELECT ceptoar_ref.unit_ncases()")
echo "1..$((2 * ncases + 41))"

# ---------------------------------------------------------------------------------------
# 1. Routes.  Each case in a transaction of its own (the graph read from the tables, as
# the statement sees them); the route at debug1, the result as a warning after it.
script=$(mktemp)
for k in $(seq 1 "$ncases"); do
	cat >>"$script" <<SQL
BEGIN;
SET LOCAL ceptoar_ref.show_route = on;
DO \$\$
DECLARE
  c ceptoar_ref.unit_call := ceptoar_ref.unit_case($k);
  bad text[] := ARRAY(SELECT ceptoar_ref.unit_mismatches(c));
BEGIN
  RAISE WARNING 'CASE $k route % mismatches % (%) %', c.route, cardinality(bad), c.label, coalesce(bad[1], '');
END \$\$;
ROLLBACK;
SQL
done
out=$(q -c "SET TimeZone = 'America/New_York'" -f "$script" 2>&1 || true)
rm -f "$script"
routes=$(grep -o "(by unit[^)]*)$\|(radix heap)$\|CASE [0-9]* route .*" <<<"$out" |
	awk '/^\(by unit/ { r = r "unit "; next } /^\(radix heap\)/ { r = r "radix "; next } { print r "| " $0; r = "" }')
for k in $(seq 1 "$ncases"); do
	line=$(grep "| CASE $k route " <<<"$routes" || echo "missing")
	want=$(sed -n 's/.* route \([a-z]*\) .*/\1/p' <<<"$line")
	label=$(sed -n 's/.*mismatches [0-9]* (\(.*\)).*/\1/p' <<<"$line")
	# the engine's first call is the case's route (a radix oracle calls it a second time)
	check "case $k, $label: the route" "${want:-?}" "$(awk '{ print $1 }' <<<"$line")"
	check "case $k, $label: as its oracle" "0" "$(sed -n 's/.* mismatches \([0-9]*\) .*/\1/p' <<<"$line")"
done

# ---------------------------------------------------------------------------------------
# 2. Live changes.  A graph of whole minutes, committed; its image written by a session
# of its own.
q <<'SQL' >/dev/null
SET client_min_messages = warning;
SELECT ceptoar_ref.unit_random(0.5, 40, ARRAY['0', '0', '1 minute', '15 minutes', '30 minutes', '2 hours']::interval[]);
-- mismatches of three calls (the smallest id, a middle one and the largest with the
-- smallest), as a count
CREATE FUNCTION ceptoar_ref.unit_check() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c ceptoar_ref.unit_call;
  total bigint := 0;
BEGIN
  c.began := '2024-03-10 00:30:00.5-05';
  c.lasted := '5 hours';
  c.horizon := '7 days';
  c.oracle := 'ref';
  FOR k IN 1 .. 3 LOOP
    c.origins := CASE k WHEN 1 THEN ARRAY(SELECT min(id) FROM ceptoar.service_instance)
                        WHEN 2 THEN ARRAY(SELECT id FROM ceptoar.service_instance ORDER BY id
                                          OFFSET (SELECT count(*) / 2 FROM ceptoar.service_instance) LIMIT 1)
                        ELSE ARRAY(SELECT max(id) FROM ceptoar.service_instance)
                             || ARRAY(SELECT min(id) FROM ceptoar.service_instance) END;
    total := total + (SELECT count(*) FROM ceptoar_ref.unit_mismatches(c));
  END LOOP;
  RETURN total;
END $$;
SQL
q -c "SELECT count(*) FROM ceptoar.impact((SELECT min(id) FROM ceptoar.service_instance), now(), '1 hour')" >/dev/null

# The reader: one session fed a script; the writers: psql's \! (other sessions).  Each
# step: a change committed by another session, then the reader's check (its route shown),
# then a new session's.
steps=(
	"INSERT INTO ceptoar.dependency VALUES ((SELECT min(id) FROM ceptoar.service_instance), (SELECT max(id) FROM ceptoar.service_instance), '7 seconds') ON CONFLICT (dependent, supplier) DO UPDATE SET buffer = '7 seconds'"
	"INSERT INTO ceptoar.dependency SELECT id, (SELECT min(id) FROM ceptoar.service_instance), '0.000001' FROM ceptoar.service_instance ORDER BY id OFFSET 3 LIMIT 1 ON CONFLICT (dependent, supplier) DO UPDATE SET buffer = '0.000001'"
	"DELETE FROM ceptoar.dependency WHERE buffer = '0.000001'"
	"DELETE FROM ceptoar.dependency WHERE (dependent, supplier) IN (SELECT dependent, supplier FROM ceptoar.dependency WHERE buffer > '0' ORDER BY dependent, supplier LIMIT 3)"
	"SELECT ceptoar_ref.unit_nodes(ARRAY[1, 2, 100000]); INSERT INTO ceptoar.dependency SELECT x, s, '15 minutes', 'area' FROM unnest(ARRAY[1, 2, 100000]) x, (SELECT id AS s FROM ceptoar.service_instance WHERE id BETWEEN 3 AND 99999 ORDER BY id LIMIT 2) y; INSERT INTO ceptoar.dependency SELECT d, x, '0', 'area' FROM unnest(ARRAY[1, 2, 100000]) x, (SELECT id AS d FROM ceptoar.service_instance WHERE id BETWEEN 3 AND 99999 ORDER BY id DESC LIMIT 2) y ON CONFLICT DO NOTHING"
	"INSERT INTO ceptoar.dependency VALUES (2, 1, '15 minutes'), (100000, 1, '15 minutes')"
	"SELECT ceptoar_ref.unit_nodes(ARRAY(SELECT generate_series(200001, 201200)::bigint)); INSERT INTO ceptoar.dependency SELECT 200000 + g, (SELECT id FROM ceptoar.service_instance WHERE id < 200000 ORDER BY id LIMIT 1 OFFSET g % 20), make_interval(mins => g % 3), 'area' FROM generate_series(1, 1200) g"
	"INSERT INTO ceptoar.dependency VALUES (100000, 2, '3 seconds') ON CONFLICT (dependent, supplier) DO UPDATE SET buffer = '3 seconds'"
	"DELETE FROM ceptoar.service_instance WHERE id BETWEEN 200001 AND 201200 OR id = 2"
	"SELECT ceptoar_ref.unit_nodes(ARRAY(SELECT generate_series(200001, 201200)::bigint)); INSERT INTO ceptoar.dependency SELECT 200000 + g, 1, '1 minute', 'area' FROM generate_series(1, 1200) g; INSERT INTO ceptoar.dependency VALUES (100000, 1, '0.000001') ON CONFLICT (dependent, supplier) DO UPDATE SET buffer = '0.000001'"
	"DELETE FROM ceptoar.service_instance WHERE id BETWEEN 200001 AND 201200; UPDATE ceptoar.dependency SET buffer = '1 minute' WHERE buffer = '0.000001'"
)
# the route the reader must take after each step: 7 s over minutes (a unit of 1 s);
# 1 us among hours (radix); the 1 us deleted (1 s again); then 1 s or coarser
want_routes=(unit radix unit unit unit unit unit unit unit radix unit)
what=("7 s over whole minutes (the delta's unit 1 s)" "1 us (no usable unit)" "the 1 us deleted"
	"3 dependencies deleted" "instances 1, 2, 100000 new (ids below and above the image's)"
	"two suppliers of the same onset for them (ties by id)" "1,200 instances at once (a fold)"
	"3 s after the fold" "the 1,200 and instance 2 deleted" "1,200 again and a 1 us buffer (a fold with no usable unit)"
	"the 1,200 deleted and the 1 us made a minute (a fold: whole seconds again)")
# A fold computes the unit and bound of its own edges: after a buffer of 1 us has come and
# gone, the next folded image counts in whole seconds again (step 10; until a fold
# inherited the unit of the graph before it, which only ever got finer, the image stayed
# on the radix heap until the tables were read again).
script=$(mktemp)
for s in "${!steps[@]}"; do
	{
		printf '\\! psql -X -q -d %s -c "%s" >/dev/null\n' "$db" "${steps[$s]//\"/\\\"}"
		echo "SELECT 'STEP $s ' || ceptoar_ref.unit_check();"
		echo "\\! psql -X -q -At -d $db -c \"SET TimeZone = 'America/New_York'\" -c \"SELECT 'NEWSESSION $s ' || ceptoar_ref.unit_check()\" 1>&2"
	} >>"$script"
done
out=$(q -c "SET TimeZone = 'America/New_York'" -c "SET ceptoar_ref.show_route = on" -f "$script" 2>&1)
for s in "${!steps[@]}"; do
	# the reader's messages since the step before
	block=$(awk -v s="$s" 'BEGIN { go = (s == 0) } $0 ~ "^STEP " s " " { exit } go { print } $0 ~ "^STEP " (s - 1) " " { go = 1 }' <<<"$out")
	check "step $s, ${what[$s]}: the reader agrees with the reference" "STEP $s 0" "$(grep -o "^STEP $s .*" <<<"$out" || echo missing)"
	check "step $s: a new session agrees with the reference" "NEWSESSION $s 0" "$(grep -o "^NEWSESSION $s .*" <<<"$out" || echo missing)"
	got=$(grep -o "(by unit[^)]*)$\|(radix heap)$" <<<"$block" | sort -u | sed 's/(by unit[^)]*)/unit/; s/(radix heap)/radix/' | sort -u | paste -sd,)
	check "step $s: the reader's route" "${want_routes[$s]}" "$got"
done
check "the reader laid changes over the image (deltas)" "true" "$(grep -q "changed keys" <<<"$out" && echo true || echo false)"
check "the reader folded the 1,200 instances into a new image" "true" "$(grep -q "folded into a new image" <<<"$out" && echo true || echo false)"
[ "$fail" = 0 ] || { echo "# reader's output:"; sed 's/^/# /' <<<"$out" | grep -v "DEBUG:  ceptoar impact: [0-9]* instances reached" | head -80; }

# ---------------------------------------------------------------------------------------
# 3. Errors in the middle of calls: a chain of 70,000 minutes and a fan beside it, asked
# many times in one statement (LATERAL), stopped by statement_timeout, then by a cancel
# from another session; each time the next call answers as the radix heap does, and the
# backend's memory (contexts and mappings) has not grown over 20 errors.
q -c "SET client_min_messages = warning" -c "SELECT ceptoar_ref.unit_case(68) IS NULL" >/dev/null
q -c "INSERT INTO ceptoar.service_instance (id, service, operator) SELECT 100000 + g, 'gas.supply', 'op-gas' FROM generate_series(1, 3000) g" \
	-c "INSERT INTO ceptoar.dependency SELECT 100000 + g, 1, make_interval(mins => g) FROM generate_series(1, 3000) g"
script=$(mktemp)
cat >"$script" <<SQL
SET application_name = 'impact_unit_errors';
CREATE TEMP TABLE mem (k integer, contexts bigint, vm bigint);
CREATE FUNCTION pg_temp.vm() RETURNS bigint LANGUAGE sql AS \$\$
  SELECT substring(pg_read_file('/proc/self/status') FROM 'VmSize:\\s*([0-9]+)')::bigint \$\$;
CREATE FUNCTION pg_temp.ok() RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE
  c ceptoar_ref.unit_call;
BEGIN
  c.origins := '{1}'; c.began := '2024-03-10 01:00-05'; c.lasted := '100 days'; c.horizon := '100 days';
  c.oracle := 'radix';
  RETURN (SELECT count(*) FROM ceptoar_ref.unit_mismatches(c)) || ' mismatches, ' || ceptoar_ref.unit_rows() || ' rows';
END \$\$;
SELECT 'FIRST ' || pg_temp.ok();
SQL
for i in $(seq 1 21); do
	cat >>"$script" <<SQL
SET statement_timeout = '$((150 + 37 * i))ms';
SELECT count(*) FROM generate_series(1, 1000) g, LATERAL ceptoar.impact('{1}'::bigint[], '2024-03-10 01:00-05'::timestamptz + g * interval '1 s', '100 days', NULL, '100 days') x;
RESET statement_timeout;
INSERT INTO mem SELECT $i, (SELECT sum(total_bytes) FROM pg_backend_memory_contexts), pg_temp.vm();
SQL
done
echo "SELECT 'AFTER TIMEOUTS ' || pg_temp.ok();" >>"$script"
for i in $(seq 1 3); do
	cat >>"$script" <<SQL
\\! (sleep 0.$((2 + i)); psql -X -q -At -d $db -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'impact_unit_errors'" >/dev/null) &
SELECT count(*) FROM generate_series(1, 1000) g, LATERAL ceptoar.impact('{1}'::bigint[], '2024-03-10 01:00-05'::timestamptz + g * interval '1 s', '100 days', NULL, '100 days') x;
SELECT pg_sleep(0.5);
SQL
done
cat >>"$script" <<SQL
SELECT 'AFTER CANCELS ' || pg_temp.ok();
SELECT 'GROWTH ' || (max(contexts) FILTER (WHERE k = 21) - max(contexts) FILTER (WHERE k = 1) < 1048576)
       || ' ' || (max(vm) FILTER (WHERE k = 21) - max(vm) FILTER (WHERE k = 1) < 16384)
       || ' (' || max(contexts) FILTER (WHERE k = 21) - max(contexts) FILTER (WHERE k = 1) || ' bytes of contexts, '
       || max(vm) FILTER (WHERE k = 21) - max(vm) FILTER (WHERE k = 1) || ' kB mapped)' FROM mem;
SQL
out=$(psql -X -q -At -d $db -f "$script" 2>&1 || true)
rm -f "$script"
check "before the errors: as the radix heap" "FIRST 0 mismatches, 73001 rows" "$(grep -o "^FIRST .*" <<<"$out" || echo missing)"
check "statement_timeout stopped the calls 21 times" "21" "$(grep -c "canceling statement due to statement timeout" <<<"$out" || true)"
check "after 21 timeouts: as the radix heap" "AFTER TIMEOUTS 0 mismatches, 73001 rows" "$(grep -o "^AFTER TIMEOUTS .*" <<<"$out" || echo missing)"
check "a cancel from another session stopped the calls 3 times" "3" "$(grep -c "canceling statement due to user request" <<<"$out" || true)"
check "after the cancels: as the radix heap" "AFTER CANCELS 0 mismatches, 73001 rows" "$(grep -o "^AFTER CANCELS .*" <<<"$out" || echo missing)"
check "20 timeouts later the backend has not grown (contexts < 1 MB, mappings < 16 MB)" "GROWTH true true" \
	"$(grep -o "^GROWTH .*" <<<"$out" | cut -d' ' -f1-3 || echo missing)"
grep -o "^GROWTH .*" <<<"$out" | sed 's/^/# /' || true
exit $fail
