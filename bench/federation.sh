#!/usr/bin/env bash
# bench/federation.sh: what registered audiences cost a hub's writes (issue 14, section 2).
#
#   bash bench/federation.sh                                            # own throw-away server (pg_virtualenv)
#   PGHOST=/tmp PGPORT=5499 PGUSER=postgres bash bench/federation.sh    # a running server (superuser)
#
# At a hub, every write of a report rebuilds that report's copy for each audience registered
# in ceptoar.federation_audience (audience_copy: what the audience's party sees, the operator
# pseudonymised for it; 320_federation.sql).  Measured: filing N reports and then revising
# each (a new status), one report per statement as a ministry's users do, at a database with
# 0, 1 (the public) and 2 (the public and the electricity CEPTOAR) audiences registered.  The
# reports: electricity and telecom operators, TLP clear, green and amber in turn (the public
# copies a third of them, the CEPTOAR all but the telecom amber ones).
#
# Timing: clock_timestamp() around the N statements, inside one PL/pgSQL procedure on the
# server (no client round trips), each statement its own transaction (COMMIT after each, as
# at a hub, where autovacuum's ANALYZE can refresh the plans of a growing audience_copy);
# the registry's tables emptied (session_replication_role = replica,
# in this bench only, lets TRUNCATE through the registry's guards) and CHECKPOINT before each
# run; the order of the three settings alternates between repetitions (0 1 2, then 2 1 0).
# Each setting's median with its range; the ratio to no audience of the same repetition, its
# median with its range.  JIT off, synchronous_commit off (no disk flush per commit).  Environment: N (default 2000), REPS (default 6), KEEP
# (1: keep the database).  Writes bench/out/federation.md.
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${PGPORT:-}" ]; then
	exec pg_virtualenv -t -v "$PG_MAJOR" bash "$0" "$@"
fi
N=${N:-2000}
REPS=${REPS:-6}
KEEP=${KEEP:-0}
for v in "$N" "$REPS"; do case $v in '' | *[!0-9]* | 0) echo "N and REPS must be positive numbers" >&2; exit 2 ;; esac; done

db=ceptoar_bench_federation_$$
outdir=$here/out
cleanup() {
	if [ "$KEEP" = 1 ]; then echo "kept database $db" >&2
	else dropdb --if-exists "$db" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

say "database $db: $N reports filed and revised, audiences 0, 1 and 2, $REPS repetitions"
createdb "$db"
sql -c "CREATE EXTENSION ceptoar_registry CASCADE" -c "ALTER DATABASE \"$db\" SET jit = off" -c "ALTER DATABASE \"$db\" SET synchronous_commit = off"
sql <<'SQL'
INSERT INTO ceptoar.operator (code, name, sector, ceptoar)
SELECT 'power-' || i, 'Power ' || i, 'electricity', 'electricity' FROM generate_series(1, 5) i
UNION ALL
SELECT 'tel-' || i, 'Tel ' || i, 'telecom', 'telecommunications' FROM generate_series(1, 5) i;
CREATE SCHEMA bench;
-- empties the registry's report tables and the copies (the guards are origin triggers)
CREATE FUNCTION bench.reset() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  SET LOCAL session_replication_role = replica;
  TRUNCATE ceptoar.report, ceptoar.audience_copy CASCADE;
END $$;
-- the audiences registered: 0, 1 (public) or 2 (public, electricity CEPTOAR)
CREATE FUNCTION bench.audiences(n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ceptoar.federation_audience;
  INSERT INTO ceptoar.federation_audience (code, kind, party_code)
  SELECT a.code, a.kind, a.party FROM (VALUES (1, 'public', 'public', NULL), (2, 'elec', 'ceptoar', 'electricity')) a (k, code, kind, party)
   WHERE a.k <= n;
END $$;
-- files n reports, one INSERT each, then revises each with one UPDATE, each in its own
-- transaction: the two times in ms, in bench.timing
CREATE TABLE bench.timing (file_ms double precision, revise_ms double precision);
CREATE PROCEDURE bench.run(n int) LANGUAGE plpgsql AS $$
DECLARE
  file_ms double precision;
  t0 timestamptz;
  i int;
  op text;
BEGIN
  t0 := clock_timestamp();
  FOR i IN 1 .. n LOOP
    op := CASE WHEN i % 2 = 0 THEN 'power-' ELSE 'tel-' END || (i % 5 + 1);
    INSERT INTO ceptoar.report (id, operator, incident, reported, tlp, summary)
    VALUES (('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, op,
            CASE WHEN op LIKE 'power-%'
                 THEN format('service=electricity.supply, began=2024-06-01 10:00+09, lasted=%s min, users=%s', 10 + i % 300, 100 + i)
                 ELSE format('service=telecom.telecommunications, began=2024-06-01 10:00+09, lasted=%s min, users=%s', 10 + i % 300, 100 + i) END::ceptoar.incident,
            '2024-06-01 11:00+09', (ARRAY['clear', 'green', 'amber'])[i % 3 + 1]::ceptoar.tlp, 'report ' || i);
    COMMIT;
  END LOOP;
  file_ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
  t0 := clock_timestamp();
  FOR i IN 1 .. n LOOP
    UPDATE ceptoar.report SET status = 'under_review'
     WHERE id = ('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid;
    COMMIT;
  END LOOP;
  DELETE FROM bench.timing;
  INSERT INTO bench.timing VALUES (file_ms, 1000 * extract(epoch FROM clock_timestamp() - t0));
END $$;
SQL

# a warm-up, then the repetitions
sql -c "SELECT bench.audiences(2)" -c "CALL bench.run(200)" -c "SELECT bench.reset()" >/dev/null
results=$(mktemp)
for rep in $(seq 1 "$REPS"); do
	if [ $((rep % 2)) = 1 ]; then order="0 1 2"; else order="2 1 0"; fi
	for a in $order; do
		sql -c "SELECT bench.reset()" -c "SELECT bench.audiences($a)" -c "CHECKPOINT" >/dev/null
		r=$(sql -c "CALL bench.run($N)" -c "SELECT concat_ws(' ', round(file_ms::numeric, 1), round(revise_ms::numeric, 1)) FROM bench.timing")
		copies=$(sql -c "SELECT count(*) FROM ceptoar.audience_copy")
		echo "$rep $a $r $copies" >> "$results"
		say "repetition $rep, $a audience(s): file $(cut -d' ' -f1 <<< "$r") ms, revise $(cut -d' ' -f2 <<< "$r") ms ($copies copies)"
	done
done

# medians with ranges; ratios to no audience within each repetition
report=$(awk -v n="$N" '
function median(a, k,   i, j, t) {
	for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function stats(name, k,   m, lo, hi, i) {
	m = median(v, k); lo = v[1]; hi = v[k]
	return sprintf("%s (%s-%s)", fmt(m), fmt(lo), fmt(hi))
}
function fmt(x) { return (x >= 100) ? sprintf("%.0f", x) : sprintf("%.2f", x) }
{ f[$1, $2] = $3; u[$1, $2] = $4; c[$2] = $5; if ($1 > reps) reps = $1 }
END {
	print "| audiences | copies kept | file " n " reports, ms | ratio to none | revise " n " reports, ms | ratio to none |"
	print "|---|---|---|---|---|---|"
	for (a = 0; a <= 2; a++) {
		line = "| " a " | " c[a]
		k = 0; for (r = 1; r <= reps; r++) v[++k] = f[r, a]; line = line " | " stats("f", k)
		k = 0; for (r = 1; r <= reps; r++) v[++k] = f[r, a] / f[r, 0]; line = line " | " stats("fr", k)
		k = 0; for (r = 1; r <= reps; r++) v[++k] = u[r, a]; line = line " | " stats("u", k)
		k = 0; for (r = 1; r <= reps; r++) v[++k] = u[r, a] / u[r, 0]; line = line " | " stats("ur", k)
		print line " |"
	}
}' "$results")
rm -f "$results"
mkdir -p "$outdir"
{
	echo "# Federation: a hub's writes with audiences registered"
	echo
	echo "$N reports filed (one INSERT each) and revised (one UPDATE each), $REPS repetitions, order alternated;"
	echo "medians (lowest-highest); ratios to no audience within each repetition. $(date -u +%Y-%m-%d), PostgreSQL $(sql -c 'SHOW server_version')."
	echo
	echo "$report"
} | tee "$outdir/federation.md"
