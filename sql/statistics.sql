-- statistics.sql: annual_statistics() and annual_exclusions(): the fiscal year's edge in
-- Japan time, the excluded kinds, exercises and revoked reports, unknown user hours, the
-- plan's rule set of each outcome (the one the level was computed with), the derived
-- columns, bad fiscal years.  Sectors gas and rail only (the other tests use other
-- sectors); everything is rolled back at the end.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET IntervalStyle = postgres;
SET TimeZone = 'UTC';   -- the fiscal year is Japan time whatever the session's zone

\i sql/try.psql

BEGIN;
INSERT INTO operator (code, name, sector) VALUES
  ('tokyo-gas', 'Tokyo Gas', 'gas'), ('jr-east', 'JR East', 'rail');

INSERT INTO report (operator, incident, detected, reported, summary) VALUES
  -- the last second of FY2023 and the first of FY2024, Japan time
  ('tokyo-gas', 'service=gas.supply, began=2024-03-31 23:59:59+09, households=40, lasted=2 h',
   '2024-04-01 00:10+09', '2024-04-01 01:10+09', 'FY2023, last second'),
  ('tokyo-gas', 'service=gas.supply, began=2024-04-01 00:00+09, households=40, users=100, lasted=1 h',
   '2024-04-01 00:10+09', '2024-04-01 00:40+09', 'FY2024, first second'),
  -- the same two moments written in UTC: 2024-03-31 14:59:59Z is FY2023, 15:00Z FY2024
  ('tokyo-gas', 'service=gas.supply, began=2024-03-31 14:59:59+00, households=35, users=200, lasted=3 h',
   '2024-03-31 15:30+00', '2024-03-31 16:00+00', 'FY2023 in UTC'),
  ('tokyo-gas', 'service=gas.supply, began=2024-03-31 15:00+00, households=50, users=300, lasted=3 h',
   '2024-03-31 15:20+00', '2024-03-31 16:20+00', 'FY2024 in UTC'),
  -- within the level; user hours known for one of two
  ('tokyo-gas', 'service=gas.supply, began=2024-06-01 10:00+09, households=10, users=1000, lasted=2 h, cause=failure',
   '2024-06-01 10:05+09', '2024-06-01 10:35+09', 'within, user hours known'),
  ('tokyo-gas', 'service=gas.supply, began=2024-06-02 10:00+09, households=10, lasted=2 h, cause=failure',
   '2024-06-02 10:05+09', '2024-06-02 11:05+09', 'within, users unknown'),
  -- undetermined (households unknown), ongoing, detected unknown: no user hours at all
  ('tokyo-gas', 'service=gas.supply, began=2024-07-01 10:00+09, cause=attack',
   NULL, '2024-07-01 12:00+09', 'undetermined, ongoing'),
  -- rail: a cancelled train exceeds; no cancellation is within
  ('jr-east', 'service=rail.passenger, began=2024-08-01 07:00+09, cancelled=3, users=50000, lasted=30 min, cause=error',
   '2024-08-01 07:01+09', '2024-08-01 09:01+09', 'rail exceeds'),
  ('jr-east', 'service=rail.passenger, began=2024-08-02 07:00+09, cancelled=0, lasted=10 min, cause=error',
   '2024-08-02 07:01+09', '2024-08-02 08:01+09', 'rail within');

-- left out of the counts: an exercise, a revoked incident, a near miss, a threat
INSERT INTO report (operator, incident, detected, reported, exercise, summary) VALUES
  ('tokyo-gas', 'service=gas.supply, began=2024-09-01 10:00+09, households=500, lasted=5 h',
   '2024-09-01 10:00+09', '2024-09-01 10:30+09', 'fy2008', 'an exercise');
INSERT INTO report (operator, incident, detected, reported, summary) VALUES
  ('tokyo-gas', 'service=gas.supply, began=2024-09-02 10:00+09, households=500, lasted=5 h',
   '2024-09-02 10:00+09', '2024-09-02 10:30+09', 'to be revoked');
SELECT revoke(id, 'filed twice') FROM report WHERE summary = 'to be revoked';
INSERT INTO report (operator, kind, incident, reported, summary) VALUES
  ('tokyo-gas', 'near_miss', 'service=gas.supply, began=2024-09-03 10:00+09', '2024-09-03 11:00+09', 'a near miss'),
  ('tokyo-gas', 'threat', NULL, '2024-09-04 11:00+09', 'a threat'),
  -- a threat without facts counts in the fiscal year of the day it was reported, Japan time
  ('jr-east', 'threat', NULL, '2024-03-31 23:59:59+09', 'threat FY2023'),
  ('jr-east', 'threat', NULL, '2024-04-01 00:00+09', 'threat FY2024');

-- the derived fiscal years the statistics filter on
SELECT summary, kind, level, fiscal_year FROM report
 WHERE sector_code IN ('gas', 'rail') ORDER BY reported, summary;

SELECT * FROM annual_statistics(2023) WHERE sector IN ('gas', 'rail');
SELECT * FROM annual_statistics(2024) WHERE sector IN ('gas', 'rail');
SELECT * FROM annual_exclusions(2023) WHERE sector IN ('gas', 'rail');
SELECT * FROM annual_exclusions(2024) WHERE sector IN ('gas', 'rail');
-- reports = counted + the four kinds left out, and counted = annual_statistics' incidents
SELECT e.sector, e.reports = e.counted + e.exercises + e.revoked + e.near_misses + e.threats AS adds_up,
       e.counted = (SELECT sum(s.incidents) FROM annual_statistics(2024) s WHERE s.sector = e.sector) AS same_count
  FROM annual_exclusions(2024) e WHERE e.sector IN ('gas', 'rail');

-- a year in which the plan changes: nisc-2009 from 2009-02-03 (Japan time); incidents
-- before it have no verification level (outcome none, no rule set), one row per plan
INSERT INTO report (operator, incident, detected, reported, summary) VALUES
  ('jr-east', 'service=rail.passenger, began=2008-04-01 00:00+09, cancelled=1, lasted=1 h',
   '2008-04-01 00:30+09', '2008-04-01 01:00+09', 'FY2008, no plan'),
  ('jr-east', 'service=rail.passenger, began=2009-02-02 23:59:59+09, cancelled=1, lasted=1 h',
   '2009-02-03 00:30+09', '2009-02-03 01:00+09', 'FY2008, the day before nisc-2009'),
  ('jr-east', 'service=rail.passenger, began=2009-02-03 00:00+09, cancelled=1, lasted=1 h',
   '2009-02-03 00:30+09', '2009-02-03 01:00+09', 'FY2008, nisc-2009''s first day'),
  ('jr-east', 'service=rail.passenger, began=2009-03-31 23:59:59+09, cancelled=0, lasted=1 h',
   '2009-04-01 00:30+09', '2009-04-01 01:00+09', 'FY2008, last second');
SELECT * FROM annual_statistics(2008) WHERE sector IN ('gas', 'rail');
-- the derived columns the statistics read: the plan each level was computed with (NULL
-- exactly when there is no level), and the incident's facts; NULL for what is unknown
SELECT summary, level, level_rule_set, began, lasted, cause, user_hours, fiscal_year FROM report
 WHERE summary LIKE 'FY2008%' OR summary IN ('undetermined, ongoing', 'within, users unknown', 'a threat')
 ORDER BY began NULLS LAST, summary;

-- a later plan does not rewrite history: the reports keep the rule set their level was
-- computed with, until they are written again
INSERT INTO rule_set (code, kind, title, valid_from) VALUES ('fy2008-late-plan', 'verification_level', 'test', '2009-03-01');
SELECT outcome, outcome_rule_set, incidents FROM annual_statistics(2008) WHERE sector = 'rail';
UPDATE report SET status = 'under_review' WHERE summary = 'FY2008, last second';
SELECT outcome, outcome_rule_set, incidents FROM annual_statistics(2008) WHERE sector = 'rail';

-- _verification_set (in C, from the rule cache) gives what the query of its definition
-- gives, on every day around the plans' edges: the latest start, then the first code
INSERT INTO rule_set (code, kind, title, valid_from, valid_to) VALUES
  ('zz-plan', 'verification_level', 'test', '2030-01-01', NULL),
  ('aa-plan', 'verification_level', 'test', '2030-01-01', '2030-02-01'),
  ('open-plan', 'verification_level', 'test', NULL, '2008-06-01');
SELECT d, _verification_set(d) FROM (VALUES ('2008-05-31'::date), ('2008-06-01'), ('2009-02-02'), ('2009-02-03'),
  ('2009-02-28'), ('2009-03-01'), ('2030-01-01'), ('2030-01-31'), ('2030-02-01'), ('-infinity'), ('infinity')) AS t(d);
SELECT count(*) AS differ FROM generate_series('2007-01-01'::date, '2031-01-01', '1 day') AS g(d)
 WHERE _verification_set(g.d::date) IS DISTINCT FROM
       (SELECT s.code FROM rule_set s WHERE s.kind = 'verification_level'
           AND (s.valid_from IS NULL OR s.valid_from <= g.d::date) AND (s.valid_to IS NULL OR g.d::date < s.valid_to)
         ORDER BY s.valid_from DESC NULLS LAST, s.code LIMIT 1);
SELECT _verification_set('service=rail.passenger, began=2009-02-28 15:00+00'::incident) AS jst_2009_03_01,
       _verification_set('service=rail.passenger, began=2009-02-28 14:59:59+00'::incident) AS jst_2009_02_28;

-- a year without reports
SELECT count(*) FROM annual_statistics(1999);
SELECT count(*) FROM annual_exclusions(1999);

-- bad fiscal years: both sides of the range; NULL gives no rows (strict)
SELECT y, e.state, e.message, e.hint FROM (VALUES (0), (1), (294275), (294276), (-1)) AS t(y),
  LATERAL pg_temp.try(format('SELECT * FROM ceptoar.annual_statistics(%s)', y)) AS e;
SELECT y, e.state, e.message FROM (VALUES (0), (294276)) AS t(y),
  LATERAL pg_temp.try(format('SELECT * FROM ceptoar.annual_exclusions(%s)', y)) AS e;
SELECT count(*) FROM annual_statistics(NULL);

ROLLBACK;
