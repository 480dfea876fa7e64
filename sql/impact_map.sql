-- impact_map.sql: impact() drawn as an SVG document (360_map.sql): well-formed XML, the
-- title, one legend entry per onset bin present, one path per affected area, the credit
-- line, the y axis turned down, escaped text, the three forms agreeing, and errors.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

\i sql/try.psql

BEGIN;
INSERT INTO operator (code, name, sector) VALUES
 ('map-power', 'Power', 'electricity'), ('map-tel', 'Tel', 'telecom'), ('map-water', 'Water', 'water'),
 ('map-hospital', 'Hospital', 'medical'), ('map-bank', 'Bank', 'finance');
-- power over a 1 x 1 degree square near Tokyo; telecom over its eastern half and beyond
-- (out where power is, from +3 h); water in the north of power's area (+12 h); a bank far
-- south (+24 h, its data centre at the power square); a hospital not located (+2 h, drawn over
-- power's area, what hit it); a name with every character XML must escape and a control
-- character XML 1.0 forbids.
INSERT INTO service_instance (id, service, population, operator, name, area, site) VALUES
 (9101, 'electricity.supply', 1000, 'map-power', 'Power <&> "East" ''A''' || chr(1),
        ST_Multi(ST_MakeEnvelope(139, 35, 140, 36, 4326)), NULL),
 (9102, 'telecom.telecommunications', 500, 'map-tel', 'telecom',
        ST_Multi(ST_MakeEnvelope(139.5, 35, 140.5, 36, 4326)), NULL),
 (9103, 'water.supply', 100, 'map-water', 'water north', ST_Multi(ST_MakeEnvelope(139, 35.8, 140, 36, 4326)), NULL),
 (9104, 'medical.records', 50, 'map-hospital', 'hospital', NULL, NULL),
 (9105, 'finance.bank.deposit', 800, 'map-bank', 'bank south',
        ST_Multi(ST_MakeEnvelope(139, 33, 140, 33.5, 4326)), ST_SetSRID(ST_MakePoint(139.2, 35.5), 4326)),
 (9106, 'electricity.supply', 10, 'map-power', 'island power', NULL, NULL);
INSERT INTO dependency (dependent, supplier, buffer, mode) VALUES
 (9102, 9101, '3 hours', 'area'), (9103, 9101, '12 hours', 'area'), (9104, 9101, '2 hours', 'area'),
 (9105, 9101, '24 hours', 'site');

CREATE TEMP TABLE m AS
SELECT impact_map(9101, '2024-01-15 09:00+09', '30 hours',
                  background => ARRAY[ST_MakeEnvelope(138, 32, 141, 37, 4326), NULL,
                                      ST_GeomFromText('POLYGON EMPTY', 4326),
                                      ST_Multi(ST_MakeEnvelope(141.2, 36, 141.5, 37, 4326))]) AS svg;
CREATE TEMP TABLE x AS SELECT xmlparse(document svg) AS doc FROM m;   -- fails unless well-formed
CREATE FUNCTION pg_temp.q(path text) RETURNS text[] LANGUAGE sql AS $$
  SELECT xpath(path, doc, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] FROM pg_temp.x $$;

-- the root, its size and viewBox, the title (as <title> and as drawn text)
SELECT pg_temp.q('name(/*)') AS root, pg_temp.q('/s:svg/@viewBox') AS viewbox, pg_temp.q('/s:svg/@width') AS width;
SELECT pg_temp.q('string(/s:svg/s:title)') AS title, pg_temp.q('string(//s:text[@class="title"])') = pg_temp.q('string(/s:svg/s:title)') AS drawn_too;
-- one path per affected area: the instances impact() finds located, no more, no less
SELECT pg_temp.q('//s:g[@class="affected"]/s:path/@data-instance') AS drawn_instances,
       (SELECT array_agg(instance::text ORDER BY onset DESC, instance DESC)
          FROM impact(9101, '2024-01-15 09:00+09', '30 hours') WHERE area IS NOT NULL) AS located_latest_first;
SELECT pg_temp.q('//s:g[@class="affected"]/s:path/@data-onset-hours') AS onset_hours,
       pg_temp.q('//s:g[@class="affected"]/s:path/@fill') AS fills;
-- the tooltips (xpath() returns text nodes escaped again), without the control character
SELECT t FROM unnest(pg_temp.q('//s:g[@class="affected"]/s:path/s:title/text()')) t ORDER BY t;
SELECT position('Power &lt;&amp;&gt; &quot;East&quot; &apos;A&apos; (' IN svg) > 0 AS escaped,
       position(chr(1) IN svg) = 0 AS no_control_character FROM m;
-- the legend: one entry per onset bin present (+0, +2, +3, +12 and +24 h), in order, with
-- the colour of the areas of that bin
SELECT pg_temp.q('//s:g[@class="legend-bin"]/s:text/text()') AS legend,
       pg_temp.q('//s:g[@class="legend-bin"]/s:rect/@fill') AS legend_fills;
SELECT pg_temp.q('string(//s:text[@class="summary"])') AS summary;
-- the credit line, exactly MLIT's
SELECT pg_temp.q('string(//s:text[@class="credit"])') AS credit;
SELECT pg_temp.q('string(//s:text[@class="credit"])') = ARRAY['出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとに'
         || 'スマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用'] AS mlit_credit;
-- the background: one path per element in the frame (the NULL and the empty one skipped,
-- the one east of the frame clipped away)
SELECT pg_temp.q('//s:g[@class="background"]/s:path/@d') AS background;

-- Pixel coordinates: every affected vertex inside the 720-pixel frame at (20, 52); north up
-- (the water in the north above power's square, the bank in the south below it).
CREATE TEMP TABLE v AS
SELECT p.inst, (regexp_matches(p.d, '(-?[0-9.]+) (-?[0-9.]+)', 'g'))[1]::float8 AS px,
       (regexp_matches(p.d, '(-?[0-9.]+) (-?[0-9.]+)', 'g'))[2]::float8 AS py
FROM (SELECT unnest(pg_temp.q('//s:g[@class="affected"]/s:path/@data-instance')) AS inst,
             unnest(pg_temp.q('//s:g[@class="affected"]/s:path/@d')) AS d) p;
SELECT min(px) >= 20 AND max(px) <= 740 AND min(py) >= 52 AND max(py) <= 772 AS inside_frame,
       count(*) AS vertices FROM v;
SELECT (SELECT max(py) FROM v WHERE inst = '9103') < (SELECT min(py) FROM v WHERE inst = '9105') AS north_is_up,
       (SELECT max(py) FROM v WHERE inst = '9103') <= (SELECT max(py) FROM v WHERE inst = '9101') AS water_in_power_square,
       (SELECT min(px) FROM v WHERE inst = '9102') > (SELECT min(px) FROM v WHERE inst = '9101') AS telecom_east;

-- The three forms agree: one origin, an array of one, an incident at the origin
SELECT impact_map(9101, '2024-01-15 09:00+09', '30 hours') = impact_map(ARRAY[9101]::bigint[], '2024-01-15 09:00+09', '30 hours') AS array_form,
       impact_map(9101, '2024-01-15 09:00+09', '30 hours')
         = impact_map('service=electricity.supply, began=2024-01-15 09:00+09, lasted=30 h'::incident, 9101) AS incident_form;
-- an incident without a duration lasts the horizon: the same as 7 days
SELECT impact_map('service=electricity.supply, began=2024-01-15 09:00+09'::incident, 9101)
       = impact_map(9101, '2024-01-15 09:00+09', '7 days') AS lasts_the_horizon;
-- A title and credit of one's own (escaped); '' for no credit; a footprint; a compound failure
SELECT xpath('string(/s:svg/s:title)', xmlparse(document impact_map(9101, '2024-01-15 09:00+09', '1 hour',
               title => '<script>alert("x")</script> & co', credit => '')),
             ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] AS own_title,
       xpath('string(//s:text[@class="credit"])', xmlparse(document impact_map(9101, '2024-01-15 09:00+09', '1 hour', credit => '')),
             ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] AS no_credit;
SELECT xpath('//s:g[@class="affected"]/s:path/@data-instance', xmlparse(document impact_map(9101, '2024-01-15 09:00+09', '1 hour',
               footprint => ST_MakeEnvelope(139, 35, 139.4, 36, 4326))),
             ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] AS footprint_west,
       xpath('string(/s:svg/s:title)', xmlparse(document impact_map(ARRAY[9101, 9106]::bigint[], '2024-01-15 09:00+09', '1 hour')),
             ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] AS compound_title;
-- Nothing located is hit: no affected path, the legend says so, still well-formed
SELECT xpath('count(//s:g[@class="affected"]/s:path)', d, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] AS paths,
       xpath('string(//s:text[@class="legend-none"])', d, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] AS legend,
       xpath('string(//s:text[@class="summary"])', d, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])::text[] AS summary
FROM (SELECT xmlparse(document impact_map(9106, '2024-01-15 09:00+09', '1 hour')) AS d) z;

-- Errors, with their SQLSTATE
SELECT * FROM pg_temp.try($$SELECT ceptoar.impact_map(9101, '2024-01-15 09:00+09', '1 hour',
  background => ARRAY[ST_MakeEnvelope(0, 0, 1, 1, 4326), ST_MakeEnvelope(0, 0, 1, 1)])$$);
SELECT * FROM pg_temp.try($$SELECT ceptoar.impact_map(9101, '2024-01-15 09:00+09', '1 hour',
  background => ARRAY[ST_Transform(ST_MakeEnvelope(139, 35, 140, 36, 4326), 3857)])$$);
SELECT * FROM pg_temp.try($$SELECT ceptoar.impact_map(9101, '2024-01-15 09:00+09', '1 hour',
  background => ARRAY[ST_GeomFromText('LINESTRING(139 35, 140 36)', 4326)])$$);
SELECT * FROM pg_temp.try($$SELECT ceptoar.impact_map(9199, '2024-01-15 09:00+09', '1 hour')$$);
SELECT * FROM pg_temp.try($$SELECT ceptoar.impact_map(9101, NULL, '1 hour')$$);
SELECT * FROM pg_temp.try($$SELECT ceptoar.impact_map(9101, '2024-01-15 09:00+09', '1 hour', ST_MakeEnvelope(139, 35, 140, 36))$$);
SELECT * FROM pg_temp.try($$SELECT ceptoar.impact_map('service=gas.supply, began=2024-01-15 09:00+09'::ceptoar.incident, 9101)$$);
ROLLBACK;
