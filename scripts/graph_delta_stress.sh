#!/usr/bin/env bash
# scripts/graph_delta_stress.sh: the shared image and its deltas (src/graph_delta.c) under
# concurrency, against the plain-SQL reference.  Not part of `make test` (it is random
# and takes minutes).  On the random graph of test/graph_delta.sh (built first, in a
# database of its own): two writers make random changes (a quarter rolled back), another
# session empties the log (TRUNCATE ceptoar.graph_change) every 0-0.4 s (every 1 to TMAX s
# if TMAX is set: then images live long enough for deltas) unless NOTRUNC=1, a third
# writer keeps its transaction open across the others' (a savepoint, a wait), a fourth
# makes or removes 1,200 instances at once every few seconds (folds), and six
# readers each run REPEATABLE READ transactions that take their snapshot, wait (up to
# RSLEEP s, default 0.4), compare impact() of three origins with the reference (twice,
# with a wait between), and print what differs.  In REPEATABLE READ the reference and impact()
# see one snapshot, so any difference is a wrong answer; in READ COMMITTED the
# reference's own statements each take a newer snapshot, so it is not compared there.
# Runs against the server in PGHOST/PGPORT as a superuser, DUR seconds (default 120).
# Exit 1 if any answer differed (the differences: $out/r*.log, lines "detail|...").
set -uo pipefail
cd "$(dirname "$0")/.."
db=ceptoar_graph_stress
DUR=${DUR:-120}
out=$(mktemp -d /tmp/ceptoar_stress.XXXXXX)
echo "# logs in $out"

dropdb --if-exists $db
KEEP=1 STEPS=4 bash test/graph_delta.sh >/dev/null || { echo "graph_delta.sh failed" >&2; exit 2; }
createdb -T ceptoar_graph_delta $db && dropdb ceptoar_graph_delta || exit 2
psql -X -q -d $db <<'SQL'
CREATE FUNCTION ceptoar_ref.check_detail() RETURNS SETOF text LANGUAGE sql VOLATILE AS $$
  SELECT os.o::text || ' ' || d FROM (SELECT ARRAY[min(id)] AS o FROM ceptoar.service_instance
                        UNION ALL SELECT ARRAY[(array_agg(id ORDER BY id))[count(*) / 2 + 1]] FROM ceptoar.service_instance
                        UNION ALL SELECT ARRAY[max(id), min(id)] FROM ceptoar.service_instance) AS os,
       LATERAL ceptoar_ref.diff(os.o, '2024-03-10 01:00-05', '9 hours') AS d
$$;
SQL

end=$(($(date +%s) + DUR))
writer() {
	while [ "$(date +%s)" -lt $end ]; do
		if [ $((RANDOM % 4)) = 0 ]; then
			psql -X -q -d $db -c "BEGIN" -c "SELECT ceptoar_ref.change($RANDOM)" -c "ROLLBACK" >/dev/null 2>>"$out/w$1.log"
		else
			psql -X -q -d $db -c "SELECT ceptoar_ref.change($RANDOM)" >/dev/null 2>>"$out/w$1.log"
		fi
		sleep 0.0$((RANDOM % 9))
	done
}
# a transaction that spans others' commits and a TRUNCATE of the log (which waits for it):
# two changes apart, the first in a savepoint that is rolled back half the time
slow_writer() {
	while [ "$(date +%s)" -lt $end ]; do
		psql -X -q -d $db -c "BEGIN" -c "SAVEPOINT a" -c "SELECT ceptoar_ref.change($RANDOM)" \
			-c "$([ $((RANDOM % 2)) = 0 ] && echo 'ROLLBACK TO a' || echo 'RELEASE a')" \
			-c "SELECT pg_sleep(random() * 0.8)" -c "SELECT ceptoar_ref.change($RANDOM)" \
			-c "COMMIT" >/dev/null 2>>"$out/w3.log"
		sleep 0.$((RANDOM % 5))
	done
}
# 1,200 instances made or removed at once every 4-9 s: more keys than a delta lays over,
# so the next reader folds the delta into a new image (the graph is small: 60 instances)
bulker() {
	local make=true
	while [ "$(date +%s)" -lt $end ]; do
		sleep $((4 + RANDOM % 6))
		psql -X -q -d $db -c "SELECT ceptoar_ref.bulk($make)" >/dev/null 2>>"$out/b.log" &&
			if [ $make = true ]; then make=false; else make=true; fi
	done
}
truncater() {
	while [ "$(date +%s)" -lt $end ]; do
		psql -X -q -d $db -c "TRUNCATE ceptoar.graph_change" 2>>"$out/t.log"
		if [ -n "${TMAX:-}" ]; then sleep $((1 + RANDOM % TMAX)); else sleep 0.$((RANDOM % 5)); fi
	done
}
reader() {
	while [ "$(date +%s)" -lt $end ]; do
		psql -X -q -d $db -At -c "SET client_min_messages = debug1" \
			-c "BEGIN ISOLATION LEVEL REPEATABLE READ" \
			-c "SELECT 'snap', count(*) FROM ceptoar.service_instance" \
			-c "SELECT pg_sleep(random() * ${RSLEEP:-0.4})" \
			-c "SELECT 'rr1', ceptoar_ref.check()" \
			-c "SELECT 'detail', pg_current_snapshot(), ceptoar_ref.check_detail()" \
			-c "SELECT pg_sleep(random() * 0.3)" \
			-c "SELECT 'rr2', ceptoar_ref.check()" \
			-c "COMMIT" >>"$out/r$1.log" 2>&1
	done
}
writer 1 &
writer 2 &
slow_writer &
bulker &
[ -n "${NOTRUNC:-}" ] || truncater &
for r in 1 2 3 4 5 6; do reader $r & done
wait

checks=$(cat "$out"/r*.log | grep -c '^rr')
bad=$(cat "$out"/r*.log | grep '^rr' | grep -vc '|0$')
echo "# $checks comparisons in REPEATABLE READ, $bad with differences"
echo "# graphs of the first comparisons: $(cat "$out"/r*.log | grep -c 'changed keys (') with changes laid over the image," \
	"$(cat "$out"/r*.log | grep -c 'folded into') folded, $(cat "$out"/r*.log | grep -c 'read from the shared image in') the image as is," \
	"$(cat "$out"/r*.log | grep -c 'read from the tables') from the tables"
grep -h ERROR "$out"/*.log | sort | uniq -c
dropdb --if-exists $db
[ "$bad" = 0 ]
