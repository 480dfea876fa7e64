-- catalog.sql: the catalogue views and functions, with the counts the sources fix.
SET search_path = public, ceptoar;
SET DateStyle = ISO;

-- Plans and their sector counts (as last revised)
SELECT code, ordinal, decided, last_revised, period, cardinality(sectors) AS n, source
FROM ceptoar.plans ORDER BY ordinal;

SELECT plan, count(*) AS n
FROM (VALUES ('special-2000'), ('1st'), ('2nd'), ('3rd'), ('4th'), ('2022')) AS p(plan),
     LATERAL ceptoar.sectors(plan)
GROUP BY plan ORDER BY n, plan;

SELECT ceptoar.sectors('2nd');
SELECT ceptoar.sectors('SPECIAL-2000');   -- plan codes are case-insensitive

-- Sectors in force on a day, on both sides of every change
SELECT day, (SELECT count(*) FROM ceptoar.sectors_on(day)) AS n
FROM unnest('{2000-12-14,2000-12-15,2005-12-12,2005-12-13,2014-05-18,2014-05-19,2017-06-01,2018-07-24,2018-07-25,2019-01-01,2024-03-07,2024-03-08,2024-04-01}'::date[]) AS day;

SELECT ceptoar.sectors_on('2018-07-25') EXCEPT SELECT ceptoar.sectors_on('2018-07-24');

-- Every revision
SELECT plan, effective, note, cardinality(sectors) AS n FROM ceptoar.plan_revisions;

-- Sectors with their plans
SELECT code, nisc_order, name_ja, plans, added_in FROM ceptoar.sectors;

-- Ministries: the five of the 2nd plan, which sectors each oversaw then
SELECT code, name_ja, sectors_2nd_plan FROM ceptoar.ministries
WHERE cardinality(sectors_2nd_plan) > 0 ORDER BY code;

-- Competence over time; water moved from MHLW to MLIT on 2024-04-01
SELECT s, d, ceptoar.ministry(s, d)
FROM unnest('{water,water,telecom,telecom,port,port,airport,finance}'::ceptoar.sector[],
            '{2024-03-31,2024-04-01,2001-01-05,2001-01-06,2024-03-07,2024-03-08,2018-07-24,2000-12-15}'::date[])
     AS t(s, d);
SELECT ceptoar.ministry('medical') AS medical_today;
SELECT * FROM ceptoar.ministry_sectors WHERE sector = 'water';

-- Every sector in force today has exactly one competent ministry today
SELECT count(*) AS sectors_without_one
FROM ceptoar.sectors_on(current_date) AS s WHERE ceptoar.ministry(s) IS NULL;

-- CEPTOARs: 10 sectors, 15 CEPTOARs
SELECT count(*) AS ceptoars, count(DISTINCT sector) AS sectors FROM ceptoar.ceptoars;
SELECT ordinal, sector, scope_ja, name, secretariat_en, emergency_contact_since,
       handling_rules_set, means_of_contact
FROM ceptoar.ceptoars ORDER BY ordinal;

-- CEPTOAR codes (0.4): stable ASCII, one per CEPTOAR.  The finance council is one CEPTOAR
-- over four business scopes: its four rows share the code finance.
SELECT code, count(*) AS rows, string_agg(scope_en, ', ' ORDER BY ordinal) AS scopes,
       min(name) AS name, min(sector::text) AS sector
FROM ceptoar.ceptoars GROUP BY code ORDER BY min(ordinal);
SELECT count(*) AS rows, count(DISTINCT code) AS ceptoar_codes,
       bool_and(code ~ '^[a-z][a-z_]*$') AS lower_ascii, bool_and(ceptoar.ceptoar_exists(code)) AS all_exist
FROM ceptoar.ceptoars;
-- ceptoar_exists: exact codes only (no case folding, no blanks), NULL gives NULL
SELECT c, ceptoar.ceptoar_exists(c)
FROM unnest(ARRAY['finance', 'Finance', ' finance', 'financ', 'finance2', '', 'T-CEPTOAR',
                  'telecommunications', 'local_government', NULL]) AS c;
-- what it is for: a table checks its CEPTOAR column (a view cannot be referenced by a foreign key)
CREATE TEMP TABLE my_operator (code text PRIMARY KEY,
                               ceptoar text CONSTRAINT my_operator_ceptoar CHECK (ceptoar.ceptoar_exists(ceptoar)));
INSERT INTO my_operator VALUES ('bank-a', 'finance'), ('isp-b', 'telecommunications'), ('hospital-c', NULL);
INSERT INTO my_operator VALUES ('bank-d', 'banks');
SELECT o.code, o.ceptoar, count(c.*) AS scopes
FROM my_operator o LEFT JOIN ceptoar.ceptoars c ON c.code = o.ceptoar GROUP BY 1, 2 ORDER BY 1;
-- the view's code comes from _ceptoar_code(ordinal); other ordinals are an error
SELECT ceptoar._ceptoar_code(1), ceptoar._ceptoar_code(15);
SELECT ceptoar._ceptoar_code(0);
SELECT ceptoar._ceptoar_code(16);

-- Services: the catalogue is consistent (each parent exists, each path starts with its sector)
SELECT count(*) AS services,
       count(*) FILTER (WHERE kind = 'sector') AS roots,
       count(*) FILTER (WHERE kind = 'class') AS telecom_classes,
       bool_and(parent IS NULL OR parent IN (SELECT code FROM ceptoar.services)) AS parents_exist,
       bool_and(code::text LIKE sector::text || '%') AS paths_start_with_sector,
       bool_and(parent IS NULL OR parent @> code) AS parent_contains
FROM ceptoar.services;
SELECT code, kind, unit FROM ceptoar.services WHERE code <@ 'telecom' ORDER BY code;

-- Every catalogue row says where it comes from
SELECT 'plans' AS v, count(*) FILTER (WHERE source IS NULL OR source = '') FROM ceptoar.plans
UNION ALL SELECT 'sectors', count(*) FILTER (WHERE source IS NULL OR source = '') FROM ceptoar.sectors
UNION ALL SELECT 'ministries', count(*) FILTER (WHERE source IS NULL OR source = '') FROM ceptoar.ministries
UNION ALL SELECT 'ministry_sectors', count(*) FILTER (WHERE source IS NULL OR source = '') FROM ceptoar.ministry_sectors
UNION ALL SELECT 'ceptoars', count(*) FILTER (WHERE source IS NULL OR source = '') FROM ceptoar.ceptoars
UNION ALL SELECT 'services', count(*) FILTER (WHERE source IS NULL OR source = '') FROM ceptoar.services;

-- Errors
\set VERBOSITY default
SELECT ceptoar.sectors('5th');
SELECT ceptoar.sectors_on('infinity');
SELECT ceptoar.ministry('water', '-infinity');
