-- incident.sql: type ceptoar.incident: literals, round trips, time zone independence,
-- accessors, the constructor, comparison, and every error.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'UTC';

\i sql/try.psql

-- Valid literals: every field named, order free, defaults for the rest, unknown kept unknown
SELECT input::incident
FROM (VALUES
  ('service=electricity.supply, began=2024-01-15 09:00:00+09, lasted=3 h 10 min, lost_kw=120000, cause=failure'),
  ('began=2024-01-15T00:00:00Z, service=gas.supply, households=30'),
  ('SERVICE = Gas.Supply , Began = 2024-01-15 09:00 , Households = 29 , Effect = Degradation'),
  ('service=telecom.telecommunications.voice, began=2024-04-01, lasted=ongoing, users=1_000_000'),
  ('service=water.supply, began=2024-01-15 09:00:00.250+09:00, lasted=90 s, flags={water_quality}'),
  ('service=rail.passenger, began=2024-01-15 09:00-05, cancelled=0, cause=cascade, effect=delay'),
  ('service=logistics.freight, began=2024-01-15 09:00, flags={ cargo_lost , records_impaired }, lasted=1.5 h'),
  ('service=aviation.scheduled_flights, began=2024-01-15 09:00, users=unknown, cancelled=unknown, lasted=unknown, flags={}')
) AS t(input);

-- Round trip: output parses back to an equal value with the same text
SELECT bool_and(i::text::incident = i AND i::text::incident::text = i::text) AS round_trip
FROM (SELECT input::incident AS i FROM (VALUES
  ('service=electricity.supply, began=2024-01-15 09:00:00.123456+09, lasted=2 d 3 h 4 min 5.000006 s, lost_kw=1'),
  ('service=gas.supply, began=1999-12-31 23:59:59+09, households=0, effect=loss, cause=attack'),
  ('service=finance.bank.deposit, began=2024-02-29 12:00+09, lasted=ongoing, users=9223372036854775807')) AS t(input)) s;

-- The text form does not depend on TimeZone or DateStyle
CREATE TEMP TABLE tz_out (tz text, style text, txt text);
DO $$
DECLARE tz text; st text;
BEGIN
  FOREACH tz IN ARRAY ARRAY['UTC', 'Asia/Tokyo', 'America/New_York', 'Pacific/Chatham'] LOOP
    FOREACH st IN ARRAY ARRAY['ISO, YMD', 'SQL, DMY', 'Postgres, MDY', 'German'] LOOP
      PERFORM set_config('TimeZone', tz, true);
      PERFORM set_config('DateStyle', st, true);
      INSERT INTO tz_out VALUES (tz, st,
        ('service=gas.supply, began=2024-07-01 00:30:00+09, households=31')::incident::text);
      INSERT INTO tz_out VALUES (tz, st,
        incident('gas.supply', '2024-06-30 15:30:00+00', households => 31)::text);
    END LOOP;
  END LOOP;
END $$;
SELECT count(*) AS sessions, count(DISTINCT txt) AS distinct_texts, min(txt) AS text FROM tz_out;

-- Accessors; unknown stays NULL, never zero
SELECT service(i), sector(i), began(i), lasted(i), ended(i), ongoing(i), effect(i), cause(i),
       users(i), households(i), lost_kw(i), cancelled(i), flags(i), user_hours(i)
FROM (VALUES ('service=telecom.telecommunications, began=2024-01-15 09:00+09, lasted=3 h 30 min, users=45000'::incident),
             ('service=electricity.supply, began=2024-01-15 09:00+09, lost_kw=0, households=10'),
             ('service=water.supply, began=2024-01-15 09:00+09, lasted=ongoing, flags={water_quality}')) AS t(i);

-- The constructor with named arguments
SELECT incident('electricity.supply', '2024-01-15 00:00+00', '10 min', lost_kw => 100000);
SELECT incident('telecom.telecommunications.voice', '2024-01-15 00:00+00', '1 day 2 hours',
                effect => 'degradation', cause => 'attack', users => 30000,
                flags => '{rights_impaired}');
SELECT incident(NULL, now()) IS NULL AS null_service, incident('gas', NULL) IS NULL AS null_began;
SELECT incident('gas.supply', '2024-01-15 00:00+00') = 'service=gas.supply, began=2024-01-15 09:00'::incident AS same;

-- Equality, order by began then the rest, hashing
CREATE TEMP TABLE incs AS
SELECT incident('gas.supply', '2024-01-01 00:00+00'::timestamptz + (n % 5) * interval '1 hour',
                households => CASE WHEN n % 3 = 0 THEN NULL ELSE n % 2 END) AS i
FROM generate_series(1, 60) AS n;
SELECT began(i), households(i), count(*) FROM incs GROUP BY i ORDER BY i;
CREATE INDEX ON incs USING btree (i);
CREATE INDEX ON incs USING hash (i);
SET enable_seqscan = off;
SELECT count(*) FROM incs WHERE i = incident('gas.supply', '2024-01-01 01:00+00', households => 1);
RESET enable_seqscan;
SELECT count(DISTINCT i) AS distinct_incidents FROM incs;
SELECT 'service=gas.supply, began=2024-01-01 00:00+00, households=0'::incident
     < 'service=gas.supply, began=2024-01-01 00:00+00, households=1'::incident AS zero_before_one,
       'service=gas.supply, began=2024-01-01 00:00+00'::incident
     < 'service=gas.supply, began=2024-01-01 00:00+00, households=0'::incident AS unknown_before_zero,
       'service=gas.supply, began=2024-01-01 00:00+00'::incident
    <> 'service=gas.supply, began=2024-01-01 00:00+00, households=0'::incident AS unknown_is_not_zero;

-- Bad literals: each names the field and says what is valid
SELECT input, e.*
FROM (VALUES
  ('service=gas.supply'),
  ('began=2024-01-15 09:00'),
  ('service=gas.supply, began=2024-01-15 09:00, colour=red'),
  ('service=gas.supply, began=2024-01-15 09:00, effect=halt'),
  ('service=gas.supply, began=2024-01-15 09:00, cause=gremlins'),
  ('service=gas.supply, began=2024-01-15 09:00, households=-1'),
  ('service=gas.supply, began=2024-01-15 09:00, households=many'),
  ('service=gas.supply, began=2024-01-15 09:00, households=99999999999999999999'),
  ('service=gas.supply, began=2024-01-15 09:00, lost_kw=5'),
  ('service=finance.bank.deposit, began=2024-01-15 09:00, cancelled=1'),
  ('service=gas.supply, began=2024-01-15 09:00, lasted=3 weeks'),
  ('service=gas.supply, began=2024-01-15 09:00, lasted=-2 h'),
  ('service=gas.supply, began=15/01/2024'),
  ('service=gas.supply, began=2024-02-30 09:00'),
  ('service=gas.supply, began=2024-01-15 25:00'),
  ('service=gas.supply, began=infinity'),
  ('service=gas.supply, began=2024-01-15 09:00, flags={water_quality,sparks}'),
  ('service=gas.supply, began=2024-01-15 09:00, flags=water_quality'),
  ('service=gas.supply, began=2024-01-15 09:00, service=water.supply'),
  ('service=gass.supply, began=2024-01-15 09:00'),
  ('service gas.supply'),
  ('service=, began=2024-01-15 09:00'),
  ('')
) AS t(input),
LATERAL pg_temp.try(format('SELECT %L::ceptoar.incident', input)) AS e \gx

-- Bad constructor arguments
SELECT stmt, e.*
FROM (VALUES
  ($$SELECT incident('gas.supply', now(), '1 month')$$),
  ($$SELECT incident('gas.supply', now(), '-1 hour')$$),
  ($$SELECT incident('gas.supply', now(), effect => 'boom')$$),
  ($$SELECT incident('gas.supply', now(), cause => 'aliens')$$),
  ($$SELECT incident('gas.supply', now(), users => -3)$$),
  ($$SELECT incident('gas.supply', now(), lost_kw => 3)$$),
  ($$SELECT incident('gas.supply', now(), flags => '{smoke}')$$),
  ($$SELECT incident('gas.supply', now(), flags => '{NULL}')$$),
  ($$SELECT incident('gas.supply', 'infinity')$$)
) AS t(stmt),
LATERAL pg_temp.try(stmt) AS e \gx
-- lasted as a duration: days and time added exactly (of opposite signs they may meet within
-- range though either alone is out of it), at most 2^63 - 1 microseconds
SELECT iv, lasted(incident('gas.supply', '2024-01-15 09:00+09', iv))
FROM (VALUES (interval '106751991 days 04:00:54.775807'), (interval '106751992 days -24 hours'),
             (interval '1 day -24 hours')) AS t(iv);
SELECT stmt, e.state, e.message, e.detail
FROM (VALUES ($$SELECT incident('gas.supply', now(), '106751991 days 04:00:54.775808')$$),
             ($$SELECT incident('gas.supply', now(), '1 day -25 hours')$$),
             ($$SELECT incident('gas.supply', now(), '1 year 1 day')$$)) AS t(stmt),
LATERAL pg_temp.try(stmt) AS e;

-- Binary round trip through COPY (FORMAT binary), and a damaged value
CREATE TEMP TABLE inc_src AS
SELECT input::incident AS i FROM (VALUES
  ('service=electricity.supply, began=2024-01-15 09:00:00.123456+09, lasted=3 h 10 min, lost_kw=120000, cause=failure'),
  ('service=gas.supply, began=1999-12-31 23:59:59+09, households=0, effect=loss, cause=attack'),
  ('service=water.supply, began=2024-01-15, lasted=ongoing, flags={water_quality,records_impaired}'),
  ('service=finance.bank.deposit, began=2024-02-29 12:00+09, users=9223372036854775807')) AS t(input);
CREATE TEMP TABLE inc_dst (i incident);
\copy inc_src TO 'results/incident.bin' WITH (FORMAT binary)
\copy inc_dst FROM 'results/incident.bin' WITH (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE d.i IN (SELECT i FROM inc_src)) AS equal FROM inc_dst d;
SELECT length(incident_send(i)) AS bytes, substr(incident_send(i), 1, 5) AS header
FROM inc_src LIMIT 1;
\i sql/copyfile.psql
-- version 2, a value for an unknown measure, too short: each rejected
SELECT lo_from_bytea(0, pg_temp.copyfile('\x02'::bytea || substr(incident_send(i), 2))) AS lo FROM inc_src LIMIT 1 \gset
\lo_export :lo 'results/incident_v2.bin'
\copy inc_dst FROM 'results/incident_v2.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
SELECT lo_from_bytea(0, pg_temp.copyfile(overlay(incident_send(i) placing '\x00'::bytea from 4 for 1))) AS lo
FROM inc_src WHERE lost_kw(i) IS NOT NULL \gset
\lo_export :lo 'results/incident_unknown.bin'
\copy inc_dst FROM 'results/incident_unknown.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
SELECT lo_from_bytea(0, pg_temp.copyfile('\x0100'::bytea)) AS lo \gset
\lo_export :lo 'results/incident_short.bin'
\copy inc_dst FROM 'results/incident_short.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
SELECT count(*) AS rows_after_failures FROM inc_dst;

-- began's range: years 1 to 9999 in Japan time, on every path, so that every incident's
-- text reads back (9999-12-31 23:00Z would print as 10000-01-01 and be lost by pg_dump)
SELECT input, e.state, e.message
FROM (VALUES ('service=gas.supply, began=9999-12-31 14:59:59.999999Z'),
             ('service=gas.supply, began=9999-12-31 15:00Z'),
             ('service=gas.supply, began=9999-12-31 23:00Z'),
             ('service=gas.supply, began=0001-01-01 00:00+09'),
             ('service=gas.supply, began=0001-01-01 00:00+10')) AS t(input),
LATERAL pg_temp.try(format('SELECT %L::ceptoar.incident', input)) AS e;
SELECT i, i::text::incident = i AS reads_back
FROM (VALUES ('service=gas.supply, began=9999-12-31 14:59:59.999999Z'::incident),
             ('service=gas.supply, began=0001-01-01 00:00+09'::incident)) AS t(i);
SELECT stmt, e.state, e.message, e.detail
FROM (VALUES ($$SELECT incident('gas.supply', '10000-01-01 00:00+00')$$),
             ($$SELECT incident('gas.supply', '0044-03-15 12:00+00 BC')$$),
             ($$SELECT incident('gas.supply', '0001-01-01 00:00+09')$$)) AS t(stmt),
LATERAL pg_temp.try(stmt) AS e;
-- binary input: a valid value with began moved past the end
SELECT lo_from_bytea(0, pg_temp.copyfile(overlay(incident_send(i) placing
         int8send(((extract(epoch FROM '9999-12-31 15:00+00'::timestamptz) - 946684800) * 1000000)::bigint)
         from 6 for 8))) AS lo
FROM inc_src WHERE lost_kw(i) IS NOT NULL \gset
\lo_export :lo 'results/incident_year10000.bin'
\copy inc_dst FROM 'results/incident_year10000.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
-- binary input: a negative duration, refused as the constructor refuses it
SELECT lo_from_bytea(0, pg_temp.copyfile(overlay(incident_send(i) placing int8send(-1)
         from 14 for 8))) AS lo
FROM inc_src WHERE lost_kw(i) IS NOT NULL \gset
\lo_export :lo 'results/incident_negative.bin'
\copy inc_dst FROM 'results/incident_negative.bin' WITH (FORMAT binary)
SELECT lo_unlink(:lo);
SELECT count(*) AS rows_after_range_failure FROM inc_dst;
