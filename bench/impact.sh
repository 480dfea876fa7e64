#!/usr/bin/env bash
# bench/impact.sh: how fast ceptoar.impact() is, how it grows with the graph,
# what a change of the graph costs the next call, and how it compares with
# what a user would write without it.
#
#   bash bench/impact.sh                                            # own throw-away server (pg_virtualenv)
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres bash bench/impact.sh    # a running server
#   SCALE=full bash bench/impact.sh                                 # adds the 1M-instance graph
#
# Graphs (bench/impact_graph.sql), no geometry: n service instances and 9.9 n
# dependencies: a hub supplying n/100 instances, a random DAG over the rest in
# which every instance is reachable from the hub, 1 % back edges making cycles;
# buffers 0-6 h; a leaf that supplies nothing.  A 30-day failure with a 60-day
# horizon, so every dependency passes and impact(hub) returns all n instances.
#
# S. The scale table, for each size of SCALE (10k/99k and 100k/990k; SCALE=full
#    adds 1M/9.9M):
#      - impact(hub), first call of a new session (new connection per
#        repetition; loading the library and the graph image another session
#        left are counted, connection start-up is not), with the backend's
#        private memory: RssAnon (/proc/<backend>/status) after the call minus
#        before it;
#      - in one session, rounds in alternating order of: impact(hub) and
#        impact(leaf) with the graph cached; the same right after a one-row
#        change of ceptoar.dependency committed by another session (psql's \!
#        runs it between two statements of the timed session): the first call
#        after a change, which today reloads the graph;
#      - the churn case, at the largest size of the run: another session
#        commits a one-row change every CHURN_EVERY seconds (default 2) while
#        impact(hub) is timed again and again in one session, at least C_REPS
#        times and for at least CHURN_SECONDS (default 30); against the cached
#        time.
#    A "one-row change" updates one dependency (the leaf's first supplier),
#    toggling its buffer between 1 and 2 minutes: every result keeps its rows.
# A. At 100k/990k (10k with SCALE=small), the comparison: a recursive CTE
#    (reachability only), a PL/pgSQL label-correcting earliest-onset loop
#    (bench.earliest in bench/impact_setup.sql) and pgRouting's
#    pgr_drivingDistance (supplier -> dependent, cost = buffer in seconds).
#    Those read the tables on every call, as impact() does on its first call
#    after a change: each is set against impact()'s first call after a change
#    (like with like) and against its cached call, both reported.  Also
#    impact(hub) cached with work_mem 64MB (its 100,000 rows not spilled).
#    Checks (MISMATCH, exit 1): the same rows from every method; with
#    VERIFY=1, impact's onsets equal the PL/pgSQL loop's and pgRouting's
#    agg_cost for every instance.
# B. Geometry: 20,000 service areas in Japan (bench/impact_areas.sql), each
#    depending (mode area, buffer 0) on a national instance whose area is
#    Japan's bounding box; a prefecture-sized footprint (Aichi from
#    ../shared/data/japan_prefectures_s0001.geojson, else a ~100 km box).
#    impact(national, footprint) with the graph cached against the best
#    hand-written PostGIS query (GiST && + ST_Intersects, ST_Intersection
#    computed once per row, the population share with the same geodesic area
#    as impact()); target impact/hand <= 1.1.  Check (MISMATCH, exit 1): both
#    return the same instances.
#
# Targets are the issue's, on this machine: met or MISSED on the median, with
# the range (min-max) of the repetitions next to it; nothing is scaled.
#
# Timing: server-side (clock_timestamp() around EXECUTE in bench.time_ms),
# except first calls: psql's \timing of the first statement of a new
# connection.  Every case reports its median, min-max and the backend's CPU
# time (/proc/self/schedstat, else /proc/self/stat; the kernel updates a
# running task's either at scheduler ticks, so a short call reads 0 or a tick:
# the mean over the repetitions is reported).  Sequences alternate their order from round to round.  JIT is off
# (ALTER DATABASE ... SET jit = off); parallel query is left at the server's
# setting (impact() is single-threaded; the others may use workers).  The role
# must be a superuser (CREATE EXTENSION, /proc/self/*).
#
# Environment: SCALE (small: 10k only; default: 10k and 100k; full: 10k, 100k
# and 1M), REPS (repetitions of the comparison queries, default 3), I_REPS (of
# impact()'s own cases, default 5 x REPS), I_REPS_1M (the same at 1M, default 3),
# C_REPS and CHURN_SECONDS (the churn case: at least so many calls and seconds,
# default 15 and 30), CHURN_EVERY (seconds, default 2), IDLE (seconds a session sleeps
# before the hub call of the idle case, default 3), B_REPS (part B, default
# 5 x REPS), VERIFY (1: compare onsets row by row, default 1), STRICT (1: exit 2
# when a target is missed, default 0), PGROUTING (0: skip pgRouting), KEEP (1:
# keep the database), CEPTOAR_DATA (directory of the prefectures file).
# Installs postgresql-15-pgrouting with apt-get when missing (as root or via
# sudo).  Makes its own database and drops it.  Prints the results and writes
# them as markdown to bench/out/impact.md.
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
PGROUTING=${PGROUTING:-1}

# pgRouting, installed before the throw-away cluster starts (once)
if [ "$PGROUTING" = 1 ] && [ -z "${CEPTOAR_BENCH_IMPACT_IN_VENV:-}" ] && command -v dpkg-query >/dev/null &&
	! dpkg-query -W -f='${Status}' "postgresql-$PG_MAJOR-pgrouting" 2>/dev/null | grep -q "install ok installed"; then
	# shellcheck source=../scripts/lib.sh
	. "$repo/scripts/lib.sh"
	ensure_packages "postgresql-$PG_MAJOR-pgrouting"
fi

if [ -z "${PGPORT:-}" ]; then
	export CEPTOAR_BENCH_IMPACT_IN_VENV=1
	exec pg_virtualenv -t -v "$PG_MAJOR" bash "$0" "$@"
fi

SCALE=${SCALE:-default}
REPS=${REPS:-3}
VERIFY=${VERIFY:-1}
STRICT=${STRICT:-0}
KEEP=${KEEP:-0}
CHURN_EVERY=${CHURN_EVERY:-2}
IDLE=${IDLE:-3}
posint() { case $2 in '' | *[!0-9]* | 0) echo "$1 must be a positive number" >&2; exit 2 ;; esac; }
posint REPS "$REPS"
I_REPS=${I_REPS:-$((5 * REPS))}
posint I_REPS "$I_REPS"
B_REPS=${B_REPS:-$((5 * REPS))}
posint B_REPS "$B_REPS"
C_REPS=${C_REPS:-15}
posint C_REPS "$C_REPS"
CHURN_SECONDS=${CHURN_SECONDS:-30}
posint CHURN_SECONDS "$CHURN_SECONDS"
posint CHURN_EVERY "$CHURN_EVERY"
posint IDLE "$IDLE"
case $SCALE in
small) SIZES="10000"; A_N=10000; NAREAS=2000 ;;
default) SIZES="10000 100000"; A_N=100000; NAREAS=20000 ;;
full) SIZES="10000 100000 1000000"; A_N=100000; NAREAS=20000 ;;
*) echo "SCALE must be small, default or full" >&2; exit 2 ;;
esac
LARGEST=${SIZES##* }
BEGAN="2024-01-15 09:00+09"
HUB=1

db=ceptoar_bench_impact_$$
outdir=$here/out
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ceptoar-bench-impact.XXXXXX")
cleanup() {
	rm -f "$tmp/churn.on"
	if [ -n "${churn_pid:-}" ]; then wait "$churn_pid" 2>/dev/null || true; fi
	if [ "$KEEP" = 1 ]; then echo "kept database $db" >&2
	else dropdb --if-exists "$db" >/dev/null 2>&1 || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail=0
mismatch() { echo "MISMATCH: $*" >&2; fail=1; }
human() { awk -v n="$1" 'BEGIN { if (n >= 1000000) printf "%gM", n / 1000000; else if (n >= 1000) printf "%gk", n / 1000; else print n }'; }

say "database $db; SCALE $SCALE: graphs of $(for n in $SIZES; do printf '%s ' "$(human "$n")"; done)instances; comparisons at $(human "$A_N"); $NAREAS areas"
createdb "$db"
sql -c "CREATE EXTENSION ceptoar_registry CASCADE" \
	-c "ALTER DATABASE \"$db\" SET jit = off" \
	-c "ALTER DATABASE \"$db\" SET timezone = 'Asia/Tokyo'"
have_pgr=0
if [ "$PGROUTING" = 1 ]; then
	if sql -c "CREATE EXTENSION pgrouting" 2>"$tmp/pgr.err"; then have_pgr=1
	else say "pgRouting not available, its rows are skipped: $(head -1 "$tmp/pgr.err")"; fi
fi
sql -f "$here/impact_setup.sql"

stmt_hub() { echo "SELECT count(*) FROM ceptoar.impact($HUB::bigint, '$BEGAN', '30 days', horizon => '60 days')"; }
stmt_leaf() { echo "SELECT count(*) FROM ceptoar.impact($1::bigint, '$BEGAN', '30 days', horizon => '60 days')"; }
# one-row change, committed by its own session: the leaf's first supplier's buffer, 1 <-> 2 min
change_sql() {
	echo "UPDATE ceptoar.dependency SET buffer = CASE WHEN buffer = '1 min' THEN interval '2 min' ELSE interval '1 min' END
	      WHERE dependent = $1 AND supplier = (SELECT min(supplier) FROM ceptoar.dependency WHERE dependent = $1)"
}

# impact(hub) as the first statement of a new connection: part, label, rep.
# Records psql's \timing, the backend's CPU time and its RssAnon growth.
first_call() {
	local out count ms before after
	out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" \
		-c "SELECT coalesce(bench.rss_anon_kb(), -1) || ' ' || coalesce(bench.cpu_ms(), -1)" \
		-c '\timing on' -c "$(stmt_hub)" -c '\timing off' \
		-c "SELECT coalesce(bench.rss_anon_kb(), -1) || ' ' || coalesce(bench.cpu_ms(), -1)")
	before=$(sed -n 1p <<<"$out")
	count=$(sed -n 2p <<<"$out")
	ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out")
	after=$(tail -n 1 <<<"$out")
	[ -n "$ms" ] || { echo "no timing in: $out" >&2; exit 1; }
	read -r rss cpu < <(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ");
		print ((x[1] < 0 || y[1] < 0) ? "NULL" : y[1] - x[1]), ((x[2] < 0 || y[2] < 0) ? "NULL" : y[2] - x[2]) }')
	sql -c "INSERT INTO bench.results (part, label, rep, ms, result, cpu_ms, rss_kb) VALUES ('$1', '$2', $3, $ms, '$count', $cpu, $rss)"
	printf '   %-44s %s %10s ms  -> %s  (+%s kB RssAnon)\n' "$2" "$([ "$3" = 0 ] && echo warm-up || printf 'rep %-3s' "$3")" "$ms" "$count" "$rss" >&2
}

# One timed session: part, reps, labels; rounds 0 (warm-up) .. reps, the order
# reversed every other round.  A label ending in _changed is preceded by a
# one-row change committed by another session (psql's \! between statements).
timed_session() {
	local part=$1 reps=$2 labels=$3 rep l order
	{
		for rep in $(seq 0 "$reps"); do
			order=$labels
			((rep % 2)) || order=$(tr ' ' '\n' <<<"$labels" | tac | tr '\n' ' ')
			for l in $order; do
				case $l in
				*_changed) printf '\\! psql -X -q -d %s -c "%s"\n' "$db" "$(change_sql "$LEAF" | tr '\n' ' ')" ;;
				*_idle) printf 'SELECT pg_sleep(%s);\n' "$IDLE" ;;
				esac
				printf "SELECT bench.time_ms('%s', '%s', %s, \$bench\$%s\$bench\$);\n" "$part" "$l" "$rep" "$(stmt "$l")"
			done
		done
	} | sql | sed 's/^/  /' >&2
}
stmt() { local l=${1%_changed}; case ${l%_idle} in hub) stmt_hub ;; leaf) stmt_leaf "$LEAF" ;; hub_wm) echo "$q_hub_wm" ;;
	cte) echo "$q_cte" ;; plpgsql) echo "$q_plpgsql" ;; pgr_hub) echo "$q_pgr_hub" ;; pgr_leaf) echo "$q_pgr_leaf" ;;
	churn) stmt_hub ;; hand) echo "$q_hand" ;; fp) echo "$q_fp" ;; esac; }

# --------------------------------------------------------------------------
# S and A: the graphs without geometry
for N in $SIZES; do
	M=$((N * 99 / 10))
	FAN=$((N / 100))
	BACK=$(((M + 50) / 100))
	LEAF=$N
	S="S$N"
	[ "$N" = "${SIZES%% *}" ] || sql -c "TRUNCATE ceptoar.service_instance CASCADE"
	say "S $(human "$N"): generating $N instances and $M dependencies"
	t0=$(date +%s)
	sql -v n="$N" -v m="$M" -v fan="$FAN" -v back="$BACK" -f "$here/impact_graph.sql"
	IFS='|' read -r n_inst n_dep hub_out leaf_out size_dep < <(sql -c "
		SELECT (SELECT count(*) FROM ceptoar.service_instance), (SELECT count(*) FROM ceptoar.dependency),
		       (SELECT count(*) FROM ceptoar.dependency WHERE supplier = $HUB),
		       (SELECT count(*) FROM ceptoar.dependency WHERE supplier = $LEAF),
		       pg_size_pretty(pg_total_relation_size('ceptoar.dependency'))")
	say "S $(human "$N"): generated in $(($(date +%s) - t0)) s: $n_inst instances, $n_dep dependencies ($size_dep with indexes); hub supplies $hub_out, leaf $leaf_out"
	# the generation left dirty pages: written now, not while timing
	sql -c "CHECKPOINT" >/dev/null
	[ "$n_inst" = "$N" ] && [ "$n_dep" = "$M" ] || { echo "generated $n_inst instances, $n_dep dependencies; expected $N, $M" >&2; exit 1; }
	echo "$N|$M|$size_dep|$hub_out" >>"$tmp/sizes"

	reps=$I_REPS
	[ "$N" -lt 1000000 ] || reps=${I_REPS_1M:-3}
	say "S $(human "$N"): impact(hub) as the first call of a new session (graph image current), $reps + 1 connections"
	for rep in $(seq 0 "$reps"); do first_call "$S" first "$rep"; done
	say "S $(human "$N"): one session: hub and leaf, cached and right after a one-row change by another session, $reps rounds"
	timed_session "$S" "$reps" "hub hub_changed leaf leaf_changed hub_idle"

	if [ "$N" = "$LARGEST" ]; then
		say "S $(human "$N"): churn: a one-row change every $CHURN_EVERY s by another session; impact(hub) at least $C_REPS times and for at least $CHURN_SECONDS s"
		touch "$tmp/churn.on"
		(
			k=0
			while [ -e "$tmp/churn.on" ]; do
				psql -X -q -d "$db" -c "$(change_sql "$LEAF")" >/dev/null 2>&1 || true
				k=$((k + 1))
				echo "$k" >"$tmp/churn.count"
				sleep "$CHURN_EVERY"
			done
		) &
		churn_pid=$!
		# one statement at a time (a coprocess), so that the run lasts as long as asked
		coproc CHURN { sql; }
		t0=$(date +%s)
		rep=0
		while :; do
			printf "SELECT bench.time_ms('%s', 'churn', %s, \$bench\$%s\$bench\$);\n" "$S" "$rep" "$(stmt_hub)" >&"${CHURN[1]}"
			IFS= read -r line <&"${CHURN[0]}"
			printf '  %s\n' "$line" >&2
			rep=$((rep + 1))
			if [ "$rep" -gt "$C_REPS" ] && [ $(($(date +%s) - t0)) -ge "$CHURN_SECONDS" ]; then break; fi
			[ "$rep" -lt 5000 ] || break
		done
		eval "exec ${CHURN[1]}>&-"
		# shellcheck disable=SC2153 # set by coproc
		wait "$CHURN_PID" 2>/dev/null || true
		rm -f "$tmp/churn.on"
		wait "$churn_pid" || true
		churn_pid=
		churn_changes=$(cat "$tmp/churn.count" 2>/dev/null || echo 0)
		churn_size=$N
		churn_calls=$((rep - 1))
		say "S $(human "$N"): churn: $churn_changes changes committed during $churn_calls calls"
	fi

	if [ "$N" = "$A_N" ]; then
		A_M=$M A_BACK=$BACK A_LEAF=$LEAF A_size_dep=$size_dep A_hub_out=$hub_out A_leaf_out=$leaf_out
		# the same with work_mem 64MB for this statement only (set before impact() runs: its
		# argument refers to the setting), so that the result rows stay in memory
		q_hub_wm="SELECT count(*) FROM (SELECT set_config('work_mem', '64MB', true)) AS w(v),
		  LATERAL ceptoar.impact($HUB::bigint, '$BEGAN'::timestamptz + length(w.v) * interval '0', '30 days', horizon => '60 days')"
		q_cte="WITH RECURSIVE r(id) AS (SELECT $HUB::bigint UNION SELECT d.dependent FROM r JOIN ceptoar.dependency d ON d.supplier = r.id) SELECT count(*) FROM r"
		q_plpgsql="SELECT count(*) FROM bench.earliest($HUB, '$BEGAN', '30 days', '60 days')"
		pgr_edges="SELECT row_number() OVER () AS id, supplier AS source, dependent AS target, extract(epoch FROM buffer)::float8 AS cost FROM ceptoar.dependency"
		q_pgr_hub="SELECT count(*) FROM pgr_drivingDistance('$pgr_edges', $HUB, 2592000, directed => true)"
		q_pgr_leaf="SELECT count(*) FROM pgr_drivingDistance('$pgr_edges', $LEAF, 2592000, directed => true)"
		say "A: impact(hub) cached with work_mem 64MB, one session"
		timed_session A "$I_REPS" "hub hub_wm"
		a_labels="cte plpgsql"
		[ "$have_pgr" = 1 ] && a_labels="$a_labels pgr_hub pgr_leaf"
		say "A: the alternatives, one session"
		timed_session A "$REPS" "$a_labels"

		if [ "$VERIFY" = 1 ]; then
			say "A: checking onsets, instance by instance (impact against PL/pgSQL and pgRouting)"
			d_plpgsql=$(sql -c "
				SELECT count(*) FROM ceptoar.impact($HUB::bigint, '$BEGAN', '30 days', horizon => '60 days') i
				FULL JOIN bench.earliest($HUB, '$BEGAN', '30 days', '60 days') e ON e.instance = i.instance
				WHERE i.onset IS DISTINCT FROM e.onset")
			[ "$d_plpgsql" = 0 ] || mismatch "$d_plpgsql instances with a different onset in impact() and the PL/pgSQL loop"
			if [ "$have_pgr" = 1 ]; then
				d_pgr=$(sql -c "
					SELECT count(*) FROM ceptoar.impact($HUB::bigint, '$BEGAN', '30 days', horizon => '60 days') i
					FULL JOIN pgr_drivingDistance('$pgr_edges', $HUB, 2592000, directed => true) p ON p.node = i.instance
					WHERE p.node IS NULL OR i.instance IS NULL
					   OR extract(epoch FROM i.onset - '$BEGAN'::timestamptz) <> p.agg_cost")
				[ "$d_pgr" = 0 ] || mismatch "$d_pgr instances with a different onset in impact() and pgRouting's agg_cost"
			fi
			IFS='|' read -r max_depth max_onset < <(sql -c "
				SELECT max(depth), max(onset) - '$BEGAN'::timestamptz
				FROM ceptoar.impact($HUB::bigint, '$BEGAN', '30 days', horizon => '60 days')")
			say "A: onsets agree; deepest instance $max_depth dependencies from the hub, latest onset after $max_onset"
		fi
	fi
done

# --------------------------------------------------------------------------
# B. geometry
say "B: TRUNCATE, generating $NAREAS service areas"
sql -c "TRUNCATE ceptoar.service_instance CASCADE"
pref=
for d in "${CEPTOAR_DATA:-}" /work/shared/data "$repo/../shared/data"; do
	if [ -n "$d" ] && [ -r "$d/japan_prefectures_s0001.geojson" ]; then pref=$d/japan_prefectures_s0001.geojson; break; fi
done
if [ -n "$pref" ]; then have_pref=true; else have_pref=false; fi
t0=$(date +%s)
sql -v nareas="$NAREAS" -v have_pref="$have_pref" -v preffile="$pref" -f "$here/impact_areas.sql"
IFS='|' read -r fp fp_name fp_km2 fp_points n_box n_hit < <(sql -c "
	SELECT f.g, f.name, round(ST_Area(f.g::geography)::numeric / 1e6), ST_NPoints(f.g),
	       (SELECT count(*) FROM ceptoar.service_instance s WHERE s.id <> 1 AND s.area && f.g),
	       (SELECT count(*) FROM ceptoar.service_instance s WHERE s.id <> 1 AND ST_Intersects(s.area, f.g))
	FROM bench.footprint f")
say "B: generated in $(($(date +%s) - t0)) s; footprint: $fp_name, $fp_km2 km2, $fp_points points; areas: $n_box with overlapping boxes, $n_hit intersecting"
sql -c "CHECKPOINT" >/dev/null

q_fp="SELECT format('%s rows, population %s, %s areas', count(*), sum(population), count(area))
  FROM ceptoar.impact(1::bigint, '$BEGAN', '1 day', '$fp'::geometry) WHERE instance <> 1"
# The geodesic area in impact()'s population share, written as a user would:
# the EASE-Grid form of docs/impact-semantics.md (rule 5), or ST_Area(geography)
# (the rule before it); the one that reproduces impact()'s populations is timed.
area_geog() { echo "ST_Area(($1)::geography)"; }
area_ease() { echo "ST_Area(ST_Transform(ST_Segmentize($1, 0.01), 6933))"; }
hand_rows() { # area function: the hand-written query's rows (id, area, population)
	echo "SELECT s.id, ST_Multi(c.clip) AS area,
         round(s.population::float8 * $($1 c.clip) / $($1 s.area))::bigint AS population
  FROM ceptoar.service_instance s
  CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(s.area, '$fp'::geometry), 3) AS clip OFFSET 0) c
  WHERE s.area && '$fp'::geometry AND ST_Intersects(s.area, '$fp'::geometry) AND s.id <> 1"
}
compare_b() { # area function: instances only in impact, only in the hand-written query, populations off by > 1
	sql -c "
	WITH i AS (SELECT instance AS id, population FROM ceptoar.impact(1::bigint, '$BEGAN', '1 day', '$fp'::geometry) WHERE instance <> 1),
	     h AS ($(hand_rows "$1"))
	SELECT count(*) FILTER (WHERE h.id IS NULL), count(*) FILTER (WHERE i.id IS NULL),
	       count(*) FILTER (WHERE abs(i.population - h.population) > 1)
	FROM i FULL JOIN h ON h.id = i.id"
}
IFS='|' read -r b_only_impact b_only_hand b_pop_diff < <(compare_b area_ease)
area_fn=area_ease
area_name="ST_Area(ST_Transform(ST_Segmentize(g, 0.01), 6933))"
if [ "$b_pop_diff" != 0 ]; then
	IFS='|' read -r g_only_impact g_only_hand g_pop_diff < <(compare_b area_geog)
	if [ "$g_pop_diff" -lt "$b_pop_diff" ]; then
		area_fn=area_geog
		area_name="ST_Area(geography)"
		b_only_impact=$g_only_impact b_only_hand=$g_only_hand b_pop_diff=$g_pop_diff
	fi
fi
say "B: hand-written population share with $area_name; $b_pop_diff populations differ from impact() by more than 1"
if [ "$b_only_impact" != 0 ] || [ "$b_only_hand" != 0 ]; then
	mismatch "B: $b_only_impact instances only in impact(), $b_only_hand only in the hand-written query"
fi

q_hand="SELECT format('%s rows, population %s, %s areas', count(*), sum(population), count(area)) FROM (
  $(hand_rows "$area_fn")) q"
say "B: impact(national, footprint) cached against the hand-written query, one session"
timed_session B "$B_REPS" "fp hand"

# --------------------------------------------------------------------------
# report
# one row per part and label: median, min, max, results (min, max), CPU mean, RssAnon median (kB), reps
summary=$(sql -F $'\t' -c "
	SELECT part, label, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), min(ms), max(ms),
	       min(result), max(result), avg(cpu_ms),
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY rss_kb), count(*),
	       CASE WHEN count(*) <= 40 THEN string_agg(round(ms::numeric, 1)::text, ', ' ORDER BY seq)
	            ELSE (SELECT string_agg(round(r.ms::numeric, 1)::text, ', ' ORDER BY r.seq)
	                  FROM (SELECT ms, seq FROM bench.results r2
	                        WHERE r2.part = bench.results.part AND r2.label = bench.results.label AND r2.rep > 0
	                        ORDER BY seq LIMIT 40) r) || format(', ... (%s in all)', count(*)) END
	FROM bench.results WHERE rep > 0 GROUP BY part, label")
val() { awk -F '\t' -v p="$1" -v l="$2" -v c="$3" '$1 == p && $2 == l { print $c }' <<<"$summary"; }
# "49 (45-70)" in ms, with decimals below 10 ms
mr() { awk -v m="$(val "$1" "$2" 3)" -v lo="$(val "$1" "$2" 4)" -v hi="$(val "$1" "$2" 5)" 'BEGIN {
	if (m == "") { print "—"; exit }
	f = (m < 10) ? "%.2f" : "%.0f"; printf f " (" f "-" f ")", m, lo, hi }'; }
med() { val "$1" "$2" 3; }
cpu() { awk -v c="$(val "$1" "$2" 8)" 'BEGIN { if (c == "") print "—"; else printf (c < 10 ? "%.2f" : "%.0f"), c }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else if (a / b >= 10) printf "%.0f", a / b; else printf "%.2f", a / b }'; }
# the ratio of two measurements with its spread: the medians' ratio (min/max - max/min)
rspread() { awk -v a="$(val "$1" "$2" 3)" -v al="$(val "$1" "$2" 4)" -v ah="$(val "$1" "$2" 5)" \
	-v b="$(val "$3" "$4" 3)" -v bl="$(val "$3" "$4" 4)" -v bh="$(val "$3" "$4" 5)" 'BEGIN {
	if (a == "" || b == "" || b == 0) { print "—"; exit }
	f = (a / b >= 10) ? "%.0f" : "%.2f"; printf f " (" f "-" f ")", a / b, al / bh, ah / bl }'; }
# a target on a median: value, op, threshold, unit -> "met" / "MISSED"; the spread goes next to it
check() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "") { print "—"; exit }
	ok = (op == "<") ? (v < t) : (v <= t); print ok ? "met" : "MISSED" }'; }
target_row() { # text, part, label, op, threshold, unit: a row of the targets table (run in a subshell)
	local v verdict
	v=$(med "$2" "$3")
	verdict=$(check "$v" "$4" "$5")
	printf '%s\t%s %s %s\t%s %s\t%s\n' "$1" "$4" "$5" "$6" "$(mr "$2" "$3")" "$6" "$verdict"
}

# consistency of the results
for part in $(awk -F '\t' '{ print $1 }' <<<"$summary" | sort -u); do
	for l in $(awk -F '\t' -v p="$part" '$1 == p { print $2 }' <<<"$summary"); do
		[ "$(val "$part" "$l" 6)" = "$(val "$part" "$l" 7)" ] || mismatch "$part $l returned different results across repetitions: $(val "$part" "$l" 6) / $(val "$part" "$l" 7)"
	done
done
for N in $SIZES; do
	for l in first hub_changed hub_idle churn; do
		r=$(val "S$N" "$l" 6)
		[ -z "$r" ] || [ "$r" = "$N" ] || mismatch "impact(hub) $l at $N returned $r rows, expected $N"
	done
	[ "$(val "S$N" hub 6)" = "$N" ] || mismatch "impact(hub) cached at $N returned $(val "S$N" hub 6) rows, expected $N"
	[ "$(val "S$N" leaf 6)" = "$(val "S$N" leaf_changed 6)" ] || mismatch "impact(leaf) at $N: $(val "S$N" leaf 6) rows cached, $(val "S$N" leaf_changed 6) after a change"
done
SA="S$A_N"
c_hub=$(val "$SA" hub 6)
[ "$(val A hub_wm 6)" = "$c_hub" ] || mismatch "impact(hub) with work_mem 64MB returned $(val A hub_wm 6) rows, cached $c_hub"
[ "$c_hub" = "$(val A cte 6)" ] || mismatch "impact(hub) returned $c_hub rows, the recursive CTE reaches $(val A cte 6)"
[ "$c_hub" = "$(val A plpgsql 6)" ] || mismatch "impact(hub) returned $c_hub rows, the PL/pgSQL loop reaches $(val A plpgsql 6)"
if [ "$have_pgr" = 1 ]; then
	[ "$c_hub" = "$(val A pgr_hub 6)" ] || mismatch "impact(hub) returned $c_hub rows, pgRouting reaches $(val A pgr_hub 6)"
	[ "$(val "$SA" leaf 6)" = "$(val A pgr_leaf 6)" ] || mismatch "impact(leaf) returned $(val "$SA" leaf 6) rows, pgRouting reaches $(val A pgr_leaf 6)"
fi

# the scale table (the issue's form)
mem() { awk -v k="$(val "S$1" first 9)" 'BEGIN { if (k == "") print "—"; else printf "+%.1f MB", k / 1024 }'; }
mem_range() { sql -c "SELECT format('%s-%s', round(min(rss_kb) / 1024.0, 1), round(max(rss_kb) / 1024.0, 1))
	FROM bench.results WHERE part = 'S$1' AND label = 'first' AND rep > 0"; }
scale_rows=$(
	while IFS='|' read -r n m _ _; do
		printf '%s / %s\t%s\t%s\t%s\t%s (%s)\t%s\t%s\t%s\n' "$(human "$n")" "$(human "$m")" "$(mr "S$n" hub)" "$(mr "S$n" first)" \
			"$(mr "S$n" hub_changed)" "$(mem "$n")" "$(mem_range "$n")" "$(mr "S$n" leaf)" "$(mr "S$n" leaf_changed)" "$(mr "S$n" hub_idle)"
	done <"$tmp/sizes"
)
scale_cpu_rows=$(
	while IFS='|' read -r n m _ _; do
		printf '%s / %s\t%s\t%s\t%s\t%s\t%s\n' "$(human "$n")" "$(human "$m")" "$(cpu "S$n" hub)" "$(cpu "S$n" first)" \
			"$(cpu "S$n" hub_changed)" "$(cpu "S$n" leaf)" "$(cpu "S$n" leaf_changed)"
	done <"$tmp/sizes"
)
growth=""
if [ "$(wc -l <"$tmp/sizes")" -gt 1 ]; then
	growth=$(awk -F '|' '{ print $1 }' "$tmp/sizes" | while read -r n; do printf '%s %s\n' "$n" "$(med "S$n" hub)"; done |
		awk 'NR > 1 { printf "%s%s -> %s: %.1fx", sep, pn, $1, $2 / pv; sep = "; " } { pn = $1; pv = $2 }')
fi
churn_row=$(printf 'impact(hub) at %s, a one-row change every %s s by another session (%s changes during %s calls)\t%s\t%s\t%s\n' \
	"$(human "$churn_size")" "$CHURN_EVERY" "$churn_changes" "$churn_calls" "$(mr "S$churn_size" churn)" "$(mr "S$churn_size" hub)" "$(rspread "S$churn_size" churn "S$churn_size" hub)")

# targets: the issue's, on this machine
targets=$(
	if [ -n "$(med S100000 hub)" ]; then
		target_row "100k: impact(hub), cached" S100000 hub "<" 40 ms
		target_row "100k: impact(hub), first call of a new session" S100000 first "<" 150 ms
		target_row "100k: impact(leaf), cached" S100000 leaf "<" 5 ms
		target_row "100k: impact(leaf), first call after a one-row change by another session" S100000 leaf_changed "<" 5 ms
	fi
	if [ -n "$(med S1000000 hub)" ]; then
		target_row "1M: impact(hub), cached" S1000000 hub "<" 400 ms
		target_row "1M: impact(hub), first call of a new session" S1000000 first "<" 600 ms
		target_row "1M: impact(hub), first call after a one-row change" S1000000 hub_changed "<" 1500 ms
	fi
	for n in 100000 1000000; do
		k=$(val "S$n" first 9)
		[ -n "$k" ] || continue
		lim=$([ "$n" = 100000 ] && echo 5 || echo 20)
		v=$(awk -v k="$k" 'BEGIN { printf "%.1f", k / 1024 }')
		verdict=$(check "$v" "<=" "$lim")
		printf '%s: private memory per backend (RssAnon growth over the first call)\t<= %s MB\t%s MB (%s)\t%s\n' "$(human "$n")" "$lim" "$v" "$(mem_range "$n")" "$verdict"
	done
	if [ "$churn_size" = 1000000 ]; then
		r=$(awk -v a="$(med S1000000 churn)" -v b="$(med S1000000 hub)" 'BEGIN { printf "%.2f", a / b }')
		verdict=$(check "$r" "<=" 1.5)
		printf '1M: impact(hub) under churn / cached\t<= 1.5\t%s\t%s\n' "$(rspread S1000000 churn S1000000 hub)" "$verdict"
	fi
)
r_b=$(ratio "$(med B fp)" "$(med B hand)")
r_b_verdict=$(check "$r_b" "<=" 1.1)
targets=$(printf '%s\nB: impact(footprint) / hand-written PostGIS query\t<= 1.1\t%s\t%s\n' "$targets" "$(rspread B fp B hand)" "$r_b_verdict")
# (the rows were made in subshells: a miss is read back from them)
missed=0
! grep -q MISSED <<<"$targets" || missed=1

# A: the comparison, against impact() after a change (like with like) and cached
a_row() { # text, label, impact label pair (hub or leaf)
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(mr A "$2")" "$(cpu A "$2")" "$(rspread A "$2" "$SA" "${3}_changed")" "$(rspread A "$2" "$SA" "$3")" "$(val A "$2" 6)"
}
a_rows=$(
	printf 'impact(hub), first call after a one-row change\t%s\t%s\t1\t%s\t%s\n' "$(mr "$SA" hub_changed)" "$(cpu "$SA" hub_changed)" "$(rspread "$SA" hub_changed "$SA" hub)" "$(val "$SA" hub_changed 6)"
	printf 'impact(hub), cached\t%s\t%s\t%s\t1\t%s\n' "$(mr "$SA" hub)" "$(cpu "$SA" hub)" "$(rspread "$SA" hub "$SA" hub_changed)" "$(val "$SA" hub 6)"
	printf 'impact(hub), cached, work_mem 64MB (the rows not spilled)\t%s\t%s\t\t%s\t%s\n' "$(mr A hub_wm)" "$(cpu A hub_wm)" "$(rspread A hub_wm A hub)" "$(val A hub_wm 6)"
	printf 'impact(leaf), first call after a one-row change\t%s\t%s\t1\t%s\t%s\n' "$(mr "$SA" leaf_changed)" "$(cpu "$SA" leaf_changed)" "$(rspread "$SA" leaf_changed "$SA" leaf)" "$(val "$SA" leaf_changed 6)"
	printf 'impact(leaf), cached\t%s\t%s\t%s\t1\t%s\n' "$(mr "$SA" leaf)" "$(cpu "$SA" leaf)" "$(rspread "$SA" leaf "$SA" leaf_changed)" "$(val "$SA" leaf 6)"
	a_row "recursive CTE, reachability from the hub (no times)" cte hub
	a_row "PL/pgSQL label-correcting earliest onset from the hub" plpgsql hub
	if [ "$have_pgr" = 1 ]; then
		a_row "pgRouting pgr_drivingDistance from the hub" pgr_hub hub
		a_row "pgRouting pgr_drivingDistance from the leaf" pgr_leaf leaf
	fi
)
b_rows=$(
	printf 'impact(national, footprint), graph cached\t%s\t%s\t%s\n' "$(mr B fp)" "$(cpu B fp)" "$(val B fp 6)"
	printf 'hand-written PostGIS query (GiST &&, ST_Intersects, ST_Intersection)\t%s\t%s\t%s\n' "$(mr B hand)" "$(cpu B hand)" "$(val B hand 6)"
)
r_b_cpu=$(ratio "$(val B fp 8)" "$(val B hand 8)")

IFS='|' read -r version postgis pgr_version shared_buffers work_mem jit workers destdir < <(sql -c "
	SELECT current_setting('server_version'), postgis_lib_version(),
	       coalesce((SELECT extversion FROM pg_extension WHERE extname = 'pgrouting'), 'not installed'),
	       current_setting('shared_buffers'), current_setting('work_mem'), current_setting('jit'),
	       current_setting('max_parallel_workers_per_gather'),
	       coalesce(current_setting('extension_destdir', true), '')")
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" = unknown ] || git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src/ modified)"
when=$(date -u '+%Y-%m-%d %H:%M UTC')
pgr_note=""
[ "$have_pgr" = 1 ] || pgr_note=" (pgRouting not available: skipped)"

md_table() { # header cells..., then rows on stdin (tab-separated)
	local h sep=""
	printf '|'; for h in "$@"; do printf ' %s |' "$h"; sep="$sep---|"; done; printf '\n|%s\n' "$sep"
	awk -F '\t' 'NF > 0 { printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; printf "\n" }'
}
report() { # md or console
	if [ "$1" = md ]; then
		echo "# Impact benchmark"
		echo
		echo "$when, commit $commit, \`bash bench/impact.sh\` (SCALE=$SCALE REPS=$REPS I_REPS=$I_REPS C_REPS=$C_REPS). PostgreSQL $version,"
		echo "PostGIS $postgis, pgRouting $pgr_version; shared_buffers $shared_buffers, work_mem $work_mem,"
		echo "**jit $jit**, max_parallel_workers_per_gather $workers; $(nproc) CPUs (${cpu_model:-unknown}), load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
		echo "Every time is the median (min-max) of the repetitions: $I_REPS for impact()'s own cases (${I_REPS_1M:-3} at 1M), $REPS for the comparison queries, $B_REPS in part B."
		[ -z "$destdir" ] || echo "The extension was loaded through extension_destdir = '$destdir' (not the system install)."
		echo
		echo "## Scale (graphs without geometry, n instances and 9.9 n dependencies)"
		echo
		md_table "graph (services / dependencies)" "hub cached" "first call (image)" "first call after a change" "private memory per backend (range)" "leaf cached" "leaf, first call after a change" "hub after $IDLE s idle" <<<"$scale_rows"
		echo
		echo "ms. First call: the first statement of a new session, the graph image current. After a change: the next call in a session that had the graph cached, right after another session committed a one-row change of ceptoar.dependency. Private memory: the backend's RssAnon after its first call minus before it (median, range). Idle: the hub call after the session slept $IDLE s (memory a call faults in afresh costs more after a pause on a virtual machine whose host takes freed pages back; the caches are colder too)."
		[ -z "$growth" ] || echo "Cached hub time for 10x the graph: $growth."
		echo
		echo "Backend CPU ms, mean per call (the kernel accounts a running backend's CPU time by scheduler ticks, so one short call reads 0 or a tick: only the mean means something):"
		echo
		md_table "graph" "hub cached" "first call (image)" "first call after a change" "leaf cached" "leaf after a change" <<<"$scale_cpu_rows"
		echo
		echo "Churn:"
		echo
		md_table "measurement" "under churn" "cached" "ratio (spread)" <<<"$churn_row"
		echo
		echo "## Targets (the issue's), on this machine"
		echo
		md_table "target" "" "measured: median (min-max)" "" <<<"$targets"
		echo
		echo "## A. Comparison at $(human "$A_N") instances, $A_M dependencies ($A_size_dep with indexes)"
		echo
		echo "The hub (id $HUB) supplies $A_hub_out instances, a random DAG over the rest with every instance"
		echo "reachable from the hub, $A_BACK back edges (cycles), buffers 0-6 h; the leaf (id $A_LEAF)"
		echo "supplies $A_leaf_out. A 30-day failure, 60-day horizon: every dependency passes${max_depth:+; the deepest instance is $max_depth dependencies from the hub, the latest onset $max_onset after the start}$pgr_note."
		echo "The alternatives read the tables on every call, as impact() does on its first call after a change: \"× after a change\" is the like-with-like ratio, \"× cached\" the ratio to impact() with its graph in memory (same origin, hub or leaf). Spread: the medians' ratio (the slowest of one against the fastest of the other - the reverse)."
		echo
		md_table "measurement" "ms" "CPU ms" "× impact after a change" "× impact cached" "rows" <<<"$a_rows"
		echo
		echo "Checks: impact(hub) rows = recursive CTE count = PL/pgSQL and pgRouting counts$([ "$VERIFY" = 1 ] && echo "; onsets equal to the PL/pgSQL loop's and pgRouting's agg_cost for every instance")."
		echo
		echo "## B. Geometry"
		echo
		echo "$NAREAS service areas (squares and 32-gons, 2-80 km, 2 % regional, 40 % around eight cities)"
		echo "depending on a national instance (Japan's bounding box); footprint: $fp_name,"
		echo "$fp_km2 km², $fp_points points. $n_box areas have boxes overlapping it, $n_hit intersect it."
		echo
		md_table "measurement" "ms" "CPU ms" "result" <<<"$b_rows"
		echo
		echo "Ratio impact / hand-written: $(rspread B fp B hand) wall clock, $r_b_cpu CPU (target <= 1.1: $r_b_verdict)."
		echo "The hand-written query's population share uses $area_name, as impact() does."
		echo "Checks: the same instances from both ($b_only_impact only in impact, $b_only_hand only in the"
		echo "hand-written query); $b_pop_diff populations differ by more than 1."
		echo
		echo "## Every repetition (ms, in the order run)"
		echo
		awk -F '\t' '{ printf "| %s | %s | %s |\n", $1, $2, $11 }' <<<"$summary" | sort | { echo "| part | measurement | ms |"; echo "|---|---|---|"; cat; }
	else
		echo
		echo "PostgreSQL $version, PostGIS $postgis, pgRouting $pgr_version, jit $jit, SCALE $SCALE; median (min-max)"
		echo
		{
			printf 'graph\thub cached\tfirst call\tafter a change\tmemory (range)\tleaf cached\tleaf after a change\n'
			echo "$scale_rows"
		} | column -t -s $'\t'
		[ -z "$growth" ] || echo "cached hub for 10x the graph: $growth"
		echo
		{ printf 'churn\tunder churn\tcached\tratio\n'; echo "$churn_row"; } | column -t -s $'\t'
		echo
		echo "A. $(human "$A_N") instances$pgr_note"
		{ printf 'measurement\tms\tCPU ms\tx after a change\tx cached\trows\n'; echo "$a_rows"; } | column -t -s $'\t'
		echo
		echo "B. $NAREAS areas, footprint $fp_km2 km2 ($n_hit areas intersect it)"
		{ printf 'measurement\tms\tCPU ms\tresult\n'; echo "$b_rows"; } | column -t -s $'\t'
		echo
		{ printf 'target\t\tmeasured\t\n'; grep . <<<"$targets"; } | column -t -s $'\t'
	fi
}

mkdir -p "$outdir"
report md >"$outdir/impact.md"
report console
echo
echo "written: $outdir/impact.md"
if [ "$fail" != 0 ]; then
	echo "MISMATCH: see above" >&2
	exit 1
fi
if [ "$missed" = 1 ] && [ "$STRICT" = 1 ]; then
	echo "a target was missed (STRICT=1)" >&2
	exit 2
fi
