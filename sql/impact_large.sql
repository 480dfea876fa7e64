-- impact_large.sql: graphs large enough for the engine's big arrays (a mapping of
-- their own from 1 MB, src/big_alloc.c), grown past the planner's estimate while
-- the graph is read (TRUNCATE forgets the estimate), in both search paths.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

TRUNCATE service_instance CASCADE;
INSERT INTO operator (code, name, sector) VALUES ('op', 'Op', 'telecom');

-- 120,000 instances: a hub (1) supplying 60,000 instances with buffers of 0 .. 59,999
-- seconds, each of which supplies the next one (a chain through the rest), and a cycle
-- back to the hub; 180,000 dependencies.
INSERT INTO service_instance (id, service, population, operator)
SELECT g, 'telecom.telecommunications', g % 7, 'op' FROM generate_series(1, 120000) g;
INSERT INTO dependency (dependent, supplier, buffer, mode)
SELECT g + 1, 1, make_interval(secs => g - 1), 'area' FROM generate_series(1, 60000) g
UNION ALL
SELECT g + 1, g, '1 hour', 'area' FROM generate_series(60001, 119999) g
UNION ALL
SELECT 1, g, '0', 'area' FROM generate_series(2, 60001) g;

-- no geometry anywhere: the one-pass search
SELECT count(*) AS reached, max(depth) AS deepest, sum(population) AS people,
       count(*) FILTER (WHERE via IS NULL) AS origins,
       max(onset) - '2024-01-15 09:00+09' AS last_onset
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');
-- the chain's first link: reached through the hub's last dependent, 59,999 s after the start
SELECT instance, depth, onset - '2024-01-15 09:00+09' AS after, via
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')
WHERE instance IN (2, 60001, 60002, 120000) ORDER BY instance;
-- an outage of 10 hours: the hub's dependents all, the chain only as far as 10 hours go
SELECT count(*) AS reached FROM impact(1, '2024-01-15 09:00+09', '10 hours');

-- a footprint: the round-based search with geometry, over the same 120,000 instances
-- (none located, so none is clipped and every population counts whole)
SELECT count(*) AS reached, max(depth) AS deepest, sum(population) AS people
FROM impact(1, '2024-01-15 09:00+09', '30 days',
            footprint => ST_SetSRID(ST_MakeEnvelope(0, 0, 1, 1), 4326), horizon => '60 days');

-- the same in a transaction that fails afterwards: the arrays go with their contexts,
-- and the next call in the same session still answers
BEGIN;
SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');
SELECT 1 / 0;
ROLLBACK;
SELECT count(*) AS reached FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');

-- changed in this transaction: the next call reads the graph again
BEGIN;
DELETE FROM dependency WHERE supplier = 1 AND dependent > 30001;
SELECT count(*) AS reached FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');
ROLLBACK;
SELECT count(*) AS reached FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');

-- the one-pass search's 120,000 rows (about 19 MB) stay in memory up to
-- ceptoar.impact_result_memory (default 64MB) whatever work_mem says, while the round-based
-- search's rows (with areas, of any size) keep to work_mem: temporary blocks written by each,
-- at the least work_mem
CREATE FUNCTION pg_temp.temp_written(q text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ' || q INTO plan;
  RETURN (plan -> 0 -> 'Plan' ->> 'Temp Written Blocks')::bigint;
END $f$;
-- (the function scan's tuplestore: the custom scan, below, stores no rows)
SET ceptoar.impact_scan = off;
SET work_mem = '64kB';
SELECT pg_temp.temp_written($$SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')$$) AS one_pass_spilled;
SELECT pg_temp.temp_written($$SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days',
  footprint => ST_SetSRID(ST_MakeEnvelope(0, 0, 1, 1), 4326), horizon => '60 days')$$) > 0 AS rounds_spilled;
-- the setting at its least: the one-pass rows keep to work_mem too
SET ceptoar.impact_result_memory = '64kB';
SELECT pg_temp.temp_written($$SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')$$) > 0 AS one_pass_spilled;
SET ceptoar.impact_result_memory = '1MB';
SELECT pg_temp.temp_written($$SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')$$) > 0 AS one_pass_spilled;
SET ceptoar.impact_result_memory = '32MB';
SELECT pg_temp.temp_written($$SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')$$) AS one_pass_spilled;
-- whether the rows fit in work_mem is told by what they take there (160 bytes a row),
-- not in their own context (104): at 8MB they fit in the one and not in the other, and
-- were written to a temporary file though the setting held them
SET ceptoar.impact_result_memory = '32MB';
SET work_mem = '8MB';
SELECT pg_temp.temp_written($$SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')$$) AS one_pass_spilled;
SET work_mem = '64kB';
-- the same rows, in the same order, wherever they were kept: in memory (their own
-- context, src/bump_context.c), past the setting (kept to work_mem), at work_mem
CREATE TEMP TABLE rows_kept (how text, digest text);
SET ceptoar.impact_result_memory = '32MB';
INSERT INTO rows_kept SELECT 'in memory', md5(string_agg(i::text, ';' ORDER BY n))
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') WITH ORDINALITY AS i(instance, service, sector, depth, onset, recovery, via, area, population, n);
SET ceptoar.impact_result_memory = '1MB';
INSERT INTO rows_kept SELECT 'past the setting', md5(string_agg(i::text, ';' ORDER BY n))
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') WITH ORDINALITY AS i(instance, service, sector, depth, onset, recovery, via, area, population, n);
SET ceptoar.impact_result_memory = '64kB';
INSERT INTO rows_kept SELECT 'spilled at work_mem', md5(string_agg(i::text, ';' ORDER BY n))
FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') WITH ORDINALITY AS i(instance, service, sector, depth, onset, recovery, via, area, population, n);
SELECT count(DISTINCT digest) AS distinct_results, count(*) AS ways FROM rows_kept;
-- the custom scan (src/impact_scan.c) hands the rows on as they are formed: nothing
-- written at the least work_mem, and the same rows in the same order as the function scan
-- kept to work_mem
CREATE FUNCTION pg_temp.hub_digest() RETURNS text LANGUAGE sql AS $f$
  SELECT md5(string_agg(row(instance, service, sector, depth, onset, recovery, via, area, population)::text, ';'))
  FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days') $f$;
CREATE TEMP TABLE scan_digest AS SELECT pg_temp.hub_digest() AS spilled;
SET ceptoar.impact_scan = on;
SELECT pg_temp.temp_written($$SELECT count(*) FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days')$$) AS custom_scan_spilled;
SELECT spilled = pg_temp.hub_digest() AS custom_scan_same_rows FROM scan_digest;
SET ceptoar.impact_scan = off;
-- a scrollable cursor reads them backwards from their own context too
SET ceptoar.impact_result_memory = '32MB';
BEGIN;
DECLARE c SCROLL CURSOR FOR
  SELECT instance, depth, via FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');
FETCH LAST FROM c;
FETCH BACKWARD 2 FROM c;
FETCH ABSOLUTE 2 FROM c;
COMMIT;
RESET ceptoar.impact_result_memory;
RESET work_mem;
RESET ceptoar.impact_scan;

-- impact() again and again in one query (a subquery per row): each result's rows, in their
-- own context, are given back when the executor ends their tuplestore, not when the query
-- ends; the backend's peak memory grows by about one result (6 MB), not twenty
CREATE FUNCTION pg_temp.peak_kb() RETURNS bigint LANGUAGE sql AS $f$
  SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint $f$;
SELECT count(*) AS warm FROM impact(1, '2024-01-15 09:00+09', '30 days', horizon => '60 days');
CREATE TEMP TABLE peak AS SELECT pg_temp.peak_kb() AS before;
SELECT count(*) AS calls, sum(x.n) AS rows
FROM generate_series(1, 20) k,
     LATERAL (SELECT count(*) AS n FROM impact(1 + 0 * k, '2024-01-15 09:00+09', '30 days', horizon => '60 days')) x;
SELECT pg_temp.peak_kb() - before < 60000 AS one_result_at_a_time FROM peak;

-- rows that fit in work_mem (3 a call) take no context of their own, and the calls of
-- one query (rescanned, a cursor's) that keep theirs (720 rows, past work_mem) take one
-- in turn: a context a call stayed with the query until it ended
SET work_mem = '64kB';
SET ceptoar.impact_result_memory = '32MB';
SET ceptoar.impact_scan = off;
BEGIN;
DECLARE few CURSOR FOR SELECT k, x.n FROM generate_series(1, 20) k,
  LATERAL (SELECT count(*) AS n FROM impact(100000 - k, '2024-01-15 09:00+09', '3 hours', horizon => '60 days')) x;
MOVE FORWARD ALL IN few;
SELECT count(*) AS rows_contexts FROM pg_backend_memory_contexts WHERE name = 'ceptoar impact rows';
DECLARE many CURSOR FOR SELECT k, x.n FROM generate_series(1, 20) k,
  LATERAL (SELECT count(*) AS n FROM impact(100000 - k, '2024-01-15 09:00+09', '30 days', horizon => '60 days')) x;
FETCH 2 FROM many;
MOVE FORWARD ALL IN many;
SELECT count(*) AS rows_contexts FROM pg_backend_memory_contexts WHERE name = 'ceptoar impact rows';
COMMIT;
RESET ceptoar.impact_result_memory;
RESET work_mem;
RESET ceptoar.impact_scan;

TRUNCATE service_instance CASCADE;
DELETE FROM operator WHERE code = 'op';
