-- classify_harness.sql: timing, checks and report for bench/classify.sh
--
-- Runs after classify_setup.sql.  Times are taken inside the server
-- (clock_timestamp() around EXECUTE), so they hold the query's planning and
-- execution, JIT compilation included, but no client round trip.

\set ON_ERROR_STOP 1

-- What is timed.  "ord" is the row order of the report; "kind" says which
-- measurements must agree (every 'classify' query counts the same rows).
CREATE TABLE bench_query (
  ord   int PRIMARY KEY,
  name  text UNIQUE NOT NULL,
  kind  text NOT NULL CHECK (kind IN ('base', 'classify', 'copy')),
  label text NOT NULL,
  q     text NOT NULL
);

INSERT INTO bench_query VALUES
  (1, 'count',   'base',     'count(*)',
   'SELECT count(*) FROM inc'),
  (2, 'exceeds', 'classify', 'ceptoar.exceeds(i) (C, cached rules)',
   'SELECT count(*) FILTER (WHERE x) FROM v_exceeds'),
  (3, 'rules',   'classify', 'data-driven SQL (rules table, nearest ancestor)',
   'SELECT count(*) FILTER (WHERE x) FROM v_rules'),
  (4, 'case',    'classify', 'hard-coded SQL CASE',
   'SELECT count(*) FILTER (WHERE x) FROM v_case'),
  (5, 'plpgsql', 'classify', 'PL/pgSQL function',
   'SELECT count(*) FILTER (WHERE x) FROM v_plpgsql'),
  -- %s: the file, written once by COPY ... TO
  (11, 'copy_incident', 'copy', 'COPY FROM: incident literals',
   'COPY copy_incident FROM %L'),
  (12, 'copy_plain',    'copy', 'COPY FROM: plain columns',
   'COPY copy_plain FROM %L');

CREATE UNLOGGED TABLE copy_incident (i ceptoar.incident);
CREATE UNLOGGED TABLE copy_plain (
  service text, effect text, began timestamptz, lasted interval, cause text,
  users bigint, households bigint, lost_kw bigint, cancelled bigint, flags text[]);

CREATE TABLE bench_result (
  pass  text NOT NULL,            -- 'jit off', 'jit on'
  name  text NOT NULL REFERENCES bench_query (name),
  rep   int NOT NULL,
  ms    double precision NOT NULL,
  n     bigint                    -- the count, or the rows copied
);

-- Time one query; returns its result (the count).
CREATE FUNCTION bench_time(pass text, qname text, rep int) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  query text := (SELECT q FROM bench_query WHERE name = qname);
  t0 timestamptz;
  t1 timestamptz;
  result bigint;
BEGIN
  t0 := clock_timestamp();
  EXECUTE query INTO result;
  t1 := clock_timestamp();
  INSERT INTO bench_result VALUES (pass, qname, rep, 1000 * extract(epoch FROM t1 - t0), result);
  RETURN result;
END
$$;

-- Time one COPY FROM a server-side file into its emptied table.
CREATE FUNCTION bench_copy(qname text, rep int, path text) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  query text := format((SELECT q FROM bench_query WHERE name = qname), path);
  t0 timestamptz;
  t1 timestamptz;
  result bigint;
BEGIN
  EXECUTE format('TRUNCATE %I', qname);
  t0 := clock_timestamp();
  EXECUTE query;
  t1 := clock_timestamp();
  GET DIAGNOSTICS result = ROW_COUNT;
  INSERT INTO bench_result VALUES ('copy', qname, rep, 1000 * extract(epoch FROM t1 - t0), result);
  RETURN result;
END
$$;

-- Medians, and each one's ratio to count(*) in the same pass.
CREATE VIEW bench_summary AS
WITH med AS (
  SELECT pass, name,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
         min(n) AS n, count(DISTINCT n) AS distinct_n, count(*) AS reps
  FROM bench_result GROUP BY pass, name
)
SELECT q.ord, q.name, q.kind, q.label,
       off.ms AS ms_off, off.ms / base_off.ms AS ratio_off,
       on_.ms AS ms_on, on_.ms / base_on.ms AS ratio_on,
       coalesce(off.n, on_.n) AS n
FROM bench_query q
JOIN med off ON off.name = q.name AND off.pass = 'jit off'
LEFT JOIN med on_ ON on_.name = q.name AND on_.pass = 'jit on'
JOIN med base_off ON base_off.name = 'count' AND base_off.pass = 'jit off'
LEFT JOIN med base_on ON base_on.name = 'count' AND base_on.pass = 'jit on'
ORDER BY q.ord;

CREATE VIEW bench_copy_summary AS
SELECT q.ord, q.name, q.label,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms) AS ms,
       min(r.n) AS n
FROM bench_result r JOIN bench_query q USING (name)
WHERE r.pass = 'copy'
GROUP BY q.ord, q.name, q.label
ORDER BY q.ord;

-- Every classification query must count what exceeds() counts, in every
-- pass and repetition.
CREATE VIEW bench_mismatch AS
SELECT r.pass, r.name, r.rep, r.n, e.n AS exceeds_n
FROM bench_result r
JOIN bench_query q USING (name)
JOIN bench_result e ON e.pass = r.pass AND e.rep = r.rep AND e.name = 'exceeds'
WHERE q.kind = 'classify' AND r.n IS DISTINCT FROM e.n;
