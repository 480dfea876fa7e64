-- test/31_impact_unit_hostile.sql: impact()'s one-pass search by unit (issue 11,
-- src/impact_times.c search_by_unit) against its oracles, on the graphs of
-- test/impact_unit_cases.sql: units of hours, minutes, seconds, quarter seconds and
-- microseconds, a single 1 us buffer among hours, all buffers 0, one edge only, buffers
-- of the outage's length +-1 us, horizons 0 and 1 us, began with a fraction of a second,
-- days of a time change (America/New_York), the limits of the queue's width (65,536
-- buckets), of the onsets walked (2^22), of the span (2^50 us) and of the packed state
-- (2^(62 - depth bits)) on both sides, many origins and the same origin twice, cycles,
-- zero-buffer chains of 70,000 (depths past 2^16), ties of (onset, depth) by the hundred,
-- mode site, NULL populations, ids negative and huge.  Small graphs against the plain-SQL
-- reference row for row, large ones against the radix heap (see the cases file).  Which
-- route each case takes is checked by test/impact_unit.sh.
-- Run from the repository root: pg_prove -d <db> test/31_impact_unit_hostile.sql
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;
SET search_path = public, ceptoar;
SET LOCAL client_min_messages = warning;
SET LOCAL TimeZone = 'America/New_York';

\i test/reference_impact.sql
\i test/impact_graph_helpers.sql
\i test/impact_unit_cases.sql

SELECT plan(75 + 8);

CREATE TEMP TABLE unit_results (k integer PRIMARY KEY, label text, oracle text, nrows bigint,
  mismatches integer, detail text);
DO $$
DECLARE
  c ceptoar_ref.unit_call;
  bad text[];
BEGIN
  FOR k IN 1 .. ceptoar_ref.unit_ncases() LOOP
    c := ceptoar_ref.unit_case(k);
    BEGIN
      bad := ARRAY(SELECT ceptoar_ref.unit_mismatches(c));
    EXCEPTION WHEN OTHERS THEN
      bad := ARRAY['error: ' || SQLERRM];
    END;
    INSERT INTO unit_results VALUES (k, c.label, c.oracle, ceptoar_ref.unit_rows(), cardinality(bad),
                                     array_to_string(bad, E'\n'));
  END LOOP;
END $$;

SELECT is(mismatches, 0, format('case %s, %s: %s rows as the %s', k, label, nrows,
                                CASE oracle WHEN 'ref' THEN 'reference' ELSE 'radix heap' END))
  FROM unit_results ORDER BY k;
SELECT diag(format('case %s:%s%s', k, E'\n', detail)) FROM unit_results WHERE mismatches <> 0 ORDER BY k;

-- The cases reach what they are meant to (both sides of each limit).
SELECT is((SELECT array_agg(nrows ORDER BY k) FROM unit_results WHERE k IN (10, 11, 12, 13)),
          ARRAY[1, 2, 1, 2]::bigint[], 'one edge: the buffer passes only an outage 1 us longer, and a horizon at its onset');
SELECT is((SELECT array_agg(nrows ORDER BY k) FROM unit_results WHERE k IN (29, 30, 31)),
          ARRAY[67, 65, 67]::bigint[], 'a horizon of 2^22 us reaches the chain''s end, 1 us less does not');
SELECT is((SELECT array_agg(nrows ORDER BY k) FROM unit_results WHERE k IN (32, 33)),
          ARRAY[4, 4]::bigint[], 'a span of 2^50 us: 13,031 days pass, 13,032 do not');
SELECT is((SELECT array_agg(nrows ORDER BY k) FROM unit_results WHERE k IN (7, 8, 15, 16)),
          ARRAY[1, 10, 3, 1]::bigint[], 'zero buffers and outages of 0 and 1 us; buffers of the outage +-1 us (only 1 us shorter passes)');
SELECT is((SELECT array_agg(nrows ORDER BY k) FROM unit_results WHERE k IN (67, 68)),
          ARRAY[70001, 70001]::bigint[], 'the chains of 70,000 are reached to their ends');
-- the chain of 70,000 zero buffers, row by row: depth i - 1, via i - 1, at once
SELECT ceptoar_ref.unit_case(67) IS NOT NULL;
SELECT is((SELECT count(*) FROM ceptoar.impact('{1}'::bigint[], '2024-03-10 01:00-05', '1 hour')
                              WITH ORDINALITY AS x(i, s, sc, d, o, r, v, a, p, n)
            WHERE x.n = x.i AND x.d = x.i - 1 AND x.o = '2024-03-10 01:00-05'
              AND x.v IS NOT DISTINCT FROM nullif(x.i - 1, 0)),
          70001::bigint, 'a chain of 70,000 zero buffers: each at depth id - 1, via id - 1, in id order');
SELECT ok((SELECT count(*) FILTER (WHERE nrows > 1) FROM unit_results WHERE k BETWEEN 37 AND 66) >= 20
          AND (SELECT sum(nrows) FROM unit_results WHERE k BETWEEN 37 AND 66) >= 200,
          'the random graphs are not trivial');
SELECT ok((SELECT min(nrows) FROM unit_results WHERE k IN (22, 23, 70, 71)) >= 40,
          'the layers of ties are reached');

SELECT * FROM finish();
ROLLBACK;
