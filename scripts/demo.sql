-- scripts/demo.sql: the tour printed by scripts/demo.sh
\pset footer off
\pset null '-'
SET client_min_messages = warning;
CREATE EXTENSION ceptoar_registry CASCADE;
-- Recommended: put the extension's schema on the path, so its operators need no qualification.
ALTER DATABASE ceptoar_demo SET search_path = "$user", public, ceptoar;
SET search_path = "$user", public, ceptoar;
SET DateStyle = ISO;

\echo
\echo '== 1. The critical-infrastructure sectors, in NISC order, with their competent ministry today'
SELECT s.code, s.name_ja, s.name_en, ministry(s.code) AS ministry, m.name_ja AS ministry_ja, s.added_in
FROM sectors s LEFT JOIN ministries m ON m.code = ministry(s.code);

\echo '== 2. The sectors of each action plan, side by side (as last revised)'
SELECT s.code,
       CASE WHEN 'special-2000' = ANY (s.plans) THEN 'x' ELSE '' END AS "2000",
       CASE WHEN '1st' = ANY (s.plans) THEN 'x' ELSE '' END AS "1st",
       CASE WHEN '2nd' = ANY (s.plans) THEN 'x' ELSE '' END AS "2nd",
       CASE WHEN '3rd' = ANY (s.plans) THEN 'x' ELSE '' END AS "3rd",
       CASE WHEN '4th' = ANY (s.plans) THEN 'x' ELSE '' END AS "4th",
       CASE WHEN '2022' = ANY (s.plans) THEN 'x' ELSE '' END AS "2022"
FROM sectors s;
SELECT code, decided, last_revised, period, cardinality(sectors) AS sectors FROM plans;

\echo '== 3. Sectors in force on a few days (the 4th plan was revised 2018-07-25 to split airports from aviation)'
SELECT d AS day, fiscal_year(d) AS fy, (SELECT count(*) FROM sectors_on(d)) AS sectors
FROM unnest('{2001-01-01,2009-04-01,2017-06-01,2019-01-01,2024-04-01}'::date[]) AS d;

\echo '== 4. Which sectors each ministry oversees: under the 2nd plan, and today'
SELECT code, name_en, sectors_2nd_plan, sectors_today FROM ministries
WHERE cardinality(sectors_today) > 0 OR cardinality(sectors_2nd_plan) > 0;
SELECT sector, ministry, valid_from, valid_to FROM ministry_sectors WHERE sector = 'water';

\echo '== 5. The 15 CEPTOARs of the 10 sectors (seed 000)'
SELECT ordinal, sector, scope_ja, name, handling_rules_set AS rules_since,
       array_to_string(means_of_contact, '、') AS contact
FROM ceptoars;

\echo '== 6. Services: the finance tree, and what a rule written for finance.bank covers'
SELECT code, kind, name_ja, name_en, unit FROM services WHERE code <@ 'finance';
SELECT code FROM services WHERE 'finance.bank'::service @> code;

\echo '== 7. Literals: codes in any case, or the Japanese names from the source documents'
SELECT '電力'::sector AS a, ' Gas '::sector AS b, '政府・行政サービス（地方公共団体を含む）'::sector AS c,
       'TELECOM.Telecommunications.Emergency_Voice'::service AS d;
\echo 'A typo gets a clear error (SQLSTATE 22P02) with a suggestion:'
\set ON_ERROR_STOP 0
SELECT 'electricty'::sector;
\set ON_ERROR_STOP 1

\echo '== 8. An IT failure, classified against the 2nd plan''s verification levels and the Telecommunications Business Act'
SELECT 'service=telecom.telecommunications.voice, began=2024-01-15 09:00+09, lasted=3 h 10 min, users=45000, cause=failure'::incident AS incident;
SELECT rule_set, (classify(i, rule_set)).outcome, (classify(i, rule_set)).explanation
FROM (SELECT 'service=telecom.telecommunications.voice, began=2024-01-15 09:00+09, lasted=3 h 10 min, users=45000'::incident AS i) x,
     (VALUES ('nisc-2009'), ('telecom-2015')) AS r(rule_set);
\echo 'A missing measure is unknown, not zero: the verdict says so'
SELECT (classify(incident('electricity.supply', '2024-01-15 09:00+09', '1 hour'))).*;

\if :have_data
\echo
\echo '== 9. Japan''s 47 prefectures (MLIT N03, 2021) loaded into demo.prefecture'
CREATE SCHEMA demo;
CREATE TABLE demo.prefecture (
  code integer PRIMARY KEY,            -- JIS X 0401: the features come in code order
  name_ja text NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL);
INSERT INTO demo.prefecture
SELECT ord, f -> 'properties' ->> 'N03_001',
       ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4326))
FROM json_array_elements(pg_read_file(:'file')::json -> 'features') WITH ORDINALITY AS t(f, ord);
CREATE INDEX ON demo.prefecture USING gist (geom);
SELECT count(*) AS prefectures,
       round((sum(ST_Area(geom::geography)) / 1e6)::numeric) AS total_km2
FROM demo.prefecture;
SELECT code, name_ja, round((ST_Area(geom::geography) / 1e6)::numeric) AS km2
FROM demo.prefecture ORDER BY km2 DESC LIMIT 5;
\echo 'Which prefectures border Tokyo (13)?'
SELECT b.code, b.name_ja FROM demo.prefecture a JOIN demo.prefecture b
  ON a.code = 13 AND b.code <> 13 AND ST_Intersects(a.geom, b.geom) ORDER BY b.code;
\ir demo_blackout.sql
\ir demo_exercise.sql
\echo
\echo '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用'
\endif
