-- test/30_impact_random.sql: the C impact engine (ceptoar.impact) against the plain-SQL
-- reference (test/reference_impact.sql, the executable form of docs/impact-semantics.md):
-- hand-made graphs with literal answers (asserted for both), then many random graphs
-- (deterministic: setseed per graph), compared row for row.
-- Run from the repository root: pg_prove -d <db> test/30_impact_random.sql
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;
SET search_path = public, ceptoar;
SET LOCAL client_min_messages = warning;
-- A time zone with daylight saving: durations must be 24-hour days (the random graphs begin
-- around the 2024 changes, 10 March and 3 November).
SET LOCAL TimeZone = 'America/New_York';

\i test/reference_impact.sql
\i test/impact_graph_helpers.sql

SELECT plan(28 + 100 + 40 + 40 + 6);

------------------------------------------------------------------------------------------
-- Helpers (in ceptoar_ref, rolled back with the test)

-- Either implementation: impl 'c' (ceptoar.impact) or 'ref' (ceptoar_ref.ref_impact).
-- form: 'array' (all five arguments), 'array3' (defaults for footprint and horizon),
-- 'single' (the single-origin form, all arguments), 'single3' (single origin, defaults).
CREATE FUNCTION ceptoar_ref.run(impl text, origins bigint[], began timestamptz, lasted interval,
    footprint geometry, horizon interval, form text DEFAULT 'array')
  RETURNS TABLE(pos bigint, instance bigint, service ceptoar.service, sector ceptoar.sector,
                depth integer, onset timestamptz, recovery timestamptz, via bigint,
                area geometry, population bigint)
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  IF impl = 'ref' THEN
    RETURN QUERY SELECT x.n, x.i, x.s, x.c, x.d, x.o, x.r, x.v, x.a, x.p
                   FROM ceptoar_ref.ref_impact(origins, began, lasted, footprint, horizon)
                   WITH ORDINALITY AS x(i, s, c, d, o, r, v, a, p, n) ORDER BY x.n;
  ELSIF form = 'array' THEN
    RETURN QUERY SELECT x.n, x.i, x.s, x.c, x.d, x.o, x.r, x.v, x.a, x.p
                   FROM ceptoar.impact(origins, began, lasted, footprint, horizon)
                   WITH ORDINALITY AS x(i, s, c, d, o, r, v, a, p, n) ORDER BY x.n;
  ELSIF form = 'array3' THEN
    IF footprint IS NOT NULL OR horizon <> interval '7 days' THEN
      RAISE EXCEPTION 'form array3 needs the default footprint and horizon';
    END IF;
    RETURN QUERY SELECT x.n, x.i, x.s, x.c, x.d, x.o, x.r, x.v, x.a, x.p
                   FROM ceptoar.impact(origins, began, lasted)
                   WITH ORDINALITY AS x(i, s, c, d, o, r, v, a, p, n) ORDER BY x.n;
  ELSIF form = 'single' THEN
    RETURN QUERY SELECT x.n, x.i, x.s, x.c, x.d, x.o, x.r, x.v, x.a, x.p
                   FROM ceptoar.impact(origins[1], began, lasted, footprint, horizon)
                   WITH ORDINALITY AS x(i, s, c, d, o, r, v, a, p, n) ORDER BY x.n;
  ELSIF form = 'single3' THEN
    IF footprint IS NOT NULL OR horizon <> interval '7 days' THEN
      RAISE EXCEPTION 'form single3 needs the default footprint and horizon';
    END IF;
    RETURN QUERY SELECT x.n, x.i, x.s, x.c, x.d, x.o, x.r, x.v, x.a, x.p
                   FROM ceptoar.impact(origins[1], began, lasted)
                   WITH ORDINALITY AS x(i, s, c, d, o, r, v, a, p, n) ORDER BY x.n;
  ELSE
    RAISE EXCEPTION 'unknown form %', form;
  END IF;
END $$;

-- A readable line per row, times as seconds after began, planar area to 4 decimals:
-- '<instance> d<depth> +<onset>..+<recovery> via <via> pop <population> area <area>'.
CREATE FUNCTION ceptoar_ref.summary(impl text, origins bigint[], began timestamptz,
    lasted interval, footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS text[]
  LANGUAGE sql VOLATILE
  AS $$
  SELECT array_agg(format('%s d%s +%s..+%s via %s pop %s area %s',
            x.instance, x.depth,
            (extract(epoch FROM x.onset) - extract(epoch FROM began))::float8,
            (extract(epoch FROM x.recovery) - extract(epoch FROM began))::float8,
            coalesce(x.via::text, '-'), coalesce(x.population::text, 'null'),
            CASE WHEN x.area IS NULL THEN 'null'
                 WHEN ST_IsEmpty(x.area) THEN 'empty'
                 ELSE rtrim(rtrim(round(ST_Area(x.area)::numeric, 4)::text, '0'), '.') END)
          ORDER BY x.pos)
  FROM ceptoar_ref.run(impl, origins, began, lasted, footprint, horizon) x
$$;

-- One line per row where C and the reference differ (FULL JOIN on instance): every column
-- must be identical (population exactly; position in the result too, rule 6), areas equal as
-- geometries (both NULL, or both MultiPolygons of SRID 4326, same emptiness, and a planar
-- symmetric difference below 1e-12).
CREATE FUNCTION ceptoar_ref.mismatches(origins bigint[], began timestamptz, lasted interval,
    footprint geometry, horizon interval, form text)
  RETURNS SETOF text
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS ceptoar_ref_c (
    pos bigint, instance bigint, service ceptoar.service, sector ceptoar.sector, depth integer,
    onset timestamptz, recovery timestamptz, via bigint, area geometry, population bigint);
  CREATE TEMP TABLE IF NOT EXISTS ceptoar_ref_r (LIKE ceptoar_ref_c);
  TRUNCATE ceptoar_ref_c, ceptoar_ref_r;
  INSERT INTO ceptoar_ref_c SELECT * FROM ceptoar_ref.run('c', origins, began, lasted, footprint, horizon, form);
  INSERT INTO ceptoar_ref_r SELECT * FROM ceptoar_ref.run('ref', origins, began, lasted, footprint, horizon);
  RETURN QUERY
  WITH j AS (
    SELECT c, r,
           c.area IS NULL AND r.area IS NULL
           OR (c.area IS NOT NULL AND r.area IS NOT NULL
               AND GeometryType(c.area) = 'MULTIPOLYGON' AND ST_SRID(c.area) = 4326
               AND ST_IsEmpty(c.area) = ST_IsEmpty(r.area)
               AND ST_Area(ST_SymDifference(c.area, r.area)) < 1e-12) AS same_area
      FROM ceptoar_ref_c c FULL JOIN ceptoar_ref_r r ON r.instance = c.instance
  )
  SELECT format('instance %s: %s', coalesce((j.c).instance, (j.r).instance),
                CASE WHEN (j.c).instance IS NULL THEN 'only in the reference: ' || ceptoar_ref.show(j.r)
                     WHEN (j.r).instance IS NULL THEN 'only in C: ' || ceptoar_ref.show(j.c)
                     ELSE 'C ' || ceptoar_ref.show(j.c) || ' <> ref ' || ceptoar_ref.show(j.r) END)
    FROM j
   WHERE (j.c).instance IS NULL OR (j.r).instance IS NULL
      OR (j.c).pos <> (j.r).pos
      OR (j.c).service IS DISTINCT FROM (j.r).service
      OR (j.c).sector IS DISTINCT FROM (j.r).sector
      OR (j.c).depth IS DISTINCT FROM (j.r).depth
      OR (j.c).onset IS DISTINCT FROM (j.r).onset
      OR (j.c).recovery IS DISTINCT FROM (j.r).recovery
      OR (j.c).via IS DISTINCT FROM (j.r).via
      OR (j.c).population IS DISTINCT FROM (j.r).population
      OR NOT j.same_area
   ORDER BY coalesce((j.c).instance, (j.r).instance);
END $$;

CREATE FUNCTION ceptoar_ref.show(x anyelement) RETURNS text
  LANGUAGE sql STABLE
  AS $$
  SELECT format('(pos %s, %s, %s, depth %s, onset %s, recovery %s, via %s, pop %s, area %s)',
                (x).pos, (x).service, (x).sector, (x).depth, (x).onset, (x).recovery, (x).via,
                (x).population,
                CASE WHEN (x).area IS NULL THEN 'NULL'
                     ELSE format('%s %s/%s area %s', CASE WHEN ST_IsEmpty((x).area) THEN 'empty' END,
                                 GeometryType((x).area), ST_SRID((x).area), ST_Area((x).area)) END)
$$;


-- began for the hand-made graphs: 22:00 EST, four hours before the clocks go forward.
CREATE FUNCTION ceptoar_ref.b() RETURNS timestamptz
  LANGUAGE sql IMMUTABLE AS $$ SELECT timestamptz '2024-03-09 22:00:00-05' $$;

------------------------------------------------------------------------------------------
-- H1. A chain with buffers: an outage shorter than (or exactly as long as) a buffer stops.
-- 1 -> 2 (1 h) -> 3 (3 h), 2 -> 4 (2 h). 1 fails 3 h: 2 is out for 2 h, which outlasts
-- neither 3's 3 h nor 4's 2 h (it must outlast it strictly). One second more reaches 4.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 1000, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(2, 'telecom.telecommunications', 500, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(3, 'finance.bank', 300, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(4, 'water.supply', 200, ceptoar_ref.box(135, 34, 136, 35)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '1 hour'), ceptoar_ref.dep(3, 2, '3 hours'), ceptoar_ref.dep(4, 2, '2 hours'); END $$;

SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '3 hours'),
          ARRAY['1 d0 +0..+10800 via - pop 1000 area 1',
                '2 d1 +3600..+10800 via 1 pop 500 area 1'],
          impl || ': H1 chain, the outage does not outlast the next buffers')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '3 hours 1 second'),
          ARRAY['1 d0 +0..+10801 via - pop 1000 area 1',
                '2 d1 +3600..+10801 via 1 pop 500 area 1',
                '4 d2 +10800..+10801 via 2 pop 200 area 1'],
          impl || ': H1 chain, one second longer passes the 2-hour buffer')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H2. Cycles with zero buffers: 1 <-> 2 <-> 3, all 0. 2 is not located (it takes 1's
-- area); 3 covers half of it. The cycle back to the origin changes nothing.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 1000, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(2, 'telecom.telecommunications', 70),
         ceptoar_ref.inst(3, 'finance.bank', 1000, ceptoar_ref.box(135.5, 34, 136.5, 35)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '0'), ceptoar_ref.dep(1, 2, '0'),
         ceptoar_ref.dep(3, 2, '0'), ceptoar_ref.dep(2, 3, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '90 minutes'),
          ARRAY['1 d0 +0..+5400 via - pop 1000 area 1',
                '2 d1 +0..+5400 via 1 pop 70 area 1',
                '3 d2 +0..+5400 via 2 pop 500 area 0.5'],
          impl || ': H2 zero-buffer cycles')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H3. Edge-touching areas do not pass (zero area): 2 shares an edge with 1, 3 a corner;
-- 4 overlaps 1 over a strip 0.1 wide (1/11 of its area: 1000/11 rounds to 91).
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 1000, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(2, 'telecom.telecommunications', 100, ceptoar_ref.box(136, 34, 137, 35)),
         ceptoar_ref.inst(3, 'finance.bank', 100, ceptoar_ref.box(136, 35, 137, 36)),
         ceptoar_ref.inst(4, 'water.supply', 1000, ceptoar_ref.box(135.9, 34, 137, 35)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '0'), ceptoar_ref.dep(3, 1, '0'), ceptoar_ref.dep(4, 1, '0'),
         ceptoar_ref.dep(2, 3, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '1 hour'),
          ARRAY['1 d0 +0..+3600 via - pop 1000 area 1',
                '4 d1 +0..+3600 via 1 pop 91 area 0.1'],
          impl || ': H3 areas touching along an edge or at a corner do not pass')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H4. Mode site: 2's site is inside 1's outage (it fails over its whole area, elsewhere);
-- 3's site is outside; 4's is on the boundary (intersects); 5 has no site; 6 is not
-- located (its piece is NULL) and passes NULL on: 7 (area mode) takes its whole area, 8
-- (not located either) stays NULL.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 1000, ceptoar_ref.box(135, 34, 137, 36)),
         ceptoar_ref.inst(2, 'finance.bank', 400, ceptoar_ref.box(138, 36, 139, 37), ceptoar_ref.pt(136, 35)),
         ceptoar_ref.inst(3, 'finance.securities', 400, ceptoar_ref.box(138, 36, 139, 37), ceptoar_ref.pt(138.5, 36.5)),
         ceptoar_ref.inst(4, 'credit.card_payment', 400, ceptoar_ref.box(138, 36, 139, 37), ceptoar_ref.pt(137, 35)),
         ceptoar_ref.inst(5, 'government.administration', 400, ceptoar_ref.box(135, 34, 137, 36)),
         ceptoar_ref.inst(6, 'medical.records', 60, NULL, ceptoar_ref.pt(135.5, 34.5)),
         ceptoar_ref.inst(7, 'water.supply', 700, ceptoar_ref.box(139, 36, 140, 37)),
         ceptoar_ref.inst(8, 'logistics.freight', 80); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '30 minutes', 'site'), ceptoar_ref.dep(3, 1, '0', 'site'),
         ceptoar_ref.dep(4, 1, '0', 'site'), ceptoar_ref.dep(5, 1, '0', 'site'),
         ceptoar_ref.dep(6, 1, '1 hour', 'site'), ceptoar_ref.dep(7, 6, '0', 'area'),
         ceptoar_ref.dep(8, 6, '0', 'area'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '5 hours'),
          ARRAY['1 d0 +0..+18000 via - pop 1000 area 4',
                '4 d1 +0..+18000 via 1 pop 400 area 1',
                '2 d1 +1800..+18000 via 1 pop 400 area 1',
                '6 d1 +3600..+18000 via 1 pop 60 area null',
                '7 d2 +3600..+18000 via 6 pop 700 area 1',
                '8 d2 +3600..+18000 via 6 pop 80 area null'],
          impl || ': H4 site-mode dependencies')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H5. The horizon: 1 -> 2 (2 h) -> 3 (2 h), 1 -> 4 (3 h), 1 -> 5 (1 day), 1 -> 6 (1 day
-- 1 s). Horizon 3 h: 4 starts exactly at the horizon (passes), 3 would start after it.
-- Horizon 1 day: 5 starts exactly then, 24 hours later (not a calendar day across the
-- change to daylight saving time), 6 does not.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(i, 'rail.passenger', 10 * i) FROM generate_series(1, 6) i; END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '2 hours'), ceptoar_ref.dep(3, 2, '2 hours'),
         ceptoar_ref.dep(4, 1, '3 hours'), ceptoar_ref.dep(5, 1, '1 day'),
         ceptoar_ref.dep(6, 1, '1 day 1 second'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '10 hours', NULL, '3 hours'),
          ARRAY['1 d0 +0..+36000 via - pop 10 area null',
                '2 d1 +7200..+36000 via 1 pop 20 area null',
                '4 d1 +10800..+36000 via 1 pop 40 area null'],
          impl || ': H5 a horizon of 3 hours')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '2 days', NULL, '1 day'),
          ARRAY['1 d0 +0..+172800 via - pop 10 area null',
                '2 d1 +7200..+172800 via 1 pop 20 area null',
                '4 d1 +10800..+172800 via 1 pop 40 area null',
                '3 d2 +14400..+172800 via 2 pop 30 area null',
                '5 d1 +86400..+172800 via 1 pop 50 area null'],
          impl || ': H5 a horizon of 1 day, days of 24 hours across a time change')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H6. Two suppliers: the union of the areas and the earliest onset. Origins 1 (x 135-136)
-- and 2 (x 136-137); 3 (x 135.5-137.5) depends on 1 (1 h) and 2 (2 h): from 1 h over
-- x 135.5-137 (3/4 of it), via 1. 4 (x 135-138) depends on 3 (0): the same 1.5 of its 3.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 100, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(2, 'electricity.supply', 100, ceptoar_ref.box(136, 34, 137, 35)),
         ceptoar_ref.inst(3, 'telecom.telecommunications.data', 1000, ceptoar_ref.box(135.5, 34, 137.5, 35)),
         ceptoar_ref.inst(4, 'finance.bank.deposit', 300, ceptoar_ref.box(135, 34, 138, 35)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(3, 1, '1 hour'), ceptoar_ref.dep(3, 2, '2 hours'), ceptoar_ref.dep(4, 3, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{2,1}', ceptoar_ref.b(), '10 hours'),
          ARRAY['1 d0 +0..+36000 via - pop 100 area 1',
                '2 d0 +0..+36000 via - pop 100 area 1',
                '3 d1 +3600..+36000 via 1 pop 750 area 1.5',
                '4 d2 +3600..+36000 via 3 pop 150 area 1.5'],
          impl || ': H6 two suppliers, union of areas, earliest onset')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H7. Depth and via: ties go to the smallest supplier id among those one step shallower.
-- 9 -> 4, 9 -> 7 (1 h); 4 -> 8, 7 -> 8 (1 h); 9 -> 8 (3 h, not on time); 9 -> 3 (2 h) and
-- 4 -> 3 (1 h) both on time: depth 1 via 9 (not 4, although 4 < 9); 4 -> 6, 7 -> 6 (0).
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(i, 'gas.supply', NULL) FROM unnest(ARRAY[3, 4, 6, 7, 8, 9]) i; END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(4, 9, '1 hour'), ceptoar_ref.dep(7, 9, '1 hour'),
         ceptoar_ref.dep(8, 7, '1 hour'), ceptoar_ref.dep(8, 4, '1 hour'),
         ceptoar_ref.dep(8, 9, '3 hours'), ceptoar_ref.dep(3, 9, '2 hours'),
         ceptoar_ref.dep(3, 4, '1 hour'), ceptoar_ref.dep(6, 7, '0'), ceptoar_ref.dep(6, 4, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{9}', ceptoar_ref.b(), '1 day'),
          ARRAY['9 d0 +0..+86400 via - pop null area null',
                '4 d1 +3600..+86400 via 9 pop null area null',
                '7 d1 +3600..+86400 via 9 pop null area null',
                '6 d2 +3600..+86400 via 4 pop null area null',
                '3 d1 +7200..+86400 via 9 pop null area null',
                '8 d2 +7200..+86400 via 4 pop null area null'],
          impl || ': H7 depth and via ties')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H8. Footprints, empty and unlocated origins: 1 (x 135-137) is clipped to x 135-136;
-- 2 (not located) takes the footprint; 3 (an empty area) and 4 (outside the footprint)
-- are in the result with an empty area and no one affected, and pass nothing on (5);
-- 6 overlaps the clipped 1 over half its area.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 1000, ceptoar_ref.box(135, 34, 137, 35)),
         ceptoar_ref.inst(2, 'telecom.telecommunications.voice', 80),
         ceptoar_ref.inst(3, 'water.supply', 90, 'SRID=4326;MULTIPOLYGON EMPTY'),
         ceptoar_ref.inst(4, 'gas.supply', 100, ceptoar_ref.box(138, 36, 139, 37)),
         ceptoar_ref.inst(5, 'port.terminal_operations', 100, ceptoar_ref.box(138, 36, 140, 37), ceptoar_ref.pt(138.5, 36.5)),
         ceptoar_ref.inst(6, 'chemical.production', 100, ceptoar_ref.box(135.5, 34, 136.5, 35)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(5, 4, '0'), ceptoar_ref.dep(5, 3, '0', 'site'), ceptoar_ref.dep(6, 1, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{4,3,2,1}', ceptoar_ref.b(), '1 hour',
                              ST_MakeEnvelope(135, 34, 136, 36, 4326)),
          ARRAY['1 d0 +0..+3600 via - pop 500 area 1',
                '2 d0 +0..+3600 via - pop 80 area 2',
                '3 d0 +0..+3600 via - pop 0 area empty',
                '4 d0 +0..+3600 via - pop 0 area empty',
                '6 d1 +0..+3600 via 1 pop 50 area 0.5'],
          impl || ': H8 footprint, unlocated and empty origins')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H9. Re-propagation of an earlier onset: 1 -> 2 (5 h), 1 -> 3 (1 h), 3 -> 2 (1 h),
-- 2 -> 4 (0): 2 from 2 h via 3 at depth 2, and 4 with it at depth 3.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(i, 'aviation.scheduled_flights', 1) FROM generate_series(1, 4) i; END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '5 hours'), ceptoar_ref.dep(3, 1, '1 hour'),
         ceptoar_ref.dep(2, 3, '1 hour'), ceptoar_ref.dep(4, 2, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '10 hours'),
          ARRAY['1 d0 +0..+36000 via - pop 1 area null',
                '3 d1 +3600..+36000 via 1 pop 1 area null',
                '2 d2 +7200..+36000 via 3 pop 1 area null',
                '4 d3 +7200..+36000 via 2 pop 1 area null'],
          impl || ': H9 an earlier onset found later is propagated again')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H10. Re-propagation of a growing area: origins 1 (x 135-136) and 2 (x 136-137); 3
-- (x 135-137) hears of 1 at once (0) and of 2 after 1 h: from 0 over both halves, via 1;
-- 4 (x 135-139) depends on 3 (0) and ends up with both halves too, via 3.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 10, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(2, 'electricity.supply', 10, ceptoar_ref.box(136, 34, 137, 35)),
         ceptoar_ref.inst(3, 'telecom.telecommunications', 200, ceptoar_ref.box(135, 34, 137, 35)),
         ceptoar_ref.inst(4, 'finance.bank', 400, ceptoar_ref.box(135, 34, 139, 35)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(3, 1, '0'), ceptoar_ref.dep(3, 2, '1 hour'), ceptoar_ref.dep(4, 3, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1,2}', ceptoar_ref.b(), '2 hours'),
          ARRAY['1 d0 +0..+7200 via - pop 10 area 1',
                '2 d0 +0..+7200 via - pop 10 area 1',
                '3 d1 +0..+7200 via 1 pop 200 area 2',
                '4 d2 +0..+7200 via 3 pop 200 area 2'],
          impl || ': H10 a growing area is propagated again')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H11. An origin grows beyond the footprint when another instance passes it more; its
-- depth stays 0 and its growth is propagated. Footprint x 135-136: origin 1 (x 135-137) is
-- clipped to x 135-136, origin 2 lies outside (empty: nothing passes from it). 3 (x
-- 136-137) has its site in 1's outage (mode site: its whole area), and 1 depends on 3 (0):
-- 1 grows to x 135-137. 4 (x 135-138) depends on 1 (30 min): x 135-137, 2/3 of it.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 100, ceptoar_ref.box(135, 34, 137, 35)),
         ceptoar_ref.inst(2, 'gas.supply', 100, ceptoar_ref.box(138, 36, 139, 37)),
         ceptoar_ref.inst(3, 'telecom.telecommunications', 100, ceptoar_ref.box(136, 34, 137, 35),
                          ceptoar_ref.pt(135.5, 34.5)),
         ceptoar_ref.inst(4, 'finance.bank', 300, ceptoar_ref.box(135, 34, 138, 35)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(3, 1, '0', 'site'), ceptoar_ref.dep(1, 3, '0'),
         ceptoar_ref.dep(4, 1, '30 minutes'), ceptoar_ref.dep(4, 2, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1,2}', ceptoar_ref.b(), '1 hour',
                              ST_MakeEnvelope(135, 34, 136, 35, 4326)),
          ARRAY['1 d0 +0..+3600 via - pop 100 area 2',
                '2 d0 +0..+3600 via - pop 0 area empty',
                '3 d1 +0..+3600 via 1 pop 100 area 1',
                '4 d1 +1800..+3600 via 1 pop 200 area 2'],
          impl || ': H11 an origin grown by a dependency, beyond the footprint')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- H12. An area that did not grow is unchanged (rule 3): origin 1 and 2 (x 136-137, y
-- 35-37) depend on each other (0); 2 passes back x 136-137, y 35-36, inside 1's area, so
-- 1 still fails over exactly its own area and all its population (rule 5: the ratio of
-- the geodesic areas is 1; a re-unioned copy with extra vertices on its edges at x 136 and
-- 137 would have a different geodesic area, as geodesic edges are great circles).
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 1000000, ceptoar_ref.box(135, 34, 138, 36)),
         ceptoar_ref.inst(2, 'telecom.telecommunications', 1000, ceptoar_ref.box(136, 35, 137, 37)); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '0'), ceptoar_ref.dep(1, 2, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.b(), '2 hours'),
          ARRAY['1 d0 +0..+7200 via - pop 1000000 area 6',
                '2 d1 +0..+7200 via 1 pop 503 area 1'],
          impl || ': H12 an origin whose whole area fails keeps its whole population')
  FROM unnest(ARRAY['ref', 'c']) impl;

------------------------------------------------------------------------------------------
-- Random graphs. Graph g is generated after setseed(g / 1000.0), so each one can be
-- regenerated alone: SELECT * FROM ceptoar_ref.random_graph(g).
-- 5-40 instances with random services, populations (some NULL, some 0), areas (not located,
-- empty, rectangles whose corners come from a small pool of coordinates so that many touch
-- along edges or at corners, unions of two rectangles, polygonal discs), sites (none, on a
-- pool corner or edge, anywhere, a small polygon or a line); dependencies between random
-- pairs (cycles), buffers mostly from a small set (zero, ties) and sometimes any number of
-- seconds (with microseconds), mode area or site; 1-3 origins, random began around the 2024
-- daylight-saving changes, random lasted, sometimes a footprint, sometimes a short horizon.

CREATE FUNCTION ceptoar_ref.random_graph(g integer, OUT origins bigint[], OUT began timestamptz,
    OUT lasted interval, OUT footprint geometry, OUT horizon interval, OUT form text)
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  services ceptoar.service[];
  svc ceptoar.service;
  n integer;
  ids bigint[];
  lons float8[];
  lats float8[];
  r float8;
  a geometry;
  s geometry;
  pop bigint;
  p float8;
  b interval;
  d bigint;
  su bigint;
  buffers interval[] := ARRAY['0', '0', '0', '90 seconds', '15 minutes', '30 minutes', '1 hour',
                              '1 hour', '2 hours', '3 hours', '6 hours', '1 day', '1 day 6 hours'];
  lasteds interval[] := ARRAY['0', '10 minutes', '45 minutes', '1 hour', '2 hours', '3 hours',
                              '5 hours', '12 hours', '1 day', '2 days', '3 days 4 hours'];
BEGIN
  PERFORM setseed(g / 1000.0);
  TRUNCATE ceptoar.service_instance CASCADE;
  SELECT array_agg(code ORDER BY code) INTO services FROM ceptoar.services WHERE depth > 1;
  n := 5 + floor(random() * 36)::integer;
  ids := ARRAY(SELECT (10 + 3 * i)::bigint FROM generate_series(1, n) i ORDER BY random(), i);
  lons := ARRAY(SELECT 135 + 5 * random() FROM generate_series(1, 6));
  lats := ARRAY(SELECT 34 + 3 * random() FROM generate_series(1, 5));

  -- instances, inserted in a random order of their ids
  FOR k IN 1 .. n LOOP
    r := random();
    pop := CASE WHEN r < 0.18 THEN NULL WHEN r < 0.22 THEN 0
                WHEN r < 0.27 THEN floor(random() * 1e10)::bigint
                ELSE floor(random() * 1e6)::bigint END;
    r := random();
    a := CASE WHEN r < 0.18 THEN NULL
              WHEN r < 0.21 THEN 'SRID=4326;MULTIPOLYGON EMPTY'::geometry
              WHEN r < 0.62 THEN ST_Multi(ceptoar_ref.pool_box(lons, lats))
              WHEN r < 0.72 THEN ST_Multi(ST_Union(ceptoar_ref.pool_box(lons, lats),
                                                   ceptoar_ref.pool_box(lons, lats)))
              ELSE ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(135 + 5 * random(), 34 + 3 * random()), 4326),
                                      0.3 + 1.2 * random(),
                                      'quad_segs=' || (2 + floor(random() * 4)::integer))) END;
    r := random();
    s := CASE WHEN r < 0.30 THEN NULL
              WHEN r < 0.55 THEN ST_SetSRID(ST_MakePoint(ceptoar_ref.pick(lons), ceptoar_ref.pick(lats)), 4326)
              WHEN r < 0.65 THEN ST_SetSRID(ST_MakePoint(ceptoar_ref.pick(lons), 34 + 3 * random()), 4326)
              WHEN r < 0.93 THEN ST_SetSRID(ST_MakePoint(135 + 5 * random(), 34 + 3 * random()), 4326)
              WHEN r < 0.97 THEN ceptoar_ref.pool_box(lons, lats)
              ELSE ST_SetSRID(ST_MakeLine(ST_MakePoint(135 + 5 * random(), 34 + 3 * random()),
                                          ST_MakePoint(135 + 5 * random(), 34 + 3 * random())), 4326) END;
    svc := ceptoar_ref.pick(services);
    INSERT INTO ceptoar.service_instance (id, service, population, operator, name, area, site)
    VALUES (ids[k], svc, pop, ceptoar_ref.op(svc), format('graph %s #%s', g, k), a, s);
  END LOOP;

  -- dependencies between random pairs, about 2-5 suppliers per instance
  p := least(1, (2 + 3 * random()) / (n - 1));
  FOR i IN 1 .. n LOOP
    FOR j IN 1 .. n LOOP
      CONTINUE WHEN i = j OR random() >= p;
      d := ids[i];
      su := ids[j];
      r := random();
      b := CASE WHEN r < 0.80 THEN ceptoar_ref.pick(buffers)
                WHEN r < 0.92 THEN make_interval(secs => floor(random() * 200000))
                ELSE make_interval(secs => random() * 100000) END;
      INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
      VALUES (d, su, b, CASE WHEN random() < 0.3 THEN 'site' ELSE 'area' END);
    END LOOP;
  END LOOP;

  origins := ARRAY(SELECT x FROM unnest(ids) x ORDER BY random(), x
                   LIMIT 1 + floor(random() * 3)::integer);
  began := CASE WHEN g % 2 = 0 THEN timestamptz '2024-03-09 12:00-05'
                ELSE timestamptz '2024-11-02 12:00-04' END
           + make_interval(secs => floor(random() * 172800)
                                   + CASE WHEN random() < 0.3 THEN random() ELSE 0 END);
  r := random();
  lasted := CASE WHEN r < 0.8 THEN ceptoar_ref.pick(lasteds)
                 ELSE make_interval(secs => floor(random() * 250000)) END;
  r := random();
  footprint := CASE WHEN r < 0.12 THEN ceptoar_ref.pool_box(lons, lats)
                    WHEN r < 0.20 THEN ST_MakeEnvelope(135 + 2.5 * random(), 34 + 1.5 * random(),
                                                       137.5 + 2.5 * random(), 35.5 + 1.5 * random(), 4326)
                    WHEN r < 0.30 THEN ST_Buffer(ST_SetSRID(ST_MakePoint(135 + 5 * random(), 34 + 3 * random()), 4326),
                                                 0.3 + random(), 'quad_segs=3')
                    ELSE NULL END;
  r := random();
  horizon := CASE WHEN r < 0.3 THEN ceptoar_ref.pick(ARRAY['0', '30 minutes', '1 hour', '2 hours',
                                                          '6 hours', '12 hours', '1 day']::interval[])
                  ELSE interval '7 days' END;
  form := CASE WHEN cardinality(origins) = 1 AND random() < 0.5 THEN 'single' ELSE 'array' END
          || CASE WHEN footprint IS NULL AND horizon = interval '7 days' AND random() < 0.5
                  THEN '3' ELSE '' END;
END $$;

CREATE TEMP TABLE ceptoar_ref_graphs (
  g integer PRIMARY KEY, instances bigint, dependencies bigint, origins bigint[],
  began timestamptz, lasted interval, footprint geometry, horizon interval, form text,
  affected bigint, mismatches integer, detail text);
CREATE TEMP TABLE ceptoar_ref_rows (
  g integer, instance bigint, depth integer, via bigint, area geometry, population bigint,
  full_population bigint, own_area geometry);

DO $$
DECLARE
  p record;
  bad text[];
BEGIN
  FOR gi IN 1 .. 100 LOOP
    SELECT * INTO p FROM ceptoar_ref.random_graph(gi);
    BEGIN
      bad := ARRAY(SELECT ceptoar_ref.mismatches(p.origins, p.began, p.lasted, p.footprint,
                                                  p.horizon, p.form));
      -- the reference's rows, for the coverage checks below
      INSERT INTO ceptoar_ref_rows
      SELECT gi, r.instance, r.depth, r.via, r.area, r.population, si.population, si.area
        FROM ceptoar_ref_r r JOIN ceptoar.service_instance si ON si.id = r.instance;
    EXCEPTION WHEN OTHERS THEN
      bad := ARRAY['error: ' || SQLERRM];
    END;
    INSERT INTO ceptoar_ref_graphs
    SELECT gi, (SELECT count(*) FROM ceptoar.service_instance), (SELECT count(*) FROM ceptoar.dependency),
           p.origins, p.began, p.lasted, p.footprint, p.horizon, p.form,
           (SELECT count(*) FROM ceptoar_ref_rows x WHERE x.g = gi), cardinality(bad),
           array_to_string(bad, E'\n');
  END LOOP;
END $$;

-- The same kind of graphs without any geometry (areas, sites and footprint removed): the
-- engine takes its one-pass shortest-path route there, and must agree all the same. The
-- first 40 as they are (most have a buffer of some odd fraction of a second: the radix
-- heap); the next 40 with every buffer rounded to whole minutes, so that the route counts
-- onsets in the buffers' unit in a bucket queue (impact_times.c, by unit), ties of onset and
-- depth and zero buffers included.
DO $$
DECLARE
  p record;
  bad text[];
BEGIN
  FOR gi IN 1 .. 80 LOOP
    SELECT * INTO p FROM ceptoar_ref.random_graph(gi);
    UPDATE ceptoar.service_instance SET area = NULL, site = NULL;
    IF gi > 40 THEN
      UPDATE ceptoar.dependency
         SET buffer = make_interval(mins => round(extract(epoch FROM buffer) / 60)::integer);
    END IF;
    BEGIN
      bad := ARRAY(SELECT ceptoar_ref.mismatches(p.origins, p.began, p.lasted, NULL,
                                                  p.horizon, p.form));
    EXCEPTION WHEN OTHERS THEN
      bad := ARRAY['error: ' || SQLERRM];
    END;
    INSERT INTO ceptoar_ref_graphs
    SELECT 1000 + gi, (SELECT count(*) FROM ceptoar.service_instance), (SELECT count(*) FROM ceptoar.dependency),
           p.origins, p.began, p.lasted, NULL, p.horizon,
           p.form || ', no geometry' || CASE WHEN gi > 40 THEN ', whole minutes' ELSE '' END,
           (SELECT count(*) FROM ceptoar_ref_r), cardinality(bad), array_to_string(bad, E'\n');
  END LOOP;
END $$;

SELECT is(mismatches, 0,
          format('random graph %s: %s instances, %s dependencies, origins %s, lasted %s%s%s, %s: %s affected',
                 g, instances, dependencies, origins, lasted,
                 CASE WHEN footprint IS NOT NULL THEN ', a footprint' ELSE '' END,
                 CASE WHEN horizon <> interval '7 days' THEN ', horizon ' || horizon ELSE '' END,
                 form, affected))
  FROM ceptoar_ref_graphs ORDER BY g;
SELECT diag(format('graph %s:%s%s', g, E'\n', detail)) FROM ceptoar_ref_graphs WHERE mismatches <> 0 ORDER BY g;

-- The random graphs are not trivial.
SELECT cmp_ok((SELECT count(*) FROM ceptoar_ref_rows WHERE depth > 0), '>=', 300::bigint,
              'random graphs: at least 300 instances hit through dependencies');
SELECT cmp_ok((SELECT count(*) FROM ceptoar_ref_rows WHERE depth >= 3), '>=', 30::bigint,
              'random graphs: at least 30 instances at depth 3 or more');
SELECT cmp_ok((SELECT count(*) FROM ceptoar_ref_rows WHERE depth > 0 AND area IS NULL), '>=', 10::bigint,
              'random graphs: at least 10 instances hit with no area (NULL)');
SELECT cmp_ok((SELECT count(*) FROM ceptoar_ref_rows
                WHERE depth > 0 AND population > 0 AND population < full_population), '>=', 50::bigint,
              'random graphs: at least 50 instances hit over part of their area');
SELECT ok((SELECT count(*) FROM ceptoar_ref_rows WHERE population IS NULL) >= 10
          AND (SELECT count(*) FROM ceptoar_ref_rows WHERE ST_IsEmpty(area)) >= 1,
          'random graphs: NULL populations and empty areas');
SELECT ok((SELECT count(*) FROM ceptoar_ref_graphs WHERE footprint IS NOT NULL) >= 5
          AND (SELECT count(*) FROM ceptoar_ref_graphs WHERE horizon <> interval '7 days') >= 5
          AND (SELECT count(*) FROM ceptoar_ref_graphs WHERE form LIKE 'single%') >= 3
          AND (SELECT count(*) FROM ceptoar_ref_graphs WHERE form LIKE '%3') >= 3,
          'random graphs: footprints, horizons, the single-origin form and the defaults');

SELECT * FROM finish();
ROLLBACK;
