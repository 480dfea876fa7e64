-- classify_verify.sql: row-by-row check of bench/classify.sh (not timed)
--
-- Every way of classifying must give, for every incident, the same answer as
-- ceptoar.exceeds(): true, false, or NULL (undetermined, no rule, or before
-- the rule set took effect).  One row: the distribution of exceeds() and the
-- number of incidents on which each other way differs from it.

\set ON_ERROR_STOP 1
SET work_mem = '1GB';
SET max_parallel_workers_per_gather = 0;
SET jit = off;

SELECT count(*) AS incidents,
       count(*) FILTER (WHERE e.x) AS exceeds_true,
       count(*) FILTER (WHERE NOT e.x) AS exceeds_false,
       count(*) FILTER (WHERE e.x IS NULL) AS exceeds_null,
       count(*) FILTER (WHERE k.x IS DISTINCT FROM e.x) AS classify_differ,
       count(*) FILTER (WHERE r.x IS DISTINCT FROM e.x) AS rules_differ,
       count(*) FILTER (WHERE c.x IS DISTINCT FROM e.x) AS case_differ,
       count(*) FILTER (WHERE p.x IS DISTINCT FROM e.x) AS plpgsql_differ
FROM v_exceeds e
JOIN v_classify k USING (tid)
JOIN v_rules r USING (tid)
JOIN v_case c USING (tid)
JOIN v_plpgsql p USING (tid);
