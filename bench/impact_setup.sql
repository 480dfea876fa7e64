-- bench/impact_setup.sql: helpers of bench/impact.sh (run once in the bench database).
--   bench.u(k, salt)       deterministic uniform [0, 1) from a hash: the same data every run
--   bench.results          one row per timed run
--   bench.time_ms(...)     runs a statement, records its server-side wall-clock time
--                          and the backend's CPU time (bench.cpu_ms)
--   bench.rss_anon_kb()    the backend's private memory (RssAnon)
--   bench.earliest(...)    the PL/pgSQL earliest-onset loop a user would write without impact()
CREATE SCHEMA bench;

CREATE FUNCTION bench.u(k bigint, salt bigint) RETURNS float8
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT (hashint8extended(k, salt) & 9007199254740991)::float8 / 9007199254740992.0 $$;

CREATE TABLE bench.results (
  part   text NOT NULL,       -- 'A', 'B', or 'S<instances>' (the scale table)
  label  text NOT NULL,       -- which measurement
  rep    int NOT NULL,        -- 0: warm-up (not reported)
  ms     float8 NOT NULL,
  result text,                -- first column of the first row (a count)
  cpu_ms float8,              -- CPU time of this backend (NULL when unknown)
  rss_kb bigint,              -- growth of the backend's RssAnon over the call (first calls)
  seq    serial               -- order run
);

-- CPU time this backend has used, in ms: the first field of /proc/self/schedstat
-- (ns on a CPU; Linux, superuser), else user + system time from /proc/self/stat
-- (10 ms ticks); NULL elsewhere.  On a shared machine it varies much less than
-- wall-clock time: it leaves out time spent waiting for a CPU.
CREATE FUNCTION bench.cpu_ms() RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE
  f text[];
BEGIN
  BEGIN
    RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::float8 / 1e6;
  EXCEPTION WHEN OTHERS THEN
    NULL;
  END;
  f := string_to_array(split_part(pg_read_file('/proc/self/stat'), ') ', 2), ' ');
  RETURN (f[12]::float8 + f[13]::float8) * 10;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $f$;

-- This backend's private memory in kB: RssAnon of /proc/self/status (Linux,
-- superuser: anonymous resident pages, so not the shared buffers or a file
-- mapped read-only); NULL elsewhere.
CREATE FUNCTION bench.rss_anon_kb() RETURNS bigint LANGUAGE plpgsql AS $f$
BEGIN
  RETURN substring(pg_read_file('/proc/self/status') FROM 'RssAnon:\s*(\d+) kB')::bigint;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $f$;

-- Time one statement: clock_timestamp() around EXECUTE (parse, plan, run, and
-- read the first column of the first row), so no client round trip is counted.
CREATE FUNCTION bench.time_ms(p_part text, p_label text, p_rep int, p_stmt text)
  RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  t0 timestamptz;
  c0 float8;
  ms float8;
  res text;
BEGIN
  c0 := bench.cpu_ms();
  t0 := clock_timestamp();
  EXECUTE p_stmt INTO res;
  ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
  INSERT INTO bench.results (part, label, rep, ms, result, cpu_ms)
  VALUES (p_part, p_label, p_rep, ms, res, bench.cpu_ms() - c0);
  RETURN format('   %-44s %s %10s ms  -> %s', p_label,
                CASE WHEN p_rep = 0 THEN 'warm-up' ELSE 'rep ' || rpad(p_rep::text, 3) END,
                to_char(ms, 'FM9999990.00'), res);
END $f$;

-- Earliest onset of every instance a failure of `origin` reaches, the way one
-- would write it in PL/pgSQL over the dependency table: label-correcting
-- (Bellman-Ford with a frontier): each round relaxes the dependencies of the
-- instances whose onset improved in the previous round, with the buffer rule
-- of impact() (the outage must outlast the buffer; onsets beyond the horizon
-- do not pass).  Single origin, no areas: every instance recovers at
-- began + lasted.  Leaves pg_temp.label (id, t) behind for checking.
CREATE FUNCTION bench.earliest(origin bigint, began timestamptz, lasted interval,
                               horizon interval DEFAULT '7 days')
  RETURNS TABLE (instance bigint, onset timestamptz)
  LANGUAGE plpgsql AS $f$
DECLARE
  ends timestamptz := began + lasted;
  lim timestamptz := began + horizon;
  n bigint;
BEGIN
  DROP TABLE IF EXISTS pg_temp.label, pg_temp.frontier, pg_temp.improved;
  CREATE TEMP TABLE label (id bigint PRIMARY KEY, t timestamptz NOT NULL);
  CREATE TEMP TABLE frontier (id bigint PRIMARY KEY, t timestamptz NOT NULL);
  CREATE TEMP TABLE improved (id bigint, t timestamptz);
  INSERT INTO label VALUES (origin, began);
  INSERT INTO frontier VALUES (origin, began);
  LOOP
    ANALYZE frontier;
    WITH cand AS (
      SELECT d.dependent AS id, min(f.t + d.buffer) AS t
      FROM frontier f JOIN ceptoar.dependency d ON d.supplier = f.id
      WHERE ends - f.t > d.buffer AND f.t + d.buffer <= lim
      GROUP BY d.dependent
    ), up AS (
      INSERT INTO label AS l SELECT c.id, c.t FROM cand c
      ON CONFLICT (id) DO UPDATE SET t = excluded.t WHERE excluded.t < l.t
      RETURNING l.id, l.t
    )
    INSERT INTO improved SELECT up.id, up.t FROM up;
    GET DIAGNOSTICS n = ROW_COUNT;
    EXIT WHEN n = 0;
    TRUNCATE frontier;
    INSERT INTO frontier SELECT i.id, i.t FROM improved i;
    TRUNCATE improved;
  END LOOP;
  RETURN QUERY SELECT l.id, l.t FROM label l;
END $f$;
