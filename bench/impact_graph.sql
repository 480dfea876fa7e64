-- bench/impact_graph.sql: part A of bench/impact.sh, a national graph without geometry.
-- psql variables: n (instances), m (dependencies), fan (instances the hub supplies),
-- back (dependencies that close cycles).
--
--   id 1           the hub: supplies instances 2 .. fan + 1 and nothing else
--   ids 2 .. n     each id i > fan + 1 depends on up to 12 earlier instances
--                  (suppliers drawn uniformly from 2 .. i - 1; the first draw is
--                  always kept), so every instance is reachable from the hub
--   back edges     a supplier later than its dependent (never the hub, never id n):
--                  cycles
--   id n           the leaf: depends on others, supplies nothing
-- Areas are NULL (not located).  Buffers 0 .. 6 h in whole minutes.  Populations
-- log-uniform 100 .. 10,000,000.  Everything is drawn from hashes: same data every run.
SET work_mem = '256MB';

-- 67 operators per sector (ceptoar.operator; about 1,000): an instance's operator is one of
-- its service's sector
INSERT INTO ceptoar.operator (code, name, sector)
SELECT 'op-' || s.code::text || '-' || k, 'operator ' || s.code::text || ' ' || k, s.code
FROM ceptoar.sectors s, generate_series(0, 66) AS k
ON CONFLICT DO NOTHING;

INSERT INTO ceptoar.service_instance (id, service, population, operator, name)
SELECT i,
       v.service,
       round(exp(ln(100) + bench.u(i, 2) * ln(100000)))::bigint,
       'op-' || ceptoar.sector(v.service)::text || '-' || (i % 67),
       'instance ' || i
FROM generate_series(1, :n) AS i,
     (SELECT array_agg(code ORDER BY code::text) AS codes
        FROM ceptoar.services WHERE depth > 1) AS s,
     LATERAL (SELECT s.codes[1 + floor(bench.u(i, 1) * cardinality(s.codes))::int] AS service) AS v;
SELECT setval(pg_get_serial_sequence('ceptoar.service_instance', 'id'), :n) \gset

INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
SELECT e.dependent, e.supplier,
       make_interval(mins => floor(bench.u(e.dependent * 4194304 + e.supplier, 3) * 361)::int),
       'area'
FROM (
  -- the hub and the instances it supplies
  SELECT i::bigint AS dependent, 1::bigint AS supplier
  FROM generate_series(2, :fan + 1) AS i
  UNION ALL
  -- a random DAG, earlier suppliers only; a global cut keeps the first draws of all
  SELECT f.dependent, f.supplier FROM (
    SELECT c.dependent, c.supplier
    FROM (SELECT DISTINCT ON (i, x.sup) i::bigint AS dependent, x.sup AS supplier, j
            FROM generate_series(:fan + 2, :n) AS i,
                 generate_series(1, 12) AS j,
                 LATERAL (SELECT 2 + floor(bench.u(i::bigint * 16 + j, 4) * (i - 2))::bigint AS sup) AS x
           ORDER BY i, x.sup, j) AS c
    ORDER BY c.j, c.dependent
    LIMIT :m - :fan - :back) AS f
  UNION ALL
  -- back edges: a later supplier, so cycles; never from the hub or the leaf
  SELECT b.dependent, b.supplier FROM (
    SELECT c.dependent, c.supplier
    FROM (SELECT DISTINCT ON (y.dep, y.sup) y.dep AS dependent, y.sup AS supplier, k
            FROM generate_series(1, ceil(:back * 1.2)::int) AS k,
                 LATERAL (SELECT 2 + floor(bench.u(k, 5) * (:n - 4))::bigint AS dep) AS x,
                 LATERAL (SELECT x.dep, x.dep + 1 + floor(bench.u(k, 6) * (:n - 1 - x.dep))::bigint AS sup) AS y
           ORDER BY y.dep, y.sup, k) AS c
    ORDER BY c.k
    LIMIT :back) AS b
) AS e;

RESET work_mem;
VACUUM (ANALYZE) ceptoar.service_instance, ceptoar.dependency;
