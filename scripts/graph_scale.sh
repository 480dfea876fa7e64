#!/usr/bin/env bash
# scripts/graph_scale.sh: the impact engine's graph at scale, for measuring (not a test).
#
#   bash scripts/graph_scale.sh setup DB SCALE   # a database with bench/impact.sh's part A graph
#                                                # (SCALE 0.1: 100k/990k dependencies ... 1: 1M/9.9M)
#   bash scripts/graph_scale.sh memory DB        # RssAnon growth of a new backend over a hub call
#   bash scripts/graph_scale.sh times DB         # cached hub and leaf, first call (REPS)
#   bash scripts/graph_scale.sh change DB        # leaf after a one-row change in another session
#   bash scripts/graph_scale.sh churn DB         # hub while another session changes a row every 2 s
#   bash scripts/graph_scale.sh idle DB          # hub right after another call, and after IDLE s idle
#
# The graph is bench/impact_graph.sql's (with bench/impact_setup.sql's helpers), ten
# times bench/impact.sh's SCALE: SCALE 1 here is 1,000,000 instances and 9,900,000
# dependencies.  Runs against the server in PGHOST/PGPORT as a superuser.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
BEGAN="2024-01-15 09:00+09"
cmd=$1 db=$2
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
scaled() { awk -v x="$1" -v s="$SCALE" -v lo="$2" 'BEGIN { v = int(x * s + 0.5); print (v < lo ? lo : v) }'; }

case $cmd in
setup)
	SCALE=$3
	N=$(scaled 1000000 100); M=$(scaled 9900000 500); FAN=$(scaled 10000 2)
	BACK=$(awk -v m="$M" 'BEGIN { print int(m / 100 + 0.5) }')
	dropdb --if-exists "$db"; createdb "$db"
	sql -c "CREATE EXTENSION ceptoar_registry CASCADE" -c "ALTER DATABASE \"$db\" SET jit = off" \
		-c "ALTER DATABASE \"$db\" SET timezone = 'Asia/Tokyo'" 2>/dev/null
	sql -f "$repo/bench/impact_setup.sql" >/dev/null
	sql -v n="$N" -v m="$M" -v fan="$FAN" -v back="$BACK" -f "$repo/bench/impact_graph.sql" >/dev/null
	sql -c "CHECKPOINT"
	echo "$db: $(sql -c "SELECT (SELECT count(*) FROM ceptoar.service_instance) || ' instances, ' ||
		(SELECT count(*) FROM ceptoar.dependency) || ' dependencies'")"
	;;
memory)
	# a new session: RssAnon (kB) after loading the library, after the first hub call,
	# after a second hub call and a leaf call
	n=$(sql -c "SELECT max(id) FROM ceptoar.service_instance")
	rss="SELECT (regexp_match(pg_read_file('/proc/self/status'), 'RssAnon:\s+(\d+)'))[1]"
	hwm="SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]"
	sql -c "LOAD 'ceptoar_registry'" -c "$rss" \
		-c "SELECT count(*) FROM ceptoar.impact(1::bigint, '$BEGAN', '30 days', horizon => '60 days')" -c "$rss" \
		-c "SELECT count(*) FROM ceptoar.impact(1::bigint, '$BEGAN', '30 days', horizon => '60 days')" \
		-c "SELECT count(*) FROM ceptoar.impact($n::bigint, '$BEGAN', '30 days', horizon => '60 days')" -c "$rss" -c "$hwm" |
		tr '\n' ' ' | awk '{ printf "RssAnon kB: library %d, after hub %d (+%d), after hub+leaf %d (+%d); hub rows %d; VmHWM %d kB\n", $1, $3, $3 - $1, $6, $6 - $1, $2, $7 }'
	;;
times)
	# REPS (default 7) rounds in one session, order alternating: impact(hub) and
	# impact(leaf), cached; then REPS first calls of new sessions (image current).
	# Server-side times (bench.time_ms), medians with ranges.
	REPS=${REPS:-7}
	n=$(sql -c "SELECT max(id) FROM ceptoar.service_instance")
	hub="SELECT count(*) FROM ceptoar.impact(1::bigint, '$BEGAN', '30 days', horizon => '60 days')"
	leaf="SELECT count(*) FROM ceptoar.impact($n::bigint, '$BEGAN', '30 days', horizon => '60 days')"
	sql -c "DELETE FROM bench.results WHERE part = 'S'"
	{
		for rep in $(seq 0 "$REPS"); do
			if (( rep % 2 )); then order="hub leaf"; else order="leaf hub"; fi
			for l in $order; do
				if [ "$l" = hub ]; then st=$hub; else st=$leaf; fi
				printf "SELECT bench.time_ms('S', '%s', %s, \$b\$%s\$b\$);\n" "$l" "$rep" "$st"
			done
		done
	} | sql >/dev/null
	for rep in $(seq 1 "$REPS"); do
		sql -c "SELECT bench.time_ms('S', 'first', $rep, \$b\$$hub\$b\$)" >/dev/null
		# a one-row change, then the first call of a new session (the image and the change)
		sql -c "UPDATE ceptoar.dependency SET buffer = buffer + interval '1 minute' WHERE dependent = $n AND supplier = (SELECT min(supplier) FROM ceptoar.dependency WHERE dependent = $n)"
		sql -c "SELECT bench.time_ms('S', 'first after a change', $rep, \$b\$$hub\$b\$)" >/dev/null
	done
	sql -c "SELECT label || ': median ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) ||
		' ms (' || round(min(ms)::numeric, 2) || '-' || round(max(ms)::numeric, 2) || ', ' || count(*) || ' runs)'
		FROM bench.results WHERE part = 'S' AND rep > 0 GROUP BY label ORDER BY label"
	;;
change)
	# One session: REPS (default 20) rounds of: another connection (psql's \!) updates
	# one dependency's buffer and commits; then impact(leaf) (the first call after the
	# change: the image and the changed keys), then impact(leaf) again (cached).
	REPS=${REPS:-20}
	n=$(sql -c "SELECT max(id) FROM ceptoar.service_instance")
	leaf="SELECT count(*) FROM ceptoar.impact($n::bigint, '$BEGAN', '30 days', horizon => '60 days')"
	sql -c "DELETE FROM bench.results WHERE part = 'C'"
	{
		echo "SELECT count(*) FROM ceptoar.impact(1::bigint, '$BEGAN', '30 days', horizon => '60 days');"
		for rep in $(seq 1 "$REPS"); do
			x=$(( (rep * 7919) % (n - 2) + 2 ))
			echo "\\! psql -X -q -d $db -c \"UPDATE ceptoar.dependency SET buffer = buffer + interval '1 minute' WHERE dependent = $x AND supplier = (SELECT min(supplier) FROM ceptoar.dependency WHERE dependent = $x)\""
			printf "SELECT bench.time_ms('C', 'leaf after a change', %s, \$b\$%s\$b\$);\n" "$rep" "$leaf"
			printf "SELECT bench.time_ms('C', 'leaf cached', %s, \$b\$%s\$b\$);\n" "$rep" "$leaf"
		done
	} | sql >/dev/null
	sql -c "SELECT label || ': median ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) ||
		' ms (' || round(min(ms)::numeric, 2) || '-' || round(max(ms)::numeric, 2) || ', ' || count(*) || ' runs)'
		FROM bench.results WHERE part = 'C' GROUP BY label ORDER BY label"
	;;
churn)
	# impact(hub) REPS (default 15) times in one session, cached (no change), then REPS
	# times while another session updates one dependency's buffer every 2 seconds
	# (PERIOD), alternating by blocks of 5; medians with ranges.
	REPS=${REPS:-15}; PERIOD=${PERIOD:-2}
	n=$(sql -c "SELECT max(id) FROM ceptoar.service_instance")
	hub="SELECT count(*) FROM ceptoar.impact(1::bigint, '$BEGAN', '30 days', horizon => '60 days')"
	sql -c "DELETE FROM bench.results WHERE part = 'H'"
	flag=$(mktemp)
	churner() {
		local k=0 x
		while [ -e "$flag" ]; do
			if [ "$(cat "$flag")" = on ]; then
				k=$((k + 1)); x=$(( (k * 104729) % (n - 2) + 2 ))
				psql -X -q -d "$db" -c "UPDATE ceptoar.dependency SET buffer = buffer + interval '1 minute' WHERE dependent = $x AND supplier = (SELECT min(supplier) FROM ceptoar.dependency WHERE dependent = $x)"
			fi
			sleep "$PERIOD"
		done
	}
	echo off >"$flag"; churner & cpid=$!
	{
		echo "$hub;"
		for blk in $(seq 1 $(( (REPS + 4) / 5 ))); do
			for mode in cached churn; do
				if [ "$mode" = churn ]; then echo "\\! echo on > $flag"; else echo "\\! echo off > $flag; sleep $PERIOD"; fi
				echo "$hub;"
				for r in 1 2 3 4 5; do
					printf "SELECT bench.time_ms('H', 'hub %s', %s, \$b\$%s\$b\$);\n" "$mode" "$(( (blk - 1) * 5 + r ))" "$hub"
				done
			done
		done
		echo "\\! echo off > $flag"
	} | sql >/dev/null
	rm -f "$flag"; wait "$cpid" || true
	sql -c "SELECT label || ': median ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) ||
		' ms (' || round(min(ms)::numeric, 1) || '-' || round(max(ms)::numeric, 1) || ', p90 ' ||
		round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::numeric, 1) || ', ' || count(*) || ' runs)'
		FROM bench.results WHERE part = 'H' GROUP BY label ORDER BY label"
	;;
idle)
	# One session: REPS (default 10) rounds of impact(hub) right after the previous call,
	# then after IDLE (default 3) seconds of the session idle.  Memory a call faults in
	# afresh costs more after a pause on a virtual machine whose host takes freed pages
	# back (free page reporting); the caches are colder too.  Medians with ranges.
	REPS=${REPS:-10}; IDLE=${IDLE:-3}
	hub="SELECT count(*) FROM ceptoar.impact(1::bigint, '$BEGAN', '30 days', horizon => '60 days')"
	sql -c "DELETE FROM bench.results WHERE part = 'I'"
	{
		echo "$hub;"
		for rep in $(seq 1 "$REPS"); do
			printf "SELECT bench.time_ms('I', 'hub right after a call', %s, \$b\$%s\$b\$);\n" "$rep" "$hub"
			echo "SELECT pg_sleep($IDLE);"
			printf "SELECT bench.time_ms('I', 'hub after %s s idle', %s, \$b\$%s\$b\$);\n" "$IDLE" "$rep" "$hub"
		done
	} | sql >/dev/null
	sql -c "SELECT label || ': median ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) ||
		' ms (' || round(min(ms)::numeric, 1) || '-' || round(max(ms)::numeric, 1) || ', ' || count(*) || ' runs)'
		FROM bench.results WHERE part = 'I' GROUP BY label ORDER BY label"
	;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
