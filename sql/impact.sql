-- impact.sql: the impact engine on small graphs with known answers, the timeline,
-- the static sector analysis, the inoperability model, privileges, and errors.
-- (test/30_impact_random.sql compares the engine with the SQL reference at random.)
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

\i sql/try.psql

-- The operators (ceptoar.operator) of the instances below, each in its services' sector
INSERT INTO operator (code, name, sector) VALUES
 ('power-co', 'Power Co.', 'electricity'), ('tel-co', 'Tel Co.', 'telecom'), ('bank', 'Bank', 'finance'),
 ('water-co', 'Water', 'water'), ('hospital', 'Hospital', 'medical'), ('rail-co', 'Rail', 'rail'),
 ('p', 'P', 'electricity'), ('t', 'T', 'telecom'), ('w', 'W', 'water'), ('g', 'G', 'gas'),
 ('b', 'B', 'finance'), ('r', 'R', 'rail'), ('h', 'H', 'medical'), ('l', 'L', 'logistics');

-- A small region: power covers x 0-10, telecom x 5-15, a bank x 0-20 with its data
-- centre at (12, 5), water x 10-20 (touches power only along x = 10), a hospital not located.
INSERT INTO service_instance (id, service, population, operator, name, area, site) VALUES
 (1, 'electricity.supply', 1000, 'power-co', 'power', ST_Multi(ST_MakeEnvelope(0, 0, 10, 10, 4326)), NULL),
 (2, 'telecom.telecommunications', 500, 'tel-co', 'telecom', ST_Multi(ST_MakeEnvelope(5, 0, 15, 10, 4326)), NULL),
 (3, 'finance.bank.deposit', 800, 'bank', 'bank', ST_Multi(ST_MakeEnvelope(0, 0, 20, 10, 4326)), ST_SetSRID(ST_MakePoint(12, 5), 4326)),
 (4, 'water.supply', 100, 'water-co', 'water', ST_Multi(ST_MakeEnvelope(10, 0, 20, 10, 4326)), NULL),
 (5, 'medical.records', 50, 'hospital', 'hospital', NULL, NULL),
 (6, 'rail.passenger', NULL, 'rail-co', 'rail', ST_Multi(ST_MakeEnvelope(0, 0, 10, 10, 4326)), NULL);
INSERT INTO dependency (dependent, supplier, buffer, mode) VALUES
 (2, 1, '3 hours', 'area'),   -- telecom holds out 3 h on batteries
 (3, 2, '0', 'site'),         -- the bank fails everywhere if its data centre loses telecom
 (4, 1, '0', 'area'),         -- water touches power only along an edge: nothing passes
 (5, 1, '2 hours', 'area'),   -- the hospital is not located: never clipped
 (1, 2, '0', 'area'),         -- a cycle back to power
 (6, 1, '20 hours', 'area');  -- rail holds out longer than a 10-hour outage: nothing passes

SELECT instance, service, sector, depth, onset, recovery, via, ST_AsText(area) AS area, population
FROM impact(1, '2024-01-15 09:00+09', '10 hours');

-- The bank's data centre at (12, 5) is outside power's area but inside telecom's outage?
-- Telecom is affected only over x 5-10, so the site at x = 12 is not hit: no bank above.
-- Move the data centre into the outage: the whole bank fails, over its whole area.
UPDATE service_instance SET site = ST_SetSRID(ST_MakePoint(7, 5), 4326) WHERE id = 3;
SELECT instance, depth, onset, via, ST_AsText(area) AS area, population
FROM impact(1, '2024-01-15 09:00+09', '10 hours') WHERE instance = 3;

-- A longer outage passes rail's 20-hour buffer; a horizon of 1 hour stops everything later
SELECT instance, onset FROM impact(1, '2024-01-15 09:00+09', '21 hours') WHERE instance = 6;
SELECT instance, onset FROM impact(1, '2024-01-15 09:00+09', '10 hours', horizon => '1 hour');
-- An outage exactly as long as a buffer does not pass it (it must outlast it)
SELECT count(*) AS telecom_hit FROM impact(1, '2024-01-15 09:00+09', '3 hours') WHERE instance = 2;
SELECT count(*) AS telecom_hit FROM impact(1, '2024-01-15 09:00+09', '3 hours 1 second') WHERE instance = 2;

-- A footprint: only the western half of power's area fails
SELECT instance, depth, ST_AsText(area) AS area, population
FROM impact(1, '2024-01-15 09:00+09', '10 hours', ST_MakeEnvelope(0, 0, 4, 10, 4326));

-- Compound failure: power and telecom together; the union of areas, earliest onsets
SELECT instance, depth, onset, via, ST_Area(area) AS planar_area
FROM impact(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '10 hours');

-- From an incident at an instance; an unknown duration lasts the horizon
SELECT instance, onset, recovery
FROM impact('service=electricity.supply, began=2024-01-15 09:00, lasted=10 h, lost_kw=200000'::incident, 1);
SELECT instance, recovery FROM impact(incident('electricity', '2024-01-15 09:00+09'), 1, horizon => '1 day') WHERE instance = 1;

-- Timeline, every 3 hours
SELECT * FROM impact_timeline(1, '2024-01-15 09:00+09', '10 hours', step => '3 hours');

-- Populations follow a changed area at once (its measured size is remembered per geometry)
SELECT population AS telecom_people FROM impact(1, '2024-01-15 09:00+09', '10 hours') WHERE instance = 2;
UPDATE service_instance SET area = ST_Multi(ST_MakeEnvelope(5, 0, 25, 10, 4326)) WHERE id = 2;
SELECT population AS telecom_people FROM impact(1, '2024-01-15 09:00+09', '10 hours') WHERE instance = 2;
UPDATE service_instance SET area = ST_Multi(ST_MakeEnvelope(5, 0, 15, 10, 4326)) WHERE id = 2;
SELECT population AS telecom_people FROM impact(1, '2024-01-15 09:00+09', '10 hours') WHERE instance = 2;

-- The cached graph sees changes at once (statement triggers invalidate it)
DELETE FROM dependency WHERE dependent = 5;
SELECT count(*) AS hospital_hit FROM impact(1, '2024-01-15 09:00+09', '10 hours') WHERE instance = 5;

-- Static analysis over the shipped (inferred) sector matrix
SELECT * FROM sector_impact('electricity', '2 hours');
SELECT * FROM sector_impact('water', '1 day');

-- Inoperability Input-Output Model
SELECT inoperability('{{0,0.5},{0.2,0}}'::float8[], '{0.1,0}'::float8[]) AS q;
SELECT inoperability('{{0,0.9},{0.9,0}}'::float8[], '{1,1}'::float8[]) AS clipped;
SELECT sector, round(inoperability::numeric, 4) FROM sector_inoperability('{electricity}', '{0.5}') ORDER BY sector LIMIT 5;

-- Errors
SELECT stmt, e.*
FROM (VALUES
  ($$SELECT * FROM ceptoar.impact(999, now(), '1 hour')$$),
  ($$SELECT * FROM ceptoar.impact(NULL::bigint, now(), '1 hour')$$),
  ($$SELECT * FROM ceptoar.impact('{}'::bigint[], now(), '1 hour')$$),
  ($$SELECT * FROM ceptoar.impact(ARRAY[1, NULL]::bigint[], now(), '1 hour')$$),
  ($$SELECT * FROM ceptoar.impact(1, now(), '-1 hour')$$),
  ($$SELECT * FROM ceptoar.impact(1, now(), '1 month')$$),
  ($$SELECT * FROM ceptoar.impact(1, 'infinity', '1 hour')$$),
  ($$SELECT * FROM ceptoar.impact(1, '200000-01-01', '50000000 days')$$),
  ($$SELECT * FROM ceptoar.impact(1, now(), '1 hour', ST_MakeEnvelope(0, 0, 1, 1, 3857))$$),
  ($$SELECT * FROM ceptoar.impact(ceptoar.incident('gas.supply', now()), 1)$$),
  ($$SELECT * FROM ceptoar.impact_timeline(1, now(), '1 hour', step => '0')$$),
  ($$SELECT * FROM ceptoar.impact_timeline(1, now(), '1 hour', step => '1 microsecond')$$),
  ($$INSERT INTO ceptoar.dependency VALUES (1, 1)$$),
  ($$INSERT INTO ceptoar.dependency VALUES (2, 6, '1 month')$$),
  ($$INSERT INTO ceptoar.dependency VALUES (2, 6, '1 hour', 'sideways')$$),
  ($$SELECT ceptoar.inoperability('{1,2}'::float8[], '{1}'::float8[])$$),
  ($$SELECT ceptoar.inoperability('{{0,1},{1,0}}'::float8[], '{1,1}'::float8[])$$),
  ($$SELECT ceptoar.inoperability('{{0,0.5},{0.5,0}}'::float8[], '{1,1,1}'::float8[])$$),
  ($$SELECT ceptoar.inoperability('{{0,NULL},{0.5,0}}'::float8[], '{1,1}'::float8[])$$),
  ($$SELECT * FROM ceptoar.sector_inoperability('{gas,water}', '{1}')$$)
) AS t(stmt),
LATERAL pg_temp.try(stmt) AS e \gx

-- Privileges: impact() reads the tables as the caller
CREATE ROLE regress_impact_reader;
GRANT USAGE ON SCHEMA ceptoar TO regress_impact_reader;
SET ROLE regress_impact_reader;
SELECT e.state, e.message, e.hint FROM pg_temp.try($$SELECT * FROM ceptoar.impact(1, now(), '1 hour')$$) AS e;
RESET ROLE;
GRANT SELECT ON ceptoar.service_instance, ceptoar.dependency TO regress_impact_reader;
SET ROLE regress_impact_reader;
SELECT count(*) AS rows_as_reader FROM ceptoar.impact(1, '2024-01-15 09:00+09', '10 hours');
SELECT e.state FROM pg_temp.try($$DELETE FROM ceptoar.dependency$$) AS e;
RESET ROLE;
REVOKE ALL ON ceptoar.service_instance, ceptoar.dependency FROM regress_impact_reader;
REVOKE ALL ON SCHEMA ceptoar FROM regress_impact_reader;
DROP ROLE regress_impact_reader;

-- A graph without geometry takes the one-pass search.  Ties: 12, 13 and 14 all fail
-- at the same onset and depth (rows by id); 15 is reached at the same onset and depth
-- through 13 and 12 (via: the smaller id); 16 is reached at one onset at depths 2 and 1
-- (depth 1 wins); a mode-site dependency never passes (no sites); 17 holds out exactly
-- as long as the outage (does not pass).
TRUNCATE service_instance CASCADE;
INSERT INTO service_instance (id, service, population, operator, name) VALUES
 (11, 'electricity.supply', 1000, 'p', 'hub'), (12, 'telecom.telecommunications', 10, 't', 'a'),
 (13, 'telecom.telecommunications', 20, 't', 'b'), (14, 'water.supply', NULL, 'w', 'c'),
 (15, 'finance.bank.deposit', 30, 'b', 'd'), (16, 'rail.passenger', 40, 'r', 'e'),
 (17, 'medical.records', 50, 'h', 'f'), (18, 'logistics.freight', 60, 'l', 'g');
INSERT INTO dependency (dependent, supplier, buffer, mode) VALUES
 (14, 11, '1 hour', 'area'), (13, 11, '1 hour', 'area'), (12, 11, '1 hour', 'area'),
 (15, 13, '1 hour', 'area'), (15, 12, '1 hour', 'area'),
 (16, 12, '2 hours', 'area'), (16, 11, '3 hours', 'area'), (11, 16, '0', 'area'),
 (17, 11, '10 hours', 'area'), (18, 11, '0', 'site');
SELECT instance, service, sector, depth, onset, recovery, via, area, population
FROM impact(11, '2024-01-15 09:00+09', '10 hours');
-- Buffers of tens of thousands of years, far beyond any real one: the search keys
-- (onsets relative to the start) use their highest bits, and nothing overflows
UPDATE dependency SET buffer = buffer * 30000000 WHERE supplier <> 16;
SELECT instance, depth, onset - '2024-01-15 09:00+09' AS after, via
FROM impact(11, '2024-01-15 09:00+09', '300000000 hours', horizon => '400000000 hours');
SELECT count(*) AS within_horizon
FROM impact(11, '2024-01-15 09:00+09', '300000000 hours', horizon => '30000000 hours');

TRUNCATE service_instance CASCADE;

-- Defects of the reliability issue (each crashed the server or gave a wrong answer)
-- D2: an origin given many times is one origin, on a graph without geometry too
INSERT INTO service_instance (id, service, operator) VALUES
 (1, 'electricity.supply', 'p'), (2, 'telecom.telecommunications', 't');
INSERT INTO dependency (dependent, supplier, buffer) VALUES (2, 1, '1 hour');
SELECT instance, depth, onset, via FROM impact(array_fill(1::bigint, ARRAY[10]), '2024-01-01', '2 hours');
SELECT count(*) AS rows, count(DISTINCT instance) AS instances
FROM impact(array_fill(1::bigint, ARRAY[10000]) || array_fill(2::bigint, ARRAY[10000]), '2024-01-01', '2 hours');
-- D4: ids spanning all of bigint (the dense index's span overflowed), and impact() after
INSERT INTO service_instance (id, service, operator) VALUES
 (-9223372036854775808, 'gas.supply', 'g'), (9223372036854775807, 'water.supply', 'w'),
 (1099511627776, 'rail.passenger', 'r');
INSERT INTO dependency (dependent, supplier, buffer) VALUES
 (-9223372036854775808, 1, '0'), (9223372036854775807, -9223372036854775808, '30 min'),
 (1099511627776, 9223372036854775807, '0');
SELECT instance, depth, onset, via FROM impact(1, '2024-01-01', '2 hours');
SELECT instance, depth FROM impact(9223372036854775807, '2024-01-01', '2 hours');
SELECT e.state, e.message FROM pg_temp.try($$SELECT * FROM ceptoar.impact(-9223372036854775807, '2024-01-01', '1 hour')$$) AS e;
TRUNCATE service_instance CASCADE;
-- D8: buffers beyond 2^63-1 microseconds are refused, the largest is accepted and holds out
INSERT INTO service_instance (id, service, operator) VALUES
 (1, 'electricity.supply', 'p'), (2, 'telecom.telecommunications', 't'), (3, 'water.supply', 'w');
SELECT b, e.state, e.message
FROM (VALUES ('213503983 days'), ('106751992 days'), ('106751991 days 04:00:54.775808'),
             ('106751991 days 04:00:54.775807')) AS t(b),
LATERAL pg_temp.try(format($$INSERT INTO ceptoar.dependency VALUES (2, 1, %L)$$, b)) AS e;
SELECT instance, depth FROM impact(1, '2000-01-01', '100000000 days', horizon => '100000000 days');
-- an outage that outlasts a buffer of 100,000 days passes it, one that does not is held
INSERT INTO dependency (dependent, supplier, buffer) VALUES (3, 1, '100000 days');
SELECT instance, onset FROM impact(1, '2000-01-01', '100000 days 1 second', horizon => '100001 days');
SELECT instance, onset FROM impact(1, '2000-01-01', '100000 days', horizon => '100001 days');
-- a buffer that got past a dropped CHECK is an error of the graph, never a guess
BEGIN;
ALTER TABLE dependency DROP CONSTRAINT dependency_buffer_fixed;
INSERT INTO dependency (dependent, supplier, buffer) VALUES (2, 3, '1 month');
SELECT e.state, e.message, e.detail FROM pg_temp.try($$SELECT * FROM ceptoar.impact(1, '2000-01-01', '1 hour')$$) AS e;
ROLLBACK;
TRUNCATE service_instance CASCADE;
-- D5: an onset lowered within a round makes an instance pass on to one whose area was
-- not fetched for that round (it raised "service area of instance 4 was not loaded")
INSERT INTO service_instance (id, service, operator, area) VALUES
 (1, 'electricity.supply', 'p', NULL), (2, 'telecom.telecommunications', 't', NULL),
 (3, 'water.supply', 'w', NULL), (4, 'gas.supply', 'g', ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 4326)));
INSERT INTO dependency (dependent, supplier, buffer) VALUES
 (2, 1, '0'), (3, 1, '5 hours'), (3, 2, '1 hour'), (4, 3, '6 hours');
SELECT instance, depth, onset, recovery, via, ST_AsText(area) AS area
FROM impact(1, '2024-01-15 00:00+00', '10 hours');
TRUNCATE service_instance CASCADE;
-- days and time of opposite signs: a horizon within range however it is spelt
INSERT INTO service_instance (id, service, operator) VALUES (1, 'electricity.supply', 'p');
SELECT count(*) FROM impact(1, '2000-01-01', '1 hour', horizon => '106751992 days -24:00:00');
SELECT e.state, e.message FROM pg_temp.try($$SELECT * FROM ceptoar.impact(1, '2000-01-01', '1 hour', horizon => '106751992 days')$$) AS e;
-- a point footprint: a site in it is hit, but an area is only ever polygons
INSERT INTO service_instance (id, service, operator, area, site) VALUES
 (2, 'telecom.telecommunications', 't', ST_Multi(ST_MakeEnvelope(0, 0, 2, 2, 4326)), ST_SetSRID(ST_MakePoint(1, 1), 4326));
INSERT INTO dependency (dependent, supplier, buffer, mode) VALUES (2, 1, '0', 'site');
SELECT instance, depth, ST_AsText(area) AS area
FROM impact(1, '2024-01-15 00:00+00', '1 hour', 'SRID=4326;POINT(1 1)');
TRUNCATE service_instance CASCADE;
-- a subtransaction's change seen, then rolled back within one function: each statement
-- answers as a plain query would (the graph of the aborted change is not kept)
INSERT INTO service_instance (id, service, operator) VALUES (1, 'electricity.supply', 'p'), (2, 'water.supply', 'w');
CREATE FUNCTION pg_temp.in_and_out() RETURNS text LANGUAGE plpgsql AS $$
DECLARE a text; b text; c text;
BEGIN
  SELECT string_agg(instance::text, ',') INTO a FROM ceptoar.impact(1, '2024-01-01', '1 hour');
  BEGIN
    INSERT INTO ceptoar.dependency VALUES (2, 1, '0');
    SELECT string_agg(instance::text, ',') INTO b FROM ceptoar.impact(1, '2024-01-01', '1 hour');
    RAISE EXCEPTION 'undo';
  EXCEPTION WHEN raise_exception THEN NULL;
  END;
  SELECT string_agg(instance::text, ',') INTO c FROM ceptoar.impact(1, '2024-01-01', '1 hour');
  RETURN a || ' / ' || b || ' / ' || c;
END $$;
SELECT pg_temp.in_and_out() AS before_inside_after;
TRUNCATE service_instance CASCADE;
DELETE FROM operator WHERE code IN ('power-co', 'tel-co', 'bank', 'water-co', 'hospital', 'rail-co', 'p', 't', 'w', 'g', 'b', 'r', 'h', 'l');
