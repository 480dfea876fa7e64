-- exercises.sql: the cross-sector exercises of seed 000 (shipped, read-only) and users' own;
-- the guard (_shipped_guard), the reserved codes, the checks.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;

\i sql/try.psql

-- The shipped exercises, FY2006-FY2013, with what the seed says of each
SELECT code, fiscal_year, held, theme_ja, theme_en, format_ja, organisations, participants
FROM exercises ORDER BY fiscal_year;
SELECT code, goal_ja, description_ja FROM exercises ORDER BY code;
SELECT code, source FROM exercises ORDER BY code;
-- every shipped row cites the seed, and a row without a theme says why
SELECT count(*) AS shipped, bool_and(source LIKE 'seed 000%') AS cite_seed,
       bool_and(theme_ja IS NOT NULL OR source LIKE '%names no theme%') AS missing_theme_explained,
       bool_and((theme_ja IS NULL) = (theme_en IS NULL)) AS both_languages
FROM exercises WHERE shipped;

-- Exercises of users: their own codes, any fiscal year, a first day in that fiscal year
INSERT INTO exercises (code, fiscal_year, held, theme_ja, theme_en, source) VALUES
  ('tokyo-blackout-2024', 2024, '2025-03-31', '首都圏広域停電', 'Tokyo-area blackout', 'our BCP drill'),
  ('ddos-drill', 2025, '2025-04-01', NULL, 'DDoS', NULL);
UPDATE exercises SET participants = 35, organisations = 4 WHERE code = 'ddos-drill';
UPDATE exercises SET code = 'ddos-drill-1' WHERE code = 'ddos-drill';
SELECT code, fiscal_year, held, participants, shipped FROM exercises WHERE NOT shipped ORDER BY code;
DELETE FROM exercises WHERE code = 'ddos-drill-1';

-- Refused: changing shipped rows, marking rows shipped, codes reserved for shipped rows,
-- TRUNCATE while shipped rows are there, and what the checks forbid
SELECT (pg_temp.try(s)).* FROM (VALUES
  ($$UPDATE ceptoar.exercises SET theme_en = 'blackout' WHERE code = 'fy2009'$$),
  ($$DELETE FROM ceptoar.exercises WHERE code = 'fy2008'$$),
  ($$DELETE FROM ceptoar.exercises$$),
  ($$TRUNCATE ceptoar.exercises CASCADE$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year, shipped) VALUES ('mine', 2024, true)$$),
  ($$UPDATE ceptoar.exercises SET shipped = true WHERE code = 'tokyo-blackout-2024'$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('fy2014', 2014)$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('FY2014', 2014)$$),
  ($$UPDATE ceptoar.exercises SET code = 'fy2024' WHERE code = 'tokyo-blackout-2024'$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('fy2009', 2009)$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year, held) VALUES ('late', 2024, '2025-04-01')$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year, held) VALUES ('early', 2024, '2024-03-31')$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES (' spaced', 2024)$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('', 2024)$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('no-year', NULL)$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('year-0', 0)$$),
  ($$INSERT INTO ceptoar.exercises (code, fiscal_year, participants) VALUES ('minus', 2024, -1)$$)) AS t(s);
-- codes like the shipped ones but not of their form are the user's
INSERT INTO exercises (code, fiscal_year) VALUES ('fy-2014', 2014), ('fy2014b', 2014), ('my-fy2014', 2014);
SELECT code FROM exercises WHERE NOT shipped ORDER BY code;
-- a user's rows go with DELETE; the shipped ones stay
DELETE FROM exercises WHERE NOT shipped;
SELECT count(*) AS left, bool_and(shipped) AS all_shipped FROM exercises;
