#!/usr/bin/env bash
# bench/access.sh: what row-level security costs a ministry (issue 13, section 8).
#
#   bash bench/access.sh                                            # own throw-away server (pg_virtualenv)
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres bash bench/access.sh    # a running server
#   SCALE=0.1 bash bench/access.sh                                  # smaller data
#
# A ministry's typical query: its sector's reports of a fiscal year (electricity, FY2023,
# about 1/35 of the table), over N = 1,000,000 x SCALE reports (bench.gen of
# bench/registry_setup.sql: seven sectors, fiscal years 2020-2024, the five TLP markings in
# turn), loaded with the registry's triggers off and the derived columns written as the
# trigger writes them.  Two methods, the same statement text but for the WHERE:
#   rls    as a role registered as the ministry meti (row-level security: the policies of
#          220_access.sql), WHERE sector_code = 'electricity' AND fiscal_year = 2023;
#   owner  as the extension's owner (no row-level security), with the equivalent WHERE:
#          ... AND ministry_code = 'meti'.
# Each reads every column a ministry would (an aggregate over them, so that the rows are
# fetched and the client gets one line); both must give the same answer (MISMATCH, exit 1).
# Target: rls / owner <= 1.3.
#
# Timing: bench.time_ms of bench/impact_setup.sql (clock_timestamp() around EXECUTE on the
# server, with the backend's CPU time), one session, SET LOCAL ROLE inside the timed call for
# both methods; the order alternates between repetitions, repetition 0 is a warm-up.
# Medians, the ratio of the medians and its spread (lowest and highest ratio of the
# repetitions of the same round).  JIT off, no parallel workers.
# Environment: SCALE (default 1), REPS (default 11), KEEP (1: keep the database), STRICT
# (1: exit 2 on a missed target).  Writes bench/out/access.md.
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
if [ -z "${PGPORT:-}" ]; then
	exec pg_virtualenv -t -v "$PG_MAJOR" bash "$0" "$@"
fi
SCALE=${SCALE:-1}
REPS=${REPS:-11}
KEEP=${KEEP:-0}
STRICT=${STRICT:-0}
awk -v s="$SCALE" 'BEGIN { exit !(s ~ /^[0-9]*\.?[0-9]+$/ && s > 0) }' || { echo "SCALE must be a positive number" >&2; exit 2; }
case $REPS in '' | *[!0-9]* | 0) echo "REPS must be a positive number" >&2; exit 2 ;; esac
N=$(awk -v s="$SCALE" 'BEGIN { v = int(1000000 * s + 0.5); print (v < 100 ? 100 : v) }')
FY=2023

db=ceptoar_bench_access_$$
role=bench_access_meti_$$
outdir=$here/out
mkdir -p "$outdir"
cleanup() {
	if [ "$KEEP" = 1 ]; then echo "kept database $db and role $role" >&2
	else
		dropdb --if-exists "$db" >/dev/null 2>&1 || true
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail=0
t_start=$(date +%s)

say "database $db; SCALE $SCALE: $N reports, $REPS repetitions"
createdb "$db"
sql -c "CREATE EXTENSION ceptoar_registry CASCADE" \
	-c "ALTER DATABASE \"$db\" SET jit = off" \
	-c "ALTER DATABASE \"$db\" SET max_parallel_workers_per_gather = 0" \
	-c "ALTER DATABASE \"$db\" SET timezone = 'Asia/Tokyo'"
sql -f "$here/impact_setup.sql" -f "$here/registry_setup.sql"

# the derived columns as the trigger writes them (s: a bench.gen row, o: its operator, t: its marking)
t0=$(date +%s)
sql -c "SET session_replication_role = replica" -c "
	INSERT INTO ceptoar.report (operator, kind, incident, detected, reported, exercise, summary, description, tlp,
	                            level, level_rule_set, sector_code, ministry_code, tlp_rank, is_exercise, is_revoked, fiscal_year, changed_by)
	SELECT s.operator, s.kind, s.incident, s.detected, s.reported, s.exercise, s.summary, 'description ' || s.g, t.tlp,
	       CASE WHEN s.kind = 'incident' THEN (ceptoar.classify(s.incident, 'nisc-2009')).outcome END,
	       CASE WHEN s.kind = 'incident' THEN 'nisc-2009' END,
	       o.sector::text, ceptoar.ministry(o.sector, (s.reported AT TIME ZONE 'Asia/Tokyo')::date),
	       ceptoar.tlp_rank(t.tlp), s.exercise IS NOT NULL, false,
	       ceptoar.fiscal_year(coalesce(ceptoar.began(s.incident), s.reported)), current_user
	  FROM bench.gen($N, 2020, 5) s JOIN ceptoar.operator o ON o.code = s.operator
	 CROSS JOIN LATERAL (SELECT (ARRAY['clear', 'green', 'amber', 'amber+strict', 'red']::ceptoar.tlp[])[1 + (s.g / 7) % 5] AS tlp) t" \
	-c "VACUUM ANALYZE ceptoar.report" -c "CHECKPOINT"
sql -c "CREATE ROLE $role" -c "SELECT ceptoar.register_party('$role', 'ministry', 'meti')" -c "
	CREATE FUNCTION bench.as_role(r name, stmt text) RETURNS text LANGUAGE plpgsql AS \$f\$
	DECLARE res text;
	BEGIN
	  EXECUTE format('SET LOCAL ROLE %I', r);
	  EXECUTE stmt INTO res;
	  RESET ROLE;
	  RETURN res;
	END \$f\$" -c "GRANT USAGE ON SCHEMA bench TO $role"
IFS='|' read -r n_all n_year size < <(sql -c "SELECT count(*), count(*) FILTER (WHERE sector_code = 'electricity' AND fiscal_year = $FY),
	pg_size_pretty(pg_total_relation_size('ceptoar.report')) FROM ceptoar.report")
say "loaded in $(($(date +%s) - t0)) s: $n_all reports ($size), $n_year of electricity in FY$FY"

select_list="count(*) || ',' || count(DISTINCT operator) || ',' || count(*) FILTER (WHERE level = 'exceeds') || ',' ||
  sum(length(coalesce(summary, '')) + length(coalesce(description, ''))) || ',' || max(reported) || ',' || max(tlp::text) || ',' || min(status)"
q_rls="SELECT $select_list FROM ceptoar.report WHERE sector_code = 'electricity' AND fiscal_year = $FY"
q_owner="SELECT $select_list FROM ceptoar.report WHERE sector_code = 'electricity' AND fiscal_year = $FY AND ministry_code = 'meti'"
owner=$(sql -c "SELECT current_user")
lit() { sed "s/'/''/g" <<<"$1"; }
call_rls="SELECT bench.as_role('$role', '$(lit "$q_rls")')"
call_owner="SELECT bench.as_role('$owner', '$(lit "$q_owner")')"
a=$(sql -c "$call_rls"); b=$(sql -c "$call_owner")
[ "$a" = "$b" ] || { echo "MISMATCH: rls gives $a, owner $b" >&2; fail=1; }
say "both give $a"
plan_rls=$(sql -c "SET ROLE $role" -c "EXPLAIN (COSTS OFF) $q_rls")
plan_owner=$(sql -c "EXPLAIN (COSTS OFF) $q_owner")
{
	for rep in $(seq 0 "$REPS"); do
		order="rls owner"
		(( rep % 2 )) || order="owner rls"
		for l in $order; do
			if [ "$l" = rls ]; then q=$call_rls; else q=$call_owner; fi
			printf "SELECT bench.time_ms('A', '%s', %s, \$bench\$%s\$bench\$);\n" "$l" "$rep" "$q"
		done
	done
} | sql >/dev/null

summary=$(sql -F $'\t' -c "
	SELECT label, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2),
	       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms)::numeric, 0),
	       string_agg(round(ms::numeric, 1)::text, ', ' ORDER BY rep)
	FROM bench.results WHERE rep > 0 GROUP BY label")
val() { awk -F '\t' -v l="$1" -v c="$2" '$1 == l { print $c }' <<<"$summary"; }
spread=$(sql -c "SELECT round(min(a.ms / b.ms)::numeric, 2) || ' - ' || round(max(a.ms / b.ms)::numeric, 2)
	FROM bench.results a JOIN bench.results b USING (part, rep) WHERE a.label = 'rls' AND b.label = 'owner' AND rep > 0")
ratio=$(awk -v a="$(val rls 2)" -v b="$(val owner 2)" 'BEGIN { printf "%.2f", a / b }')
target=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.3) ? "met" : "MISSED" }')
IFS='|' read -r version shared_buffers work_mem < <(sql -c "SELECT current_setting('server_version'), current_setting('shared_buffers'), current_setting('work_mem')")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" = unknown ] || git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src/ modified)"

{
	echo "# Access benchmark"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, \`bash bench/access.sh\` (SCALE=$SCALE REPS=$REPS), $(($(date +%s) - t_start)) s."
	echo "PostgreSQL $version; shared_buffers $shared_buffers, work_mem $work_mem, jit off, no parallel workers;"
	echo "$(nproc) CPUs (${cpu:-unknown}), load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
	echo
	echo "A ministry's sector's reports of FY$FY: $n_year of $n_all reports ($size). Answer (count, operators, exceeds, text length, latest, highest TLP, lowest status): $a."
	echo
	echo "| method | median ms | CPU ms | each repetition (ms) |"
	echo "|---|---:|---:|---|"
	echo "| owner, WHERE sector, year and ministry_code = 'meti' | $(val owner 2) | $(val owner 3) | $(val owner 4) |"
	echo "| ministry meti under row-level security, WHERE sector and year | $(val rls 2) | $(val rls 3) | $(val rls 4) |"
	echo "| **ratio rls / owner** (target <= 1.3) | **$ratio** | | spread $spread; **$target** |"
	echo
	echo "Plan under row-level security:"
	echo
	echo '```'
	echo "$plan_rls"
	echo '```'
	echo
	echo "Plan of the owner:"
	echo
	echo '```'
	echo "$plan_owner"
	echo '```'
} | tee "$outdir/access.md"

[ "$fail" = 0 ] || exit 1
[ "$STRICT" = 1 ] && [ "$target" != met ] && exit 2
exit 0
