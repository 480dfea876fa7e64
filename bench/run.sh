#!/usr/bin/env bash
# bench/run.sh: ceptoar.sector / ceptoar.service against text.
#
#   bash bench/run.sh                 (or: make bench)
#   ROWS=200000 REPS=5 bash bench/run.sh
#
# What it does (see bench/README.md for how to read the results):
#   1. Finds a server.  If PGHOST, PGPORT or PGDATABASE is set, it uses that
#      server (it must be local, as the data file is read by the server, and
#      the role must be a superuser: COPY to and from server files, and
#      CREATE EXTENSION of an untrusted extension).  Otherwise it re-runs
#      itself inside `pg_virtualenv -t`, a throwaway cluster.
#   2. Creates a fresh database ceptoar_bench, CREATE EXTENSION
#      ceptoar_registry CASCADE.
#   3. Writes a data file of ROWS rows (default 10,000,000) with COPY ... TO
#      into a private temp dir: two columns, a sector code and a service code,
#      drawn from the real catalogues (ceptoar.services; the sector is the
#      service's own).  Deterministic: row g takes the service of rank
#      1 + floor(46 * u^2) with u = hashint8(g) mapped to [0, 1) and the
#      services ranked by md5 of their code, so the distribution is skewed
#      (the most frequent service gets ~15% of the rows, the least ~1%) and
#      identical on every run.
#   4. Times, in one session, REPS times (default 3) each, median reported:
#        - COPY FROM the file into fresh tables (sector text, service text)
#          and (sector ceptoar.sector, service ceptoar.service);
#        - SELECT sector, count(*) ... GROUP BY sector, and the same BY
#          service, over the tables of the last COPY repetition;
#        - extra, not part of the target: COPY the table TO '/dev/null'
#          (output functions).
#      The order of text and ceptoar alternates between repetitions (odd:
#      text first; even: ceptoar first).  Before every COPY FROM and before
#      the GROUP BYs: CHECKPOINT and sync, so the write-back of the previous
#      step does not land in the next one's time.
#   5. Prints operation | text ms | ceptoar ms | ratio (ceptoar / text), the
#      table sizes (pg_relation_size), and writes the same as markdown to
#      bench/out/foundation.md.  Drops the database and the temp dir.
#
# Choices:
#   - Timing is server side: a plpgsql function takes clock_timestamp()
#     around EXECUTE of the statement, so neither client round trips nor
#     connection start-up are counted; all statements run in one backend
#     (the extension's library is already loaded and its name tables built
#     before the first timed statement, by writing the data file).  The
#     commit is not counted (cheap for unlogged tables).  The target is on
#     this wall-clock time.  Alongside, the backend's own CPU time (the
#     first field of /proc/self/schedstat, read with pg_read_file, in ns) is
#     reported when the server can read it (Linux): on a small shared
#     machine the wall clock also counts the time the backend waits for a
#     CPU, and CPU time leaves that out.
#   - Tables are UNLOGGED by default (TABLES=logged for regular tables), the
#     same kind for both.  Unlogged measures what the types cost (parsing,
#     forming and writing tuples) without WAL, whose volume follows the row
#     width (so it would favour the narrower ceptoar rows anyway) and whose
#     fsyncs are the noisiest part on a shared machine.
#   - GROUP BY is measured with JIT off (the headline rows) and again with
#     jit on (default
#     thresholds; at 10M rows the planner does use JIT).  JIT compile time
#     is a per-query constant unrelated to the types and varies from run to
#     run, so JIT off compares the types; JIT on is what users get by
#     default, so it is reported too, and the ratio <= 1.0 check covers
#     both.  JIT-on rows are skipped when the server has no JIT
#     (pg_jit_available() false).
#   - max_parallel_workers_per_gather = 0 (WORKERS=n to change): a parallel
#     plan on a small shared machine mostly measures scheduling noise.
#   - Before the GROUP BYs both tables are VACUUM ANALYZEd (hint bits set,
#     statistics for the planner) and each query runs once untimed.
#
# Environment: ROWS (10000000), REPS (3), TABLES (unlogged|logged),
# WORKERS (0), PG_MAJOR (15, for pg_virtualenv), TMPDIR.
set -euo pipefail

# All of the script is one compound command, read in full before it runs, so
# editing or checking out this file during a run cannot change the run.
{

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROWS=${ROWS:-10000000}
REPS=${REPS:-3}
TABLES=${TABLES:-unlogged}
WORKERS=${WORKERS:-0}
PG_MAJOR=${PG_MAJOR:-15}
DB=ceptoar_bench

die() { echo "bench/run.sh: $*" >&2; exit 1; }

[[ $ROWS =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, not '$ROWS'"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer, not '$REPS'"
[[ $WORKERS =~ ^[0-9]+$ ]] || die "WORKERS must be a non-negative integer, not '$WORKERS'"
case $TABLES in
	unlogged) table_kw="UNLOGGED TABLE" ;;
	logged) table_kw="TABLE" ;;
	*) die "TABLES must be unlogged or logged, not '$TABLES'" ;;
esac

# --- 1. a server -----------------------------------------------------------
if [ -z "${PGHOST:-}${PGPORT:-}${PGDATABASE:-}" ]; then
	[ -z "${CEPTOAR_BENCH_IN_VENV:-}" ] \
		|| die "pg_virtualenv did not set PGHOST/PGPORT/PGDATABASE"
	command -v pg_virtualenv >/dev/null \
		|| die "PGHOST/PGPORT/PGDATABASE are not set and pg_virtualenv (postgresql-common) is missing; point them at a server where you are a superuser"
	echo "== no PGHOST/PGPORT/PGDATABASE: starting a throwaway PostgreSQL $PG_MAJOR cluster (pg_virtualenv -t)"
	export CEPTOAR_BENCH_IN_VENV=1 ROWS REPS TABLES WORKERS PG_MAJOR
	exec pg_virtualenv -t -v "$PG_MAJOR" bash "$here/run.sh"
fi

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
MAINT_DB=${PGDATABASE:-postgres}
[ "$MAINT_DB" != "$DB" ] || MAINT_DB=postgres
psql_maint() { psql -X -q -v ON_ERROR_STOP=1 -d "$MAINT_DB" "$@"; }
psql_bench() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

super=$(psql_maint -At -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") \
	|| die "cannot connect (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGDATABASE=${PGDATABASE:-}); unset them to use a throwaway cluster"
[ "$super" = t ] || die "role $(psql_maint -At -c 'SELECT current_user') is not a superuser (needed for COPY of server files and CREATE EXTENSION)"

tmp=
db_created=
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
	local rc=$?
	set +e
	if [ -n "$db_created" ]; then
		psql_maint -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 \
			|| echo "bench/run.sh: could not drop database $DB" >&2
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server (often another OS user) writes the data file: the dir must be
# writable by it.  Its name is random; nothing else is put in it.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ceptoar_bench.XXXXXX")
chmod 0777 "$tmp"
data="$tmp/rows.tsv"
case $data in *"'"* | *'$'*) die "temp dir path '$data' has a quote or dollar" ;; esac

# --- 2. a fresh database ---------------------------------------------------
echo "== database $DB on ${PGHOST:-local socket}:${PGPORT:-5432}"
psql_maint -c "DROP DATABASE IF EXISTS $DB" >/dev/null
psql_maint -c "CREATE DATABASE $DB TEMPLATE template0" >/dev/null
db_created=1
psql_bench -c "CREATE EXTENSION ceptoar_registry CASCADE" >/dev/null

# The backend's CPU time in ns, or NULL where /proc/self/schedstat is not
# readable by the server.
if psql_bench -At -c "SELECT split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint" >/dev/null 2>&1; then
	cpu_ns_sql="SELECT split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint"
else
	cpu_ns_sql="SELECT NULL::bigint"
fi
psql_bench -c "CREATE SCHEMA bench" \
	-c "CREATE FUNCTION bench.cpu_ns() RETURNS bigint LANGUAGE sql VOLATILE AS \$\$ $cpu_ns_sql \$\$" >/dev/null

psql_bench >/dev/null <<'SQL'
CREATE TABLE bench.results (ord int, op text, kind text, rep int, ms float8, cpu_ms float8);

-- Run a statement, return and record its elapsed wall-clock time.
CREATE FUNCTION bench.time_ms(p_ord int, p_op text, p_kind text, p_rep int, p_stmt text)
  RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  t0 timestamptz;
  c0 bigint;
  ms float8;
  cpu float8;
BEGIN
  c0 := bench.cpu_ns();
  t0 := clock_timestamp();
  EXECUTE p_stmt;
  ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
  cpu := (bench.cpu_ns() - c0) / 1e6;
  INSERT INTO bench.results VALUES (p_ord, p_op, p_kind, p_rep, ms, cpu);
  RETURN format('   %-32s %-8s %s %10s ms  (cpu %s ms)', p_op, p_kind,
                CASE WHEN p_rep = 0 THEN 'warm-up' ELSE 'rep ' || rpad(p_rep::text, 3) END,
                to_char(ms, 'FM9999990.0'), coalesce(to_char(cpu, 'FM9999990.0'), '-'));
END $f$;

-- Top plan node and JIT use of a query, for the report.
CREATE FUNCTION bench.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  l text;
  node text;
  jit text := 'no JIT';
BEGIN
  FOR l IN EXECUTE 'EXPLAIN ' || q LOOP
    IF node IS NULL THEN node := trim(split_part(l, '  (', 1)); END IF;
    IF l ~ 'Options:' THEN jit := 'JIT ' || trim(split_part(l, 'Options:', 2)); END IF;
  END LOOP;
  RETURN node || '; ' || jit;
END $f$;
SQL

# --- 3. the data file ------------------------------------------------------
echo "== writing $ROWS rows to $data"
t0=$(date +%s)
psql_bench <<SQL
COPY (
  WITH cat AS (
    SELECT array_agg(code::text ORDER BY md5(code::text)) AS svc,
           array_agg(sector::text ORDER BY md5(code::text)) AS sec,
           count(*)::int AS n
    FROM ceptoar.services)
  SELECT cat.sec[pick.k], cat.svc[pick.k]
  FROM cat CROSS JOIN generate_series(1, $ROWS::bigint) AS g
       CROSS JOIN LATERAL (
         SELECT 1 + floor(cat.n * power((hashint8(g) & 2147483647)::float8 / 2147483648, 2))::int AS k
       ) AS pick
) TO '$data';
SQL
[ -s "$data" ] || die "the server wrote $data but it is not visible here: the server must run on this machine"
echo "   $(du -h "$data" | cut -f1) in $(( $(date +%s) - t0 )) s"

# --- 4. the timings --------------------------------------------------------
jit_available=$(psql_bench -At -c "SELECT pg_jit_available()")
script="$tmp/bench.sql"
{
	echo "SET max_parallel_workers_per_gather = $WORKERS;"
	echo "SET statement_timeout = 0;"
	printf '\\echo == COPY FROM file into fresh %s tables, %s reps\n' "$TABLES" "$REPS"
	for r in $(seq 1 "$REPS"); do
		echo "DROP TABLE IF EXISTS bench.t_text, bench.t_ceptoar;"
		echo "CREATE $table_kw bench.t_text (sector text, service text);"
		echo "CREATE $table_kw bench.t_ceptoar (sector ceptoar.sector, service ceptoar.service);"
		if (( r % 2 )); then kinds="text ceptoar"; else kinds="ceptoar text"; fi
		for k in $kinds; do
			echo "CHECKPOINT;"
			echo "\\! sync"
			echo "SELECT bench.time_ms(1, 'COPY FROM file', '$k', $r, \$q\$COPY bench.t_$k FROM '$data'\$q\$);"
		done
	done
	echo "VACUUM (ANALYZE) bench.t_text, bench.t_ceptoar;"
	echo "CHECKPOINT;"
	echo "\\! sync"

	ord=2
	jits=off
	[ "$jit_available" = t ] && jits="off on"
	for j in $jits; do
		echo "SET jit = $j;"
		for col in sector service; do
			op="GROUP BY $col (jit $j)"
			printf '\\echo == %s, %s reps\n' "$op" "$REPS"
			for k in text ceptoar; do
				q="SELECT $col, count(*) FROM bench.t_$k GROUP BY $col"
				echo "INSERT INTO bench.plans VALUES ('$op', '$k', bench.plan_of(\$q\$$q\$q\$));"
				echo "SELECT bench.time_ms($ord, '$op', '$k', 0, \$q\$$q\$q\$);"
			done
			for r in $(seq 1 "$REPS"); do
				if (( r % 2 )); then kinds="text ceptoar"; else kinds="ceptoar text"; fi
				for k in $kinds; do
					echo "SELECT bench.time_ms($ord, '$op', '$k', $r, \$q\$SELECT $col, count(*) FROM bench.t_$k GROUP BY $col\$q\$);"
				done
			done
			ord=$((ord + 1))
		done
	done
	echo "RESET jit;"

	op="(extra) COPY TO /dev/null"
	printf '\\echo == %s, %s reps\n' "$op" "$REPS"
	for r in $(seq 1 "$REPS"); do
		if (( r % 2 )); then kinds="text ceptoar"; else kinds="ceptoar text"; fi
		for k in $kinds; do
			echo "SELECT bench.time_ms($ord, '$op', '$k', $r, \$q\$COPY bench.t_$k TO '/dev/null'\$q\$);"
		done
	done
} >"$script"

psql_bench -c "CREATE TABLE bench.plans (op text, kind text, plan text)" >/dev/null
psql_bench -At -f "$script"

# --- 5. the report ---------------------------------------------------------
results=$(psql_bench -At -F $'\t' <<'SQL'
SELECT op,
       round(t::numeric, 1), round(c::numeric, 1), round((c / t)::numeric, 2),
       raw_t, raw_c,
       coalesce(round(ct::numeric, 1)::text, '-'), coalesce(round(cc::numeric, 1)::text, '-'),
       coalesce(round((cc / nullif(ct, 0))::numeric, 2)::text, '-'),
       coalesce(raw_ct, '-'), coalesce(raw_cc, '-')
FROM (
  SELECT ord, op,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'text') AS t,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'ceptoar') AS c,
         string_agg(round(ms::numeric, 1)::text, ', ' ORDER BY rep) FILTER (WHERE kind = 'text') AS raw_t,
         string_agg(round(ms::numeric, 1)::text, ', ' ORDER BY rep) FILTER (WHERE kind = 'ceptoar') AS raw_c,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) FILTER (WHERE kind = 'text') AS ct,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) FILTER (WHERE kind = 'ceptoar') AS cc,
         string_agg(round(cpu_ms::numeric, 1)::text, ', ' ORDER BY rep) FILTER (WHERE kind = 'text') AS raw_ct,
         string_agg(round(cpu_ms::numeric, 1)::text, ', ' ORDER BY rep) FILTER (WHERE kind = 'ceptoar') AS raw_cc
  FROM bench.results
  WHERE rep > 0
  GROUP BY ord, op
) s
ORDER BY ord;
SQL
)
sizes=$(psql_bench -At -F $'\t' <<'SQL'
SELECT pg_relation_size('bench.t_text'), pg_size_pretty(pg_relation_size('bench.t_text')),
       pg_relation_size('bench.t_ceptoar'), pg_size_pretty(pg_relation_size('bench.t_ceptoar')),
       round(pg_relation_size('bench.t_ceptoar')::numeric / pg_relation_size('bench.t_text'), 2),
       (SELECT count(*) FROM bench.t_text), (SELECT count(*) FROM bench.t_ceptoar);
SQL
)
plans=$(psql_bench -At -F $'\t' -c "SELECT op, kind, plan FROM bench.plans ORDER BY op, kind DESC")
dist=$(psql_bench -At -F $'\t' <<'SQL'
SELECT (SELECT count(DISTINCT sector) FROM bench.t_ceptoar),
       (SELECT count(DISTINCT service) FROM bench.t_ceptoar),
       (SELECT format('%s %s%%', service, round(100.0 * count(*) / sum(count(*)) OVER (), 1))
          FROM bench.t_ceptoar GROUP BY service ORDER BY count(*) DESC, service LIMIT 1),
       (SELECT format('%s %s%%', sector, round(100.0 * count(*) / sum(count(*)) OVER (), 1))
          FROM bench.t_ceptoar GROUP BY sector ORDER BY count(*) DESC, sector LIMIT 1);
SQL
)
server=$(psql_bench -At -F $'\t' -c "SELECT current_setting('server_version'), current_setting('shared_buffers'), current_setting('work_mem'), current_setting('jit'), current_setting('lc_collate'), pg_jit_available()")
IFS=$'\t' read -r sz_t szp_t sz_c szp_c sz_ratio n_t n_c <<<"$sizes"
IFS=$'\t' read -r n_sectors n_services top_service top_sector <<<"$dist"
IFS=$'\t' read -r pg_version shared_buffers work_mem jit_setting collate jit_avail <<<"$server"
if [ "$n_t" != "$ROWS" ] || [ "$n_c" != "$ROWS" ]; then
	die "row counts: text $n_t, ceptoar $n_c, expected $ROWS"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
commit=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" = unknown ] || git -C "$here/.." diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src/ modified)"
when=$(date -u '+%Y-%m-%d %H:%M UTC')
per_row() { awk -v b="$1" -v n="$2" 'BEGIN { printf "%.1f", b / n }'; }

slow=$(awk -F'\t' '$1 !~ /^\(extra\)/ && $4 + 0 > 1.0 { print $1 }' <<<"$results" | paste -sd, - | sed 's/,/, /g')
if [ -z "$slow" ]; then verdict="target met: ratio <= 1.00 for every COPY FROM and GROUP BY row"
else verdict="target NOT met (ratio > 1.00): $slow"; fi

echo
echo "== results: $ROWS rows, median of $REPS, $TABLES tables, ratio = ceptoar / text (< 1: ceptoar faster)"
echo "   (wall clock; the target applies to it.  cpu: the backend's own CPU time, for comparison)"
printf '%-32s | %11s | %11s | %5s || %11s | %11s | %9s\n' operation "text ms" "ceptoar ms" ratio \
	"cpu text" "cpu ceptoar" "cpu ratio"
printf '%s\n' "---------------------------------+-------------+-------------+-------++-------------+-------------+----------"
while IFS=$'\t' read -r op t c ratio _ _ ct cc cratio _; do
	printf '%-32s | %11s | %11s | %5s || %11s | %11s | %9s\n' "$op" "$t" "$c" "$ratio" "$ct" "$cc" "$cratio"
done <<<"$results"
echo
echo "table size (pg_relation_size): text $szp_t ($(per_row "$sz_t" "$ROWS") B/row), ceptoar $szp_c ($(per_row "$sz_c" "$ROWS") B/row), ratio $sz_ratio"
echo "$verdict"

out="$here/out/foundation.md"
mkdir -p "$here/out"
{
	echo "# ceptoar_registry benchmark: sector and service against text"
	echo
	echo "$when, commit $commit, \`bash bench/run.sh\` (ROWS=$ROWS REPS=$REPS TABLES=$TABLES WORKERS=$WORKERS)."
	echo "PostgreSQL $pg_version, shared_buffers $shared_buffers, work_mem $work_mem, collation $collate,"
	echo "jit available: $jit_avail (server setting jit = $jit_setting); $(nproc 2>/dev/null || echo '?') CPUs (${cpu:-unknown})."
	echo
	echo "Data: $ROWS rows, $n_sectors sectors, $n_services services; most frequent service"
	echo "$top_service, sector $top_sector. Medians of $REPS repetitions, order of text and"
	echo "ceptoar alternating; ratio = ceptoar / text, below 1 means the ceptoar types are faster."
	echo
	echo "| operation | text ms | ceptoar ms | ratio (ceptoar/text) |"
	echo "|---|---:|---:|---:|"
	while IFS=$'\t' read -r op t c ratio _; do
		echo "| $op | $t | $c | $ratio |"
	done <<<"$results"
	echo
	echo "Backend CPU time (/proc/self/schedstat; leaves out waiting for a CPU on a busy machine;"
	echo "for comparison, the target is on the wall-clock table above):"
	echo
	echo "| operation | text cpu ms | ceptoar cpu ms | ratio (ceptoar/text) |"
	echo "|---|---:|---:|---:|"
	while IFS=$'\t' read -r op _ _ _ _ _ ct cc cratio _; do
		echo "| $op | $ct | $cc | $cratio |"
	done <<<"$results"
	echo
	echo "| table ($TABLES) | pg_relation_size | bytes/row |"
	echo "|---|---:|---:|"
	echo "| (sector text, service text) | $szp_t ($sz_t B) | $(per_row "$sz_t" "$ROWS") |"
	echo "| (sector ceptoar.sector, service ceptoar.service) | $szp_c ($sz_c B) | $(per_row "$sz_c" "$ROWS") |"
	echo "| ratio ceptoar/text | $sz_ratio | |"
	echo
	echo "**${verdict^}.**"
	echo
	echo "## Every repetition (ms, in repetition order)"
	echo
	echo "| operation | text | ceptoar | text cpu | ceptoar cpu |"
	echo "|---|---|---|---|---|"
	while IFS=$'\t' read -r op _ _ _ rt rc _ _ _ rct rcc; do
		echo "| $op | $rt | $rc | $rct | $rcc |"
	done <<<"$results"
	echo
	echo "## Plans (top node; JIT as planned)"
	echo
	echo "| query | table | plan |"
	echo "|---|---|---|"
	while IFS=$'\t' read -r op k p; do
		echo "| $op | $k | $p |"
	done <<<"$plans"
} >"$out"
echo "written: $out"
exit 0
}
