-- aggregates.sql: min() and max() of every ordered type (sector, service, incident,
-- tlp): the btree order, NULLs skipped, empty input NULL, grouped, answered by an
-- index, and the same result when aggregated in parallel (partial + combine).
SET client_min_messages = warning;
SET search_path = public, ceptoar;

-- The aggregates: transition = combine function, a sort operator, parallel safe
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggtransfn, a.aggcombinefn,
       a.aggsortop::regoperator AS sortop, a.aggtranstype::regtype AS transtype,
       a.agginitval, p.proparallel
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.pronamespace = 'ceptoar'::regnamespace
ORDER BY p.proname, a.aggfnoid::regprocedure::text;

-- Values: NISC order, catalogue order, btree order of incidents, restriction order
CREATE TABLE agg_t (g int, s sector, v service, i incident, t tlp);
INSERT INTO agg_t VALUES
  (1, 'gas', 'gas.supply', 'service=gas.supply, began=2024-01-15 09:00', 'amber'),
  (1, 'telecom', 'telecom.broadcasting', 'service=telecom, began=2024-01-14 09:00', 'TLP:RED'),
  (1, 'port', 'finance.bank', 'service=port, began=2024-01-16 09:00', 'clear'),
  (1, NULL, NULL, NULL, NULL),
  (2, 'finance', 'finance', 'service=finance, began=2024-01-15 09:00', 'green'),
  (2, 'finance', 'finance.bank.deposit', 'service=finance.bank, began=2024-01-15 09:00', 'amber+strict'),
  (3, NULL, NULL, NULL, NULL);

SELECT g, min(s) AS min_s, max(s) AS max_s, min(v) AS min_v, max(v) AS max_v,
       min(t) AS min_t, max(t) AS max_t
FROM agg_t GROUP BY g ORDER BY g;
SELECT g, began(min(i)) AS min_began, service(min(i)) AS min_service,
       began(max(i)) AS max_began, service(max(i)) AS max_service
FROM agg_t GROUP BY g ORDER BY g;

-- The aggregate agrees with ORDER BY ... LIMIT 1 on every column
SELECT (SELECT min(s) FROM agg_t) = (SELECT s FROM agg_t WHERE s IS NOT NULL ORDER BY s LIMIT 1) AS s_min,
       (SELECT max(s) FROM agg_t) = (SELECT s FROM agg_t WHERE s IS NOT NULL ORDER BY s DESC LIMIT 1) AS s_max,
       (SELECT min(v) FROM agg_t) = (SELECT v FROM agg_t WHERE v IS NOT NULL ORDER BY v LIMIT 1) AS v_min,
       (SELECT max(v) FROM agg_t) = (SELECT v FROM agg_t WHERE v IS NOT NULL ORDER BY v DESC LIMIT 1) AS v_max,
       (SELECT min(i) FROM agg_t) = (SELECT i FROM agg_t WHERE i IS NOT NULL ORDER BY i LIMIT 1) AS i_min,
       (SELECT max(i) FROM agg_t) = (SELECT i FROM agg_t WHERE i IS NOT NULL ORDER BY i DESC LIMIT 1) AS i_max,
       (SELECT min(t) FROM agg_t) = (SELECT t FROM agg_t WHERE t IS NOT NULL ORDER BY t LIMIT 1) AS t_min,
       (SELECT max(t) FROM agg_t) = (SELECT t FROM agg_t WHERE t IS NOT NULL ORDER BY t DESC LIMIT 1) AS t_max;

-- No rows, or only NULLs: NULL
SELECT min(s) IS NULL AS s, max(v) IS NULL AS v, min(i) IS NULL AS i, max(t) IS NULL AS t
FROM agg_t WHERE false;
SELECT min(s) IS NULL AS s, max(v) IS NULL AS v, max(i) IS NULL AS i, min(t) IS NULL AS t
FROM agg_t WHERE g = 3;

-- Equal incidents: either is the answer, and they are the same bytes
SELECT min(x) = max(x) AS same, incident_send(min(x)) = incident_send(max(x)) AS same_bytes
FROM (VALUES ('service=gas, began=2024-01-15 09:00+09'::incident),
             ('service=gas, began=2024-01-15 00:00Z'::incident)) v(x);
-- FILTER, DISTINCT and a window: the usual aggregate machinery
SELECT max(t) FILTER (WHERE s <> 'telecom') AS filtered, min(DISTINCT s) AS distinct_min
FROM agg_t;
SELECT g, t, max(t) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS running_max
FROM agg_t WHERE t IS NOT NULL ORDER BY g, t;

-- A btree index answers min() and max() through the sort operator
CREATE INDEX agg_t_t ON agg_t (t);
CREATE INDEX agg_t_s ON agg_t (s);
CREATE INDEX agg_t_i ON agg_t (i);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT max(t) FROM agg_t;
EXPLAIN (COSTS OFF) SELECT min(s) FROM agg_t;
EXPLAIN (COSTS OFF) SELECT max(i) FROM agg_t;
SELECT max(t), min(s), service(max(i)) FROM agg_t;
RESET enable_seqscan;
DROP INDEX agg_t_t, agg_t_s, agg_t_i;

-- Parallel: partial aggregates in workers, combined by the combine function
INSERT INTO agg_t
SELECT 4, (ARRAY['telecom','gas','water','port'])[1 + n % 4]::sector,
       (ARRAY['gas.supply','rail','water.supply','finance.bank.deposit'])[1 + n % 4]::service,
       incident('gas.supply', timestamptz '2024-01-01 00:00+09' + n * interval '1 minute'),
       (ARRAY['green','amber','amber+strict'])[1 + n % 3]::tlp
FROM generate_series(1, 30000) n;
ANALYZE agg_t;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT min(s), max(s), min(v), max(v), min(i), max(i), min(t), max(t) FROM agg_t;
CREATE TEMP TABLE agg_parallel AS
  SELECT min(s) AS min_s, max(s) AS max_s, min(v) AS min_v, max(v) AS max_v,
         min(i) AS min_i, max(i) AS max_i, min(t) AS min_t, max(t) AS max_t FROM agg_t;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE agg_serial AS
  SELECT min(s) AS min_s, max(s) AS max_s, min(v) AS min_v, max(v) AS max_v,
         min(i) AS min_i, max(i) AS max_i, min(t) AS min_t, max(t) AS max_t FROM agg_t;
RESET max_parallel_workers_per_gather;
SELECT min_s, max_s, min_v, max_v, began(min_i) AS min_began, began(max_i) AS max_began, min_t, max_t
FROM agg_parallel;
SELECT (SELECT row(min_s, max_s, min_v, max_v, min_i, max_i, min_t, max_t)::text FROM agg_parallel)
     = (SELECT row(min_s, max_s, min_v, max_v, min_i, max_i, min_t, max_t)::text FROM agg_serial)
  AS parallel_equals_serial;

-- Schema-qualified calls work without ceptoar on the path
SET search_path = public;
SELECT ceptoar.min(t)::text AS min_t, ceptoar.max(s)::text AS max_s FROM agg_t;
SET search_path = public, ceptoar;

DROP TABLE agg_t;
