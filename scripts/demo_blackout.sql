-- scripts/demo_blackout.sql: the 2009 cross-sector exercise theme, a wide-area blackout
-- (広域停電), on Japan's real prefecture boundaries.  Included by demo.sql (\ir) inside its
-- \if :have_data block, after demo.prefecture is loaded; expects search_path to hold ceptoar.
--
-- Real: the prefecture boundaries, the ten regional power utilities (一般電気事業者) and
-- which prefectures each serves, the prefecture populations (approximate), the railway
-- operators' names.  Illustrative: every other service instance and every dependency
-- (source 'illustrative (demo)'); the buffers are those of the shipped sector matrix
-- (ceptoar.sector_dependency), so the instance-level result can be set against it.
--
-- "population" is the residents of the area an instance serves (a proxy for its users);
-- impact() prorates it by the share of the area that is hit.  A person therefore counts once
-- per service: the per-sector totals below add up services, not distinct people.

\echo
\echo '== 10. A wide-area blackout (広域停電), the theme of the 2009 cross-sector exercise'

-- Approximate resident populations of the 2020 census (令和2年国勢調査), by JIS X 0401 code.
-- Rounded from memory of the published figures: good to a few thousand, not authoritative.
CREATE TABLE demo.prefecture_population (
  code integer PRIMARY KEY REFERENCES demo.prefecture,
  population bigint NOT NULL);
COMMENT ON TABLE demo.prefecture_population IS 'approximate 2020 census population (demo only)';
INSERT INTO demo.prefecture_population VALUES
  ( 1, 5224614), ( 2, 1237984), ( 3, 1210534), ( 4, 2301996), ( 5,  959502), ( 6, 1068027),
  ( 7, 1833152), ( 8, 2867009), ( 9, 1933146), (10, 1939110), (11, 7344765), (12, 6284480),
  (13, 14047594), (14, 9237337), (15, 2201272), (16, 1034814), (17, 1132526), (18,  766863),
  (19,  809974), (20, 2048011), (21, 1978742), (22, 3633202), (23, 7542415), (24, 1770254),
  (25, 1413610), (26, 2578087), (27, 8837685), (28, 5465002), (29, 1324473), (30,  922584),
  (31,  553407), (32,  671126), (33, 1888432), (34, 2799702), (35, 1342059), (36,  719559),
  (37,  950244), (38, 1334841), (39,  691527), (40, 5135214), (41,  811442), (42, 1312317),
  (43, 1738301), (44, 1123852), (45, 1069576), (46, 1588256), (47, 1467480);

-- The ten utilities' service areas (供給区域), in whole prefectures.  The real boundaries do not
-- follow prefecture lines everywhere; here every prefecture goes whole to the utility serving
-- most of it:
--   * Shizuoka (22) goes to Chubu, though its east (east of the Fuji river, and the Izu
--     peninsula) is TEPCO's: the Fuji river is also the 50/60 Hz frequency boundary;
--   * Fukui (18) goes to Hokuriku, though most of its south-west (嶺南) is Kansai's;
--   * Mie (24) goes to Chubu, though its southern tip (熊野市 to 紀宝町) is Kansai's;
--   * Gifu (21) goes to Chubu, though some districts in the north (飛騨) are Hokuriku's;
--   * Hyogo (28) goes to Kansai, though part of 赤穂市 is Chugoku's; a few islands of the
--     Seto Inland Sea are likewise served across prefecture lines.
-- (Hokkaido's area includes the Northern Territories, as the boundary data does.)
-- "Region" below means one utility's area so approximated: 東北 includes Niigata, 関東
-- includes Yamanashi, 中部 includes Shizuoka and Mie.
CREATE TABLE demo.power_area (
  region text PRIMARY KEY,
  ordinal integer NOT NULL UNIQUE,
  label_ja text NOT NULL,
  utility_ja text NOT NULL,
  utility_en text NOT NULL,
  prefectures integer[] NOT NULL);
INSERT INTO demo.power_area VALUES
  ('hokkaido',  1, '北海道', '北海道電力', 'Hokkaido Electric Power', '{1}'),
  ('tohoku',    2, '東北',   '東北電力',   'Tohoku Electric Power',   '{2,3,4,5,6,7,15}'),
  ('tokyo',     3, '関東',   '東京電力',   'Tokyo Electric Power',    '{8,9,10,11,12,13,14,19}'),
  ('chubu',     4, '中部',   '中部電力',   'Chubu Electric Power',    '{20,21,22,23,24}'),
  ('hokuriku',  5, '北陸',   '北陸電力',   'Hokuriku Electric Power', '{16,17,18}'),
  ('kansai',    6, '関西',   '関西電力',   'Kansai Electric Power',   '{25,26,27,28,29,30}'),
  ('chugoku',   7, '中国',   '中国電力',   'Chugoku Electric Power',  '{31,32,33,34,35}'),
  ('shikoku',   8, '四国',   '四国電力',   'Shikoku Electric Power',  '{36,37,38,39}'),
  ('kyushu',    9, '九州',   '九州電力',   'Kyushu Electric Power',   '{40,41,42,43,44,45,46}'),
  ('okinawa',  10, '沖縄',   '沖縄電力',   'Okinawa Electric Power',  '{47}');

-- Every service instance of the scenario, with a key to wire the dependencies by.  The ids
-- are drawn from service_instance's own sequence, so they are the instances' ids.
CREATE TABLE demo.blackout_instance (
  key text PRIMARY KEY,
  id bigint NOT NULL UNIQUE
     DEFAULT nextval(pg_get_serial_sequence('ceptoar.service_instance', 'id')::regclass),
  kind text NOT NULL,                  -- electricity, telecom, water, rail, bank, medical
  service ceptoar.service NOT NULL,
  operator text NOT NULL,
  name text NOT NULL,
  prefectures integer[] NOT NULL,      -- the area served, in whole prefectures
  site geometry(Point, 4326));         -- the facility, for dependencies of mode site

INSERT INTO demo.blackout_instance (key, kind, service, operator, name, prefectures, site)
SELECT key, kind, service, operator, name, prefectures, site
FROM (
  -- the ten utilities (real)
  SELECT 1 AS grp, ordinal AS ord, 'electricity/' || region AS key, 'electricity' AS kind,
         'electricity.supply'::ceptoar.service AS service, utility_ja AS operator,
         utility_ja || '（' || utility_en || '）' AS name, prefectures, NULL::geometry AS site
  FROM demo.power_area
  -- telecommunications, per region (illustrative)
  UNION ALL
  SELECT 2, ordinal, 'telecom/' || region, 'telecom', 'telecom.telecommunications',
         '電気通信事業者（例示）', '電気通信・' || label_ja || '（例示）', prefectures, NULL
  FROM demo.power_area
  -- water, per prefecture: the prefecture's water utilities taken together (illustrative)
  UNION ALL
  SELECT 3, p.code, 'water/' || p.code, 'water', 'water.supply',
         p.name_ja || 'の水道事業者（例示）', '水道・' || p.name_ja || '（例示）', ARRAY[p.code], NULL
  FROM demo.prefecture p
  -- a few big railway networks (real operators, approximate areas, illustrative dependencies)
  UNION ALL
  SELECT 4, ord::integer, key, 'rail', 'rail.passenger', operator, name, prefectures::integer[], NULL
  FROM (VALUES
    (1, 'rail/jr-east-kanto',  'JR東日本', 'JR東日本・首都圏（例示）',     '{8,9,10,11,12,13,14,19}'),
    (2, 'rail/jr-east-tohoku', 'JR東日本', 'JR東日本・東北と信越（例示）', '{2,3,4,5,6,7,15,20}'),
    (3, 'rail/jr-central',     'JR東海',   'JR東海・在来線（例示）',       '{21,22,23,24}'),
    (4, 'rail/jr-west',        'JR西日本', 'JR西日本・北陸と近畿と中国（例示）',
        '{16,17,18,25,26,27,28,29,30,31,32,33,34,35}'),
    (5, 'rail/kanto-private',  '首都圏の私鉄・地下鉄各社', '首都圏の私鉄・地下鉄（例示）', '{11,12,13,14}'),
    (6, 'rail/kansai-private', '関西の私鉄各社',           '関西の私鉄（例示）',           '{26,27,28,29}'))
    AS r(ord, key, operator, name, prefectures)
  -- a national bank's deposits, per region, all run from one data centre in western Tokyo
  -- (an illustrative point in 多摩市)
  UNION ALL
  SELECT 5, ordinal, 'bank/' || region, 'bank', 'finance.bank.deposit',
         'A銀行（全国銀行・例示）', 'A銀行 預金・' || label_ja || '（例示）', prefectures,
         ST_SetSRID(ST_MakePoint(139.45, 35.65), 4326)
  FROM demo.power_area
  -- medical records at hospitals, per region (illustrative)
  UNION ALL
  SELECT 6, ordinal, 'medical/' || region, 'medical', 'medical.records',
         label_ja || 'の病院（例示）', '診療録・' || label_ja || 'の病院（例示）', prefectures, NULL
  FROM demo.power_area) u
ORDER BY grp, ord;           -- the ids follow this order

-- The operators of the demo's instances (ceptoar.operator), with stable ASCII codes, registered
-- before their instances: an instance's operator is an operator's code.
ALTER TABLE demo.blackout_instance ADD COLUMN operator_code text;
UPDATE demo.blackout_instance b SET operator_code = CASE b.kind
    WHEN 'electricity' THEN 'power.' || split_part(b.key, '/', 2)
    WHEN 'telecom' THEN 'telecom.carrier'
    WHEN 'water' THEN 'water.' || lpad(split_part(b.key, '/', 2), 2, '0')   -- JIS X 0401 code
    WHEN 'rail' THEN 'rail.' || replace(replace(split_part(b.key, '/', 2), '-kanto', ''), '-tohoku', '')
    WHEN 'bank' THEN 'bank.a'
    WHEN 'medical' THEN 'hospitals.' || split_part(b.key, '/', 2) END;
ALTER TABLE demo.blackout_instance ALTER COLUMN operator_code SET NOT NULL;

INSERT INTO ceptoar.operator (code, name, name_ja, sector, ceptoar)
SELECT DISTINCT ON (b.operator_code) b.operator_code,
       CASE b.kind
         WHEN 'electricity' THEN pa.utility_en
         WHEN 'telecom' THEN 'a telecommunications carrier (illustrative)'
         WHEN 'water' THEN 'water utilities of prefecture ' || split_part(b.key, '/', 2) || ' (illustrative)'
         WHEN 'rail' THEN CASE b.operator_code
                            WHEN 'rail.jr-east' THEN 'East Japan Railway'
                            WHEN 'rail.jr-central' THEN 'Central Japan Railway'
                            WHEN 'rail.jr-west' THEN 'West Japan Railway'
                            WHEN 'rail.kanto-private' THEN 'private railways and subways of the Tokyo area'
                            ELSE 'private railways of the Kansai area' END
         WHEN 'bank' THEN 'Bank A, a national bank (illustrative)'
         ELSE 'hospitals of the ' || initcap(split_part(b.key, '/', 2)) || ' area (illustrative)' END,
       b.operator, ceptoar.sector(b.service),
       c.code
FROM demo.blackout_instance b
LEFT JOIN demo.power_area pa ON b.key = 'electricity/' || pa.region
JOIN (VALUES ('electricity', 'electricity'), ('telecom', 'telecommunications'), ('water', 'water'),
             ('rail', 'rail'), ('bank', 'finance'), ('medical', 'medical')) AS k(kind, ceptoar)
  ON k.kind = b.kind
JOIN (SELECT DISTINCT code, sector FROM ceptoar.ceptoars) c ON c.code = k.ceptoar AND c.sector = ceptoar.sector(b.service)
ORDER BY b.operator_code, b.id;

INSERT INTO ceptoar.service_instance (id, service, population, operator, name, area, site)
SELECT b.id, b.service,
       (SELECT sum(pp.population)::bigint FROM demo.prefecture_population pp
         WHERE pp.code = ANY (b.prefectures)),
       b.operator_code, b.name,
       (SELECT ST_Multi(ST_Union(p.geom)) FROM demo.prefecture p WHERE p.code = ANY (b.prefectures)),
       b.site
FROM demo.blackout_instance b
ORDER BY b.id;

-- Who depends on whom.  An area dependency links a dependent to each supplier of the same kind
-- that serves one of its prefectures; a site dependency links it to the supplier whose area
-- holds its site.  Buffers as in the shipped sector matrix.
INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode, source)
SELECT d.id, s.id, r.buffer::interval, r.mode, 'illustrative (demo)'
FROM (VALUES
  ('telecom',     'electricity', '3 hours',  'area'),  -- batteries at exchanges and base stations
  ('electricity', 'telecom',     '2 hours',  'area'),  -- grid control communications (a cycle)
  ('water',       'electricity', '12 hours', 'area'),  -- pumps; reservoirs and elevated tanks hold out
  ('water',       'telecom',     '6 hours',  'area'),  -- remote monitoring and control (SCADA)
  ('rail',        'electricity', '0',        'area'),  -- traction power
  ('rail',        'telecom',     '1 hour',   'area'),  -- operations and signalling communications
  ('bank',        'electricity', '24 hours', 'site'),  -- the data centre's generator fuel
  ('bank',        'telecom',     '0',        'area'),  -- branches and ATMs are online
  ('medical',     'electricity', '72 hours', 'area'),  -- hospital generators
  ('medical',     'telecom',     '6 hours',  'area'),  -- networked electronic records
  ('medical',     'water',       '24 hours', 'area')   -- water tanks
  ) AS r(dependent_kind, supplier_kind, buffer, mode)
JOIN demo.blackout_instance d ON d.kind = r.dependent_kind
JOIN demo.blackout_instance s ON s.kind = r.supplier_kind
JOIN ceptoar.service_instance si ON si.id = s.id
WHERE CASE r.mode WHEN 'area' THEN d.prefectures && s.prefectures
                  ELSE ST_Intersects(d.site, si.area) END;

\echo 'The ten utilities'' areas in whole prefectures (Shizuoka, Fukui, Mie, Gifu and Hyogo approximated),'
\echo 'with approximate 2020 census populations:'
SELECT pa.utility_ja AS utility, pa.utility_en, cardinality(pa.prefectures) AS prefectures,
       to_char(round(ST_Area(si.area::geography) / 1e6), '999,999') AS km2,
       to_char(si.population, '999,999,999') AS population
FROM demo.power_area pa
JOIN demo.blackout_instance b ON b.key = 'electricity/' || pa.region
JOIN ceptoar.service_instance si ON si.id = b.id
ORDER BY pa.ordinal;
SELECT sum(cardinality(prefectures)) AS prefectures,
       count(DISTINCT p) AS distinct_prefectures,
       to_char(round((SELECT sum(ST_Area(geom::geography)) FROM demo.prefecture) / 1e6), '999,999') AS km2,
       to_char((SELECT sum(population) FROM demo.prefecture_population), '999,999,999') AS population
FROM demo.power_area, unnest(prefectures) p;

\echo 'The illustrative instances and dependencies that hang on them:'
SELECT b.kind, si.service, count(*) AS instances,
       (SELECT count(*) FROM ceptoar.dependency dep
          JOIN demo.blackout_instance x ON x.id = dep.dependent WHERE x.kind = b.kind) AS dependencies
FROM demo.blackout_instance b JOIN ceptoar.service_instance si ON si.id = b.id
GROUP BY b.kind, si.service
ORDER BY min(b.id);

-- The scenario: TEPCO's whole area goes dark on a weekday morning for 30 hours.
-- Times are shown in JST; the session's time zone is put back at the end.
SELECT current_setting('TimeZone') AS saved_timezone \gset
SET TimeZone = 'Asia/Tokyo';
SELECT max(id) FILTER (WHERE key = 'electricity/tokyo') AS tepco,
       max(id) FILTER (WHERE key = 'electricity/tohoku') AS tohoku
FROM demo.blackout_instance \gset
\set began '2009-11-10 10:00+09'
\set lasted '30 hours'

\echo
\echo '(a) 東京電力''s whole area is out from 2009-11-10 10:00 JST for 30 hours: who is hit, when, how many people'
\echo '    depth: dependency steps from the blackout; via: the supplier it is first hit through.'
\echo '    Hospital generators (72 h) outlast the blackout, but networked records go at +9 h through telecom;'
\echo '    the bank''s data centre in Tokyo runs out of fuel at +24 h and takes deposits down nationwide.'
SELECT si.name AS instance, x.service, x.sector, x.depth,
       to_char(x.onset, 'MM-DD HH24:MI') AS onset,
       extract(epoch FROM x.onset - :'began'::timestamptz)::integer / 3600 AS "+h",
       to_char(x.recovery, 'MM-DD HH24:MI') AS recovery,
       v.name AS via,
       to_char(x.population, '999,999,999') AS population
FROM ceptoar.impact(:tepco, :'began', :'lasted') x
JOIN ceptoar.service_instance si ON si.id = x.instance
LEFT JOIN ceptoar.service_instance v ON v.id = x.via
ORDER BY x.onset, x.depth, x.instance;

\echo
\echo '(b) Every 6 hours until all recover at 11-11 16:00 (+30 h): services out (people affected, millions) per sector'
SELECT to_char(t.at, 'MM-DD HH24:MI') AS "at (JST)",
       extract(epoch FROM t.at - :'began'::timestamptz)::integer / 3600 AS "+h",
       max(cell) FILTER (WHERE t.sector = 'electricity') AS electricity,
       max(cell) FILTER (WHERE t.sector = 'telecom') AS telecom,
       max(cell) FILTER (WHERE t.sector = 'water') AS water,
       max(cell) FILTER (WHERE t.sector = 'rail') AS rail,
       max(cell) FILTER (WHERE t.sector = 'finance') AS finance,
       max(cell) FILTER (WHERE t.sector = 'medical') AS medical
FROM ceptoar.impact_timeline(:tepco, :'began', :'lasted', step => '6 hours') t,
     LATERAL (SELECT CASE WHEN t.services = 0 THEN ''
                          ELSE lpad(t.services::text, 2) || ' (' || to_char(t.population / 1e6, 'FM990.0') || ')'
                     END AS cell) c
GROUP BY t.at
ORDER BY t.at;

\echo
\echo '(c) The static analysis over the sector matrix: how far a 30-hour electricity failure reaches,'
\echo '    and when the same sector is first hit in (a) (-: the demo has no instance of that sector)'
WITH a AS MATERIALIZED (
  SELECT x.sector, min(x.onset) - :'began'::timestamptz AS onset_after
  FROM ceptoar.impact(:tepco, :'began', :'lasted') x GROUP BY x.sector)
SELECT s.sector, s.depth, s.onset_after, a.onset_after AS "onset in (a)"
FROM ceptoar.sector_impact('electricity', :'lasted') s
LEFT JOIN a ON a.sector = s.sector
ORDER BY s.onset_after, s.depth, s.sector;

\echo
\echo '(d) A compound failure: 東京電力 and 東北電力 together, against 東京電力 alone'
SELECT coalesce(a.sector, b.sector) AS sector,
       a.services AS "東電 services", to_char(a.people, '999,999,999') AS "東電 people",
       b.services AS "東電+東北 services", to_char(b.people, '999,999,999') AS "東電+東北 people"
FROM (SELECT x.sector, count(*) AS services, sum(x.population) AS people
        FROM ceptoar.impact(:tepco, :'began', :'lasted') x GROUP BY x.sector) a
FULL JOIN
     (SELECT x.sector, count(*) AS services, sum(x.population) AS people
        FROM ceptoar.impact(ARRAY[:tepco, :tohoku]::bigint[], :'began', :'lasted') x GROUP BY x.sector) b
  ON a.sector = b.sector
ORDER BY coalesce(a.sector, b.sector);

\echo
\echo '(e) The same blackout as a map (ceptoar.impact_map): the affected areas coloured by onset hour'
\echo '    over the prefectures, written as SVG to' :'map_svg'
\encoding UTF8
\pset format unaligned
\pset tuples_only on
SELECT impact_map(:tepco, :'began', :'lasted',
                  background => (SELECT array_agg(p.geom ORDER BY p.code) FROM demo.prefecture p)) \g :map_svg
\pset tuples_only off
\pset format aligned
SELECT pg_size_pretty(length(impact_map(:tepco, :'began', :'lasted',
                  background => (SELECT array_agg(p.geom ORDER BY p.code) FROM demo.prefecture p)))::bigint) AS svg_size;
SET TimeZone = :'saved_timezone';
