-- test/35_impact_random_hostile.sql: the C impact engine (ceptoar.impact) against the
-- plain-SQL reference (test/reference_impact.sql) where test/30_impact_random.sql does not
-- look and where the engine crashed or misbehaved (issue 9: D2, D4, D5, D8):
--   - geometry on a random subset of the instances only (area, site only, neither), modes
--     area and site mixed, onsets lowered within a round (D5);
--   - ids: negative, huge, spanning more than 2^63, sparse, dense and at the edge of dense (D4);
--   - duplicate origins, with and without geometry, and origins also reached from other
--     origins (D2);
--   - buffers near the limits: 0, 1 microsecond, just below, at and above the outage length,
--     100000 days, the largest buffer (2^63 - 1 microseconds), days and time of opposite
--     signs, and horizons met exactly or missed by one microsecond (D8).
-- Hand-made graphs with literal answers (asserted for both implementations), then 190 random
-- graphs (deterministic: setseed per graph), compared row for row, each with at least one row.
-- Self-contained: its helpers live in ceptoar_ref, rolled back with the test.
-- Run from the repository root: pg_prove -d <db> test/35_impact_random_hostile.sql
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;
SET search_path = public, ceptoar;
SET LOCAL client_min_messages = warning;
-- A time zone with daylight saving: durations must be 24-hour days whatever the zone.
SET LOCAL TimeZone = 'America/New_York';

\i test/reference_impact.sql
\i test/impact_graph_helpers.sql

SELECT plan(50 + 2 * 190 + 8);

------------------------------------------------------------------------------------------
-- Helpers

-- Either implementation: impl 'c' (ceptoar.impact) or 'ref' (ceptoar_ref.ref_impact); form
-- 'array' (five arguments) or 'single' (the single-origin form, origins[1]).
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
  ELSIF form = 'single' THEN
    RETURN QUERY SELECT x.n, x.i, x.s, x.c, x.d, x.o, x.r, x.v, x.a, x.p
                   FROM ceptoar.impact(origins[1], began, lasted, footprint, horizon)
                   WITH ORDINALITY AS x(i, s, c, d, o, r, v, a, p, n) ORDER BY x.n;
  ELSE
    RAISE EXCEPTION 'unknown form %', form;
  END IF;
END $$;

-- Seconds from a to b, exact (numeric), without trailing zeros: '3600', '7199.999999'.
CREATE FUNCTION ceptoar_ref.secs(a timestamptz, b timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  AS $$
  SELECT CASE WHEN x LIKE '%.%' THEN rtrim(rtrim(x, '0'), '.') ELSE x END
    FROM (SELECT (extract(epoch FROM b) - extract(epoch FROM a))::text AS x) y
$$;

-- The results of both implementations of the last compare(), in result order.
CREATE TEMP TABLE ceptoar_ref_rows35 (
  impl text, pos bigint, instance bigint, service ceptoar.service, sector ceptoar.sector,
  depth integer, onset timestamptz, recovery timestamptz, via bigint, area geometry,
  population bigint);

-- Runs one implementation into ceptoar_ref_rows35; an error becomes the text of the error
-- (the engine raised XX000 on D5; that is a wrong answer here, not the end of the test).
CREATE FUNCTION ceptoar_ref.fill(impl text, origins bigint[], began timestamptz, lasted interval,
    footprint geometry, horizon interval, form text) RETURNS text
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  st text;
  msg text;
BEGIN
  DELETE FROM ceptoar_ref_rows35 r WHERE r.impl = fill.impl;
  INSERT INTO ceptoar_ref_rows35
  SELECT impl, x.* FROM ceptoar_ref.run(impl, origins, began, lasted, footprint, horizon, form) x;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN format('error %s: %s', st, msg);
END $$;

-- One line per row: '<instance> <service> d<depth> +<onset>..+<recovery> via <via> pop
-- <population> area <area>', times as exact seconds after began, the planar area to 4
-- decimals ('null', 'empty'; prefixed by type and SRID when not a MultiPolygon of 4326).
CREATE FUNCTION ceptoar_ref.lines(which text, began timestamptz) RETURNS text[]
  LANGUAGE sql VOLATILE
  AS $$
  SELECT coalesce(array_agg(format('%s %s d%s +%s..+%s via %s pop %s area %s',
            x.instance, x.service, x.depth, ceptoar_ref.secs(began, x.onset),
            ceptoar_ref.secs(began, x.recovery),
            coalesce(x.via::text, '-'), coalesce(x.population::text, 'null'),
            CASE WHEN x.area IS NULL THEN 'null'
                 ELSE CASE WHEN GeometryType(x.area) <> 'MULTIPOLYGON' OR ST_SRID(x.area) <> 4326
                           THEN GeometryType(x.area) || '/' || ST_SRID(x.area) || ' ' ELSE '' END
                      || CASE WHEN ST_IsEmpty(x.area) THEN 'empty'
                              ELSE rtrim(rtrim(round(ST_Area(x.area)::numeric, 4)::text, '0'), '.') END
            END)
          ORDER BY x.pos), '{}')
  FROM ceptoar_ref_rows35 x WHERE x.impl = which
$$;

-- The lines of one implementation, or its error as the only line.
CREATE FUNCTION ceptoar_ref.summary(impl text, origins bigint[], began timestamptz,
    lasted interval, footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    form text DEFAULT 'array')
  RETURNS text[]
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  err text := ceptoar_ref.fill(impl, origins, began, lasted, footprint, horizon, form);
BEGIN
  RETURN CASE WHEN err IS NOT NULL THEN ARRAY[err] ELSE ceptoar_ref.lines(impl, began) END;
END $$;

-- The rows of a query returning text, or its error as the only row: the issue's
-- reproducers exactly as written, without ending the test when they fail.
CREATE FUNCTION ceptoar_ref.try_rows(query text) RETURNS text[]
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  res text[];
  st text;
  msg text;
BEGIN
  EXECUTE 'SELECT coalesce(array_agg(x), ''{}'') FROM (' || query || ') q(x)' INTO res;
  RETURN res;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN ARRAY[format('error %s: %s', st, msg)];
END $$;


-- The largest buffer the engine represents: 2^63 - 1 microseconds.
CREATE FUNCTION ceptoar_ref.maxbuf() RETURNS interval
  LANGUAGE sql IMMUTABLE AS $$ SELECT interval '106751991 days 04:00:54.775807' $$;
-- A start early enough that began + the largest buffer is still a timestamp (288278 AD).
CREATE FUNCTION ceptoar_ref.bc() RETURNS timestamptz
  LANGUAGE sql IMMUTABLE AS $$ SELECT timestamptz '4000-01-01 00:00:00+00 BC' $$;

------------------------------------------------------------------------------------------
-- D5. Areas on some instances only, an onset lowered within a round. 1 (electricity), 2
-- (telecom), 3 (water) not located, 4 (gas) over a unit square; 2 <- 1 (0), 3 <- 1 (5 h),
-- 3 <- 2 (1 h), 4 <- 3 (6 h). 1 fails 10 h: 2 from 0 (not located: NULL, the area of
-- 1 passes whole), 3 reached at 5 h from 1 and lowered to 1 h through 2 (depth 2, via 2),
-- 4 from 1 h + 6 h = 7 h over its whole area (9 h outage > 6 h), depth 3 via 3.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity', 100), ceptoar_ref.inst(2, 'telecom', 200),
         ceptoar_ref.inst(3, 'water', 300), ceptoar_ref.inst(4, 'gas', 400, ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 4326))); END $$;
DO $$ BEGIN PERFORM ceptoar_ref.dep(2, 1, '0'), ceptoar_ref.dep(3, 1, '5 hours'),
         ceptoar_ref.dep(3, 2, '1 hour'), ceptoar_ref.dep(4, 3, '6 hours'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-01-15 00:00+00', '10 hours', NULL, '7 days', form),
          ARRAY['1 electricity d0 +0..+36000 via - pop 100 area null',
                '2 telecom d1 +0..+36000 via 1 pop 200 area null',
                '3 water d2 +3600..+36000 via 2 pop 300 area null',
                '4 gas d3 +25200..+36000 via 3 pop 400 area 1'],
          impl || ' ' || form || ': D5 area on one instance only, onset of 3 lowered within a round')
  FROM (VALUES ('ref', 'array'), ('c', 'array'), ('c', 'single')) v(impl, form);
-- the issue's call, as written
SELECT is(ceptoar_ref.try_rows($$SELECT format('%s d%s via %s %s..%s', instance, depth, via,
                                              onset AT TIME ZONE 'UTC', recovery AT TIME ZONE 'UTC')
                                   FROM ceptoar.impact(1, '2024-01-15 00:00+00', '10 hours')$$),
          ARRAY['1 d0 via  2024-01-15 00:00:00..2024-01-15 10:00:00',
                '2 d1 via 1 2024-01-15 00:00:00..2024-01-15 10:00:00',
                '3 d2 via 2 2024-01-15 01:00:00..2024-01-15 10:00:00',
                '4 d3 via 3 2024-01-15 07:00:00..2024-01-15 10:00:00'],
          'c: D5 the reproducer of issue 9');
-- The same with 4 reached by its site (mode site): it has a site and no area (NULL passes
-- on, population whole), then with an area and no site (nothing passes).
UPDATE ceptoar.service_instance SET area = NULL, site = ceptoar_ref.pt(0.5, 0.5) WHERE id = 4;
UPDATE ceptoar.dependency SET mode = 'site' WHERE dependent = 4;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-01-15 00:00+00', '10 hours'),
          ARRAY['1 electricity d0 +0..+36000 via - pop 100 area null',
                '2 telecom d1 +0..+36000 via 1 pop 200 area null',
                '3 water d2 +3600..+36000 via 2 pop 300 area null',
                '4 gas d3 +25200..+36000 via 3 pop 400 area null'],
          impl || ': D5 with a site-mode dependency on a site-only instance')
  FROM unnest(ARRAY['ref', 'c']) impl;
UPDATE ceptoar.service_instance SET area = ceptoar_ref.box(0, 0, 1, 1), site = NULL WHERE id = 4;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-01-15 00:00+00', '10 hours'),
          ARRAY['1 electricity d0 +0..+36000 via - pop 100 area null',
                '2 telecom d1 +0..+36000 via 1 pop 200 area null',
                '3 water d2 +3600..+36000 via 2 pop 300 area null'],
          impl || ': D5 with a site-mode dependency on an instance without a site')
  FROM unnest(ARRAY['ref', 'c']) impl;

------------------------------------------------------------------------------------------
-- Footprints that are not polygons, on an origin that is not located: A_o is the footprint
-- itself (rule 1), the row shows its polygonal part, a MultiPolygon (rule 6). 1 (not
-- located), 2 (area x 0-2, site at (1, 1)) depends on 1 by site, 3 (not located) by area
-- (30 min). A point or a line through (1, 1) reaches 2 (its site) but passes no area to 3
-- (zero area); a collection of that point and a triangle of area 0.5 passes the triangle.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 50),
         ceptoar_ref.inst(2, 'telecom.telecommunications', 100, ceptoar_ref.box(0, 0, 2, 2), ceptoar_ref.pt(1, 1)),
         ceptoar_ref.inst(3, 'water.supply', 7),
         ceptoar_ref.dep(2, 1, '0', 'site'), ceptoar_ref.dep(3, 1, '30 minutes'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-01-15 00:00+00', '1 hour', fp),
          CASE WHEN fp LIKE '%COLLECTION%'
               THEN ARRAY['1 electricity.supply d0 +0..+3600 via - pop 50 area 0.5',
                          '2 telecom.telecommunications d1 +0..+3600 via 1 pop 100 area 4',
                          '3 water.supply d1 +1800..+3600 via 1 pop 7 area 0.5']
               ELSE ARRAY['1 electricity.supply d0 +0..+3600 via - pop 50 area empty',
                          '2 telecom.telecommunications d1 +0..+3600 via 1 pop 100 area 4'] END,
          format('%s: footprint %s on an origin that is not located', impl, fp))
  FROM unnest(ARRAY['ref', 'c']) impl,
       unnest(ARRAY['SRID=4326;POINT(1 1)', 'SRID=4326;LINESTRING(0 0,3 3)',
                    'SRID=4326;GEOMETRYCOLLECTION(POINT(1 1),POLYGON((0 0,1 0,1 1,0 0)))']) fp;

------------------------------------------------------------------------------------------
-- D2. Duplicate origins, without and with geometry: one row per instance. First the
-- issue's calls on a graph of one instance.
TRUNCATE ceptoar.service_instance CASCADE;
SELECT ceptoar_ref.inst(1, 'electricity.supply', 10);
SELECT is(ceptoar_ref.try_rows(format($$SELECT format('%%s d%%s', instance, depth)
                                         FROM ceptoar.impact(array_fill(1::bigint, ARRAY[%s]), '2024-01-01', '1 hour')$$, k)),
          ARRAY['1 d0'], format('c: D2 the reproducer of issue 9, %s copies of one origin', k))
  FROM unnest(ARRAY[10, 10000]) k;
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 10), ceptoar_ref.inst(2, 'gas.supply', 20),
         ceptoar_ref.dep(2, 1, '30 minutes'); END $$;
SELECT is(ceptoar_ref.summary('c', array_fill(1::bigint, ARRAY[10]), '2024-01-01', '1 hour'),
          ARRAY['1 electricity.supply d0 +0..+3600 via - pop 10 area null',
                '2 gas.supply d1 +1800..+3600 via 1 pop 20 area null'],
          'c: D2 ten copies of one origin, no geometry');
SELECT is(ceptoar_ref.summary('c', array_fill(1::bigint, ARRAY[10000]), '2024-01-01', '1 hour'),
          ARRAY['1 electricity.supply d0 +0..+3600 via - pop 10 area null',
                '2 gas.supply d1 +1800..+3600 via 1 pop 20 area null'],
          'c: D2 10,000 copies of one origin, no geometry');
-- 2 is an origin too, and also reached from 1: it stays at depth 0 from began.
SELECT is(ceptoar_ref.summary(impl, ARRAY(SELECT 1 + (k % 2)::bigint FROM generate_series(1, 5000) k),
                              '2024-01-01', '1 hour'),
          ARRAY['1 electricity.supply d0 +0..+3600 via - pop 10 area null',
                '2 gas.supply d0 +0..+3600 via - pop 20 area null'],
          impl || ': D2 5,000 copies of two origins, one reached from the other')
  FROM unnest(ARRAY['ref', 'c']) impl;
UPDATE ceptoar.service_instance SET area = ceptoar_ref.box(135, 34, 136, 35);
SELECT is(ceptoar_ref.summary('c', array_fill(2::bigint, ARRAY[10000]) || 1::bigint, '2024-01-01', '1 hour'),
          ARRAY['1 electricity.supply d0 +0..+3600 via - pop 10 area 1',
                '2 gas.supply d0 +0..+3600 via - pop 20 area 1'],
          'c: D2 10,001 origins, two distinct, with geometry');

------------------------------------------------------------------------------------------
-- D4. Ids spanning more than 2^63: the smallest and the largest bigint and 2^40; then a
-- dense graph again (the engine must keep working after it).
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(-9223372036854775808, 'electricity.supply', 1),
         ceptoar_ref.inst(9223372036854775807, 'telecom.telecommunications', 2),
         ceptoar_ref.inst(1099511627776, 'water.supply', 3, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.dep(9223372036854775807, -9223372036854775808, '1 hour'),
         ceptoar_ref.dep(1099511627776, 9223372036854775807, '0'),
         ceptoar_ref.dep(-9223372036854775808, 1099511627776, '0'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{-9223372036854775808}', '2024-01-01', '2 hours'),
          ARRAY['-9223372036854775808 electricity.supply d0 +0..+7200 via - pop 1 area null',
                '9223372036854775807 telecom.telecommunications d1 +3600..+7200 via -9223372036854775808 pop 2 area null',
                '1099511627776 water.supply d2 +3600..+7200 via 9223372036854775807 pop 3 area 1'],
          impl || ': D4 ids from -2^63 to 2^63 - 1')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary('c', '{1099511627776,9223372036854775807,1099511627776}', '2024-01-01', '2 hours'),
          ARRAY['1099511627776 water.supply d0 +0..+7200 via - pop 3 area 1',
                '9223372036854775807 telecom.telecommunications d0 +0..+7200 via - pop 2 area null',
                '-9223372036854775808 electricity.supply d1 +0..+7200 via 1099511627776 pop 1 area 1'],
          'c: D4 again, from the two other ends');
SELECT is(ceptoar_ref.summary('c', '{-9223372036854775807}', '2024-01-01', '2 hours'),
          ARRAY['error 22023: unknown service instance -9223372036854775807'],
          'c: D4 an id between the extremes that is not there');
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(i, 'rail.passenger', i) FROM generate_series(1, 5) i;
         PERFORM ceptoar_ref.dep(i + 1, i, '10 minutes') FROM generate_series(1, 4) i; END $$;
SELECT is(ceptoar_ref.summary('c', '{2}', '2024-01-01', '25 minutes'),
          ARRAY['2 rail.passenger d0 +0..+1500 via - pop 2 area null',
                '3 rail.passenger d1 +600..+1500 via 2 pop 3 area null',
                '4 rail.passenger d2 +1200..+1500 via 3 pop 4 area null'],
          'c: D4 a dense graph after the widest one');

------------------------------------------------------------------------------------------
-- Buffers at the edges of the outage (it must outlast the buffer strictly), in
-- microseconds, including intervals whose days and time have opposite signs. 1 fails 2 h:
-- 2 (2 h) does not pass; 3 (2 h - 1 us) does, out for 1 us; from 3: 4 (0) passes, 5 (1 us)
-- does not, 6 ('1 day -23:59:59.999999', 1 us) does not; 7 ('-1 days +24:00:00.000001',
-- 1 us) passes from 1; 8 (2 h + 1 us) does not.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(i, 'logistics.freight', 10 * i) FROM generate_series(1, 8) i;
         PERFORM ceptoar_ref.dep(2, 1, '2 hours'), ceptoar_ref.dep(3, 1, '01:59:59.999999'),
                 ceptoar_ref.dep(4, 3, '0'), ceptoar_ref.dep(5, 3, '00:00:00.000001'),
                 ceptoar_ref.dep(6, 3, '1 day -23:59:59.999999'),
                 ceptoar_ref.dep(7, 1, '-1 days +24:00:00.000001'),
                 ceptoar_ref.dep(8, 1, '02:00:00.000001'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-03-10 01:00-05', '2 hours'),
          ARRAY['1 logistics.freight d0 +0..+7200 via - pop 10 area null',
                '7 logistics.freight d1 +0.000001..+7200 via 1 pop 70 area null',
                '3 logistics.freight d1 +7199.999999..+7200 via 1 pop 30 area null',
                '4 logistics.freight d2 +7199.999999..+7200 via 3 pop 40 area null'],
          impl || ': buffers of 0, 1 us, and the outage length minus, exactly and plus 1 us, across a time change')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- The horizon: an onset exactly at began + horizon passes, 1 us later does not. 1 -> 2
-- (3 h), 2 -> 3 (0, the same onset), 1 -> 4 (3 h + 1 us); horizon 3 h, then 3 h - 1 us.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(i, 'credit.card_payment', i) FROM generate_series(1, 4) i;
         PERFORM ceptoar_ref.dep(2, 1, '3 hours'), ceptoar_ref.dep(3, 2, '0'),
                 ceptoar_ref.dep(4, 1, '03:00:00.000001'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-11-03 00:30-04', '1 day', NULL, '3 hours'),
          ARRAY['1 credit.card_payment d0 +0..+86400 via - pop 1 area null',
                '2 credit.card_payment d1 +10800..+86400 via 1 pop 2 area null',
                '3 credit.card_payment d2 +10800..+86400 via 2 pop 3 area null'],
          impl || ': onsets exactly at the horizon pass, 1 us later not')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-11-03 00:30-04', '1 day', NULL, '02:59:59.999999'),
          ARRAY['1 credit.card_payment d0 +0..+86400 via - pop 1 area null'],
          impl || ': a horizon 1 us short of the first onset')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- 100000 days: an outage of exactly that does not pass it, 1 us more does (horizon exactly
-- at the onset), and not with the horizon 1 us shorter.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(1, 'electricity.supply', 1, ceptoar_ref.box(135, 34, 136, 35)),
         ceptoar_ref.inst(2, 'medical.records', 2, ceptoar_ref.box(135.5, 34, 136.5, 35)),
         ceptoar_ref.dep(2, 1, '100000 days'); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-01-01 00:00+00', '100000 days', NULL, '200000 days'),
          ARRAY['1 electricity.supply d0 +0..+8640000000 via - pop 1 area 1'],
          impl || ': a buffer of 100000 days, not outlasted by an outage as long')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-01-01 00:00+00', '100000 days 00:00:00.000001', NULL, '100000 days'),
          ARRAY['1 electricity.supply d0 +0..+8640000000.000001 via - pop 1 area 1',
                '2 medical.records d1 +8640000000..+8640000000.000001 via 1 pop 1 area 0.5'],
          impl || ': a buffer of 100000 days, outlasted by 1 us, onset at the horizon')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', '2024-01-01 00:00+00', '100000 days 00:00:00.000001', NULL, '99999 days 23:59:59.999999'),
          ARRAY['1 electricity.supply d0 +0..+8640000000.000001 via - pop 1 area 1'],
          impl || ': a buffer of 100000 days, the horizon 1 us short')
  FROM unnest(ARRAY['ref', 'c']) impl;

-- The largest buffer, 2^63 - 1 microseconds (7), is never outlasted: an outage is at
-- most as long. From 4000 BC (so that the end is a timestamp), an outage of 2^63 - 1 us
-- passes a buffer 1 us shorter (2, and 4, the same in hours), at the horizon exactly, with
-- 1 us left for 3 (0); 5 (106751992 days minus 24 hours: its days alone overflow int64
-- microseconds) and 6 (106751991 days) pass earlier.
TRUNCATE ceptoar.service_instance CASCADE;
DO $$ BEGIN PERFORM ceptoar_ref.inst(i, 'port.terminal_operations', i) FROM generate_series(1, 7) i;
         PERFORM ceptoar_ref.dep(2, 1, ceptoar_ref.maxbuf() - interval '1 microsecond'), ceptoar_ref.dep(3, 2, '0'),
                 ceptoar_ref.dep(4, 1, '2562047788:00:54.775806'),
                 ceptoar_ref.dep(5, 1, '106751992 days -24:00:00'),
                 ceptoar_ref.dep(6, 1, '106751991 days'),
                 ceptoar_ref.dep(7, 1, ceptoar_ref.maxbuf()); END $$;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.bc(), ceptoar_ref.maxbuf(),
                              NULL, ceptoar_ref.maxbuf() - interval '1 microsecond'),
          ARRAY['1 port.terminal_operations d0 +0..+9223372036854.775807 via - pop 1 area null',
                '5 port.terminal_operations d1 +9223372022400..+9223372036854.775807 via 1 pop 5 area null',
                '6 port.terminal_operations d1 +9223372022400..+9223372036854.775807 via 1 pop 6 area null',
                '2 port.terminal_operations d1 +9223372036854.775806..+9223372036854.775807 via 1 pop 2 area null',
                '4 port.terminal_operations d1 +9223372036854.775806..+9223372036854.775807 via 1 pop 4 area null',
                '3 port.terminal_operations d2 +9223372036854.775806..+9223372036854.775807 via 2 pop 3 area null'],
          impl || ': the longest outage passes a buffer 1 us shorter, at the horizon exactly')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.bc(), ceptoar_ref.maxbuf(),
                              NULL, ceptoar_ref.maxbuf() - interval '2 microseconds'),
          ARRAY['1 port.terminal_operations d0 +0..+9223372036854.775807 via - pop 1 area null',
                '5 port.terminal_operations d1 +9223372022400..+9223372036854.775807 via 1 pop 5 area null',
                '6 port.terminal_operations d1 +9223372022400..+9223372036854.775807 via 1 pop 6 area null'],
          impl || ': the longest outage, the horizon 1 us before the onset of 2 and 4')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.bc(), ceptoar_ref.maxbuf() - interval '1 microsecond',
                              NULL, ceptoar_ref.maxbuf()),
          ARRAY['1 port.terminal_operations d0 +0..+9223372036854.775806 via - pop 1 area null',
                '5 port.terminal_operations d1 +9223372022400..+9223372036854.775806 via 1 pop 5 area null',
                '6 port.terminal_operations d1 +9223372022400..+9223372036854.775806 via 1 pop 6 area null'],
          impl || ': an outage as long as the buffers of 2 and 4 does not pass them')
  FROM unnest(ARRAY['ref', 'c']) impl;
SELECT is(ceptoar_ref.summary(impl, '{1}', ceptoar_ref.bc(), ceptoar_ref.maxbuf(), NULL, '7 days'),
          ARRAY['1 port.terminal_operations d0 +0..+9223372036854.775807 via - pop 1 area null'],
          impl || ': the longest outage, the long buffers beyond a horizon of 7 days')
  FROM unnest(ARRAY['ref', 'c']) impl;

------------------------------------------------------------------------------------------
-- D8. Buffers the engine cannot represent are refused by the table (23514); the largest
-- one is accepted, in any spelling.
SELECT throws_ok($$INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (1, 2, '213503983 days')$$,
                 '23514', NULL, 'D8: a buffer of 213503983 days is refused');
SELECT throws_ok($$INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (1, 3, '106751992 days')$$,
                 '23514', NULL, 'D8: a buffer of 106751992 days is refused');
SELECT throws_ok($$INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (1, 4, '106751991 days 04:00:54.775808')$$,
                 '23514', NULL, 'D8: a buffer 1 us above the largest is refused');
SELECT lives_ok($$UPDATE ceptoar.dependency SET buffer = '2562047788:00:54.775807' WHERE dependent = 2 AND supplier = 1$$,
                'D8: the largest buffer, written in hours, is accepted');

------------------------------------------------------------------------------------------
-- Random graphs. Graph g is generated after setseed(-g / 1000.0), so each one can be
-- regenerated alone: SELECT * FROM ceptoar_ref.hostile_graph(g).
--   g   1-70  family geo:  geometry on a random subset (area, site only, neither, both),
--                          modes area and site, D5 motifs (an onset lowered through a
--                          cheaper path found later), sometimes a footprint or a short horizon;
--   g 101-140 family ids:  one id scheme per graph (below), geometry on half of them;
--   g 201-240 family dup:  duplicate origins, some reached from other origins, no geometry
--                          on half of them;
--   g 301-340 family buf:  buffers near the limits (relative to the outage, 0, 1 us, 100000
--                          days, the largest), horizons equal to a buffer or a sum of two,
--                          or 1 us short, starts in 2024 or 4000 BC.

-- A random bigint over the whole range.
CREATE FUNCTION ceptoar_ref.any_bigint() RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$ SELECT (floor(random()::numeric * 18446744073709551616) - 9223372036854775808)::bigint $$;

-- n distinct ids by scheme, in a random order. The engine indexes ids directly when
-- max - min < 4 n + 1024 ("dense"); dense_in / dense_out sit on either side of that.
CREATE FUNCTION ceptoar_ref.id_set(scheme text, n integer) RETURNS bigint[]
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  ids bigint[];
  base bigint;
BEGIN
  CASE scheme
  WHEN 'small' THEN
    ids := ARRAY(SELECT k::bigint FROM generate_series(1, n) k);
  WHEN 'negative' THEN
    base := -1 - floor(random() * 1e6)::bigint;
    ids := ARRAY(SELECT base - 2 * k FROM generate_series(0, n - 1) k);
  WHEN 'zero_cross' THEN
    ids := ARRAY(SELECT k::bigint FROM generate_series(-(n / 2), n - 1 - n / 2) k);
  WHEN 'top' THEN
    ids := ARRAY(SELECT 9223372036854775807 - k FROM generate_series(0, n - 1) k);
  WHEN 'bottom' THEN
    ids := ARRAY(SELECT -9223372036854775808 + k FROM generate_series(0, n - 1) k);
  WHEN 'span' THEN
    ids := ARRAY[-9223372036854775808, 9223372036854775807, 1099511627776, 0, -1]::bigint[];
    WHILE cardinality(ids) < n LOOP
      ids := ids || ceptoar_ref.any_bigint();
      ids := ARRAY(SELECT DISTINCT x FROM unnest(ids) x ORDER BY x);
    END LOOP;
  WHEN 'sparse' THEN
    ids := '{}';
    WHILE cardinality(ids) < n LOOP
      ids := ARRAY(SELECT DISTINCT x FROM unnest(ids || ceptoar_ref.any_bigint()) x ORDER BY x);
    END LOOP;
  WHEN 'powers' THEN
    ids := ARRAY(SELECT DISTINCT x FROM (SELECT (CASE WHEN k % 2 = 0 THEN 1 ELSE -1 END)
                                                * (2::numeric ^ (20 + k))::bigint AS x
                                           FROM generate_series(0, 42) k) y
                  ORDER BY x LIMIT n);
  WHEN 'min_and_dense' THEN
    ids := ARRAY[-9223372036854775808]::bigint[] || ARRAY(SELECT k::bigint FROM generate_series(1, n - 1) k);
  WHEN 'dense_and_max' THEN
    ids := ARRAY(SELECT -k::bigint FROM generate_series(0, n - 2) k) || 9223372036854775807::bigint;
  WHEN 'dense_in' THEN
    base := ceptoar_ref.any_bigint() / 2;
    ids := ARRAY(SELECT base + k FROM generate_series(0, n - 2) k) || (base + 4 * n + 1023);
  WHEN 'dense_out' THEN
    base := ceptoar_ref.any_bigint() / 2;
    ids := ARRAY(SELECT base + k FROM generate_series(0, n - 2) k) || (base + 4 * n + 1024);
  WHEN 'gappy' THEN
    base := floor(random() * 1e9)::bigint;
    ids := ARRAY(SELECT base + sum(1 + floor(random() * 6)::bigint) OVER (ORDER BY k)
                   FROM generate_series(1, n) k);
  ELSE
    RAISE EXCEPTION 'unknown id scheme %', scheme;
  END CASE;
  IF cardinality(ids) <> n OR (SELECT count(DISTINCT x) FROM unnest(ids) x) <> n THEN
    RAISE EXCEPTION 'id scheme % gave % distinct ids, not %', scheme,
      (SELECT count(DISTINCT x) FROM unnest(ids) x), n;
  END IF;
  RETURN ARRAY(SELECT x FROM unnest(ids) x ORDER BY random(), x);
END $$;

-- us microseconds (0 <= us < 2^63) as an interval of hours and seconds only (exact), and back.
CREATE FUNCTION ceptoar_ref.us(us numeric) RETURNS interval
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT ceptoar_ref.usec_interval(us) $$;
CREATE FUNCTION ceptoar_ref.us_of(b interval) RETURNS numeric
  LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT extract(epoch FROM b) * 1000000 $$;

CREATE FUNCTION ceptoar_ref.hostile_graph(g integer, OUT family text, OUT scheme text,
    OUT geom text, OUT origins bigint[], OUT began timestamptz, OUT lasted interval,
    OUT footprint geometry, OUT horizon interval, OUT form text)
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  schemes text[] := ARRAY['negative', 'zero_cross', 'top', 'bottom', 'span', 'sparse', 'powers',
                          'min_and_dense', 'dense_and_max', 'dense_in', 'dense_out', 'gappy', 'small'];
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
  bufs interval[];
  base interval[] := ARRAY['0', '0', '0', '1 second', '15 minutes', '1 hour', '1 hour', '2 hours',
                           '3 hours', '5 hours', '6 hours', '1 day']::interval[];
  lasteds interval[] := ARRAY['10 minutes', '1 hour', '2 hours', '3 hours', '5 hours', '10 hours',
                              '1 day', '2 days 3 hours']::interval[];
  l_us numeric;
  k integer;
  x bigint;
  y bigint;
  z bigint;
  distinct_origins bigint[];
BEGIN
  PERFORM setseed(-g / 1000.0);
  TRUNCATE ceptoar.service_instance CASCADE;
  family := CASE WHEN g < 100 THEN 'geo' WHEN g < 200 THEN 'ids' WHEN g < 300 THEN 'dup' ELSE 'buf' END;
  SELECT array_agg(code ORDER BY code) INTO services FROM ceptoar.services WHERE depth > 1;
  n := CASE WHEN family = 'geo' THEN 10 + floor(random() * 21)::integer
            ELSE 10 + floor(random() * 31)::integer END;
  scheme := CASE family WHEN 'ids' THEN schemes[1 + (g - 101) % cardinality(schemes)]
                        WHEN 'geo' THEN ceptoar_ref.pick(ARRAY['small', 'small', 'gappy', 'negative'])
                        ELSE ceptoar_ref.pick(ARRAY['small', 'gappy', 'sparse', 'negative', 'span']) END;
  ids := ceptoar_ref.id_set(scheme, n);
  geom := CASE family WHEN 'geo' THEN 'partial'
                          WHEN 'buf' THEN ceptoar_ref.pick(ARRAY['partial', 'none'])
                          ELSE CASE WHEN g % 2 = 0 THEN 'partial' ELSE 'none' END END;
  lons := ARRAY(SELECT 135 + 5 * random() FROM generate_series(1, 6));
  lats := ARRAY(SELECT 34 + 3 * random() FROM generate_series(1, 5));

  -- the start, the outage, and the buffers of this graph
  IF family = 'buf' AND random() < 0.4 THEN
    began := ceptoar_ref.bc() + make_interval(secs => floor(random() * 1e6));
  ELSE
    began := CASE WHEN g % 2 = 0 THEN timestamptz '2024-03-09 12:00-05'
                  ELSE timestamptz '2024-11-02 12:00-04' END
             + make_interval(secs => floor(random() * 172800)
                                     + CASE WHEN random() < 0.3 THEN random() ELSE 0 END);
  END IF;
  IF family = 'buf' THEN
    r := random();
    lasted := CASE WHEN r < 0.35 THEN ceptoar_ref.pick(lasteds)
                   WHEN r < 0.55 THEN interval '100000 days' + ceptoar_ref.pick(ARRAY['0', '1 microsecond', '1 hour']::interval[])
                   WHEN r < 0.65 THEN interval '200000 days'
                   WHEN began < timestamptz '1000-01-01 BC' THEN ceptoar_ref.maxbuf() - ceptoar_ref.pick(ARRAY['0', '1 microsecond', '2 hours']::interval[])
                   ELSE make_interval(secs => random() * 1e5) END;
    l_us := ceptoar_ref.us_of(lasted);
    bufs := ARRAY['0', '00:00:00.000001', '1 day -23:59:59.999999', '-1 days +24:00:00.000001',
                  '1 hour', '3 hours', '100000 days', '100000 days 00:00:00.000001',
                  '99999 days 23:59:59.999999', '106751991 days', '106751992 days -24:00:00',
                  '106751991 days 04:00:54.775806', '2562047788:00:54.775807']::interval[]
            || ARRAY(SELECT ceptoar_ref.us(least(greatest(u, 0), 9223372036854775807))
                       FROM unnest(ARRAY[l_us, l_us, l_us - 1, l_us + 1, floor(l_us / 2), l_us - 3600000000,
                                         l_us - 3600000001, l_us - 3599999999]) u);
    -- keep only what the table accepts (at most 2^63 - 1 us)
    bufs := ARRAY(SELECT u FROM unnest(bufs) u WHERE u <= ceptoar_ref.maxbuf());
  ELSE
    r := random();
    lasted := CASE WHEN r < 0.85 THEN ceptoar_ref.pick(lasteds)
                   ELSE make_interval(secs => floor(random() * 250000)) END;
    bufs := base;
  END IF;

  -- instances, inserted in a random order of their ids
  FOR k IN 1 .. n LOOP
    r := random();
    pop := CASE WHEN r < 0.15 THEN NULL WHEN r < 0.19 THEN 0
                WHEN r < 0.23 THEN 9223372036854775807 - floor(random() * 1e6)::bigint
                ELSE floor(random() * 1e6)::bigint END;
    a := NULL;
    s := NULL;
    IF geom = 'partial' THEN
      r := random();
      -- area (about 45 %, a third of them with a site too), site only (20 %), neither
      IF r < 0.45 THEN
        r := random();
        a := CASE WHEN r < 0.04 THEN 'SRID=4326;MULTIPOLYGON EMPTY'::geometry
                  WHEN r < 0.60 THEN ST_Multi(ceptoar_ref.pool_box(lons, lats))
                  WHEN r < 0.72 THEN ST_Multi(ST_Union(ceptoar_ref.pool_box(lons, lats),
                                                       ceptoar_ref.pool_box(lons, lats)))
                  ELSE ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(135 + 5 * random(), 34 + 3 * random()), 4326),
                                          0.3 + 1.2 * random(), 'quad_segs=' || (2 + floor(random() * 4)::integer))) END;
      END IF;
      IF (a IS NOT NULL AND random() < 0.33) OR (a IS NULL AND r >= 0.45 AND r < 0.65) OR (a IS NULL AND random() < 0.3) THEN
        r := random();
        s := CASE WHEN r < 0.45 THEN ST_SetSRID(ST_MakePoint(ceptoar_ref.pick(lons), ceptoar_ref.pick(lats)), 4326)
                  WHEN r < 0.90 THEN ST_SetSRID(ST_MakePoint(135 + 5 * random(), 34 + 3 * random()), 4326)
                  ELSE ceptoar_ref.pool_box(lons, lats) END;
      END IF;
    END IF;
    -- populations beyond 10^10 only where they are not scaled (not located): scaled, the
    -- last bits of the geodesic area of a union (vertex order) change the rounded result
    IF a IS NOT NULL AND pop > 10000000000 THEN
      pop := floor(random() * 1e10)::bigint;
    END IF;
    svc := ceptoar_ref.pick(services);
    INSERT INTO ceptoar.service_instance (id, service, population, operator, name, area, site)
    VALUES (ids[k], svc, pop, ceptoar_ref.op(svc), format('graph %s #%s', g, k), a, s);
  END LOOP;

  -- dependencies between random pairs, about 2-4 suppliers per instance
  p := least(1, (2 + 2 * random()) / (n - 1));
  FOR i IN 1 .. n LOOP
    FOR j IN 1 .. n LOOP
      CONTINUE WHEN i = j OR random() >= p;
      r := random();
      b := CASE WHEN r < 0.85 THEN ceptoar_ref.pick(bufs)
                ELSE make_interval(secs => random() * 100000) END;
      INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
      VALUES (ids[i], ids[j], b, CASE WHEN geom <> 'none' AND random() < 0.35 THEN 'site' ELSE 'area' END);
    END LOOP;
  END LOOP;
  -- D5 motifs: x reached from y late (a long buffer) and earlier through z (a zero buffer,
  -- then a short one), so that its onset is lowered after it was first reached
  IF family IN ('geo', 'ids', 'dup') THEN
    FOR k IN 1 .. 1 + floor(random() * 3)::integer LOOP
      y := ceptoar_ref.pick(ids);
      z := ceptoar_ref.pick(ids);
      x := ceptoar_ref.pick(ids);
      CONTINUE WHEN x = y OR y = z OR x = z;
      INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
      VALUES (z, y, '0', 'area'), (x, y, '5 hours', 'area'), (x, z, '1 hour', 'area')
      ON CONFLICT (dependent, supplier) DO UPDATE SET buffer = excluded.buffer, mode = 'area';
    END LOOP;
  END IF;

  -- origins
  IF family = 'dup' THEN
    -- 1-3 distinct origins, the second one often a dependent of the first; each repeated,
    -- sometimes thousands of times
    distinct_origins := ARRAY[ceptoar_ref.pick(ids)];
    IF random() < 0.6 THEN
      SELECT dp.dependent INTO x FROM ceptoar.dependency dp
       WHERE dp.supplier = distinct_origins[1] ORDER BY random(), dp.dependent LIMIT 1;
      IF x IS NOT NULL THEN distinct_origins := distinct_origins || x; END IF;
    END IF;
    IF random() < 0.4 THEN
      x := ceptoar_ref.pick(ids);
      IF x <> ALL (distinct_origins) THEN distinct_origins := distinct_origins || x; END IF;
    END IF;
    origins := ARRAY(SELECT o FROM unnest(distinct_origins) o,
                          generate_series(1, CASE WHEN random() < 0.15 THEN 2000 ELSE 1 + floor(random() * 6)::integer END)
                     ORDER BY random());
  ELSE
    origins := ARRAY(SELECT o FROM unnest(ids) o ORDER BY random(), o
                     LIMIT 1 + floor(random() * 2.5)::integer);
  END IF;

  r := random();
  footprint := CASE WHEN geom = 'none' OR family IN ('buf') OR r >= 0.24 THEN NULL
                    WHEN r < 0.1 THEN ceptoar_ref.pool_box(lons, lats)
                    WHEN r < 0.12 THEN 'SRID=4326;POLYGON EMPTY'::geometry
                    WHEN r < 0.16 THEN ST_Multi(ST_Union(ceptoar_ref.pool_box(lons, lats), ceptoar_ref.pool_box(lons, lats)))
                    ELSE ST_Buffer(ST_SetSRID(ST_MakePoint(135 + 5 * random(), 34 + 3 * random()), 4326),
                                   0.3 + random(), 'quad_segs=3') END;
  r := random();
  IF family = 'buf' THEN
    -- a horizon at a buffer of the graph, or at the sum of two, or 1 us short of it, or
    -- the largest, or the default
    DECLARE
      b1 numeric := ceptoar_ref.us_of(ceptoar_ref.pick(bufs));
      b2 numeric := ceptoar_ref.us_of(ceptoar_ref.pick(bufs));
      h numeric;
    BEGIN
      h := CASE WHEN r < 0.3 THEN b1 WHEN r < 0.55 THEN b1 + b2
                WHEN r < 0.7 THEN b1 - 1 WHEN r < 0.8 THEN b1 + b2 - 1
                WHEN r < 0.9 THEN 9223372036854775807 ELSE 604800000000 END;
      horizon := ceptoar_ref.us(least(greatest(h, 0), 9223372036854775807));
    END;
  ELSE
    horizon := CASE WHEN r < 0.2 THEN ceptoar_ref.pick(ARRAY['0', '1 hour', '5 hours', '6 hours', '12 hours']::interval[])
                    ELSE interval '7 days' END;
  END IF;
  form := CASE WHEN cardinality(origins) = 1 AND random() < 0.5 THEN 'single' ELSE 'array' END;
END $$;

CREATE TEMP TABLE ceptoar_ref_graphs35 (
  g integer PRIMARY KEY, family text, scheme text, geom text, instances bigint,
  dependencies bigint, origins bigint[], began timestamptz, lasted interval,
  footprint geometry, horizon interval, form text,
  c_lines text[], ref_lines text[], ref_rows bigint, lowered bigint, reached_origins bigint,
  at_horizon bigint, long_onsets bigint, one_us bigint, null_areas bigint, located bigint);

DO $$
DECLARE
  p record;
  gi integer;
  c_err text;
  r_err text;
BEGIN
  FOR gi IN SELECT * FROM generate_series(1, 70) UNION ALL SELECT * FROM generate_series(101, 140)
            UNION ALL SELECT * FROM generate_series(201, 240) UNION ALL SELECT * FROM generate_series(301, 340)
  LOOP
    SELECT * INTO p FROM ceptoar_ref.hostile_graph(gi);
    r_err := ceptoar_ref.fill('ref', p.origins, p.began, p.lasted, p.footprint, p.horizon, 'array');
    c_err := ceptoar_ref.fill('c', p.origins, p.began, p.lasted, p.footprint, p.horizon, p.form);
    INSERT INTO ceptoar_ref_graphs35
    SELECT gi, p.family, p.scheme, p.geom,
           (SELECT count(*) FROM ceptoar.service_instance), (SELECT count(*) FROM ceptoar.dependency),
           p.origins, p.began, p.lasted, p.footprint, p.horizon, p.form,
           CASE WHEN c_err IS NOT NULL THEN ARRAY[c_err] ELSE ceptoar_ref.lines('c', p.began) END,
           CASE WHEN r_err IS NOT NULL THEN ARRAY[r_err] ELSE ceptoar_ref.lines('ref', p.began) END,
           (SELECT count(*) FROM ceptoar_ref_rows35 x WHERE x.impl = 'ref' AND r_err IS NULL),
           -- instances first reachable from a shallower supplier at a later onset than the
           -- one they end with (their onset is lowered after they were reached)
           (SELECT count(DISTINCT d.instance)
              FROM ceptoar_ref_rows35 d
              JOIN ceptoar.dependency dp ON dp.dependent = d.instance
              JOIN ceptoar_ref_rows35 s ON s.impl = 'ref' AND s.instance = dp.supplier
             WHERE d.impl = 'ref' AND d.depth > 0 AND s.depth < d.depth - 1
               AND ceptoar_ref.passes_in_time(s.onset, s.recovery, dp.buffer, p.began, p.horizon)
               AND ceptoar_ref.plus(s.onset, dp.buffer) > d.onset),
           -- origins that another origin reaches
           (SELECT count(DISTINCT o.instance)
              FROM ceptoar_ref_rows35 o
              JOIN ceptoar.dependency dp ON dp.dependent = o.instance
              JOIN ceptoar_ref_rows35 s ON s.impl = 'ref' AND s.instance = dp.supplier AND s.depth = 0
             WHERE o.impl = 'ref' AND o.depth = 0
               AND ceptoar_ref.passes_in_time(s.onset, s.recovery, dp.buffer, p.began, p.horizon)),
           (SELECT count(*) FROM ceptoar_ref_rows35 x
             WHERE x.impl = 'ref' AND x.depth > 0
               AND extract(epoch FROM x.onset) = extract(epoch FROM p.began) + extract(epoch FROM p.horizon)),
           (SELECT count(*) FROM ceptoar_ref_rows35 x
             WHERE x.impl = 'ref' AND x.depth > 0
               AND extract(epoch FROM x.onset) - extract(epoch FROM p.began) >= 8640000000),
           (SELECT count(*) FROM ceptoar_ref_rows35 x
             WHERE x.impl = 'ref' AND x.depth > 0
               AND extract(epoch FROM x.recovery) - extract(epoch FROM x.onset) = 0.000001),
           (SELECT count(*) FROM ceptoar_ref_rows35 x WHERE x.impl = 'ref' AND x.depth > 0 AND x.area IS NULL),
           (SELECT count(*) FROM ceptoar_ref_rows35 x WHERE x.impl = 'ref' AND x.depth > 0 AND x.area IS NOT NULL);
  END LOOP;
END $$;

SELECT is(c_lines, ref_lines,
          format('random graph %s (%s, ids %s, geometry %s): %s instances, %s dependencies, %s origins (%s distinct), lasted %s%s%s, %s: %s rows',
                 g, family, scheme, geom, instances, dependencies, cardinality(origins),
                 (SELECT count(DISTINCT o) FROM unnest(origins) o), lasted,
                 CASE WHEN footprint IS NOT NULL THEN ', a footprint' ELSE '' END,
                 CASE WHEN horizon <> interval '7 days' THEN ', horizon ' || horizon ELSE '' END,
                 form, ref_rows))
  FROM ceptoar_ref_graphs35 ORDER BY g;
SELECT cmp_ok(ref_rows, '>', 0::bigint, format('random graph %s: the reference has rows', g))
  FROM ceptoar_ref_graphs35 ORDER BY g;

-- The random graphs cover what they are for.
SELECT cmp_ok((SELECT sum(lowered) FROM ceptoar_ref_graphs35 WHERE family IN ('geo', 'ids')), '>=', 20::numeric,
              'random graphs: at least 20 onsets lowered after a shallower supplier reached them later');
SELECT ok((SELECT count(*) FROM ceptoar_ref_graphs35 WHERE family = 'geo' AND null_areas > 0 AND located > 0) >= 20,
          'random graphs: at least 20 graphs hit both located and not located instances');
SELECT is((SELECT count(DISTINCT scheme) FROM ceptoar_ref_graphs35 WHERE family = 'ids'), 13::bigint,
          'random graphs: every id scheme');
SELECT ok((SELECT count(*) FROM ceptoar_ref_graphs35 WHERE family = 'dup' AND reached_origins > 0) >= 5
          AND (SELECT count(*) FROM ceptoar_ref_graphs35 WHERE family = 'dup' AND reached_origins > 0 AND geom = 'none') >= 2,
          'random graphs: origins reached from other origins, with and without geometry');
SELECT ok((SELECT count(*) FROM ceptoar_ref_graphs35 WHERE family = 'dup' AND cardinality(origins) >= 2000) >= 3,
          'random graphs: thousands of duplicate origins');
SELECT cmp_ok((SELECT sum(at_horizon) FROM ceptoar_ref_graphs35 WHERE family = 'buf'), '>=', 3::numeric,
              'random graphs: onsets exactly at the horizon');
SELECT cmp_ok((SELECT sum(long_onsets) FROM ceptoar_ref_graphs35 WHERE family = 'buf'), '>=', 10::numeric,
              'random graphs: onsets 100000 days or more after the start');
SELECT cmp_ok((SELECT sum(one_us) FROM ceptoar_ref_graphs35 WHERE family = 'buf'), '>=', 3::numeric,
              'random graphs: outages of one microsecond passed on');

SELECT * FROM finish();
ROLLBACK;
