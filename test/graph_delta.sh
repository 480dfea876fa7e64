#!/usr/bin/env bash
# test/graph_delta.sh: changes of the graph laid over its image (src/graph_delta.c) answer
# exactly as the plain-SQL reference (test/reference_impact.sql) does, change after change.
#
# A random graph (seeded: the same every run) of instances with and without areas and
# sites, ids with gaps, dependencies of both modes.  Then STEPS random changes, each one
# of: a dependency inserted, deleted, its buffer or mode changed; an instance's
# population, area or site changed; an instance inserted (with dependencies both ways) or
# deleted.  Each change is made in one of four ways: committed by another session,
# rolled back by another session, made and kept uncommitted by the reader itself (then
# rolled back), or made by the reader and committed; every tenth step from the fifth,
# another session first empties the log (TRUNCATE ceptoar.graph_change, how a DBA prunes
# it), so that no change is lost that an image still needs.  After each, impact() of three
# origins is compared with the reference row for row (instance, depth, onset, recovery,
# via, population, area) in the reader's session (whose cached graph follows the changes)
# and, for committed changes, in a new session.  The reader's graph must come from the
# image and the changed keys, not the tables, for most steps (checked at the end).
# Runs against the server in PGHOST/PGPORT as a superuser; prints TAP.
set -euo pipefail
STEPS=${STEPS:-60}
db=ceptoar_graph_delta
here=$(cd "$(dirname "$0")" && pwd)
cleanup() { dropdb --if-exists $db 2>/dev/null || true; }
[ -n "${KEEP:-}" ] || trap cleanup EXIT
cleanup
createdb $db
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db "$@"; }
q -c "SET client_min_messages = warning" -c "CREATE EXTENSION ceptoar_registry CASCADE"
q -c "SET client_min_messages = warning" -f "$here/reference_impact.sql" -f "$here/impact_graph_helpers.sql" >/dev/null

q <<'SQL' >/dev/null
SET client_min_messages = warning;
-- the comparison: one line per row where C and the reference differ
CREATE FUNCTION ceptoar_ref.diff(origins bigint[], began timestamptz, lasted interval)
  RETURNS SETOF text LANGUAGE sql VOLATILE AS $$
  WITH cc AS (SELECT x.* FROM ceptoar.impact(origins, began, lasted) WITH ORDINALITY AS x(i, sv, sc, d, o, rec, v, a, p, n)),
       rr AS (SELECT x.* FROM ceptoar_ref.ref_impact(origins, began, lasted, NULL, '7 days') WITH ORDINALITY AS x(i, sv, sc, d, o, rec, v, a, p, n))
  SELECT format('instance %s: C %s <> ref %s', coalesce(cc.i, rr.i), cc, rr)
    FROM cc FULL JOIN rr ON rr.i = cc.i
   WHERE cc.i IS NULL OR rr.i IS NULL OR cc.n <> rr.n OR cc.sv::text IS DISTINCT FROM rr.sv::text OR cc.d <> rr.d
      OR cc.o <> rr.o OR cc.rec <> rr.rec OR cc.v IS DISTINCT FROM rr.v OR cc.p IS DISTINCT FROM rr.p
      OR NOT (cc.a IS NULL AND rr.a IS NULL
              OR cc.a IS NOT NULL AND rr.a IS NOT NULL AND ST_IsEmpty(cc.a) = ST_IsEmpty(rr.a)
                 AND ST_Area(ST_SymDifference(cc.a, rr.a)) < 1e-12)
$$;
-- mismatches of three origins (the first, a middle and the last instance), as a count
CREATE FUNCTION ceptoar_ref.check() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT count(*) FROM (SELECT ARRAY[min(id)] AS o FROM ceptoar.service_instance
                        UNION ALL SELECT ARRAY[(array_agg(id ORDER BY id))[count(*) / 2 + 1]] FROM ceptoar.service_instance
                        UNION ALL SELECT ARRAY[max(id), min(id)] FROM ceptoar.service_instance) AS os,
       LATERAL ceptoar_ref.diff(os.o, '2024-03-10 01:00-05', '9 hours') AS d
$$;
CREATE FUNCTION ceptoar_ref.rbox() RETURNS geometry LANGUAGE sql VOLATILE AS $$
  SELECT ST_Multi(ceptoar_ref.pool_box(ARRAY[0, 1, 2, 3, 4]::float8[], ARRAY[0, 1, 2, 3]::float8[])) $$;
CREATE FUNCTION ceptoar_ref.rbuf() RETURNS interval LANGUAGE sql VOLATILE AS $$
  SELECT ceptoar_ref.pick(ARRAY['0', '1 hour', '2 hours', '3 hours', '8 hours', '1 day']::interval[]) $$;
CREATE FUNCTION ceptoar_ref.rid() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT id FROM ceptoar.service_instance ORDER BY random() LIMIT 1 $$;
CREATE FUNCTION ceptoar_ref.new_instance(id bigint) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  svc text := ceptoar_ref.pick(ARRAY['electricity.supply', 'telecom.telecommunications', 'water.supply', 'finance.bank']);
  r float8 := random();
BEGIN
  PERFORM ceptoar_ref.inst(id, svc, CASE WHEN random() < 0.2 THEN NULL ELSE (random() * 1000)::bigint END,
                           CASE WHEN r < 0.5 THEN ceptoar_ref.rbox() END,
                           CASE WHEN r > 0.3 THEN ceptoar_ref.pt(random() * 4, random() * 3) END);
END $$;
-- one random change, seeded
CREATE FUNCTION ceptoar_ref.change(seed integer) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k integer;
  a bigint;
  b bigint;
BEGIN
  PERFORM setseed(((seed::bigint * 7919) % 1999) / 1999.0);
  k := floor(random() * 9)::integer;
  IF k = 0 THEN       -- a dependency inserted
    a := ceptoar_ref.rid(); b := ceptoar_ref.rid();
    IF a <> b THEN
      INSERT INTO ceptoar.dependency VALUES (a, b, ceptoar_ref.rbuf(), ceptoar_ref.pick(ARRAY['area', 'area', 'site']))
      ON CONFLICT DO NOTHING;
    END IF;
    RETURN 'dependency inserted';
  ELSIF k = 1 THEN    -- a dependency deleted
    DELETE FROM ceptoar.dependency WHERE (dependent, supplier) IN (SELECT dependent, supplier FROM ceptoar.dependency ORDER BY random() LIMIT 1);
    RETURN 'dependency deleted';
  ELSIF k = 2 THEN    -- its buffer or mode
    UPDATE ceptoar.dependency SET buffer = ceptoar_ref.rbuf(), mode = CASE WHEN random() < 0.3 THEN 'site' ELSE 'area' END
     WHERE (dependent, supplier) IN (SELECT dependent, supplier FROM ceptoar.dependency ORDER BY random() LIMIT 2);
    RETURN 'dependencies changed';
  ELSIF k = 3 THEN
    UPDATE ceptoar.service_instance SET population = CASE WHEN random() < 0.2 THEN NULL ELSE (random() * 1000)::bigint END
     WHERE id = ceptoar_ref.rid();
    RETURN 'population';
  ELSIF k = 4 THEN
    UPDATE ceptoar.service_instance SET area = CASE WHEN random() < 0.3 THEN NULL ELSE ceptoar_ref.rbox() END
     WHERE id = ceptoar_ref.rid();
    RETURN 'area';
  ELSIF k = 5 THEN
    UPDATE ceptoar.service_instance SET site = CASE WHEN random() < 0.3 THEN NULL ELSE ceptoar_ref.pt(random() * 4, random() * 3) END
     WHERE id = ceptoar_ref.rid();
    RETURN 'site';
  ELSIF k = 6 THEN    -- a new instance, with dependencies both ways; its id in a gap or after all
    a := CASE WHEN random() < 0.5 THEN (SELECT g FROM generate_series(1, 200) g
                                       WHERE NOT EXISTS (SELECT 1 FROM ceptoar.service_instance WHERE id = g)
                                       ORDER BY random() LIMIT 1)
              ELSE (SELECT max(id) + 1 + floor(random() * 5)::integer FROM ceptoar.service_instance) END;
    PERFORM ceptoar_ref.new_instance(a);
    INSERT INTO ceptoar.dependency SELECT a, s, ceptoar_ref.rbuf(), 'area' FROM ceptoar.service_instance s0, LATERAL (SELECT s0.id AS s) x
     WHERE s0.id <> a ORDER BY random() LIMIT 2;
    INSERT INTO ceptoar.dependency SELECT d, a, ceptoar_ref.rbuf(), ceptoar_ref.pick(ARRAY['area', 'site'])
      FROM (SELECT id AS d FROM ceptoar.service_instance WHERE id <> a ORDER BY random() LIMIT 2) x
    ON CONFLICT DO NOTHING;
    RETURN 'instance ' || a || ' inserted';
  ELSIF k = 7 THEN    -- an instance deleted (its dependencies with it), never the first or last
    DELETE FROM ceptoar.service_instance WHERE id = (SELECT id FROM ceptoar.service_instance
      WHERE id > (SELECT min(id) FROM ceptoar.service_instance) AND id < (SELECT max(id) FROM ceptoar.service_instance)
      ORDER BY random() LIMIT 1);
    RETURN 'instance deleted';
  ELSE                -- several at once
    PERFORM ceptoar_ref.change(seed + 100000 * 1);
    PERFORM ceptoar_ref.change(seed + 100000 * 2);
    RETURN 'several';
  END IF;
END $$;
-- many instances at once (more keys than a delta takes: folded into a new image), each
-- depending on an instance of the graph, or gone again
CREATE FUNCTION ceptoar_ref.bulk(make boolean) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF make THEN
    INSERT INTO ceptoar.service_instance (id, service, operator, population)
    SELECT g, 'water.supply', ceptoar_ref.op('water.supply'), g FROM generate_series(1000, 2199) g;
    INSERT INTO ceptoar.dependency
    SELECT g, (SELECT id FROM ceptoar.service_instance WHERE id < 1000 ORDER BY id LIMIT 1 OFFSET g % 20), ceptoar_ref.rbuf(), 'area'
      FROM generate_series(1000, 2199) g;
  ELSE
    DELETE FROM ceptoar.service_instance WHERE id BETWEEN 1000 AND 2199;
  END IF;
END $$;
-- the graph: 60 instances of ids 1..200, 150 dependencies
SELECT setseed(0.42);
SELECT ceptoar_ref.new_instance(g) FROM (SELECT g FROM generate_series(1, 200) g ORDER BY random() LIMIT 60) x ORDER BY g;
INSERT INTO ceptoar.dependency
SELECT DISTINCT ON (d, s) d, s, ceptoar_ref.rbuf(), ceptoar_ref.pick(ARRAY['area', 'area', 'site'])
  FROM (SELECT (SELECT id FROM ceptoar.service_instance ORDER BY random() LIMIT 1 OFFSET 0 * k) AS d,
               (SELECT id FROM ceptoar.service_instance ORDER BY random() + k * 0 LIMIT 1) AS s
          FROM generate_series(1, 200) k) x
 WHERE d <> s AND d IS NOT NULL AND s IS NOT NULL;
SQL

n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 (expected '$2', got '$3')"; fail=1; fi
}
plan=6
for s in $(seq 1 "$STEPS"); do plan=$((plan + 1)); case $((s % 4)) in 0 | 3) plan=$((plan + 1)) ;; esac; done
echo "1..$plan"

# an image of the starting graph, from a session of its own
q -c "SELECT count(*) FROM ceptoar.impact((SELECT min(id) FROM ceptoar.service_instance), now(), '1 hour')" >/dev/null
check "the starting graph: C equals the reference" "0" "$(q -c "SET TimeZone = 'America/New_York'" -c "SELECT ceptoar_ref.check()")"

# The reader: one session, fed a script; the writer: psql's \! (another session).
script=$(mktemp)
for s in $(seq 1 "$STEPS"); do
	way=$((s % 4))
	{
	# now and then the log pruned by another session (TRUNCATE: the reader idle)
	[ $((s % 10)) = 5 ] && echo "\\! psql -X -q -d $db -c 'TRUNCATE ceptoar.graph_change' >/dev/null"
	case $way in
	0) echo "\\! psql -X -q -d $db -c 'SELECT ceptoar_ref.change($s)' >/dev/null" ;;
	1) echo "\\! psql -X -q -d $db -c 'BEGIN' -c 'SELECT ceptoar_ref.change($s)' -c 'ROLLBACK' >/dev/null" ;;
	2) echo "BEGIN;"; echo "SELECT ceptoar_ref.change($s) IS NULL;" ;;
	3) echo "BEGIN;"; echo "SELECT ceptoar_ref.change($s) IS NULL;"; echo "COMMIT;" ;;
	esac
	echo "SELECT 'step $s way $way: ' || ceptoar_ref.check();"
	[ "$way" = 2 ] && echo "ROLLBACK;"
	# halfway: 1,200 instances at once, then gone again: folds
	if [ "$s" = $((STEPS / 2)) ] || [ "$s" = $((3 * STEPS / 4)) ]; then
		echo "\\! psql -X -q -d $db -c 'SELECT ceptoar_ref.bulk($([ "$s" = $((STEPS / 2)) ] && echo true || echo false))' >/dev/null"
		echo "SELECT 'step $s bulk: ' || ceptoar_ref.check();"
	fi
	if [ "$way" = 0 ] || [ "$way" = 3 ]; then
		echo "\\! psql -X -q -At -d $db -c \"SET TimeZone = 'America/New_York'\" -c \"SELECT 'step $s another session: ' || ceptoar_ref.check()\""
	fi
	} >>"$script"
done
out=$(q -c "SET TimeZone = 'America/New_York'" -c "SET client_min_messages = debug1" -f "$script" 2>"$script.err")
ways=("committed by another session" "rolled back by another session" "own, uncommitted" "own, committed")
for s in $(seq 1 "$STEPS"); do
	way=$((s % 4))
	check "step $s (${ways[$way]}): C equals the reference in the reader's session" "step $s way $way: 0" \
		"$(grep "^step $s way " <<<"$out" || echo missing)"
	if [ "$way" = 0 ] || [ "$way" = 3 ]; then
		check "step $s: and in a new session" "step $s another session: 0" "$(grep "^step $s another session" <<<"$out" || echo missing)"
	fi
done
for s in $((STEPS / 2)) $((3 * STEPS / 4)); do
	check "step $s, 1,200 instances $([ "$s" = $((STEPS / 2)) ] && echo inserted || echo deleted) by another session: C equals the reference" \
		"step $s bulk: 0" "$(grep "^step $s bulk" <<<"$out" || echo missing)"
done
check "the reader folded a delta into a new image" "true" "$(grep -q "folded into a new image" "$script.err" && echo true || echo false)"
deltas=$(grep -c "changed keys" "$script.err" || true)
tables=$(grep -c "from the tables" "$script.err" || true)
check "the reader laid changes over the image (delta) more often than it read the tables" "true" \
	"$([ "$deltas" -gt "$tables" ] && [ "$deltas" -ge $((STEPS / 2)) ] && echo true || echo "false ($deltas deltas, $tables table reads)")"
check "after all that, a new session: C equals the reference" "0" "$(q -c "SET TimeZone = 'America/New_York'" -c "SELECT ceptoar_ref.check()")"
[ "$fail" = 0 ] && rm -f "$script" "$script.err"; [ "$fail" = 0 ] || echo "# reader script $script, its messages $script.err"
exit $fail
