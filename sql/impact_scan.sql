-- impact_scan.sql: impact() in FROM as the custom scan "CeptoarImpact" (src/impact_scan.c):
-- which queries get it, and that every one answers as the function scan does (the same
-- rows in the same order, the same errors), through quals, LATERAL, rescans, cursors
-- (backward too), prepared statements, a parallel worker and the search with areas.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

-- The first statement of a session that loads the module: the planner calls impact()'s
-- support function (0.6), which loads it in time for this very statement's plan
EXPLAIN (COSTS OFF) SELECT count(*) FROM ceptoar.impact(1, '2024-01-15 09:00+09', '2 hours');

\i sql/try.psql

\i sql/impact_scan_graph.psql

-- The plans: a call in FROM (the bigint overload is inlined into the C function's)
EXPLAIN (COSTS OFF) SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '2 hours');
EXPLAIN (COSTS OFF, VERBOSE) SELECT instance, onset FROM impact(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '2 hours') WHERE depth > 1;
-- LATERAL: parameterized by the outer row
EXPLAIN (COSTS OFF) SELECT o, i.instance FROM generate_series(1, 3) o, LATERAL impact(o::bigint, '2024-01-15 09:00+09', '1 hour') i;
-- the whole row of the inlined overload is a ROW() of the columns: the custom scan
EXPLAIN (COSTS OFF) SELECT i FROM impact(1, '2024-01-15 09:00+09', '2 hours') i;
SELECT pg_temp.both_ways('SELECT i FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') i');
-- what stays with the function scan: the whole row of the C function's call, WITH
-- ORDINALITY, ROWS FROM, the setting off
EXPLAIN (COSTS OFF) SELECT i FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours') i;
EXPLAIN (COSTS OFF) SELECT i.instance FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours') i WHERE i IS NOT NULL;
EXPLAIN (COSTS OFF) SELECT * FROM impact(1, '2024-01-15 09:00+09', '2 hours') WITH ORDINALITY;
EXPLAIN (COSTS OFF) SELECT * FROM ROWS FROM (impact(1, '2024-01-15 09:00+09', '2 hours'), generate_series(1, 2));
SET ceptoar.impact_scan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '2 hours');
RESET ceptoar.impact_scan;
-- a row-locking statement: the planner carries the function's whole row for a recheck
-- (EvalPlanQual), which the function scan gives; the update is the same
CREATE TEMP TABLE hit (instance bigint PRIMARY KEY, onset timestamptz);
INSERT INTO hit SELECT id, NULL FROM service_instance;
EXPLAIN (COSTS OFF) UPDATE hit SET onset = i.onset FROM impact(1, '2024-01-15 09:00+09', '2 hours') i WHERE hit.instance = i.instance;
UPDATE hit SET onset = i.onset FROM impact(1, '2024-01-15 09:00+09', '2 hours') i WHERE hit.instance = i.instance;
SELECT count(onset) AS updated, count(*) FILTER (WHERE onset IS NOT NULL AND (instance, onset) NOT IN
         (SELECT instance, onset FROM impact(1, '2024-01-15 09:00+09', '2 hours'))) AS wrong FROM hit;
EXPLAIN (COSTS OFF) SELECT h.instance FROM hit h, impact(1, '2024-01-15 09:00+09', '2 hours') i WHERE h.instance = i.instance FOR UPDATE OF h;
DROP TABLE hit;

-- The same rows in the same order, both ways
SELECT q, pg_temp.both_ways(q) FROM (VALUES
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT * FROM impact(41, ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT * FROM impact(ARRAY[2, 45, 2]::bigint[], ''2024-01-15 09:00+09'', ''40 minutes'', horizon => ''1 hour'')'),
  ('SELECT instance, via FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') WHERE depth > 1 AND population IS NULL'),
  ('SELECT instance, onset - ''2024-01-15 09:00+09'' AS after FROM impact(60, ''2024-01-15 09:00+09'', ''1 day'')'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 minute'')'),
  ('SELECT o, i.* FROM generate_series(1, 60, 7) o, LATERAL impact(o::bigint, ''2024-01-15 09:00+09'', ''1 hour'') i'),
  ('SELECT o, i.instance FROM (VALUES (3), (3), (50)) v(o), LATERAL impact(ARRAY[o, 1]::bigint[], ''2024-01-15 09:00+09'', o * interval ''1 minute'') i'),
  ('SELECT i.instance, count(*) FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') i JOIN dependency d ON d.supplier = i.instance GROUP BY 1 ORDER BY 1'),
  ('SELECT a.instance, b.instance FROM impact(5, ''2024-01-15 09:00+09'', ''30 minutes'') a, impact(7, ''2024-01-15 09:00+09'', ''30 minutes'') b WHERE a.depth = b.depth'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') LIMIT 3'),
  -- no column read (the scan then forms no values), or only by a qual
  ('SELECT count(*) FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT count(*) FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') WHERE via > 20'),
  ('SELECT o, (SELECT count(*) FROM impact(o::bigint, ''2024-01-15 09:00+09'', ''1 hour'')) FROM generate_series(1, 60, 9) o'),
  ('SELECT EXISTS (SELECT FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') OFFSET 13), EXISTS (SELECT FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') OFFSET 14)')
) AS t(q);

-- A rescan with the same arguments gives the rows again without a new search: a nested
-- loop with the scan inside and nothing materialized
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
EXPLAIN (COSTS OFF) SELECT g, i.instance FROM generate_series(1, 3) g, impact(1, '2024-01-15 09:00+09', '2 hours') i WHERE i.depth = g;
SELECT pg_temp.both_ways('SELECT g, i.instance FROM generate_series(1, 3) g, impact(1, ''2024-01-15 09:00+09'', ''2 hours'') i WHERE i.depth = g');
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;

-- The same errors, both ways
CREATE TEMP TABLE scan_errors (q text);
INSERT INTO scan_errors VALUES
  ('SELECT * FROM impact(ARRAY[1, NULL]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')'),
  ('SELECT * FROM impact(999, ''2024-01-15 09:00+09'', ''1 hour'')'),
  ('SELECT * FROM impact(''{}''::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')'),
  ('SELECT * FROM impact(1, ''infinity'', ''1 hour'')'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', NULL)'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'', horizon => NULL)'),
  ('SELECT * FROM impact(1, ''294276-12-31 00:00+00'', ''10 days'')'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'', ST_MakeEnvelope(0, 0, 1, 1, 3857))'),
  ('SELECT * FROM impact(o, ''2024-01-15 09:00+09'', ''1 hour'') i, (VALUES (1::bigint), (998)) v(o)');
SELECT on_.state, on_.message, on_ IS NOT DISTINCT FROM off_ AS same_both_ways
FROM scan_errors,
     LATERAL (SELECT * FROM pg_temp.try(q)) on_,
     LATERAL (SELECT set_config('ceptoar.impact_scan', 'off', false)) s1,
     LATERAL (SELECT * FROM pg_temp.try(q)) off_,
     LATERAL (SELECT set_config('ceptoar.impact_scan', 'on', false)) s2;
SHOW ceptoar.impact_scan;

-- A cursor: rows fetched between other statements, forward and backward, as the function scan
CREATE TEMP TABLE fetched (way text, step int, instance bigint, depth int);
CREATE FUNCTION pg_temp.fetch_all(way text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  c refcursor := 'scan_cursor';
  r record;
  k int := 0;
BEGIN
  PERFORM set_config('ceptoar.impact_scan', CASE way WHEN 'custom' THEN 'on' ELSE 'off' END, true);
  OPEN c FOR SELECT instance, depth FROM impact(1, '2024-01-15 09:00+09', '2 hours');
  FOR step IN 1 .. 4 LOOP
    FETCH c INTO r;
    INSERT INTO fetched VALUES (way, k, r.instance, r.depth);
    k := k + 1;
    -- another call between two rows
    PERFORM count(*) FROM impact(2, '2024-01-15 09:00+09', '1 hour');
  END LOOP;
  FOR step IN 1 .. 2 LOOP
    FETCH PRIOR FROM c INTO r;
    INSERT INTO fetched VALUES (way, k, r.instance, r.depth);
    k := k + 1;
  END LOOP;
  LOOP
    FETCH c INTO r;
    EXIT WHEN NOT FOUND;
    INSERT INTO fetched VALUES (way, k, r.instance, r.depth);
    k := k + 1;
  END LOOP;
  FETCH PRIOR FROM c INTO r;
  INSERT INTO fetched VALUES (way, k, r.instance, r.depth);
  CLOSE c;
  PERFORM set_config('ceptoar.impact_scan', 'on', true);
END $$;
BEGIN;
SELECT pg_temp.fetch_all('custom'), pg_temp.fetch_all('function');
COMMIT;
SELECT count(*) AS fetched, count(DISTINCT step) AS steps,
       (SELECT count(*) FROM (SELECT step, instance, depth FROM fetched WHERE way = 'custom'
                              EXCEPT ALL
                              SELECT step, instance, depth FROM fetched WHERE way = 'function') d) AS differing,
       (SELECT string_agg(instance::text, ' ' ORDER BY step) FROM fetched WHERE way = 'custom' AND step BETWEEN 2 AND 6) AS steps_2_to_6
FROM fetched;

-- A prepared statement, its generic plan with the origin a parameter
PREPARE hub(bigint) AS SELECT count(*), sum(depth), max(onset) FROM impact($1, '2024-01-15 09:00+09', '2 hours');
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE hub(1);
EXECUTE hub(1);
EXECUTE hub(41);
SET ceptoar.impact_scan = off;
EXECUTE hub(1);
DEALLOCATE hub;
PREPARE hub(bigint) AS SELECT count(*), sum(depth), max(onset) FROM impact($1, '2024-01-15 09:00+09', '2 hours');
EXECUTE hub(1);
EXECUTE hub(41);
DEALLOCATE hub;
RESET ceptoar.impact_scan;
RESET plan_cache_mode;

-- In a parallel worker (the plan sent to it names the scan; the worker loads the module)
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
EXPLAIN (COSTS OFF) SELECT instance, depth FROM impact(1, '2024-01-15 09:00+09', '2 hours') WHERE depth = 2;
SELECT pg_temp.both_ways('SELECT instance, depth FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') WHERE depth = 2');
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;

-- EXECUTE on the C function revoked: refused both ways, EXPLAIN included (as the function
-- scan refuses when it is set up)
CREATE ROLE regress_scan_reader;
GRANT USAGE ON SCHEMA ceptoar TO regress_scan_reader;
GRANT SELECT ON ceptoar.service_instance, ceptoar.dependency TO regress_scan_reader;
REVOKE EXECUTE ON FUNCTION impact(bigint[], timestamptz, interval, geometry, interval) FROM PUBLIC;
SET ROLE regress_scan_reader;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')');
SELECT state, message FROM pg_temp.try('EXPLAIN SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')');
SET ceptoar.impact_scan = off;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')');
RESET ceptoar.impact_scan;
RESET ROLE;
GRANT EXECUTE ON FUNCTION impact(bigint[], timestamptz, interval, geometry, interval) TO PUBLIC;
SET ROLE regress_scan_reader;
SELECT count(*) FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '1 hour');
RESET ROLE;
-- and SELECT on the graph revoked: the graph's own check, both ways
REVOKE SELECT ON ceptoar.dependency FROM regress_scan_reader;
SET ROLE regress_scan_reader;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'')');
SET ceptoar.impact_scan = off;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'')');
RESET ceptoar.impact_scan;
RESET ROLE;
REVOKE ALL ON ceptoar.service_instance, ceptoar.dependency FROM regress_scan_reader;
REVOKE ALL ON SCHEMA ceptoar FROM regress_scan_reader;
DROP ROLE regress_scan_reader;

-- A transaction that changed the graph reads it from the tables (it is never cached): a
-- query that calls impact() again and again reads it once, not once a call (20 calls: one
-- graph of this transaction in the query's memory, was 20), either scan; the next query
-- reads it again, as its snapshot sees it.
BEGIN;
UPDATE dependency SET buffer = buffer + interval '1 minute' WHERE dependent = 2;
DECLARE own1 CURSOR FOR SELECT o, count(i.instance) AS hit, max(i.onset) AS last
  FROM generate_series(1, 20) o, LATERAL impact(o::bigint, '2024-01-15 09:00+09', '2 hours') i GROUP BY o ORDER BY o;
MOVE FORWARD ALL IN own1;
SELECT count(*) AS graphs_read FROM pg_backend_memory_contexts WHERE name = 'ceptoar graph of this transaction';
SET LOCAL ceptoar.impact_scan = off;
DECLARE own2 CURSOR FOR SELECT o, count(i.instance) AS hit, max(i.onset) AS last
  FROM generate_series(1, 20) o, LATERAL impact(o::bigint, '2024-01-15 09:00+09', '2 hours') i GROUP BY o ORDER BY o;
MOVE FORWARD ALL IN own2;
SELECT count(*) AS graphs_read FROM pg_backend_memory_contexts WHERE name = 'ceptoar graph of this transaction';
CLOSE own1;
CLOSE own2;
-- the same answers as one call each (new queries, each reading the graph again)
CREATE TEMP TABLE own_lateral_off AS SELECT o, count(i.instance) AS hit, max(i.onset) AS last
  FROM generate_series(1, 20) o, LATERAL impact(o::bigint, '2024-01-15 09:00+09', '2 hours') i GROUP BY o;
SET LOCAL ceptoar.impact_scan = on;
CREATE TEMP TABLE own_lateral AS SELECT o, count(i.instance) AS hit, max(i.onset) AS last
  FROM generate_series(1, 20) o, LATERAL impact(o::bigint, '2024-01-15 09:00+09', '2 hours') i GROUP BY o;
SELECT count(*) AS origins,
       count(*) FILTER (WHERE ROW(l.hit, l.last) IS DISTINCT FROM
                              (SELECT ROW(count(*), max(onset)) FROM impact(l.o::bigint, '2024-01-15 09:00+09', '2 hours'))) AS differing,
       count(*) FILTER (WHERE (l.hit, l.last) IS DISTINCT FROM (f.hit, f.last)) AS differing_off
FROM own_lateral l JOIN own_lateral_off f USING (o);
-- a change in the same transaction: the next query sees it (instance 2 holds out 16
-- minutes without 17, then 76)
SELECT onset - '2024-01-15 09:00+09' AS hit_after FROM impact(17, '2024-01-15 09:00+09', '2 hours') WHERE instance = 2;
UPDATE dependency SET buffer = buffer + interval '1 hour' WHERE dependent = 2;
SELECT onset - '2024-01-15 09:00+09' AS hit_after FROM impact(17, '2024-01-15 09:00+09', '2 hours') WHERE instance = 2;
ROLLBACK;

-- The search with areas keeps its rows in a tuplestore: the same both ways, and backward
UPDATE service_instance SET area = ST_Multi(ST_MakeEnvelope(id % 10, 0, id % 10 + 5, 5, 4326))
WHERE id % 4 = 0;
SELECT q, pg_temp.both_ways(q) FROM (VALUES
  ('SELECT instance, depth, onset, via, round(ST_Area(area)::numeric, 6) AS area, population FROM impact(4, ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT instance, population FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'', ST_MakeEnvelope(0, 0, 3, 3, 4326))'),
  ('SELECT o, i.instance, i.population FROM generate_series(4, 20, 8) o, LATERAL impact(o::bigint, ''2024-01-15 09:00+09'', ''1 hour'') i')
) AS t(q);
BEGIN;
DECLARE back CURSOR FOR SELECT instance FROM impact(4, '2024-01-15 09:00+09', '2 hours');
FETCH 3 FROM back;
FETCH BACKWARD 2 FROM back;
MOVE FORWARD ALL IN back;
FETCH BACKWARD 1 FROM back;
COMMIT;

TRUNCATE service_instance CASCADE;
DELETE FROM operator WHERE code = 'scan-op';
