#!/usr/bin/env bash
# bench/classify.sh: how fast ceptoar.exceeds() and ceptoar.classify()
# classify incidents, against what a user would write without the extension,
# and what the incident type costs at COPY FROM.
#
#   bash bench/classify.sh                        # own throw-away server (pg_virtualenv)
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres bash bench/classify.sh   # a running server
#   ROWS=100000 REPS=3 bash bench/classify.sh
#
# Environment: ROWS (incidents, default 10000000), REPS (repetitions, median
# and range reported, default 3), VERIFY (1: compare every method row by row
# with exceeds() before timing, default 1).  The server must run on this
# machine: COPY reads and writes server-side files in a temporary directory.
# The role must be a superuser (COPY with files; the backend's CPU time from
# /proc/self/schedstat).
#
# Order: each repetition runs both passes (JIT off, JIT on), the pass order
# alternating from one repetition to the next, and the queries of a pass in
# one order, then the reverse in the next pass; the two COPYs alternate too.
# So no method always runs first, or always after the same one.
#
# Makes its own database and drops it.  Prints the results and writes them as
# markdown to bench/out/classify.md.  Exits non-zero (MISMATCH) when a
# method counts differently from exceeds().
set -euo pipefail

if [ -z "${PGPORT:-}" ]; then exec pg_virtualenv -t bash "$0" "$@"; fi

ROWS=${ROWS:-10000000}
REPS=${REPS:-3}
VERIFY=${VERIFY:-1}
case $ROWS in '' | *[!0-9]*) echo "ROWS must be a number" >&2; exit 2 ;; esac
case $REPS in '' | *[!0-9]* | 0) echo "REPS must be a positive number" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
outdir=$here/out
db=ceptoar_bench_classify_$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ceptoar-bench-classify.XXXXXX")
chmod 0777 "$tmp" # the server writes and reads the COPY files here

cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# same settings in every session that is timed
session="SET max_parallel_workers_per_gather = 0;"

say "database $db, $ROWS incidents, $REPS repetitions"
createdb "$db"
sql -c "CREATE EXTENSION ceptoar_registry CASCADE" \
	-c "ALTER DATABASE \"$db\" SET search_path = public, ceptoar" \
	-c "ALTER DATABASE \"$db\" SET timezone = 'Asia/Tokyo'"

say "generating incidents"
t0=$(date +%s)
sql -v rows="$ROWS" -f "$here/classify_setup.sql"
sql -f "$here/classify_harness.sql"
say "generated in $(($(date +%s) - t0)) s; table inc: $(sql -c "SELECT pg_size_pretty(pg_table_size('inc'))")"

if [ "$VERIFY" = 1 ]; then
	say "checking every method against exceeds(), row by row"
	IFS='|' read -r total e_true e_false e_null d_classify d_rules d_case d_plpgsql \
		< <(sql -f "$here/classify_verify.sql" | tail -n 1)
	say "exceeds(): true $e_true, false $e_false, NULL $e_null of $total"
	if [ "$d_classify" != 0 ] || [ "$d_rules" != 0 ] || [ "$d_case" != 0 ] || [ "$d_plpgsql" != 0 ]; then
		echo "######## MISMATCH ########" >&2
		echo "MISMATCH: incidents classified differently from exceeds():" \
			"classify() $d_classify, data-driven SQL $d_rules, CASE $d_case, PL/pgSQL $d_plpgsql" >&2
		exit 1
	fi
fi

names=$(sql -c "SELECT string_agg(name, ' ' ORDER BY ord) FROM bench_query WHERE kind <> 'copy'")
rnames=$(tr ' ' '\n' <<<"$names" | tac | tr '\n' ' ')
set_pass() { if [ "$1" = "jit off" ]; then echo "SET jit = off; RESET jit_above_cost;"; else echo "SET jit = on; SET jit_above_cost = 0;"; fi; }

# One session.  Repetition r runs both passes; the pass order alternates
# between repetitions and the query order between passes (forward, reverse).
say "timing: $REPS x (${names// /, }) with JIT off and on, order alternated"
{
	echo "$session"
	echo "SELECT count(*) FROM inc;" # warm the cache
	k=0
	for rep in $(seq "$REPS"); do
		if ((rep % 2)); then passes=("jit off" "jit on"); else passes=("jit on" "jit off"); fi
		for pass in "${passes[@]}"; do
			set_pass "$pass"
			if ((k % 2)); then order=$rnames; else order=$names; fi
			k=$((k + 1))
			for name in $order; do
				echo "SELECT bench_time('$pass', '$name', $rep);"
			done
		done
	done
} | sql >/dev/null

say "writing COPY files"
sql -c "COPY (SELECT i FROM inc) TO '$tmp/incident.copy'" \
	-c "COPY (SELECT service, effect, began, lasted, cause, users, households,
	                 lost_kw, cancelled, flags FROM inc) TO '$tmp/plain.copy'"
say "timing COPY FROM, order alternated"
{
	echo "$session"
	for rep in $(seq "$REPS"); do
		if ((rep % 2)); then
			echo "SELECT bench_copy('copy_incident', $rep, '$tmp/incident.copy');"
			echo "SELECT bench_copy('copy_plain', $rep, '$tmp/plain.copy');"
		else
			echo "SELECT bench_copy('copy_plain', $rep, '$tmp/plain.copy');"
			echo "SELECT bench_copy('copy_incident', $rep, '$tmp/incident.copy');"
		fi
	done
	echo "TRUNCATE copy_incident, copy_plain;"
} | sql >/dev/null

mismatch=$(sql -c "SELECT count(*) FROM bench_mismatch")
copy_short=$(sql -c "SELECT count(*) FROM bench_result WHERE pass = 'copy' AND n <> $ROWS")

# ---- report ----
version=$(sql -c "SHOW server_version")
size_inc=$(sql -c "SELECT pg_size_pretty(pg_table_size('inc'))")
size_i=$(stat -c %s "$tmp/incident.copy" 2>/dev/null || echo 0)
size_p=$(stat -c %s "$tmp/plain.copy" 2>/dev/null || echo 0)
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1048576 }'; }
has_cpu=$(sql -c "SELECT count(cpu_ms) > 0 FROM bench_result")

# "1,234 (1,200-1,300)": a median and its range; "-" when unknown (no CPU time)
fmt_ms() { echo "CASE WHEN ($1) IS NULL THEN '-' ELSE format('%s (%s-%s)', to_char(round(($1)::numeric), 'FM999,999,990'),
	to_char(round(($2)::numeric), 'FM999,999,990'), to_char(round(($3)::numeric), 'FM999,999,990')) END"; }
fmt_r() { echo "format('%s (%s-%s)', round(($1)::numeric, 2), round(($2)::numeric, 2), round(($3)::numeric, 2))"; }

# measurement | ms off (range) | cpu off | x count off (range) | ms on (range) | cpu on | x count on | count
rows_tsv=$(sql -F $'\t' -c "
	SELECT q.label,
	       $(fmt_ms f.ms f.ms_min f.ms_max), $(fmt_ms f.cpu f.cpu_min f.cpu_max),
	       (SELECT $(fmt_r r.ratio r.r_min r.r_max) FROM bench_ratio('jit off', q.name, 'count') r),
	       $(fmt_ms o.ms o.ms_min o.ms_max), $(fmt_ms o.cpu o.cpu_min o.cpu_max),
	       (SELECT $(fmt_r r.ratio r.r_min r.r_max) FROM bench_ratio('jit on', q.name, 'count') r),
	       f.n
	FROM bench_query q
	JOIN bench_stats f ON f.name = q.name AND f.pass = 'jit off'
	JOIN bench_stats o ON o.name = q.name AND o.pass = 'jit on'
	ORDER BY q.ord")
copy_tsv=$(sql -F $'\t' -c "
	SELECT q.label, $(fmt_ms s.ms s.ms_min s.ms_max), $(fmt_ms s.cpu s.cpu_min s.cpu_max), s.n
	FROM bench_query q JOIN bench_stats s ON s.name = q.name AND s.pass = 'copy' ORDER BY q.ord")
raw_tsv=$(sql -F $'\t' -c "
	SELECT q.label, r.pass,
	       string_agg(round(r.ms::numeric, 0)::text || coalesce(' / ' || round(r.cpu_ms::numeric, 0), ''), ', ' ORDER BY r.rep)
	FROM bench_result r JOIN bench_query q USING (name)
	GROUP BY q.ord, q.label, r.pass ORDER BY q.ord, r.pass")
order_tsv=$(sql -F $'\t' -c "
	SELECT rep, string_agg(pass || ': ' || name, ', ' ORDER BY seq) FROM bench_result GROUP BY rep ORDER BY rep")

# a ratio line: pass, a, b, net -> "ratio (min-max) | cpu ratio (min-max)"
ratio_of() { sql -F $'\t' -c "
	SELECT round(ratio::numeric, 2), round(r_min::numeric, 2), round(r_max::numeric, 2),
	       coalesce(round(cpu_ratio::numeric, 2)::text, '-'), coalesce(round(c_min::numeric, 2)::text, '-'),
	       coalesce(round(c_max::numeric, 2)::text, '-')
	FROM bench_ratio('$1', '$2', '$3', $4)"; }
# targets: name, pass, a, b, net, op, threshold -> a line
target() {
	local label=$1 pass=$2 a=$3 b=$4 net=$5 op=$6 t=$7 r lo hi c clo chi v
	IFS=$'\t' read -r r lo hi c clo chi < <(ratio_of "$pass" "$a" "$b" "$net")
	v=$(awk -v v="$r" -v op="$op" -v t="$t" 'BEGIN { ok = (op == "<=") ? (v <= t) : (v >= t); print ok ? "met" : "MISSED" }')
	printf '%s\t%s\t%s\t%s (%s-%s)\t%s (%s-%s)\t%s\n' "$label" "$pass" "$op $t" "$r" "$lo" "$hi" "$c" "$clo" "$chi" "$v"
}
targets_tsv=$(
	for pass in "jit off" "jit on"; do
		target "exceeds() / count(*)" "$pass" exceeds count false "<=" 2
		target "data-driven SQL / exceeds()" "$pass" rules exceeds false ">=" 3
		target "hard-coded CASE / exceeds()" "$pass" case exceeds false ">=" 1
		target "classify() / exceeds(), per row (both minus count(*))" "$pass" classify exceeds true "<=" 2
		target "classify() / exceeds(), whole query" "$pass" classify exceeds false "<=" 2
		target "(not the target) classify() alone, count(classify(i)) / exceeds(), per row" "$pass" classify_fn exceeds true "<=" 2
	done
	target "COPY FROM incident / plain" copy copy_incident copy_plain false "<=" 1.5
)

report() { # $1 = md for markdown, else console
	local md=$1
	if [ "$md" = md ]; then
		echo "# Classification benchmark"
		echo
		echo "PostgreSQL $version, $ROWS incidents (table inc: $size_inc), $REPS repetitions: median (min-max)," \
			"max_parallel_workers_per_gather = 0; JIT on = jit on, jit_above_cost 0" \
			"(other JIT thresholds default). $(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
			"load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
		echo
		echo "Wall clock ms and the backend's CPU ms (/proc/self/schedstat$([ "$has_cpu" = t ] || echo '; not readable here')), median (min-max);" \
			"ratio to count(*): of the medians, (min-max) of the repetitions' own ratios."
		echo
		echo "| measurement | ms, JIT off | CPU ms | × count(*) | ms, JIT on | CPU ms | × count(*) | count |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|"
		printf '%s\n' "$rows_tsv" | awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
		echo
		echo "| COPY FROM ($ROWS rows, unlogged table) | ms | CPU ms |"
		echo "|---|---:|---:|"
		printf '%s\n' "$copy_tsv" | awk -F '\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
		echo
		echo "Files: incident literals $(mb "$size_i"), plain columns $(mb "$size_p")."
		echo
		echo "Targets (ratio of the medians, (min-max) over the repetitions; the verdict is on the wall-clock ratio of the medians):"
		echo
		echo "| target | pass | | wall clock | CPU | |"
		echo "|---|---|---|---:|---:|---|"
		printf '%s\n' "$targets_tsv" | awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
		echo
		echo "\"Per row\": each query's time minus count(*)'s in the same repetition (the scan), so the ratio of what the two functions cost a row."
		echo
		echo "Every repetition, wall ms / CPU ms (by repetition):"
		echo
		echo "| measurement | pass | ms |"
		echo "|---|---|---|"
		printf '%s\n' "$raw_tsv" | awk -F '\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
		echo
		echo "Order run:"
		echo
		printf '%s\n' "$order_tsv" | awk -F '\t' '{ printf "- repetition %s: %s\n", $1, $2 }'
		if [ "$mismatch" != 0 ] || [ "$copy_short" != 0 ]; then
			echo
			echo "**MISMATCH: the methods did not all count the same rows; these numbers are not valid.**"
		fi
	else
		printf '\nPostgreSQL %s, %s incidents (table inc: %s), %s repetitions: median (min-max), no parallel workers\n\n' \
			"$version" "$ROWS" "$size_inc" "$REPS"
		{
			printf 'measurement\tms (JIT off)\tCPU ms\tx count(*)\tms (JIT on)\tCPU ms\tx count(*)\tcount\n'
			printf '%s\n' "$rows_tsv" | awk -F '\t' -v OFS='\t' '{ sub(/ \(.*/, "", $1); print }'
		} | column -t -s $'\t'
		echo
		{
			printf 'COPY FROM (%s rows)\tms\tCPU ms\n' "$ROWS"
			printf '%s\n' "$copy_tsv" | cut -f 1-3
		} | column -t -s $'\t'
		echo
		{
			printf 'target\tpass\t\twall clock\tCPU\t\n'
			printf '%s\n' "$targets_tsv"
		} | column -t -s $'\t'
	fi
}

mkdir -p "$outdir"
report md >"$outdir/classify.md"
report console
echo
echo "written: $outdir/classify.md"

if [ "$mismatch" != 0 ]; then
	echo >&2
	echo "######## MISMATCH ########" >&2
	echo "MISMATCH: a method counted differently from exceeds() (pass|method|rep|count|exceeds):" >&2
	sql -c "SELECT pass, name, rep, n, exceeds_n FROM bench_mismatch ORDER BY 1, 2, 3" >&2
	exit 1
fi
if [ "$copy_short" != 0 ]; then
	echo "MISMATCH: a COPY FROM did not load $ROWS rows" >&2
	exit 1
fi
