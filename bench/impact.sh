#!/usr/bin/env bash
# bench/impact.sh: how fast ceptoar.impact() is, against what a user would
# write without it.
#
#   bash bench/impact.sh                                            # own throw-away server (pg_virtualenv)
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres bash bench/impact.sh    # a running server
#   SCALE=0.1 REPS=5 bash bench/impact.sh                           # smaller data, more repetitions
#
# A. A national graph without geometry (areas NULL: not located):
#    100,000 service instances, 990,000 dependencies (bench/impact_graph.sql:
#    a hub supplying 1,000 instances, a random DAG over the rest in which every
#    instance is reachable from the hub, 1 % back edges making cycles; buffers
#    0-6 h; a leaf that supplies nothing).  A 30-day failure with a 60-day
#    horizon, so every dependency passes.  Measured:
#      1. impact(hub) as the first call of a fresh session (new connection per
#         repetition; includes loading the library and the graph): a. the graph
#         image another session left is current (the usual case); target < 150 ms
#         b. the graph changed just before (a statement on ceptoar.dependency):
#         the tables are read and a new image written;
#      2. impact(hub), graph cached;                                    target < 60 ms
#      3. impact(leaf), graph cached;                                   target < 5 ms
#      4. a recursive CTE: reachability from the hub (no times);
#      5. a PL/pgSQL label-correcting earliest-onset loop (bench.earliest in
#         bench/impact_setup.sql), the buffer rule of impact();
#      6. pgRouting pgr_drivingDistance from the hub and from the leaf over the
#         same edges (supplier -> dependent, cost = buffer in seconds).
#    Checks (MISMATCH, exit 1): impact(hub) returns as many rows as the
#    recursive CTE counts; the PL/pgSQL loop and pgRouting reach the same
#    number; with VERIFY=1, impact's onsets equal the PL/pgSQL loop's and
#    pgRouting's agg_cost for every instance.
# B. Geometry: 20,000 service areas in Japan (bench/impact_areas.sql), each
#    depending (mode area, buffer 0) on a national instance whose area is
#    Japan's bounding box; a prefecture-sized footprint (Aichi from
#    ../shared/data/japan_prefectures_s0001.geojson, else a ~100 km box).
#    impact(national, footprint) with the graph cached against the best
#    hand-written PostGIS query (GiST && + ST_Intersects, ST_Intersection
#    computed once per row, the population share with the same geodesic area
#    as impact(): ST_Area(geography) or the EASE-Grid form of
#    docs/impact-semantics.md, whichever reproduces impact()'s populations);
#    target impact/hand <= 1.1.
#    Check (MISMATCH, exit 1): both return the same instances.
#
# Scaling: the issue's absolute targets (and the reference figures of 4-6) were
#    measured on another machine of this kind.  The report gives a machine factor,
#    the geometric mean of measured / reference over 4-6 (SCALE 1 only), and for a
#    target missed here, the verdict on impact()'s time divided by that factor.
#
# Timing: cached cases are timed on the server (clock_timestamp() around
# EXECUTE in bench.time_ms; impact() in one session, the comparison queries in
# another; a warm-up run each, then I_REPS or REPS repetitions interleaved across
# the methods, in alternating order); the
# first call is psql's \timing of the first statement of a new connection
# (connection start-up is not counted; loading the library and the graph
# is).  Medians reported.  Also reported: the backend's CPU time per call
# (/proc/self/stat read by the server, 10 ms ticks; empty when the server
# cannot read it), steadier than wall-clock time on a shared machine.
# JIT is off (ALTER DATABASE ... SET jit = off); parallel query is left at the
# server's setting (impact() is single-threaded; the others may use workers).
# The role must be a superuser (CREATE EXTENSION, /proc/self/stat).
#
# Environment: SCALE (sizes x SCALE, default 1), REPS (repetitions of the
# comparison queries, default 3), I_REPS (of impact()'s own cases 1-3, default
# 5 x REPS: each takes well under a second, and one slow run on a shared machine
# moves a median of 3), B_REPS
# (repetitions in part B, default 5 x REPS: a ratio near 1 on a shared
# machine needs more samples; each run takes ~0.1 s), VERIFY
# (1: also compare onsets row by row, default 1), STRICT (1: exit 2 when a
# target is missed, default 0), PGROUTING (0: skip pgRouting), KEEP (1: keep
# the database), CEPTOAR_DATA (directory of the prefectures file).
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

SCALE=${SCALE:-1}
REPS=${REPS:-3}
VERIFY=${VERIFY:-1}
STRICT=${STRICT:-0}
KEEP=${KEEP:-0}
case $REPS in '' | *[!0-9]* | 0) echo "REPS must be a positive number" >&2; exit 2 ;; esac
I_REPS=${I_REPS:-$((5 * REPS))}
case $I_REPS in '' | *[!0-9]* | 0) echo "I_REPS must be a positive number" >&2; exit 2 ;; esac
B_REPS=${B_REPS:-$((5 * REPS))}
case $B_REPS in '' | *[!0-9]* | 0) echo "B_REPS must be a positive number" >&2; exit 2 ;; esac
awk -v s="$SCALE" 'BEGIN { exit !(s ~ /^[0-9]*\.?[0-9]+$/ && s > 0) }' ||
	{ echo "SCALE must be a positive number" >&2; exit 2; }

scaled() { awk -v x="$1" -v s="$SCALE" -v lo="$2" 'BEGIN { v = int(x * s + 0.5); print (v < lo ? lo : v) }'; }
N=$(scaled 100000 100)        # instances
M=$(scaled 990000 500)        # dependencies
FAN=$(scaled 1000 2)          # instances the hub supplies
BACK=$(awk -v m="$M" 'BEGIN { print int(m / 100 + 0.5) }') # back edges (cycles)
NAREAS=$(scaled 20000 20)     # service areas
HUB=1
LEAF=$N
BEGAN="2024-01-15 09:00+09"

db=ceptoar_bench_impact_$$
outdir=$here/out
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ceptoar-bench-impact.XXXXXX")
cleanup() {
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

say "database $db; SCALE $SCALE: $N instances, $M dependencies, $NAREAS areas; $REPS repetitions"
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

# --------------------------------------------------------------------------
# A. the graph without geometry
say "A: generating $N instances and $M dependencies"
t0=$(date +%s)
sql -v n="$N" -v m="$M" -v fan="$FAN" -v back="$BACK" -f "$here/impact_graph.sql"
IFS='|' read -r n_inst n_dep hub_out leaf_out size_dep < <(sql -c "
	SELECT (SELECT count(*) FROM ceptoar.service_instance), (SELECT count(*) FROM ceptoar.dependency),
	       (SELECT count(*) FROM ceptoar.dependency WHERE supplier = $HUB),
	       (SELECT count(*) FROM ceptoar.dependency WHERE supplier = $LEAF),
	       pg_size_pretty(pg_total_relation_size('ceptoar.dependency'))")
say "A: generated in $(($(date +%s) - t0)) s: $n_inst instances, $n_dep dependencies ($size_dep with indexes); hub supplies $hub_out, leaf $leaf_out"
# the generation left some hundred megabytes of dirty pages: written now, not while timing
sql -c "CHECKPOINT" >/dev/null
[ "$n_inst" = "$N" ] && [ "$n_dep" = "$M" ] || { echo "generated $n_inst instances, $n_dep dependencies; expected $N, $M" >&2; exit 1; }

q_hub="SELECT count(*) FROM ceptoar.impact($HUB::bigint, '$BEGAN', '30 days', horizon => '60 days')"
# the same with work_mem 64MB for this statement only (set before impact() runs: its
# argument refers to the setting), so that the 100,000 result rows stay in memory
q_hub_wm="SELECT count(*) FROM (SELECT set_config('work_mem', '64MB', true)) AS w(v),
  LATERAL ceptoar.impact($HUB::bigint, '$BEGAN'::timestamptz + length(w.v) * interval '0', '30 days', horizon => '60 days')"
q_leaf="SELECT count(*) FROM ceptoar.impact($LEAF::bigint, '$BEGAN', '30 days', horizon => '60 days')"
q_cte="WITH RECURSIVE r(id) AS (SELECT $HUB::bigint UNION SELECT d.dependent FROM r JOIN ceptoar.dependency d ON d.supplier = r.id) SELECT count(*) FROM r"
q_plpgsql="SELECT count(*) FROM bench.earliest($HUB, '$BEGAN', '30 days', '60 days')"
pgr_edges="SELECT row_number() OVER () AS id, supplier AS source, dependent AS target, extract(epoch FROM buffer)::float8 AS cost FROM ceptoar.dependency"
q_pgr_hub="SELECT count(*) FROM pgr_drivingDistance('$pgr_edges', $HUB, 2592000, directed => true)"
q_pgr_leaf="SELECT count(*) FROM pgr_drivingDistance('$pgr_edges', $LEAF, 2592000, directed => true)"

# impact(hub) as the first statement of a new connection: label, rep, what it is
first_call() {
	local out count ms
	out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c '\timing on' -c "$q_hub")
	count=$(sed -n 1p <<<"$out")
	ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out")
	[ -n "$ms" ] || { echo "no timing in: $out" >&2; exit 1; }
	sql -c "INSERT INTO bench.results VALUES ('A', '$1', $2, $ms, '$count')"
	printf '   %-44s %s %10s ms  -> %s\n' "$3" "$([ "$2" = 0 ] && echo warm-up || printf 'rep %-3s' "$2")" "$ms" "$count" >&2
}
say "A: impact(hub) as the first call of a new session (graph image current), $I_REPS + 1 connections"
for rep in $(seq 0 "$I_REPS"); do
	first_call first "$rep" "impact(hub), first call"
done
say "A: impact(hub) as the first call of a new session after a change of the graph, $I_REPS connections"
for rep in $(seq 1 "$I_REPS"); do
	# a statement on the table, even of no row, counts as a change: the image is retired
	sql -c "UPDATE ceptoar.dependency SET buffer = buffer WHERE false"
	first_call first_cold "$rep" "impact(hub), first call after a change"
done

a_labels="cte plpgsql"
[ "$have_pgr" = 1 ] && a_labels="$a_labels pgr_hub pgr_leaf"
stmt() { case $1 in hub) echo "$q_hub" ;; hub_wm) echo "$q_hub_wm" ;; leaf) echo "$q_leaf" ;; cte) echo "$q_cte" ;;
	plpgsql) echo "$q_plpgsql" ;; pgr_hub) echo "$q_pgr_hub" ;; pgr_leaf) echo "$q_pgr_leaf" ;;
	hand) echo "$q_hand" ;; fp) echo "$q_fp" ;; esac; }
timed_session() { # part, labels, reps: one session, a warm-up each, then reps rounds
	local part=$1 labels=$2 reps=$3 rep l order
	{
		for rep in $(seq 0 "$reps"); do
			# the order alternates between rounds: no method always follows the same one
			order=$labels
			(( rep % 2 )) || order=$(tr ' ' '\n' <<<"$labels" | tac | tr '\n' ' ')
			for l in $order; do
				printf "SELECT bench.time_ms('%s', '%s', %s, \$bench\$%s\$bench\$);\n" "$part" "$l" "$rep" "$(stmt "$l")"
			done
		done
	} | sql | sed 's/^/  /' >&2
}
say "A: cached impact(), one session"
timed_session A "hub leaf hub_wm" "$I_REPS"
say "A: the alternatives, one session"
timed_session A "$a_labels" "$REPS"

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
timed_session B "fp hand" "$B_REPS"

# --------------------------------------------------------------------------
# report
summary=$(sql -F $'\t' -c "
	SELECT part, label, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2),
	       min(result), max(result), string_agg(round(ms::numeric, 1)::text, ', ' ORDER BY rep),
	       round(avg(cpu_ms)::numeric, 1)
	FROM bench.results WHERE rep > 0 GROUP BY part, label")
val() { awk -F '\t' -v l="$1" -v c="$2" '$2 == l { print $c }' <<<"$summary"; }
for l in first first_cold hub hub_wm leaf cte plpgsql pgr_hub pgr_leaf fp hand; do
	if [ "$(val "$l" 4)" != "$(val "$l" 5)" ]; then mismatch "$l returned different results across repetitions: $(val "$l" 4) / $(val "$l" 5)"; fi
done
c_hub=$(val hub 4)
[ "$(val first 4)" = "$c_hub" ] || mismatch "impact(hub) first call returned $(val first 4) rows, cached $c_hub"
[ "$(val hub_wm 4)" = "$c_hub" ] || mismatch "impact(hub) with work_mem 64MB returned $(val hub_wm 4) rows, cached $c_hub"
[ "$(val first_cold 4)" = "$c_hub" ] || mismatch "impact(hub) first call after a change returned $(val first_cold 4) rows, cached $c_hub"
[ "$c_hub" = "$(val cte 4)" ] || mismatch "impact(hub) returned $c_hub rows, the recursive CTE reaches $(val cte 4)"
[ "$c_hub" = "$(val plpgsql 4)" ] || mismatch "impact(hub) returned $c_hub rows, the PL/pgSQL loop reaches $(val plpgsql 4)"
if [ "$have_pgr" = 1 ]; then
	[ "$c_hub" = "$(val pgr_hub 4)" ] || mismatch "impact(hub) returned $c_hub rows, pgRouting reaches $(val pgr_hub 4)"
	[ "$(val leaf 4)" = "$(val pgr_leaf 4)" ] || mismatch "impact(leaf) returned $(val leaf 4) rows, pgRouting reaches $(val pgr_leaf 4)"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else printf "%.2f", a / b }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else if (a / b >= 10) printf "%.0f", a / b; else printf "%.1f", a / b }'; }
check() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "") { print "—"; exit }
	ok = (op == "<") ? (v < t) : (v <= t); print ok ? "met" : "MISSED" }'; }
missed=0
note_target() { [ "$1" != MISSED ] || missed=1; echo "$1"; }

m_first=$(val first 3); m_first_cold=$(val first_cold 3); m_hub=$(val hub 3); m_leaf=$(val leaf 3); m_cte=$(val cte 3)
m_plpgsql=$(val plpgsql 3); m_pgr_hub=$(val pgr_hub 3); m_pgr_leaf=$(val pgr_leaf 3)
m_fp=$(val fp 3); m_hand=$(val hand 3)
# The issue gives reference figures for the comparison queries, measured on a machine of
# this kind; how much slower this machine ran them (the geometric mean of measured /
# reference over the recursive CTE 1.3 s, PL/pgSQL 4.4 s, pgRouting 1.4 s and 1 s) scales
# impact()'s times to that machine: the absolute targets were set there.
factor=
[ "$SCALE" != 1 ] || factor=$(awk -v a="$m_cte" -v b="$m_plpgsql" -v c="$m_pgr_hub" -v d="$m_pgr_leaf" 'BEGIN {
	if (a == "" || b == "") { print ""; exit }
	s = log(a / 1300) + log(b / 4400); k = 2
	if (c != "" && d != "") { s += log(c / 1400) + log(d / 1000); k += 2 }
	printf "%.2f", exp(s / k) }')
scaled() { awk -v v="$1" -v f="$factor" 'BEGIN { if (v == "" || f == "" || f == 0) print ""; else printf "%.1f", v / f }'; }
verdict() { # median, target ms: met, or MISSED with the verdict scaled to the reference machine
	local here sc
	here=$(check "$1" "<" "$2")
	sc=$(scaled "$1")
	if [ "$here" = met ] || [ -z "$sc" ]; then echo "$here"; else echo "$here here; $(check "$sc" "<" "$2") scaled ($sc ms)"; fi
}
t_first=$(note_target "$(check "$m_first" "<" 150)")
t_hub=$(note_target "$(check "$m_hub" "<" 60)")
t_leaf=$(note_target "$(check "$m_leaf" "<" 5)")
v_first=$(verdict "$m_first" 150)
v_hub=$(verdict "$m_hub" 60)
v_leaf=$(verdict "$m_leaf" 5)
r_b=$(ratio "$m_fp" "$m_hand")
t_b=$(note_target "$(check "$r_b" "<=" 1.1)")
pgr_note=""
[ "$have_pgr" = 1 ] || pgr_note=" (pgRouting not available: skipped)"

# rows: measurement, median ms, reference, target, verdict, x impact, rows, each rep
cpu_of() { local v; v=$(val "$1" 7); echo "${v:-—}"; }
a_rows=$(
	printf '1a. impact(hub), first call of a new session (reads the graph image)\t%s\t\t< 150 ms\t%s\t%s (first/cached)\t%s\t%s\t%s\n' "$m_first" "$v_first" "$(times "$m_first" "$m_hub")" "$(val first 4)" "$(val first 6)" "—"
	printf '1b. impact(hub), first call after a change of the graph (reads the tables, writes the image)\t%s\t\t\t\t%s (first/cached)\t%s\t%s\t%s\n' "$m_first_cold" "$(times "$m_first_cold" "$m_hub")" "$(val first_cold 4)" "$(val first_cold 6)" "—"
	printf '2. impact(hub), graph cached\t%s\t\t< 60 ms\t%s\t1\t%s\t%s\t%s\n' "$m_hub" "$v_hub" "$c_hub" "$(val hub 6)" "$(cpu_of hub)"
	printf '2b. impact(hub), graph cached, work_mem 64MB (the rows not spilled to a temp file)\t%s\t\t\t\t%s\t%s\t%s\t%s\n' "$(val hub_wm 3)" "$(times "$(val hub_wm 3)" "$m_hub")" "$(val hub_wm 4)" "$(val hub_wm 6)" "$(cpu_of hub_wm)"
	printf '3. impact(leaf), graph cached\t%s\t\t< 5 ms\t%s\t1\t%s\t%s\t%s\n' "$m_leaf" "$v_leaf" "$(val leaf 4)" "$(val leaf 6)" "$(cpu_of leaf)"
	printf '4. recursive CTE, reachability from the hub (no times)\t%s\t1.3 s\t\t\t%s\t%s\t%s\t%s\n' "$m_cte" "$(times "$m_cte" "$m_hub")" "$(val cte 4)" "$(val cte 6)" "$(cpu_of cte)"
	printf '5. PL/pgSQL label-correcting earliest onset from the hub\t%s\t4.4 s\t\t\t%s\t%s\t%s\t%s\n' "$m_plpgsql" "$(times "$m_plpgsql" "$m_hub")" "$(val plpgsql 4)" "$(val plpgsql 6)" "$(cpu_of plpgsql)"
	if [ "$have_pgr" = 1 ]; then
		printf '6a. pgRouting pgr_drivingDistance from the hub\t%s\t1.4 s\t\t\t%s\t%s\t%s\t%s\n' "$m_pgr_hub" "$(times "$m_pgr_hub" "$m_hub")" "$(val pgr_hub 4)" "$(val pgr_hub 6)" "$(cpu_of pgr_hub)"
		printf '6b. pgRouting pgr_drivingDistance from the leaf\t%s\t1 s\t\t\t%s (vs 3.)\t%s\t%s\t%s\n' "$m_pgr_leaf" "$(times "$m_pgr_leaf" "$m_leaf")" "$(val pgr_leaf 4)" "$(val pgr_leaf 6)" "$(cpu_of pgr_leaf)"
	fi
)
c_fp=$(val fp 7); c_hand=$(val hand 7)
r_b_cpu=$(ratio "$c_fp" "$c_hand")
b_rows=$(
	printf 'impact(national, footprint), graph cached\t%s\t%s\t%s\t%s\n' "$m_fp" "${c_fp:-—}" "$(val fp 4)" "$(val fp 6)"
	printf 'hand-written PostGIS query (GiST &&, ST_Intersects, ST_Intersection)\t%s\t%s\t%s\t%s\n' "$m_hand" "${c_hand:-—}" "$(val hand 4)" "$(val hand 6)"
)

IFS='|' read -r version postgis pgr_version shared_buffers work_mem jit workers destdir < <(sql -c "
	SELECT current_setting('server_version'), postgis_lib_version(),
	       coalesce((SELECT extversion FROM pg_extension WHERE extname = 'pgrouting'), 'not installed'),
	       current_setting('shared_buffers'), current_setting('work_mem'), current_setting('jit'),
	       current_setting('max_parallel_workers_per_gather'),
	       coalesce(current_setting('extension_destdir', true), '')")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" = unknown ] || git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src/ modified)"
when=$(date -u '+%Y-%m-%d %H:%M UTC')

report() { # md or console
	if [ "$1" = md ]; then
		echo "# Impact benchmark"
		echo
		echo "$when, commit $commit, \`bash bench/impact.sh\` (SCALE=$SCALE REPS=$REPS I_REPS=$I_REPS). PostgreSQL $version,"
		echo "PostGIS $postgis, pgRouting $pgr_version; shared_buffers $shared_buffers, work_mem $work_mem,"
		echo "**jit $jit**, max_parallel_workers_per_gather $workers; $(nproc) CPUs (${cpu:-unknown}), load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
		echo "Medians of $I_REPS repetitions (part A, impact()), $REPS (part A, the comparison queries) and $B_REPS (part B)."
		[ -z "$destdir" ] || echo "The extension was loaded through extension_destdir = '$destdir' (not the system install)."
		echo
		echo "## A. Graph without geometry"
		echo
		echo "$N service instances (areas NULL), $M dependencies ($size_dep with indexes): the hub"
		echo "(id $HUB) supplies $hub_out instances, a random DAG over the rest with every instance"
		echo "reachable from the hub, $BACK back edges (cycles), buffers 0-6 h; the leaf (id $LEAF)"
		echo "supplies $leaf_out. A 30-day failure, 60-day horizon: every dependency passes${max_depth:+; the deepest instance is $max_depth dependencies from the hub, the latest onset $max_onset after the start}."
		echo "\"x impact\" = median / median of impact() cached from the same origin (how many times faster impact is)$pgr_note."
		echo
		echo "| measurement | median ms | CPU ms | reference | target | | x impact | rows | each repetition (ms) |"
		echo "|---|---:|---:|---:|---|---|---:|---:|---|"
		awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $9, $3, $4, $5, $6, $7, $8 }' <<<"$a_rows"
		echo
		[ -z "$factor" ] || echo "Machine factor $factor: this machine ran the comparison queries (rows 4-6) $factor times as long as the issue's reference figures (geometric mean); \"scaled\" = median / $factor, impact()'s time on the reference machine by the same factor."
		[ -z "$factor" ] || echo
		echo "CPU ms: the backend's user + system time per call (/proc/self/stat, 10 ms ticks, mean of the"
		echo "repetitions; parallel workers not counted), steadier than wall-clock time on a shared machine."
		echo
		echo "Checks: impact(hub) rows = recursive CTE count = PL/pgSQL and pgRouting counts$([ "$VERIFY" = 1 ] && echo "; onsets equal to the PL/pgSQL loop's and pgRouting's agg_cost for every instance")."
		echo
		echo "## B. Geometry"
		echo
		echo "$NAREAS service areas (squares and 32-gons, 2-80 km, 2 % regional, 40 % around eight cities)"
		echo "depending on a national instance (Japan's bounding box); footprint: $fp_name,"
		echo "$fp_km2 km², $fp_points points. $n_box areas have boxes overlapping it, $n_hit intersect it."
		echo
		echo "| measurement | median ms | CPU ms per call | result | each repetition (ms) |"
		echo "|---|---:|---:|---|---|"
		awk -F '\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' <<<"$b_rows"
		echo "| **ratio impact / hand-written** (target <= 1.1) | **$r_b** | $r_b_cpu | $t_b (on the median wall-clock ratio) | |"
		echo
		echo "CPU ms per call: the backend's user + system time (/proc/self/stat, 10 ms ticks), mean over"
		echo "the $B_REPS repetitions; unlike wall-clock time it leaves out time spent waiting for a CPU,"
		echo "so on a shared machine its ratio is the steadier of the two."
		echo
		echo "The hand-written query's population share uses $area_name, as impact() does."
		echo "Checks: the same instances from both ($b_only_impact only in impact, $b_only_hand only in the"
		echo "hand-written query); $b_pop_diff populations differ by more than 1."
	else
		echo
		echo "PostgreSQL $version, PostGIS $postgis, pgRouting $pgr_version, jit $jit, SCALE $SCALE, median of $I_REPS (A, impact), $REPS (A, others) and $B_REPS (B)"
		echo
		echo "A. $N instances, $M dependencies, no geometry$pgr_note"
		{
			printf 'measurement\tmedian ms\tCPU ms\treference\ttarget\t\tx impact\trows\n'
			awk -F '\t' -v OFS='\t' '{ print $1, $2, $9, $3, $4, $5, $6, $7 }' <<<"$a_rows"
		} | column -t -s $'\t'
		[ -z "$factor" ] || echo "machine factor $factor (comparison queries here / the issue's reference figures); scaled = median / $factor"
		echo
		echo "B. $NAREAS areas, footprint $fp_km2 km2 ($n_hit areas intersect it)"
		{
			printf 'measurement\tmedian ms\tCPU ms/call\tresult\n'
			cut -f 1-4 <<<"$b_rows"
			printf 'ratio impact / hand-written (target <= 1.1)\t%s\t%s\t%s (wall-clock)\n' "$r_b" "$r_b_cpu" "$t_b"
		} | column -t -s $'\t'
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
