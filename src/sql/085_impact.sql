-- 085_impact.sql: the impact engine over the dependency graph (080_graph.sql): who is hit,
-- when, where and how many people (impact, C), and the same as a timeline per sector
-- (impact_timeline).  Semantics in docs/impact-semantics.md.

-- The rows of impact() and impact_timeline(), declared once for every overload.  A column
-- added later is ALTER TYPE ... ADD ATTRIBUTE (new columns last) and a change of the C
-- row builder, without dropping the functions or users' views over them.
CREATE TYPE @extschema@.impact_row AS (
  instance    bigint,
  service     @extschema@.service,
  sector      @extschema@.sector,
  depth       integer,
  onset       timestamptz,
  recovery    timestamptz,
  via         bigint,
  area        geometry(MultiPolygon, 4326),
  population  bigint
);
COMMENT ON TYPE @extschema@.impact_row IS
  'one service instance hit by a failure: a row of impact()';
COMMENT ON COLUMN @extschema@.impact_row.instance IS 'the service instance hit (ceptoar.service_instance.id)';
COMMENT ON COLUMN @extschema@.impact_row.service IS 'the service it delivers';
COMMENT ON COLUMN @extschema@.impact_row.sector IS 'the sector of that service';
COMMENT ON COLUMN @extschema@.impact_row.depth IS 'edges on an earliest-onset path from an origin (fewest such edges); 0 for an origin';
COMMENT ON COLUMN @extschema@.impact_row.onset IS 'when it fails';
COMMENT ON COLUMN @extschema@.impact_row.recovery IS 'when it is back (out on [onset, recovery))';
COMMENT ON COLUMN @extschema@.impact_row.via IS 'the supplier of that path (smallest id on ties); NULL for an origin';
COMMENT ON COLUMN @extschema@.impact_row.area IS 'where it is out (a MultiPolygon); NULL when neither it nor what hit it is located';
COMMENT ON COLUMN @extschema@.impact_row.population IS 'people affected: its population times the affected share of its area (all of it when not located)';

CREATE TYPE @extschema@.impact_timeline_row AS (
  at          timestamptz,
  sector      @extschema@.sector,
  services    integer,
  population  bigint
);
COMMENT ON TYPE @extschema@.impact_timeline_row IS
  'one sector at one instant of a failure: a row of impact_timeline()';
COMMENT ON COLUMN @extschema@.impact_timeline_row.at IS 'the instant: began, then every step';
COMMENT ON COLUMN @extschema@.impact_timeline_row.sector IS 'a sector that the failure reaches';
COMMENT ON COLUMN @extschema@.impact_timeline_row.services IS 'service instances of the sector out at that instant';
COMMENT ON COLUMN @extschema@.impact_timeline_row.population IS 'people affected by them at that instant (0 when none)';

CREATE FUNCTION @extschema@.impact(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  AS 'MODULE_PATHNAME', 'impact_run' LANGUAGE C STABLE PARALLEL SAFE ROWS 100
  SUPPORT @extschema@._impact_plan_support;
COMMENT ON FUNCTION @extschema@.impact(bigint[], timestamptz, interval, geometry, interval) IS
  'who is hit, when, where and how many people, when these service instances fail together (a compound failure); semantics in docs/impact-semantics.md';

CREATE FUNCTION @extschema@.impact(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
  AS $$ SELECT * FROM @extschema@.impact(ARRAY[origin], began, lasted, footprint, horizon) $$;
COMMENT ON FUNCTION @extschema@.impact(bigint, timestamptz, interval, geometry, interval) IS
  'who is hit, when, where and how many people, when one service instance fails; semantics in docs/impact-semantics.md';

CREATE FUNCTION @extschema@.impact(
    i @extschema@.incident, origin bigint,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  inst_service @extschema@.service;
BEGIN
  SELECT s.service INTO inst_service FROM @extschema@.service_instance s
   WHERE s.id OPERATOR(pg_catalog.=) origin;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown service instance %', origin
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Origins are ids of ceptoar.service_instance.';
  END IF;
  IF NOT (inst_service OPERATOR(@extschema@.<@) @extschema@.service(i)
          OR @extschema@.service(i) OPERATOR(@extschema@.<@) inst_service) THEN
    RAISE EXCEPTION 'service instance % delivers %, not the incident''s service %',
        origin, inst_service, @extschema@.service(i)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give the instance where the incident happened.';
  END IF;
  -- a duration that is unknown or ongoing is taken to last the whole horizon
  RETURN QUERY SELECT * FROM @extschema@.impact(ARRAY[origin], @extschema@.began(i),
      coalesce(@extschema@.lasted(i), horizon), footprint, horizon);
END $$;
COMMENT ON FUNCTION @extschema@.impact(@extschema@.incident, bigint, geometry, interval) IS
  'the impact of an incident at the service instance where it happened; an unknown or ongoing duration lasts the whole horizon';

CREATE FUNCTION @extschema@.impact_timeline(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    step interval DEFAULT '1 hour')
  RETURNS SETOF @extschema@.impact_timeline_row
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  step_s double precision := extract(epoch FROM step);
  secs @extschema@.sector[];
  onsets timestamptz[];
  recoveries timestamptz[];
  pops bigint[];
  nsteps bigint;
BEGIN
  IF step IS NULL OR step_s OPERATOR(pg_catalog.<=) 0 THEN
    RAISE EXCEPTION 'step must be positive' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT array_agg(x.sector), array_agg(x.onset), array_agg(x.recovery), array_agg(x.population)
    INTO secs, onsets, recoveries, pops
    FROM @extschema@.impact(origins, began, lasted, footprint, horizon) x;
  nsteps := ceil(extract(epoch FROM (SELECT max(r) FROM unnest(recoveries) r) OPERATOR(pg_catalog.-) began)
                 OPERATOR(pg_catalog./) step_s);
  IF nsteps OPERATOR(pg_catalog.>) 100000 THEN
    RAISE EXCEPTION 'the timeline would have % steps', nsteps
      USING ERRCODE = 'program_limit_exceeded', HINT = 'Use a longer step.';
  END IF;
  RETURN QUERY
    WITH t AS (SELECT * FROM unnest(secs, onsets, recoveries, pops) AS u(sector, onset, recovery, population))
    SELECT s.at, x.sector,
           count(t.onset) FILTER (WHERE t.onset OPERATOR(pg_catalog.<=) s.at
                                    AND s.at OPERATOR(pg_catalog.<) t.recovery)::integer,
           coalesce(sum(t.population) FILTER (WHERE t.onset OPERATOR(pg_catalog.<=) s.at
                                                AND s.at OPERATOR(pg_catalog.<) t.recovery), 0)::bigint
    FROM (SELECT began OPERATOR(pg_catalog.+) make_interval(secs => k OPERATOR(pg_catalog.*) step_s) AS at
            FROM generate_series(0::bigint, nsteps OPERATOR(pg_catalog.-) 1) AS k) s
    CROSS JOIN (SELECT DISTINCT t2.sector FROM t t2) x
    LEFT JOIN t ON t.sector OPERATOR(@extschema@.=) x.sector
    GROUP BY s.at, x.sector
    ORDER BY s.at, x.sector;
END $$;
COMMENT ON FUNCTION @extschema@.impact_timeline(bigint[], timestamptz, interval, geometry, interval, interval) IS
  'from began, step by step until the last recovery: per sector, how many services and people are out at that instant (out on [onset, recovery))';

CREATE FUNCTION @extschema@.impact_timeline(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    step interval DEFAULT '1 hour')
  RETURNS SETOF @extschema@.impact_timeline_row
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT * FROM @extschema@.impact_timeline(ARRAY[origin], began, lasted, footprint, horizon, step) $$;
COMMENT ON FUNCTION @extschema@.impact_timeline(bigint, timestamptz, interval, geometry, interval, interval) IS
  'the timeline of one instance''s failure (see the bigint[] form)';
