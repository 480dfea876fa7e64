-- test/reference_impact.sql: the plain-SQL reference implementation of ceptoar.impact.
--
-- This file IS the executable form of docs/impact-semantics.md (rules 1-6); the C engine
-- (src/impact.c) is compared with it row for row by test/30_impact_random.sql. It is slow on
-- purpose: it follows the definition literally (a least fixpoint by repeated recomputation,
-- then a breadth-first pass over the "tight" dependencies for depth and via).
--
-- Load it with \i inside a transaction (a pgTAP test): it creates the schema ceptoar_ref,
-- which is rolled back with the test. It needs the extensions postgis and ceptoar_registry.
--
--   ceptoar_ref.ref_impact(origins bigint[], began timestamptz, lasted interval,
--                          footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
--     RETURNS TABLE(instance, service, sector, depth, onset, recovery, via, area, population)
--
-- Time: every "t + b" is t + make_interval(secs => extract(epoch FROM b)) (days are 24 hours,
-- no calendar arithmetic, whatever the session time zone), computed exactly to the
-- microsecond over the whole range of intervals (ceptoar_ref.plus); comparisons of durations
-- and the horizon test are done on epoch seconds (numeric, exact to the microsecond, never
-- out of range).

CREATE SCHEMA IF NOT EXISTS ceptoar_ref;

-- A duration of us microseconds (numeric, whole, 0 <= us < 2^63) as an interval of hours,
-- minutes and seconds only (no days: nothing calendar-dependent), exact to the microsecond.
-- make_interval's hours are int4, so they are split in two; the seconds below one hour are
-- exact in float8.
CREATE FUNCTION ceptoar_ref.usec_interval(us numeric) RETURNS interval
  LANGUAGE sql IMMUTABLE STRICT
  AS $$
  SELECT make_interval(hours => least(h, 2147483647)::integer)
         + make_interval(hours => (h - least(h, 2147483647))::integer,
                         secs => ((us - h * 3600000000) / 1000000)::double precision)
    FROM (SELECT floor(us / 3600000000) AS h) x
$$;

-- t + b, as a duration (the doc's "Intervals count days as 24 hours"), exact to the
-- microsecond for every interval (a float8 number of seconds is not: a buffer of 100000
-- days and 1 microsecond gave 2 microseconds, and buffers near the limit of 2^63
-- microseconds overflowed). A sum beyond the last timestamp (294276 AD) is 'infinity':
-- such an onset is never reached (it lies after the end of every outage, which is a valid
-- timestamp), and comparing with it must not fail.
CREATE FUNCTION ceptoar_ref.plus(t timestamptz, b interval) RETURNS timestamptz
  LANGUAGE sql STABLE STRICT
  AS $$
  SELECT CASE WHEN b_us < 0 THEN t - ceptoar_ref.usec_interval(-b_us)
              WHEN (extract(epoch FROM t) + extract(epoch FROM b)) * 1000000 >= 9224318016000000000
              THEN timestamptz 'infinity'
              ELSE t + ceptoar_ref.usec_interval(b_us) END
    FROM (SELECT extract(epoch FROM b) * 1000000 AS b_us) x
$$;

-- polygons(g): the polygonal part of g.
CREATE FUNCTION ceptoar_ref.polygons(g geometry) RETURNS geometry
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT public.ST_CollectionExtract(g, 3) $$;

-- nonempty(P): NULL ("not located") never blocks; otherwise a positive planar area.
CREATE FUNCTION ceptoar_ref.nonempty(p geometry) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT p IS NULL OR public.ST_Area(p) > 0 $$;

-- Rule 2, the spatial part: what a supplier whose outage covers a_s passes to a dependent
-- (area area_d, site site_d) along a dependency of the given mode. passes is never NULL;
-- piece is the passed area P when it passes (NULL then means "not located").
CREATE FUNCTION ceptoar_ref.passed_area(a_s geometry, mode text, area_d geometry, site_d geometry,
    OUT passes boolean, OUT piece geometry)
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF mode = 'area' THEN
    -- mode area: P = CASE WHEN A_s IS NULL THEN area_d WHEN area_d IS NULL THEN A_s
    --                ELSE polygons(ST_Intersection(area_d, A_s)) END, and P must be nonempty
    piece := CASE WHEN a_s IS NULL THEN area_d
                  WHEN area_d IS NULL THEN a_s
                  ELSE ceptoar_ref.polygons(public.ST_Intersection(area_d, a_s)) END;
    passes := ceptoar_ref.nonempty(piece);
  ELSIF mode = 'site' THEN
    -- mode site: only if site_d IS NOT NULL AND (A_s IS NULL OR ST_Intersects(site_d, A_s)),
    -- then P = area_d, which must be nonempty too
    piece := area_d;
    passes := site_d IS NOT NULL
              AND (a_s IS NULL OR public.ST_Intersects(site_d, a_s))
              AND ceptoar_ref.nonempty(piece);
  ELSE
    RAISE EXCEPTION 'unknown dependency mode %', mode;
  END IF;
  IF NOT passes THEN
    piece := NULL;
  END IF;
END $$;

-- Rule 2, the temporal part: a supplier out over [t_s, e_s) passes along a dependency with
-- buffer b when e_s - t_s > b (it outlasts the buffer) and t_s + b <= began + horizon.
CREATE FUNCTION ceptoar_ref.passes_in_time(t_s timestamptz, e_s timestamptz, b interval,
    began timestamptz, horizon interval) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
  SELECT extract(epoch FROM e_s) - extract(epoch FROM t_s) > extract(epoch FROM b)
     AND extract(epoch FROM t_s) + extract(epoch FROM b)
         <= extract(epoch FROM began) + extract(epoch FROM horizon)
$$;

CREATE FUNCTION ceptoar_ref.ref_impact(origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS TABLE(instance bigint, service ceptoar.service, sector ceptoar.sector, depth integer,
                onset timestamptz, recovery timestamptz, via bigint, area geometry,
                population bigint)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
DECLARE
  rounds integer := 0;
  changed bigint;
  level integer := 0;
  missing bigint[];
BEGIN
  IF origins IS NULL OR began IS NULL OR lasted IS NULL OR horizon IS NULL THEN
    RAISE EXCEPTION 'ref_impact: origins, began, lasted and horizon must not be NULL';
  END IF;
  SELECT array_agg(o) INTO missing FROM unnest(origins) o
   WHERE NOT EXISTS (SELECT FROM ceptoar.service_instance si WHERE si.id = o);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'ref_impact: unknown service instance(s) %', missing;
  END IF;

  -- The state of every affected instance: outage [t, e) over a (NULL = not located);
  -- origin and a0 (its own failure, rule 1); dirty = new or changed in the last round.
  CREATE TEMP TABLE IF NOT EXISTS ceptoar_ref_state (
    id bigint PRIMARY KEY, t timestamptz NOT NULL, e timestamptz NOT NULL, a geometry,
    origin boolean NOT NULL, a0 geometry, dirty boolean NOT NULL,
    depth integer, via bigint) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS ceptoar_ref_next (
    id bigint PRIMARY KEY, t timestamptz NOT NULL, e timestamptz NOT NULL, a geometry)
    ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS ceptoar_ref_tight (s bigint, d bigint) ON COMMIT DROP;
  TRUNCATE ceptoar_ref_state, ceptoar_ref_next, ceptoar_ref_tight;

  -- Rule 1. Origins: each origin o fails over [began, began + lasted) over
  -- A_o = CASE WHEN footprint IS NULL THEN area_o WHEN area_o IS NULL THEN footprint
  --       ELSE polygons(ST_Intersection(area_o, footprint)) END (even when A_o is empty).
  INSERT INTO ceptoar_ref_state (id, t, e, a, origin, a0, dirty)
  SELECT si.id, began, ceptoar_ref.plus(began, lasted), x.a0, true, x.a0, true
    FROM ceptoar.service_instance si
    CROSS JOIN LATERAL (SELECT CASE WHEN footprint IS NULL THEN si.area
                                    WHEN si.area IS NULL THEN footprint
                                    ELSE ceptoar_ref.polygons(public.ST_Intersection(si.area, footprint))
                               END AS a0) x
   WHERE si.id = ANY (origins);

  -- Rules 2 and 3. Passing and merging, until nothing changes (the least fixpoint).
  -- Each round recomputes, from scratch, the merge (rule 3) of everything passed (rule 2)
  -- to each dependent of an instance that changed in the previous round, by its suppliers'
  -- current states, plus its own failure if it is an origin. An instance changes when its
  -- onset is earlier, its end later, its area became NULL, or (rule 3) the planar ST_Area
  -- of its area grew by more than one part in 10^9; only then does it take the recomputed state. An area that did not
  -- grow has not changed and keeps its value (recomputed unions of the same pieces may
  -- differ in vertices and in the last bits of ST_Area). States only grow, so this
  -- converges to the least fixpoint, floating-point noise included.
  LOOP
    rounds := rounds + 1;
    IF rounds > 10000 THEN
      RAISE EXCEPTION 'ref_impact: no fixpoint after % rounds', rounds;
    END IF;

    TRUNCATE ceptoar_ref_next;
    INSERT INTO ceptoar_ref_next (id, t, e, a)
    WITH targets AS (
      SELECT DISTINCT dp.dependent AS id
        FROM ceptoar.dependency dp
        JOIN ceptoar_ref_state s ON s.id = dp.supplier AND s.dirty
    ), pieces AS (
      -- an origin's own failure (rule 1) is always one of its pieces
      SELECT st.id, began AS t, ceptoar_ref.plus(began, lasted) AS e, st.a0 AS a
        FROM ceptoar_ref_state st JOIN targets tg ON tg.id = st.id
       WHERE st.origin
      UNION ALL
      -- rule 2: s -> d passes [t_s + b, e_s) over P
      SELECT tg.id, ceptoar_ref.plus(s.t, dp.buffer), s.e, pa.piece
        FROM targets tg
        JOIN ceptoar.dependency dp ON dp.dependent = tg.id
        JOIN ceptoar_ref_state s ON s.id = dp.supplier
        JOIN ceptoar.service_instance di ON di.id = tg.id
        CROSS JOIN LATERAL ceptoar_ref.passed_area(s.a, dp.mode, di.area, di.site) pa
       WHERE ceptoar_ref.passes_in_time(s.t, s.e, dp.buffer, began, horizon)
         AND pa.passes
    )
    -- rule 3: t = min, e = max, A = ST_Union of the pieces, a NULL piece absorbs
    SELECT p.id, min(p.t), max(p.e),
           CASE WHEN bool_or(p.a IS NULL) THEN NULL ELSE public.ST_Union(p.a) END
      FROM pieces p
     GROUP BY p.id;

    UPDATE ceptoar_ref_state SET dirty = false WHERE dirty;

    -- newly affected instances
    INSERT INTO ceptoar_ref_state (id, t, e, a, origin, a0, dirty)
    SELECT n.id, n.t, n.e, n.a, false, NULL, true
      FROM ceptoar_ref_next n
     WHERE NOT EXISTS (SELECT FROM ceptoar_ref_state s WHERE s.id = n.id);

    -- instances that changed
    UPDATE ceptoar_ref_state s SET t = n.t, e = n.e, a = n.a, dirty = true
      FROM ceptoar_ref_next n
     WHERE n.id = s.id AND NOT s.dirty
       AND (n.t < s.t OR n.e > s.e
            OR (s.a IS NOT NULL AND n.a IS NULL)
            OR (s.a IS NOT NULL AND n.a IS NOT NULL
                AND public.ST_Area(n.a) > public.ST_Area(s.a) * (1 + 1e-9)));

    SELECT count(*) INTO changed FROM ceptoar_ref_state WHERE dirty;
    EXIT WHEN changed = 0;
  END LOOP;

  -- Rule 4. Depth and via, from the final states. A dependency s -> d is tight when d is
  -- not an origin, it passes (rule 2, final state of s) and t_s + b = t_d. Then
  -- depth_d = 1 + min(depth_s) over d's tight dependencies and via_d = the smallest s
  -- among them with depth_s = depth_d - 1: breadth-first from the origins (depth 0, via
  -- NULL) over tight dependencies, which is the shortest path by (onset, edges).
  INSERT INTO ceptoar_ref_tight (s, d)
  SELECT dp.supplier, dp.dependent
    FROM ceptoar.dependency dp
    JOIN ceptoar_ref_state s ON s.id = dp.supplier
    JOIN ceptoar_ref_state d ON d.id = dp.dependent AND NOT d.origin
    JOIN ceptoar.service_instance di ON di.id = dp.dependent
    CROSS JOIN LATERAL ceptoar_ref.passed_area(s.a, dp.mode, di.area, di.site) pa
   WHERE ceptoar_ref.passes_in_time(s.t, s.e, dp.buffer, began, horizon)
     AND pa.passes
     AND ceptoar_ref.plus(s.t, dp.buffer) = d.t;

  UPDATE ceptoar_ref_state SET depth = 0, via = NULL WHERE origin;
  level := 0;
  LOOP
    UPDATE ceptoar_ref_state d SET depth = level + 1, via = x.via
      FROM (SELECT tt.d, min(tt.s) AS via
              FROM ceptoar_ref_tight tt
              JOIN ceptoar_ref_state s ON s.id = tt.s AND s.depth = level
             GROUP BY tt.d) x
     WHERE d.id = x.d AND d.depth IS NULL;
    EXIT WHEN NOT FOUND;
    level := level + 1;
  END LOOP;
  IF EXISTS (SELECT FROM ceptoar_ref_state WHERE depth IS NULL) THEN
    RAISE EXCEPTION 'ref_impact: affected instances without a tight path from an origin: %',
      (SELECT array_agg(id ORDER BY id) FROM ceptoar_ref_state WHERE depth IS NULL);
  END IF;

  -- Rules 5 and 6. One row per affected instance, area as a MultiPolygon (or NULL), the
  -- population share by ellipsoidal area (EPSG:6933, equal-area), ordered by onset, depth, instance.
  RETURN QUERY
  SELECT st.id, si.service, ceptoar.sector(si.service), st.depth, st.t, st.e, st.via,
         public.ST_Multi(ceptoar_ref.polygons(st.a)),
         CASE WHEN si.population IS NULL THEN NULL
              WHEN st.a IS NULL OR si.area IS NULL THEN si.population
              WHEN public.ST_Area(public.ST_Transform(public.ST_Segmentize(si.area, 0.01), 6933)) = 0 THEN 0
              ELSE round(si.population::double precision
                         * public.ST_Area(public.ST_Transform(public.ST_Segmentize(st.a, 0.01), 6933))
                         / public.ST_Area(public.ST_Transform(public.ST_Segmentize(si.area, 0.01), 6933)))::bigint
         END
    FROM ceptoar_ref_state st
    JOIN ceptoar.service_instance si ON si.id = st.id
   ORDER BY st.t, st.depth, st.id;
END $$;

CREATE FUNCTION ceptoar_ref.ref_impact(origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS TABLE(instance bigint, service ceptoar.service, sector ceptoar.sector, depth integer,
                onset timestamptz, recovery timestamptz, via bigint, area geometry,
                population bigint)
  LANGUAGE sql VOLATILE
  AS $$ SELECT * FROM ceptoar_ref.ref_impact(ARRAY[origin], began, lasted, footprint, horizon) $$;
