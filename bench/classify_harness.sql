-- classify_harness.sql: timing, checks and report for bench/classify.sh
--
-- Runs after classify_setup.sql.  Times are taken inside the server
-- (clock_timestamp() around EXECUTE), so they hold the query's planning and
-- execution, JIT compilation included, but no client round trip.  Next to
-- the wall clock, the backend's CPU time over the same statement: the first
-- field of /proc/self/schedstat (ns on a CPU; NULL where the server cannot
-- read it), which leaves out time spent waiting for a CPU on a busy machine.

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
  (3, 'classify', 'classify', 'ceptoar.classify(i): the whole verdict, (classify(i)).outcome = ''exceeds''',
   'SELECT count(*) FILTER (WHERE (ceptoar.classify(i)).outcome = ''exceeds'') FROM inc'),
  -- the function alone: the verdict made for every row, nothing taken out
  -- of it (counts the rows, not the exceeding ones)
  (4, 'classify_fn', 'base', 'ceptoar.classify(i) alone: count(classify(i))',
   'SELECT count(ceptoar.classify(i)) FROM inc'),
  (5, 'rules',   'classify', 'data-driven SQL (rules table, nearest ancestor resolved once per service, hash join)',
   'SELECT count(*) FILTER (WHERE x) FROM v_rules'),
  (6, 'case',    'classify', 'hard-coded SQL CASE',
   'SELECT count(*) FILTER (WHERE x) FROM v_case'),
  (7, 'plpgsql', 'classify', 'PL/pgSQL function',
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
  pass  text NOT NULL,            -- 'jit off', 'jit on', 'copy'
  name  text NOT NULL REFERENCES bench_query (name),
  rep   int NOT NULL,
  seq   serial,                   -- order run
  ms    double precision NOT NULL,
  cpu_ms double precision,        -- the backend's CPU time, NULL if unknown
  n     bigint                    -- the count, or the rows copied
);

-- The backend's CPU time in ns, NULL where /proc/self/schedstat cannot be read.
CREATE FUNCTION bench_cpu_ns() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END
$$;

-- Time one query; returns its result (the count).
CREATE FUNCTION bench_time(pass text, qname text, rep int) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  query text := (SELECT q FROM bench_query WHERE name = qname);
  c0 bigint;
  t0 timestamptz;
  t1 timestamptz;
  c1 bigint;
  result bigint;
BEGIN
  c0 := bench_cpu_ns();
  t0 := clock_timestamp();
  EXECUTE query INTO result;
  t1 := clock_timestamp();
  c1 := bench_cpu_ns();
  INSERT INTO bench_result (pass, name, rep, ms, cpu_ms, n)
  VALUES (pass, qname, rep, 1000 * extract(epoch FROM t1 - t0), (c1 - c0) / 1e6, result);
  RETURN result;
END
$$;

-- Time one COPY FROM a server-side file into its emptied table.
CREATE FUNCTION bench_copy(qname text, rep int, path text) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  query text := format((SELECT q FROM bench_query WHERE name = qname), path);
  c0 bigint;
  t0 timestamptz;
  t1 timestamptz;
  c1 bigint;
  result bigint;
BEGIN
  EXECUTE format('TRUNCATE %I', qname);
  c0 := bench_cpu_ns();
  t0 := clock_timestamp();
  EXECUTE query;
  t1 := clock_timestamp();
  c1 := bench_cpu_ns();
  GET DIAGNOSTICS result = ROW_COUNT;
  INSERT INTO bench_result (pass, name, rep, ms, cpu_ms, n)
  VALUES ('copy', qname, rep, 1000 * extract(epoch FROM t1 - t0), (c1 - c0) / 1e6, result);
  RETURN result;
END
$$;

-- Per pass and query: median, min and max of the wall clock and of the CPU time.
CREATE VIEW bench_stats AS
SELECT pass, name,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, min(ms) AS ms_min, max(ms) AS ms_max,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) AS cpu, min(cpu_ms) AS cpu_min,
       max(cpu_ms) AS cpu_max, min(n) AS n, count(*) AS reps
FROM bench_result GROUP BY pass, name;

-- Ratios of a query to another in the same pass, repetition by repetition
-- (the two ran a few seconds apart): the ratio of the medians, and the
-- median, min and max of the per-repetition ratios; the same over CPU time.
-- "net": both minus count(*) of the same repetition, the cost of the
-- function (or the expression) per row without the scan.
CREATE FUNCTION bench_ratio(p_pass text, a text, b text, net boolean DEFAULT false)
  RETURNS TABLE (ratio float8, r_med float8, r_min float8, r_max float8,
                 cpu_ratio float8, c_med float8, c_min float8, c_max float8)
  LANGUAGE sql AS $$
  WITH per AS (
    SELECT x.rep,
           (x.ms - CASE WHEN net THEN c.ms ELSE 0 END)
             / nullif(y.ms - CASE WHEN net THEN c.ms ELSE 0 END, 0) AS r,
           (x.cpu_ms - CASE WHEN net THEN c.cpu_ms ELSE 0 END)
             / nullif(y.cpu_ms - CASE WHEN net THEN c.cpu_ms ELSE 0 END, 0) AS cr
    FROM bench_result x
    JOIN bench_result y ON y.pass = x.pass AND y.rep = x.rep AND y.name = b
    LEFT JOIN bench_result c ON c.pass = x.pass AND c.rep = x.rep AND c.name = 'count'
    WHERE x.pass = p_pass AND x.name = a
  ), med AS (
    SELECT (sa.ms - CASE WHEN net THEN sc.ms ELSE 0 END)
             / nullif(sb.ms - CASE WHEN net THEN sc.ms ELSE 0 END, 0) AS ratio,
           (sa.cpu - CASE WHEN net THEN sc.cpu ELSE 0 END)
             / nullif(sb.cpu - CASE WHEN net THEN sc.cpu ELSE 0 END, 0) AS cpu_ratio
    FROM bench_stats sa
    JOIN bench_stats sb ON sb.pass = sa.pass AND sb.name = b
    LEFT JOIN bench_stats sc ON sc.pass = sa.pass AND sc.name = 'count'
    WHERE sa.pass = p_pass AND sa.name = a
  )
  SELECT med.ratio, percentile_cont(0.5) WITHIN GROUP (ORDER BY per.r), min(per.r), max(per.r),
         med.cpu_ratio, percentile_cont(0.5) WITHIN GROUP (ORDER BY per.cr), min(per.cr), max(per.cr)
  FROM med, per GROUP BY med.ratio, med.cpu_ratio
$$;

-- Every classification query must count what exceeds() counts, in every
-- pass and repetition.
CREATE VIEW bench_mismatch AS
SELECT r.pass, r.name, r.rep, r.n, e.n AS exceeds_n
FROM bench_result r
JOIN bench_query q USING (name)
JOIN bench_result e ON e.pass = r.pass AND e.rep = r.rep AND e.name = 'exceeds'
WHERE q.kind = 'classify' AND r.n IS DISTINCT FROM e.n;
