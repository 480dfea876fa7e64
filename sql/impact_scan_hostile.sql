-- impact_scan_hostile.sql: a hostile test of impact()'s custom scan (src/impact_scan.c)
-- in one session: every query answers as the function scan does (ceptoar.impact_scan =
-- off: the same rows in the same order, the same errors), the plans that must stay with
-- the function scan do, and no scan leaves a pin behind (no "ceptoar retired graphs"
-- context once the statement or transaction is over).  The multi-session cases
-- (another session's commits and TRUNCATE between a cursor's FETCHes, DROP EXTENSION
-- while a cursor is open, memory over many calls) are in test/impact_scan_hostile.sh.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

\i sql/try.psql

-- The graph of impact_scan.sql and pg_temp.both_ways(query)
\i sql/impact_scan_graph.psql
-- The same error (or none) both ways
CREATE FUNCTION pg_temp.err_both_ways(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  a record;
  b record;
BEGIN
  PERFORM set_config('ceptoar.impact_scan', 'on', true);
  SELECT * INTO a FROM pg_temp.try(q);
  PERFORM set_config('ceptoar.impact_scan', 'off', true);
  SELECT * INTO b FROM pg_temp.try(q);
  PERFORM set_config('ceptoar.impact_scan', 'on', true);
  RETURN a.state || ' ' || coalesce(a.message, '') ||
         CASE WHEN a IS NOT DISTINCT FROM b THEN ' (same both ways)'
              ELSE ' DIFFERENT: off gives ' || b.state || ' ' || coalesce(b.message, '') END;
END $$;
-- No scan pinned: no retired graph waits for one
CREATE FUNCTION pg_temp.retired() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'ceptoar retired graphs'
$$;

-- 1. Rows and order, both ways
SELECT q, pg_temp.both_ways(q) FROM (VALUES
  -- duplicate origins, every instance an origin, the same one many times
  ('SELECT * FROM impact(ARRAY[3, 3, 3, 1, 3]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT * FROM impact(ARRAY(SELECT generate_series(60, 1, -1))::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT * FROM impact(array_fill(41::bigint, ARRAY[500]), ''2024-01-15 09:00+09'', ''1 hour'')'),
  -- huge horizons and outages: the limit saturates
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''365000 days'', horizon => ''106751991 days'')'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''0'', horizon => ''0'')'),
  ('SELECT * FROM impact(1, ''294276-12-30 00:00+00'', ''1 hour'', horizon => ''106751991 days'')'),
  -- a multi-dimensional array of origins, array with non-default lower bound
  ('SELECT * FROM impact(''{{1,2},{3,4}}''::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')'),
  ('SELECT * FROM impact(''[5:6]={7,9}''::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')'),
  -- named arguments in another order; a volatile argument (evaluated once both ways)
  ('SELECT * FROM impact(horizon => ''3 hours'', lasted => ''1 hour'', began => ''2024-01-15 09:00+09'', origins => ARRAY[2]::bigint[])'),
  -- the whole row of the inlined overload, in a lateral subquery and through an outer join
  ('SELECT s.* FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'') i, LATERAL (SELECT i) s'),
  ('SELECT v, s.* FROM (VALUES (1::bigint), (2)) v(v) LEFT JOIN LATERAL (SELECT i, i.instance FROM impact(ARRAY[v], ''2024-01-15 09:00+09'', ''1 hour'') i) s ON v = 1'),
  ('SELECT v, s.* FROM (VALUES (1::bigint), (2)) v(v) LEFT JOIN LATERAL (SELECT i, i.instance FROM impact(ARRAY[v], ''2024-01-15 09:00+09'', ''1 hour'') i WHERE i.depth > 1) s ON true'),
  -- sublinks reading the scan's columns; a scan in a sublink's qual
  ('SELECT (SELECT i.instance * 2), (SELECT count(*) FROM impact(ARRAY[i.instance], ''2024-01-15 09:00+09'', ''10 minutes'')) FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'') i'),
  ('SELECT o FROM generate_series(1, 60) o WHERE o IN (SELECT via FROM impact(ARRAY[5]::bigint[], ''2024-01-15 09:00+09'', ''1 hour''))'),
  ('SELECT instance FROM impact(ARRAY[5]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i WHERE EXISTS (SELECT 1 FROM impact(ARRAY[i.instance], ''2024-01-15 09:00+09'', ''1 minute'') j WHERE j.depth = 1)'),
  -- set operations, window functions, DISTINCT, ORDER BY a column, GROUP BY
  ('SELECT instance FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'') UNION ALL SELECT instance FROM impact(2, ''2024-01-15 09:00+09'', ''1 hour'') EXCEPT ALL SELECT instance FROM impact(3, ''2024-01-15 09:00+09'', ''1 hour'')'),
  ('SELECT instance, row_number() OVER (PARTITION BY depth ORDER BY onset DESC, instance), lag(instance) OVER () FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT DISTINCT depth FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') ORDER BY 1'),
  ('SELECT depth, count(*), sum(population), min(via) FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') GROUP BY depth ORDER BY depth'),
  -- a CTE read twice, MATERIALIZED or not
  ('WITH x AS MATERIALIZED (SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'')) SELECT a.instance, b.instance FROM x a JOIN x b ON a.via = b.instance'),
  ('WITH x AS NOT MATERIALIZED (SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'')) SELECT a.instance, b.instance FROM x a JOIN x b ON a.via = b.instance'),
  -- a recursive CTE that calls impact() at each level
  ('WITH RECURSIVE r(n, inst) AS (SELECT 0, 1::bigint UNION ALL SELECT r.n + 1, i.instance FROM r, LATERAL impact(ARRAY[r.inst], ''2024-01-15 09:00+09'', ''5 minutes'') i WHERE r.n < 3 AND i.depth = 1) SELECT * FROM r'),
  -- LIMIT / OFFSET past the end, zero rows from a qual
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'') OFFSET 1000'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'') WHERE false'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'') WHERE instance = 1 AND depth <> 0')
) AS t(q);

-- 2. The same errors both ways
SELECT q, pg_temp.err_both_ways(q) FROM (VALUES
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 month'')'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''-1 hour'')'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'', horizon => ''1 month'')'),
  ('SELECT * FROM impact(1, ''-infinity'', ''1 hour'')'),
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''1 hour'', horizon => ''-1 hour'')'),
  ('SELECT * FROM impact(NULL::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')'),
  ('SELECT * FROM impact(ARRAY[1]::bigint[], NULL, ''1 hour'')'),
  -- an error in a qual part-way through the rows, and in an argument
  ('SELECT * FROM impact(1, ''2024-01-15 09:00+09'', ''2 hours'') WHERE 1 / (depth - 2) > -5'),
  ('SELECT * FROM impact(ARRAY[1 / 0]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')'),
  -- an unknown origin in the 5th outer row of a LATERAL
  ('SELECT * FROM generate_series(1, 70, 15) o, LATERAL impact(ARRAY[o]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i')
) AS t(q);
SELECT pg_temp.retired() AS retired;

-- 3. Plans that must stay with the function scan
SELECT q, pg_temp.both_ways(q) FROM (VALUES
  ('SELECT i FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i'),
  ('SELECT to_jsonb(i) ->> ''instance'' FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i'),
  ('SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i GROUP BY i'),
  ('SELECT s.* FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i, LATERAL (SELECT i) s'),
  ('SELECT v, s.* FROM (VALUES (1::bigint), (2)) v(v) LEFT JOIN LATERAL (SELECT i, i.instance FROM impact(ARRAY[v], ''2024-01-15 09:00+09'', ''1 hour'') i) s ON true'),
  ('SELECT instance FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i WHERE EXISTS (SELECT 1 WHERE i IS NOT NULL)'),
  ('SELECT * FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') WITH ORDINALITY'),
  ('SELECT * FROM ROWS FROM (impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour''))'),
  ('SELECT * FROM ROWS FROM (impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour''), impact(ARRAY[2]::bigint[], ''2024-01-15 09:00+09'', ''1 hour''))')
) AS t(q);

-- 4. Cursors: every kind of FETCH and MOVE, other calls between them, both ways
CREATE FUNCTION pg_temp.cursor_walk(q text, way text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  c refcursor := 'walk_' || way;
  r record;
  out text := '';
  step text;
BEGIN
  PERFORM set_config('ceptoar.impact_scan', CASE way WHEN 'custom' THEN 'on' ELSE 'off' END, true);
  OPEN c SCROLL FOR EXECUTE q;
  FOREACH step IN ARRAY ARRAY['next', 'next', 'prior', 'prior', 'prior', 'next', 'abs 5', 'rel -2',
                              'rel 0', 'last', 'next', 'next', 'prior', 'first', 'abs -3', 'abs 0',
                              'next', 'move abs 100', 'prior', 'move first', 'rel 4', 'move rel -10',
                              'next', 'move last', 'rel 1', 'rel -1', 'abs 1000', 'prior'] LOOP
    CASE split_part(step, ' ', 1)
      WHEN 'next' THEN FETCH NEXT FROM c INTO r;
      WHEN 'prior' THEN FETCH PRIOR FROM c INTO r;
      WHEN 'first' THEN FETCH FIRST FROM c INTO r;
      WHEN 'last' THEN FETCH LAST FROM c INTO r;
      WHEN 'abs' THEN FETCH ABSOLUTE split_part(step, ' ', 2)::int FROM c INTO r;
      WHEN 'rel' THEN FETCH RELATIVE split_part(step, ' ', 2)::int FROM c INTO r;
      WHEN 'move' THEN
        CASE split_part(step, ' ', 2)
          WHEN 'abs' THEN MOVE ABSOLUTE split_part(step, ' ', 3)::int FROM c;
          WHEN 'rel' THEN MOVE RELATIVE split_part(step, ' ', 3)::int FROM c;
          WHEN 'first' THEN MOVE FIRST FROM c;
          ELSE MOVE LAST FROM c;
        END CASE;
    END CASE;
    out := out || step || ':' || CASE WHEN step LIKE 'move%' THEN FOUND::text
                                     WHEN FOUND THEN r::text ELSE '-' END || ' ';
    -- another search between two fetches, of another origin
    PERFORM count(*) FROM impact(ARRAY[length(out) % 60 + 1]::bigint[], '2024-01-15 09:00+09', '1 hour');
  END LOOP;
  CLOSE c;
  PERFORM set_config('ceptoar.impact_scan', 'on', true);
  RETURN out;
END $$;
SELECT q, pg_temp.cursor_walk(q, 'custom') = pg_temp.cursor_walk(q, 'function') AS same,
       md5(pg_temp.cursor_walk(q, 'custom')) = md5(pg_temp.cursor_walk(q, 'custom')) AS stable
FROM (VALUES
  ('SELECT instance, depth FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT 1 FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT instance FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'') WHERE depth % 2 = 1'),
  ('SELECT instance FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''0'')'),
  ('SELECT o, i.instance FROM generate_series(1, 4) o, LATERAL impact(ARRAY[o]::bigint[], ''2024-01-15 09:00+09'', ''20 minutes'') i')
) AS t(q);
SELECT pg_temp.cursor_walk('SELECT instance, depth FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')', 'custom');

-- a cursor WITH HOLD, read after its transaction, both ways
BEGIN;
DECLARE held_on SCROLL CURSOR WITH HOLD FOR SELECT instance, depth FROM impact(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '1 hour');
FETCH 2 FROM held_on;
SET LOCAL ceptoar.impact_scan = off;
DECLARE held_off SCROLL CURSOR WITH HOLD FOR SELECT instance, depth FROM impact(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '1 hour');
FETCH 2 FROM held_off;
COMMIT;
SELECT pg_temp.retired() AS retired;
FETCH BACKWARD 1 FROM held_on;
FETCH BACKWARD 1 FROM held_off;
MOVE ABSOLUTE 30 IN held_on;
MOVE ABSOLUTE 30 IN held_off;
FETCH RELATIVE -1 FROM held_on;
FETCH RELATIVE -1 FROM held_off;
CLOSE held_on;
CLOSE held_off;

-- 5. Errors in the middle of a scan, caught by an EXCEPTION block (a subtransaction), and
-- then more calls; a cursor whose FETCH failed in a subtransaction
CREATE FUNCTION pg_temp.caught(way text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n int := 0;
  r record;
  out text := '';
BEGIN
  PERFORM set_config('ceptoar.impact_scan', CASE way WHEN 'custom' THEN 'on' ELSE 'off' END, true);
  FOR k IN 1 .. 30 LOOP
    BEGIN
      FOR r IN SELECT instance, depth FROM impact(ARRAY[k]::bigint[], '2024-01-15 09:00+09', '1 hour') LOOP
        n := n + 1;
        IF n % 7 = 0 THEN
          RAISE EXCEPTION 'stop at %', r.instance;
        END IF;
      END LOOP;
    EXCEPTION WHEN raise_exception THEN
      out := out || SQLERRM || ', ';
    END;
    BEGIN
      PERFORM * FROM impact(ARRAY[k]::bigint[], '2024-01-15 09:00+09', '1 hour') WHERE 1 / (depth - 1) = 7;
    EXCEPTION WHEN division_by_zero THEN
      n := n + 1;
    END;
  END LOOP;
  PERFORM set_config('ceptoar.impact_scan', 'on', true);
  RETURN n || ' ' || md5(out);
END $$;
SELECT pg_temp.caught('custom') = pg_temp.caught('function') AS same, pg_temp.retired() AS retired;
BEGIN;
DECLARE c1 CURSOR FOR SELECT instance, 10 / (depth - 2) AS x FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours');
SAVEPOINT s;
FETCH 2 FROM c1;
FETCH 20 FROM c1;
ROLLBACK TO SAVEPOINT s;
FETCH 1 FROM c1;
ROLLBACK TO SAVEPOINT s;
SELECT count(*) FROM impact(ARRAY[2]::bigint[], '2024-01-15 09:00+09', '1 hour');
COMMIT;
SELECT pg_temp.retired() AS retired;

-- statement_timeout in the middle of a scan (a slow qual), then the next call
SET statement_timeout = '300ms';
SELECT count(*) FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours') WHERE pg_sleep(0.05) IS NOT NULL;
RESET statement_timeout;
SELECT count(*) FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours');
SELECT pg_temp.retired() AS retired;

-- 6. Rescans: nested loops forced, the scan inside with and without changed parameters,
-- generic plans whose parameters change
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
SELECT q, pg_temp.both_ways(q) FROM (VALUES
  ('SELECT g, i.instance FROM generate_series(1, 5) g, impact(ARRAY[3]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'') i WHERE i.depth = g % 3'),
  ('SELECT g, i.instance FROM generate_series(1, 6) g, LATERAL impact(ARRAY[g / 2 + 1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') i WHERE i.via IS NOT NULL'),
  ('SELECT g, i.instance FROM generate_series(1, 6) g, LATERAL impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', g * interval ''5 minutes'') i'),
  ('SELECT g, h, i.instance FROM generate_series(1, 3) g, generate_series(1, 3) h, LATERAL impact(ARRAY[g, h]::bigint[], ''2024-01-15 09:00+09'', ''10 minutes'') i WHERE i.depth > 0'),
  ('SELECT a.instance, count(b.*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') a LEFT JOIN impact(ARRAY[2]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') b ON b.via = a.instance GROUP BY a.instance ORDER BY 1'),
  ('SELECT a.instance FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'') a WHERE a.instance NOT IN (SELECT instance FROM impact(ARRAY[2]::bigint[], ''2024-01-15 09:00+09'', ''1 hour''))')
) AS t(q);
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;
-- a PL/pgSQL query is a cached plan: generic here, its parameters the loop's variables
SET plan_cache_mode = force_generic_plan;
CREATE FUNCTION pg_temp.generic(way text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  out text := '';
  r record;
  o bigint[];
  l interval;
  h interval;
BEGIN
  PERFORM set_config('ceptoar.impact_scan', CASE way WHEN 'custom' THEN 'on' ELSE 'off' END, true);
  FOR k IN 1 .. 12 LOOP
    o := ARRAY[k, k * 5 % 60 + 1];
    l := k * interval '7 minutes';
    h := k * interval '11 minutes';
    FOR r IN SELECT instance, depth, onset, via FROM impact(o, '2024-01-15 09:00+09', l, horizon => h) LOOP
      out := out || r::text;
    END LOOP;
    out := out || ' | ';
  END LOOP;
  PERFORM set_config('ceptoar.impact_scan', 'on', true);
  RETURN md5(out) || ' ' || length(out);
END $$;
SELECT pg_temp.generic('custom') = pg_temp.generic('function') AS same;
PREPARE gen(bigint[], interval) AS SELECT count(*), sum(depth), max(onset) FROM impact($1, '2024-01-15 09:00+09', $2);
EXPLAIN (COSTS OFF) EXECUTE gen(ARRAY[1], '1 hour');
EXECUTE gen(ARRAY[1], '1 hour');
EXECUTE gen(ARRAY[2, 2, 2], '2 hours');
EXECUTE gen(ARRAY[60], '0');
SELECT state, message FROM pg_temp.try('EXECUTE gen(ARRAY[1, NULL], ''1 hour'')');
EXECUTE gen(ARRAY[1], '1 hour');
SET ceptoar.impact_scan = off;
EXECUTE gen(ARRAY[1], '1 hour');
EXECUTE gen(ARRAY[2, 2, 2], '2 hours');
EXECUTE gen(ARRAY[60], '0');
RESET ceptoar.impact_scan;
DEALLOCATE gen;
RESET plan_cache_mode;

-- 7. Statements that write: MERGE and DELETE ... USING carry the function's whole row
-- (function scan); INSERT ... SELECT and CREATE TABLE AS stream (custom scan); the same
-- rows written both ways
CREATE TEMP TABLE w (way text, instance bigint, onset timestamptz, PRIMARY KEY (way, instance));
EXPLAIN (COSTS OFF) MERGE INTO w USING impact(1, '2024-01-15 09:00+09', '1 hour') i ON w.instance = i.instance AND w.way = 'm'
  WHEN NOT MATCHED THEN INSERT VALUES ('m', i.instance, i.onset);
MERGE INTO w USING impact(1, '2024-01-15 09:00+09', '1 hour') i ON w.instance = i.instance AND w.way = 'm'
  WHEN NOT MATCHED THEN INSERT VALUES ('m', i.instance, i.onset);
EXPLAIN (COSTS OFF) INSERT INTO w SELECT 'on', instance, onset FROM impact(1, '2024-01-15 09:00+09', '1 hour');
INSERT INTO w SELECT 'on', instance, onset FROM impact(1, '2024-01-15 09:00+09', '1 hour');
SET ceptoar.impact_scan = off;
INSERT INTO w SELECT 'off', instance, onset FROM impact(1, '2024-01-15 09:00+09', '1 hour');
RESET ceptoar.impact_scan;
EXPLAIN (COSTS OFF) DELETE FROM w USING impact(1, '2024-01-15 09:00+09', '10 minutes') i WHERE w.instance = i.instance AND w.way = 'm';
DELETE FROM w USING impact(1, '2024-01-15 09:00+09', '10 minutes') i WHERE w.instance = i.instance AND w.way = 'm';
SELECT way, count(*), md5(string_agg(instance || ' ' || onset, ',' ORDER BY instance)) = (SELECT md5(string_agg(instance || ' ' || onset, ',' ORDER BY instance)) FROM w WHERE way = 'off') AS as_off
FROM w GROUP BY way ORDER BY way;
CREATE TEMP TABLE ctas AS SELECT * FROM impact(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '1 hour');
SELECT count(*) FROM (SELECT * FROM ctas EXCEPT ALL SELECT * FROM impact(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '1 hour')) d;
DROP TABLE w, ctas;

-- 8. Privileges: SET ROLE between a cursor's FETCHes (the search runs at the first FETCH,
-- as the function's), a SECURITY DEFINER wrapper, the C function altered
CREATE ROLE regress_hostile_reader;
GRANT USAGE ON SCHEMA ceptoar TO regress_hostile_reader;
GRANT SELECT ON ceptoar.service_instance TO regress_hostile_reader;	-- not dependency
CREATE FUNCTION pg_temp.role_walk(way text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  c refcursor := 'role_' || way;
  d refcursor := 'role_lat_' || way;
  r record;
  out text := '';
BEGIN
  PERFORM set_config('ceptoar.impact_scan', CASE way WHEN 'custom' THEN 'on' ELSE 'off' END, true);
  -- opened by the superuser, first fetched by the reader: refused
  OPEN c FOR SELECT instance FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '1 hour');
  PERFORM set_config('role', 'regress_hostile_reader', true);
  BEGIN
    FETCH c INTO r;
    out := out || 'reader fetched ' || r.instance;
  EXCEPTION WHEN insufficient_privilege THEN
    out := out || 'reader refused';
  END;
  PERFORM set_config('role', 'none', true);
  -- first fetched by the superuser, the rest by the reader: the search has run
  OPEN d FOR SELECT o, i.instance FROM generate_series(1, 2) o, LATERAL impact(ARRAY[o]::bigint[], '2024-01-15 09:00+09', '10 minutes') i;
  FETCH d INTO r;
  out := out || ', first ' || r::text;
  PERFORM set_config('role', 'regress_hostile_reader', true);
  BEGIN
    LOOP
      FETCH d INTO r;
      EXIT WHEN NOT FOUND;
      out := out || ' ' || r::text;
    END LOOP;
  EXCEPTION WHEN insufficient_privilege THEN
    out := out || ', refused at the next search';
  END;
  PERFORM set_config('role', 'none', true);
  CLOSE c;
  CLOSE d;
  PERFORM set_config('ceptoar.impact_scan', 'on', true);
  RETURN out;
END $$;
SELECT pg_temp.role_walk('custom') = pg_temp.role_walk('function') AS same, pg_temp.role_walk('custom');
-- a SECURITY DEFINER wrapper lets the reader read through its owner
CREATE FUNCTION public.hostile_wrapper(o bigint) RETURNS SETOF ceptoar.impact_row
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  RETURN QUERY SELECT * FROM ceptoar.impact(ARRAY[o], '2024-01-15 09:00+09', '1 hour');
END $$;
SET ROLE regress_hostile_reader;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM ceptoar.impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')');
SELECT count(*) FROM public.hostile_wrapper(1);
SET ceptoar.impact_scan = off;
SELECT count(*) FROM public.hostile_wrapper(1);
RESET ceptoar.impact_scan;
RESET ROLE;
-- the C function made SECURITY DEFINER, or given SET options: the function scan, which
-- switches user and settings; a statement prepared before the change is planned again
PREPARE before_alter AS SELECT count(*) FROM ceptoar.impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '1 hour');
EXPLAIN (COSTS OFF) EXECUTE before_alter;
ALTER FUNCTION ceptoar.impact(bigint[], timestamptz, interval, geometry, interval) SECURITY DEFINER;
EXPLAIN (COSTS OFF) EXECUTE before_alter;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ceptoar.impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '1 hour');
GRANT regress_hostile_reader TO CURRENT_USER;
SET ROLE regress_hostile_reader;
EXECUTE before_alter;
SELECT count(*) FROM ceptoar.impact(1, '2024-01-15 09:00+09', '1 hour');
RESET ROLE;
ALTER FUNCTION ceptoar.impact(bigint[], timestamptz, interval, geometry, interval) SECURITY INVOKER;
EXPLAIN (COSTS OFF) EXECUTE before_alter;
ALTER FUNCTION ceptoar.impact(bigint[], timestamptz, interval, geometry, interval) SET work_mem = '1MB';
EXPLAIN (COSTS OFF) EXECUTE before_alter;
ALTER FUNCTION ceptoar.impact(bigint[], timestamptz, interval, geometry, interval) RESET ALL;
EXPLAIN (COSTS OFF) EXECUTE before_alter;
DEALLOCATE before_alter;
DROP FUNCTION public.hostile_wrapper(bigint);
REVOKE ALL ON ceptoar.service_instance FROM regress_hostile_reader;
REVOKE ALL ON SCHEMA ceptoar FROM regress_hostile_reader;
REVOKE regress_hostile_reader FROM CURRENT_USER;
DROP ROLE regress_hostile_reader;

-- 9. A parallel worker, EXPLAIN ANALYZE
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SELECT q, pg_temp.both_ways(q) FROM (VALUES
  ('SELECT g, i.instance FROM generate_series(1, 4) g, LATERAL impact(ARRAY[g]::bigint[], ''2024-01-15 09:00+09'', ''30 minutes'') i'),
  ('SELECT count(*) FROM impact(ARRAY[1, 2, 3]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'')')
) AS t(q);
SELECT pg_temp.cursor_walk('SELECT instance, depth FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')', 'custom')
     = pg_temp.cursor_walk('SELECT instance, depth FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')', 'function') AS cursor_same;
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours') WHERE depth > 1;
SET ceptoar.impact_scan = off;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours') WHERE depth > 1;
RESET ceptoar.impact_scan;

-- 10. With areas (the scan keeps a tuplestore): a LATERAL whose footprint is NULL in one
-- outer row and not in the next (rows from the search's arrays, then from a tuplestore,
-- then from the arrays again in the same scan), cursors backward
UPDATE service_instance SET area = ST_Multi(ST_MakeEnvelope(id % 10, 0, id % 10 + 5, 5, 4326))
WHERE id % 4 = 0;
SELECT q, pg_temp.both_ways(q) FROM (VALUES
  ('SELECT g, i.instance, i.depth, i.population FROM generate_series(1, 6) g, LATERAL impact(ARRAY[g]::bigint[], ''2024-01-15 09:00+09'', ''1 hour'', CASE WHEN g % 2 = 0 THEN ST_MakeEnvelope(0, 0, g, 3, 4326) END) i'),
  ('SELECT instance, depth, round(ST_Area(area)::numeric, 6), population FROM impact(ARRAY[4, 8, 4]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'', horizon => ''106751991 days'')'),
  ('SELECT count(*) FROM impact(ARRAY[4]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')')
) AS t(q);
SELECT pg_temp.cursor_walk(q, 'custom') = pg_temp.cursor_walk(q, 'function') AS same
FROM (VALUES
  ('SELECT instance, depth, population FROM impact(ARRAY[4]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')'),
  ('SELECT g, i.instance FROM generate_series(1, 4) g, LATERAL impact(ARRAY[g]::bigint[], ''2024-01-15 09:00+09'', ''20 minutes'', CASE WHEN g % 2 = 0 THEN ST_MakeEnvelope(0, 0, g, 3, 4326) END) i')
) AS t(q);
SELECT pg_temp.retired() AS retired;

-- The row type altered under the library (its owner can): the row builders store each
-- value by its width, so an int8 went where a pointer was read (via as macaddr8: the
-- backend crashed, both ways; population as float8: garbage).  Now refused (42804) both
-- ways, also by a plan of the custom scan cached before the change; each change rolled back.
PREPARE alt AS SELECT instance, via FROM impact(ARRAY[1]::bigint[], '2024-01-15 09:00+09', '2 hours') LIMIT 2;
EXECUTE alt;
BEGIN;
ALTER TYPE ceptoar.impact_row ALTER ATTRIBUTE via TYPE macaddr8;
SELECT state, message FROM pg_temp.try('EXECUTE alt');
SELECT state, message FROM pg_temp.try('SELECT instance, via FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'') LIMIT 2');
SET LOCAL ceptoar.impact_scan = off;
SELECT state, message FROM pg_temp.try('SELECT instance, via FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'') LIMIT 2');
ROLLBACK;
BEGIN;
ALTER TYPE ceptoar.impact_row ALTER ATTRIBUTE population TYPE float8;
SELECT state, message FROM pg_temp.try('SELECT population FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'') LIMIT 2');
SET LOCAL ceptoar.impact_scan = off;
SELECT state, message FROM pg_temp.try('SELECT population FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'') LIMIT 2');
ROLLBACK;
BEGIN;
ALTER TYPE ceptoar.impact_row ADD ATTRIBUTE extra integer;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')');
SET LOCAL ceptoar.impact_scan = off;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')');
ROLLBACK;
BEGIN;
ALTER TYPE ceptoar.impact_row DROP ATTRIBUTE area;
SELECT state, message FROM pg_temp.try('SELECT count(*) FROM impact(ARRAY[1]::bigint[], ''2024-01-15 09:00+09'', ''2 hours'')');
ROLLBACK;
-- and as it was: the cached plan answers again
EXECUTE alt;
DEALLOCATE alt;
SELECT pg_temp.retired() AS retired;

TRUNCATE service_instance CASCADE;
DELETE FROM operator WHERE code = 'scan-op';
