#!/usr/bin/env bash
# bench/registry.sh: what the registry costs (issue 12, section 8).
#
#   bash bench/registry.sh                                            # own throw-away server (pg_virtualenv)
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres bash bench/registry.sh    # a running server
#   SCALE=0.1 bash bench/registry.sh                                  # smaller data
#
# W. Write path: N reports (1,000,000 x SCALE; bench.gen in bench/registry_setup.sql: seven
#    services, 90 % incidents, 5 % near misses, 5 % threats, 2 % exercises, ~20 % of each
#    measure unknown, fiscal years 2020-2024) inserted through the registry (INSERT INTO
#    ceptoar.report ... SELECT: checks, derived columns, verification level, the revision and
#    its verdicts, by the triggers) against the same rows inserted into plain tables with the
#    same keys, indexes and foreign keys and no triggers: bench.plain_report and its first
#    revision in bench.plain_revision, the derived columns given (one statement, a CTE).
#    Target: registry / plain <= 2.5.  Also: the registry with its BEFORE trigger only
#    (the AFTER triggers disabled: no revision, no verdicts), over a tenth of the rows: where the time goes.
# S. annual_statistics over 10,000,000 x SCALE reports (fiscal years 2020-2024, 1 % revoked),
#    loaded with the registry's triggers off (session_replication_role = replica, in this
#    bench only) and the derived columns written by the same expressions as the trigger's
#    (checked first: on the write path's rows they must equal what the trigger wrote), against
#    a hand-written GROUP BY over bench.plain_stats, the same rows with cause, level, rule
#    set, user hours, delay and duration as plain columns and the same (sector_code,
#    fiscal_year) index.  FY2023.  Target: annual_statistics / GROUP BY <= 1.5.
#    Check (MISMATCH, exit 1): both give the same rows.
#
# Timing: clock_timestamp() around EXECUTE on the server (bench.time_ms of
# bench/impact_setup.sql), with the backend's CPU time; one session per part; the order of
# the two methods alternates between repetitions (W: the tables emptied, CHECKPOINT before
# each insert; S: a warm-up each).  Medians; the ratio of the medians and the spread (lowest
# and highest ratio of the repetitions in the same round).  JIT off, no parallel workers.
# Environment: SCALE (default 1), W_REPS (default 1: at full size the registry takes about
# 5 minutes a repetition on a 2-CPU machine; 2 or more alternate the order), S_REPS (default 5), KEEP (1: keep
# the database), STRICT (1: exit 2 on a missed target).  Writes bench/out/registry.md.
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
if [ -z "${PGPORT:-}" ]; then
	exec pg_virtualenv -t -v "$PG_MAJOR" bash "$0" "$@"
fi
SCALE=${SCALE:-1}
W_REPS=${W_REPS:-1}
S_REPS=${S_REPS:-5}
KEEP=${KEEP:-0}
STRICT=${STRICT:-0}
awk -v s="$SCALE" 'BEGIN { exit !(s ~ /^[0-9]*\.?[0-9]+$/ && s > 0) }' || { echo "SCALE must be a positive number" >&2; exit 2; }
for v in "$W_REPS" "$S_REPS"; do case $v in '' | *[!0-9]* | 0) echo "W_REPS and S_REPS must be positive numbers" >&2; exit 2 ;; esac; done
scaled() { awk -v x="$1" -v s="$SCALE" 'BEGIN { v = int(x * s + 0.5); print (v < 100 ? 100 : v) }'; }
N=$(scaled 1000000)
SN=$(scaled 10000000)
NB=$(awk -v n="$N" 'BEGIN { print int((n + 9) / 10) }')   # the AFTER-trigger split: a tenth
FY=2023

db=ceptoar_bench_registry_$$
outdir=$here/out
cleanup() {
	if [ "$KEEP" = 1 ]; then echo "kept database $db" >&2
	else dropdb --if-exists "$db" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail=0
mismatch() { echo "MISMATCH: $*" >&2; fail=1; }
t_start=$(date +%s)

say "database $db; SCALE $SCALE: write path $N reports x $W_REPS, statistics over $SN reports x $S_REPS"
createdb "$db"
sql -c "CREATE EXTENSION ceptoar_registry CASCADE" \
	-c "ALTER DATABASE \"$db\" SET jit = off" \
	-c "ALTER DATABASE \"$db\" SET max_parallel_workers_per_gather = 0" \
	-c "ALTER DATABASE \"$db\" SET timezone = 'Asia/Tokyo'"
sql -f "$here/impact_setup.sql" -f "$here/registry_setup.sql"

# the derived columns as the trigger writes them (s: a bench.gen row, o: its operator)
DERIVED="CASE WHEN s.kind = 'incident' THEN (ceptoar.classify(s.incident, 'nisc-2009')).outcome END AS level,
  CASE WHEN s.kind = 'incident' THEN 'nisc-2009' END AS level_rule_set,
  o.sector::text AS sector_code, ceptoar.ministry(o.sector, (s.reported AT TIME ZONE 'Asia/Tokyo')::date) AS ministry_code,
  ceptoar.tlp_rank('amber') AS tlp_rank, s.exercise IS NOT NULL AS is_exercise, false AS is_revoked,
  ceptoar.fiscal_year(coalesce(ceptoar.began(s.incident), s.reported)) AS fiscal_year,
  ceptoar.began(s.incident) AS began, ceptoar.lasted(s.incident) AS lasted, ceptoar.cause(s.incident) AS cause,
  ceptoar.user_hours(s.incident) AS user_hours, current_user AS changed_by"
COLS="operator, kind, incident, detected, reported, exercise, summary, level, level_rule_set, sector_code, ministry_code, tlp_rank, is_exercise, is_revoked, fiscal_year, began, lasted, cause, user_hours, changed_by"

# --------------------------------------------------------------------------
# W. the write path
say "W: generating $N reports"
sql -c "CREATE UNLOGGED TABLE bench.src AS
  SELECT s.g, s.operator, s.kind, s.incident, s.detected, s.reported, s.exercise, s.summary, $DERIVED
    FROM bench.gen($N, 2020, 5) s JOIN ceptoar.operator o ON o.code = s.operator" \
    -c "ALTER TABLE bench.src ADD PRIMARY KEY (g)" -c "VACUUM ANALYZE bench.src"
# (a count of RETURNING 1: bench.time_ms reads one value)
q_registry="WITH i AS (INSERT INTO ceptoar.report (operator, kind, incident, detected, reported, exercise, summary)
  SELECT operator, kind, incident, detected, reported, exercise, summary FROM bench.src ORDER BY g RETURNING 1)
  SELECT count(*) FROM i"
q_plain="WITH r AS (INSERT INTO bench.plain_report ($COLS) SELECT $COLS FROM bench.src ORDER BY g RETURNING *)
  , v AS (INSERT INTO bench.plain_revision (report, revision, operator, kind, incident, instance, detected, reported, tlp,
    exercise, summary, description, status, revoked, revoked_reason, level, level_rule_set, changed_at, changed_by)
  SELECT id, revision, operator, kind, incident, instance, detected, reported, tlp, exercise, summary,
    description, status, revoked, revoked_reason, level, level_rule_set, clock_timestamp(), changed_by FROM r RETURNING 1)
  SELECT count(*) FROM v"
# emptied between repetitions; the registry's own tables only with its triggers off (bench only)
empty_registry="SET session_replication_role = replica;
  TRUNCATE ceptoar.report, ceptoar.report_revision, ceptoar.report_verdicts CASCADE;
  SET session_replication_role = origin; CHECKPOINT;"
empty_plain="TRUNCATE bench.plain_report, bench.plain_revision; CHECKPOINT;"
{
	for rep in $(seq 1 "$W_REPS"); do
		order="plain registry"
		(( rep % 2 )) || order="registry plain"
		for l in $order; do
			if [ "$l" = plain ]; then q=$q_plain; echo "$empty_plain"; else q=$q_registry; echo "$empty_registry"; fi
			printf "SELECT bench.time_ms('W', '%s', %s, \$bench\$%s\$bench\$);\n" "$l" "$rep" "$q"
		done
	done
} | sql | sed 's/^/  /' >&2
IFS='|' read -r w_reports w_revisions w_verdicts < <(sql -c "SELECT (SELECT count(*) FROM ceptoar.report),
	(SELECT count(*) FROM ceptoar.report_revision), (SELECT count(*) FROM ceptoar.report_verdicts)")
[ "$w_reports" = "$N" ] && [ "$w_revisions" = "$N" ] || mismatch "W: $w_reports reports, $w_revisions revisions; expected $N"
# the bulk load's derived columns = the trigger's, row by row
d_bad=$(sql -c "SELECT count(*) FROM ceptoar.report r JOIN bench.src s ON s.summary = r.summary
	WHERE (r.level, r.level_rule_set, r.sector_code, r.ministry_code, r.tlp_rank, r.is_exercise, r.is_revoked, r.fiscal_year,
	       r.began, r.lasted, r.cause, r.user_hours, r.changed_by)
	      IS DISTINCT FROM (s.level, s.level_rule_set, s.sector_code, s.ministry_code, s.tlp_rank, s.is_exercise, s.is_revoked, s.fiscal_year,
	       s.began, s.lasted, s.cause, s.user_hours, s.changed_by)")
[ "$d_bad" = 0 ] || mismatch "W: $d_bad rows whose derived columns differ from the trigger's"
say "W: derived columns checked ($d_bad differ); the registry with its BEFORE trigger only"
sql -c "$empty_registry" -c "ALTER TABLE ceptoar.report DISABLE TRIGGER USER" -c "ALTER TABLE ceptoar.report ENABLE TRIGGER report_before" \
	-c "SELECT bench.time_ms('W', 'before_only', 1, \$bench\$${q_registry/ORDER BY g/WHERE g <= $NB ORDER BY g}\$bench\$)" \
	-c "ALTER TABLE ceptoar.report ENABLE TRIGGER USER" | sed 's/^/  /' >&2

# --------------------------------------------------------------------------
# S. annual_statistics
say "S: loading $SN reports with the triggers off"
t0=$(date +%s)
sql -c "$empty_registry" -c "DROP TABLE bench.src" -c "SET session_replication_role = replica" -c "
	INSERT INTO ceptoar.report ($COLS, revoked, revoked_reason)
	SELECT s.operator, s.kind, s.incident, s.detected, s.reported, s.exercise, s.summary, $DERIVED, r.revoked, r.reason
	  FROM bench.gen($SN, 2020, 5) s JOIN ceptoar.operator o ON o.code = s.operator
	  CROSS JOIN LATERAL (SELECT CASE WHEN bench.u(s.g, 17) < 0.01 THEN s.reported + interval '1 day' END AS revoked,
	                             CASE WHEN bench.u(s.g, 17) < 0.01 THEN 'bench' END AS reason) r" \
	-c "UPDATE ceptoar.report SET is_revoked = true WHERE revoked IS NOT NULL"
sql -c "INSERT INTO bench.plain_stats
	SELECT r.sector_code, r.fiscal_year, r.kind, r.is_exercise, r.is_revoked, ceptoar.cause(r.incident), r.level,
	       CASE WHEN r.level IS NOT NULL THEN 'nisc-2009' END, ceptoar.user_hours(r.incident),
	       r.reported - r.detected, ceptoar.lasted(r.incident)
	  FROM ceptoar.report r" \
	-c "CREATE INDEX ON bench.plain_stats (sector_code, fiscal_year)" \
	-c "CREATE TABLE bench.plain_stats_idx AS TABLE bench.plain_stats" \
	-c "CREATE INDEX ON bench.plain_stats_idx (fiscal_year, sector_code, cause, level, rule_set)
	      INCLUDE (user_hours, delay, duration) WHERE kind = 'incident' AND NOT is_exercise AND NOT is_revoked" \
	-c "VACUUM ANALYZE bench.plain_stats_idx" \
	-c "VACUUM ANALYZE ceptoar.report" -c "VACUUM ANALYZE bench.plain_stats" -c "CHECKPOINT"
IFS='|' read -r s_reports s_year s_size p_size < <(sql -c "SELECT count(*), count(*) FILTER (WHERE fiscal_year = $FY),
	pg_size_pretty(pg_total_relation_size('ceptoar.report')), pg_size_pretty(pg_total_relation_size('bench.plain_stats')) FROM ceptoar.report")
say "S: loaded in $(($(date +%s) - t0)) s: $s_reports reports ($s_size), $s_year in FY$FY; plain twin $p_size"

q_stats="SELECT * FROM ceptoar.annual_statistics($FY)"
q_hand="SELECT sector_code::ceptoar.sector AS sector, cause, coalesce(level, 'none') AS outcome, rule_set AS outcome_rule_set,
	count(*) AS incidents, sum(user_hours) AS user_hours, count(*) FILTER (WHERE user_hours IS NULL) AS user_hours_unknown,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY delay) AS median_delay, count(*) FILTER (WHERE delay IS NULL) AS delay_unknown,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY duration) AS median_duration, count(*) FILTER (WHERE duration IS NULL) AS duration_unknown
  FROM bench.plain_stats
 WHERE sector_code = ANY (ARRAY(SELECT code::text FROM ceptoar.sectors)) AND fiscal_year = $FY
   AND kind = 'incident' AND NOT is_exercise AND NOT is_revoked
 GROUP BY sector_code, cause, level, rule_set
 ORDER BY 1, 2, array_position(ARRAY['exceeds', 'within', 'undetermined', 'no_rule', 'none'], coalesce(level, 'none')), 4"
# the same with the index annual_statistics has (report_statistics: its predicate, its key in
# the GROUP BY's order, the summed columns included): like with like
q_hand_idx="${q_hand/FROM bench.plain_stats
 WHERE sector_code = ANY (ARRAY(SELECT code::text FROM ceptoar.sectors)) AND/FROM bench.plain_stats_idx
 WHERE}"
# (every column is read, through q::text: a column nobody reads would let the planner drop
# its aggregate from the hand-written query, and the function computes them all)
wrap() { echo "SELECT count(*) || ' rows, ' || sum(incidents) || ' incidents, ' || sum(length(q::text)) || ' characters' FROM ($1) q"; }
# user_hours, a float8 sum, to 6 significant digits: the order of summation differs
cmpcols="sector, cause, outcome, outcome_rule_set, incidents, round(user_hours::numeric, -greatest(0, floor(log(greatest(user_hours, 1)))::int - 5)),
	user_hours_unknown, median_delay, delay_unknown, median_duration, duration_unknown"
s_diff=$(sql -c "SELECT count(*) FROM ((SELECT $cmpcols FROM ($q_stats) a EXCEPT ALL SELECT $cmpcols FROM ($q_hand) b)
	UNION ALL (SELECT $cmpcols FROM ($q_hand) b EXCEPT ALL SELECT $cmpcols FROM ($q_stats) a)) d")
[ "$s_diff" = 0 ] || mismatch "S: annual_statistics and the GROUP BY differ in $s_diff rows"
sql -c "EXPLAIN (COSTS OFF) $q_hand" >"$outdir.plan.tmp" 2>/dev/null || true
{
	for rep in $(seq 0 "$S_REPS"); do
		order="hand hand_idx stats"
		(( rep % 2 )) || order="stats hand_idx hand"
		for l in $order; do
			case $l in
			hand) q=$(wrap "$q_hand") ;;
			hand_idx) q=$(wrap "$q_hand_idx") ;;
			*) q=$(wrap "$q_stats") ;;
			esac
			printf "SELECT bench.time_ms('S', '%s', %s, \$bench\$%s\$bench\$);\n" "$l" "$rep" "$q"
		done
	done
} | sql | sed 's/^/  /' >&2
rm -f "$outdir.plan.tmp"

# --------------------------------------------------------------------------
# report
summary=$(sql -F $'\t' -c "
	SELECT part, label, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1),
	       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms)::numeric, 0),
	       min(result), max(result), string_agg(round(ms::numeric, 0)::text, ', ' ORDER BY rep)
	FROM bench.results WHERE rep > 0 GROUP BY part, label")
val() { awk -F '\t' -v l="$1" -v c="$2" '$2 == l { print $c }' <<<"$summary"; }
spread() { # part, label a, label b: lowest and highest ratio a/b of the repetitions
	sql -c "SELECT round(min(a.ms / b.ms)::numeric, 2) || ' - ' || round(max(a.ms / b.ms)::numeric, 2)
	          FROM bench.results a JOIN bench.results b USING (part, rep)
	         WHERE part = '$1' AND a.label = '$2' AND b.label = '$3' AND rep > 0"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }
check() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "-") print "-"; else print (v <= t) ? "met" : "MISSED" }'; }
w_reg=$(val registry 3); w_plain=$(val plain 3); w_before=$(val before_only 3)
r_w=$(ratio "$w_reg" "$w_plain"); t_w=$(check "$r_w" 2.5)
r_w_cpu=$(ratio "$(val registry 4)" "$(val plain 4)")
rate_reg=$(awk -v n="$N" -v ms="$w_reg" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
rate_plain=$(awk -v n="$N" -v ms="$w_plain" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
rate_before=$(awk -v n="$NB" -v ms="$w_before" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
us_row() { awk -v n="$N" -v ms="$1" 'BEGIN { printf "%.0f", ms * 1000 / n }'; }
s_stats=$(val stats 3); s_hand=$(val hand 3)
r_s=$(ratio "$s_stats" "$s_hand"); t_s=$(check "$r_s" 1.5)
r_s_cpu=$(ratio "$(val stats 4)" "$(val hand 4)")
s_hand_idx=$(val hand_idx 3); r_si=$(ratio "$s_stats" "$s_hand_idx"); r_si_cpu=$(ratio "$(val stats 4)" "$(val hand_idx 4)")
IFS='|' read -r version shared_buffers work_mem < <(sql -c "SELECT current_setting('server_version'), current_setting('shared_buffers'), current_setting('work_mem')")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" = unknown ] || git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit (src/ modified)"

report() {
	echo "# Registry benchmark"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, \`bash bench/registry.sh\` (SCALE=$SCALE W_REPS=$W_REPS S_REPS=$S_REPS), $(($(date +%s) - t_start)) s."
	echo "PostgreSQL $version; shared_buffers $shared_buffers, work_mem $work_mem, jit off, no parallel workers;"
	echo "$(nproc) CPUs (${cpu:-unknown}), load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
	echo
	echo "## W. Write path: $N reports"
	echo
	echo "| method | median ms | CPU ms | reports/s | µs per report | each repetition (ms) |"
	echo "|---|---:|---:|---:|---:|---|"
	echo "| plain tables (report + first revision, no triggers) | $w_plain | $(val plain 4) | $rate_plain | $(us_row "$w_plain") | $(val plain 7) |"
	echo "| registry (checks, derived columns, level, revision, verdicts) | $w_reg | $(val registry 4) | $rate_reg | $(us_row "$w_reg") | $(val registry 7) |"
	echo "| registry, BEFORE trigger only (checks, derived columns, level; no revision, no verdicts; once, $NB reports) | $w_before | $(val before_only 4) | $rate_before | $(awk -v n="$NB" -v ms="$w_before" 'BEGIN { printf "%.0f", ms * 1000 / n }') | |"
	echo "| **ratio registry / plain** (target <= 2.5) | **$r_w** | $r_w_cpu | | | spread $(spread W registry plain); **$t_w** |"
	echo
	echo "Verdicts written: $w_verdicts for $w_reports reports. Derived columns of the bulk load (part S) equal to the trigger's on all $N rows: $([ "$d_bad" = 0 ] && echo yes || echo "NO, $d_bad differ")."
	echo
	echo "## S. annual_statistics($FY) over $s_reports reports ($s_year in FY$FY)"
	echo
	echo "report with indexes: $s_size; the plain twin with its index: $p_size."
	echo
	echo "| method | median ms | CPU ms | result | each repetition (ms) |"
	echo "|---|---:|---:|---|---|"
	echo "| hand-written GROUP BY over plain columns | $s_hand | $(val hand 4) | $(val hand 5) | $(val hand 7) |"
	echo "| ceptoar.annual_statistics($FY) | $s_stats | $(val stats 4) | $(val stats 5) | $(val stats 7) |"
	echo "| the same GROUP BY over a twin with annual_statistics' index (report_statistics) | $s_hand_idx | $(val hand_idx 4) | $(val hand_idx 5) | $(val hand_idx 7) |"
	echo "| **ratio annual_statistics / GROUP BY** (target <= 1.5) | **$r_s** | $r_s_cpu | spread $(spread S stats hand) | **$t_s** |"
	echo "| ratio annual_statistics / GROUP BY with the same index (like with like) | $r_si | $r_si_cpu | spread $(spread S stats hand_idx) | |"
	echo
	echo "Check: the same rows from both ($s_diff differ). The twin with the index gives the same rows by the same query."
}
mkdir -p "$outdir"
report >"$outdir/registry.md"
cat "$outdir/registry.md"
echo
echo "written: $outdir/registry.md"
if [ "$fail" != 0 ]; then echo "MISMATCH: see above" >&2; exit 1; fi
if [ "$STRICT" = 1 ] && { [ "$t_w" = MISSED ] || [ "$t_s" = MISSED ]; }; then echo "a target was missed (STRICT=1)" >&2; exit 2; fi
