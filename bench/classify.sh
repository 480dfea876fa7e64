#!/usr/bin/env bash
# bench/classify.sh: how fast ceptoar.exceeds() classifies incidents, against
# what a user would write without the extension, and what the incident type
# costs at COPY FROM.
#
#   bash bench/classify.sh                        # own throw-away server (pg_virtualenv)
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres bash bench/classify.sh   # a running server
#   ROWS=100000 REPS=3 bash bench/classify.sh
#
# Environment: ROWS (incidents, default 10000000), REPS (repetitions, median
# reported, default 3), VERIFY (1: compare every method row by row with
# exceeds() before timing, default 1).  The server must run on this machine:
# COPY reads and writes server-side files in a temporary directory.
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
	IFS='|' read -r total e_true e_false e_null d_rules d_case d_plpgsql \
		< <(sql -f "$here/classify_verify.sql" | tail -n 1)
	say "exceeds(): true $e_true, false $e_false, NULL $e_null of $total"
	if [ "$d_rules" != 0 ] || [ "$d_case" != 0 ] || [ "$d_plpgsql" != 0 ]; then
		echo "######## MISMATCH ########" >&2
		echo "MISMATCH: incidents classified differently from exceeds():" \
			"data-driven SQL $d_rules, CASE $d_case, PL/pgSQL $d_plpgsql" >&2
		exit 1
	fi
fi

names=$(sql -c "SELECT string_agg(name, ' ' ORDER BY ord) FROM bench_query WHERE kind <> 'copy'")

# One session; each repetition times every query with JIT off, then with JIT
# on, so that noise from other work on the machine falls on both passes.
say "timing: $REPS x (${names// /, }) with JIT off and on"
{
	echo "$session"
	echo "SELECT count(*) FROM inc;" # warm the cache
	for rep in $(seq "$REPS"); do
		for pass in "jit off" "jit on"; do
			if [ "$pass" = "jit off" ]; then
				echo "SET jit = off; RESET jit_above_cost;"
			else
				echo "SET jit = on; SET jit_above_cost = 0;"
			fi
			for name in $names; do
				echo "SELECT bench_time('$pass', '$name', $rep);"
			done
		done
	done
} | sql >/dev/null

say "writing COPY files"
sql -c "COPY (SELECT i FROM inc) TO '$tmp/incident.copy'" \
	-c "COPY (SELECT service, effect, began, lasted, cause, users, households,
	                 lost_kw, cancelled, flags FROM inc) TO '$tmp/plain.copy'"
say "timing COPY FROM"
{
	echo "$session"
	for rep in $(seq "$REPS"); do
		echo "SELECT bench_copy('copy_incident', $rep, '$tmp/incident.copy');"
		echo "SELECT bench_copy('copy_plain', $rep, '$tmp/plain.copy');"
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

rows_tsv=$(sql -F $'\t' -c "
	SELECT label, round(ms_off::numeric, 0), round(ratio_off::numeric, 2),
	       round(ms_on::numeric, 0), round(ratio_on::numeric, 2), n
	FROM bench_summary ORDER BY ord")
copy_tsv=$(sql -F $'\t' -c "SELECT label, round(ms::numeric, 0), n FROM bench_copy_summary")
raw_tsv=$(sql -F $'\t' -c "
	SELECT q.label, r.pass, string_agg(round(r.ms::numeric, 0)::text, ', ' ORDER BY r.rep)
	FROM bench_result r JOIN bench_query q USING (name)
	GROUP BY q.ord, q.label, r.pass ORDER BY q.ord, r.pass")
copy_ratio=$(sql -c "
	SELECT round(((SELECT ms FROM bench_copy_summary WHERE name = 'copy_incident')
	            / (SELECT ms FROM bench_copy_summary WHERE name = 'copy_plain'))::numeric, 2)")
read -r exc_off exc_on rules_x case_x < <(sql -F ' ' -c "
	SELECT round(e.ratio_off::numeric, 2), round(e.ratio_on::numeric, 2),
	       round((r.ms_off / e.ms_off)::numeric, 2), round((c.ms_off / e.ms_off)::numeric, 2)
	FROM bench_summary e, bench_summary r, bench_summary c
	WHERE e.name = 'exceeds' AND r.name = 'rules' AND c.name = 'case'")
read -r rules_x_on case_x_on < <(sql -F ' ' -c "
	SELECT round((r.ms_on / e.ms_on)::numeric, 2), round((c.ms_on / e.ms_on)::numeric, 2)
	FROM bench_summary e, bench_summary r, bench_summary c
	WHERE e.name = 'exceeds' AND r.name = 'rules' AND c.name = 'case'")

verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
	ok = (op == "<=") ? (v <= t) : (v >= t); print ok ? "met" : "MISSED" }'; }

report() { # $1 = md for markdown, else console
	local md=$1
	if [ "$md" = md ]; then
		echo "# Classification benchmark"
		echo
		echo "PostgreSQL $version, $ROWS incidents (table inc: $size_inc), median of $REPS," \
			"max_parallel_workers_per_gather = 0; JIT on = jit on, jit_above_cost 0" \
			"(other JIT thresholds default). $(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) cores."
		echo
		echo "| measurement | ms (JIT off) | ratio to count(*) | ms (JIT on) | ratio to count(*) | count |"
		echo "|---|---:|---:|---:|---:|---:|"
		printf '%s\n' "$rows_tsv" | awk -F '\t' '{ printf "| %s | %s | %sx | %s | %sx | %s |\n", $1, $2, $3, $4, $5, $6 }'
		echo
		echo "| COPY FROM ($ROWS rows, unlogged table) | ms |"
		echo "|---|---:|"
		printf '%s\n' "$copy_tsv" | awk -F '\t' '{ printf "| %s | %s |\n", $1, $2 }'
		echo "| **ratio incident / plain** | **${copy_ratio}x** |"
		echo
		echo "Files: incident literals $(mb "$size_i"), plain columns $(mb "$size_p")."
		echo
		echo "Targets:"
		echo
		echo "- exceeds() within 2x of count(*): ${exc_off}x JIT off, ${exc_on}x JIT on — $(verdict "$exc_off" "<=" 2) / $(verdict "$exc_on" "<=" 2)"
		echo "- exceeds() >= 3x faster than data-driven SQL: ${rules_x}x JIT off, ${rules_x_on}x JIT on — $(verdict "$rules_x" ">=" 3) / $(verdict "$rules_x_on" ">=" 3)"
		echo "- exceeds() no slower than the hard-coded CASE: CASE takes ${case_x}x / ${case_x_on}x the time of exceeds() — $(verdict "$case_x" ">=" 1) / $(verdict "$case_x_on" ">=" 1)"
		echo "- COPY FROM incident / plain <= 1.5: ${copy_ratio}x — $(verdict "$copy_ratio" "<=" 1.5)"
		echo
		echo "Every repetition, ms (in the order run; each repetition runs every query with JIT off, then on):"
		echo
		echo "| measurement | pass | ms |"
		echo "|---|---|---|"
		printf '%s\n' "$raw_tsv" | awk -F '\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
		if [ "$mismatch" != 0 ] || [ "$copy_short" != 0 ]; then
			echo
			echo "**MISMATCH: the methods did not all count the same rows; these numbers are not valid.**"
		fi
	else
		printf '\nPostgreSQL %s, %s incidents (table inc: %s), median of %s, no parallel workers\n\n' \
			"$version" "$ROWS" "$size_inc" "$REPS"
		{
			printf 'measurement\tms (JIT off)\tratio\tms (JIT on)\tratio\tcount\n'
			printf '%s\n' "$rows_tsv" | awk -F '\t' -v OFS='\t' '{ $3 = $3 "x"; $5 = $5 "x"; print }'
		} | column -t -s $'\t'
		echo
		{
			printf 'COPY FROM (%s rows)\tms\n' "$ROWS"
			printf '%s\n' "$copy_tsv" | cut -f 1,2
			printf 'ratio incident / plain\t%sx\n' "$copy_ratio"
		} | column -t -s $'\t'
		echo
		echo "targets: exceeds/count ${exc_off}x (off) ${exc_on}x (on) [<= 2: $(verdict "$exc_off" "<=" 2)/$(verdict "$exc_on" "<=" 2)];" \
			"data-driven/exceeds ${rules_x}x ${rules_x_on}x [>= 3: $(verdict "$rules_x" ">=" 3)/$(verdict "$rules_x_on" ">=" 3)];" \
			"CASE/exceeds ${case_x}x ${case_x_on}x [>= 1: $(verdict "$case_x" ">=" 1)/$(verdict "$case_x_on" ">=" 1)];" \
			"COPY ${copy_ratio}x [<= 1.5: $(verdict "$copy_ratio" "<=" 1.5)]"
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
