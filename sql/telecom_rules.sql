-- telecom_rules.sql: the Telecommunications Business Act's serious accidents (施行規則第58条)
-- by the day an incident began (Japan time): telecom-2008, one rule for every service
-- (30,000 users and 2 hours, degradation included since FY2008), until telecom-2015's
-- classes took effect on 2015-04-01.  Both sides of every boundary day and threshold.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

\i sql/try.psql

SELECT code, kind, valid_from, valid_to, owner, shipped
FROM rule_set WHERE code LIKE 'telecom-%' ORDER BY valid_from;
SELECT rule_set, service, criterion FROM rule WHERE rule_set LIKE 'telecom-%' ORDER BY rule_set, service;

-- Which set applies, by the day the incident began in Japan: the same facts (a data
-- service, 30,000 users for 2 hours) on both sides of 2008-04-01 and 2015-04-01
CREATE TEMP TABLE days (label text, began timestamptz);
INSERT INTO days VALUES
  ('FY2007, last instant',             '2008-03-31 23:59:59.999999+09'),
  ('FY2008, first instant',            '2008-04-01 00:00:00+09'),
  ('a 2014 incident',                  '2014-06-15 10:00:00+09'),
  ('day before telecom-2015, last instant', '2015-03-31 23:59:59.999999+09'),
  ('the same instant in UTC',          '2015-03-31 14:59:59.999999+00'),
  ('day of telecom-2015, first instant', '2015-04-01 00:00:00+09'),
  ('the same instant in UTC',          '2015-03-31 15:00:00+00'),
  ('2024',                             '2024-01-15 09:00:00+09');
SELECT label, began, rs, (classify(i, rs)).outcome, exceeds(i, rs)
FROM days,
     LATERAL (SELECT incident('telecom.telecommunications.data', began, '2 hours', users => 30000) AS i) x,
     unnest(ARRAY['telecom-2008', 'telecom-2015']) AS rs
ORDER BY began, label, rs;
-- and in a session in another time zone the day is still Japan's
SET TimeZone = 'UTC';
SELECT began, (classify(incident('telecom.telecommunications', began, '3 hours', users => 50000), 'telecom-2008')).outcome AS "2008",
              (classify(incident('telecom.telecommunications', began, '3 hours', users => 50000), 'telecom-2015')).outcome AS "2015"
FROM unnest('{2015-03-31 14:59:59.999999+00,2015-03-31 15:00:00+00}'::timestamptz[]) AS began;
SET TimeZone = 'Asia/Tokyo';

-- telecom-2008 on both sides of 30,000 users and 2 hours (a 2014 incident), for every
-- telecommunications service alike, stops and degradations alike
CREATE TEMP TABLE cases (label text, i incident);
INSERT INTO cases VALUES
 ('30,000 users, 2 h',                    'service=telecom.telecommunications, began=2014-06-15 10:00, users=30000, lasted=2 h'),
 ('29,999 users, 2 h',                    'service=telecom.telecommunications, began=2014-06-15 10:00, users=29999, lasted=2 h'),
 ('30,000 users, 1:59:59.999999',         'service=telecom.telecommunications, began=2014-06-15 10:00, users=30000, lasted=1 h 59 min 59.999999 s'),
 ('29,999 users, 1 h 59 min',             'service=telecom.telecommunications, began=2014-06-15 10:00, users=29999, lasted=1 h 59 min'),
 ('1,000,000 users, 1 h',                 'service=telecom.telecommunications, began=2014-06-15 10:00, users=1000000, lasted=1 h'),
 ('degradation, 30,000 users, 2 h',       'service=telecom.telecommunications, began=2014-06-15 10:00, effect=degradation, users=30000, lasted=2 h'),
 ('emergency voice, 30,000 users, 1 h',   'service=telecom.telecommunications.emergency_voice, began=2014-06-15 10:00, users=30000, lasted=1 h'),
 ('emergency voice, 30,000 users, 2 h',   'service=telecom.telecommunications.emergency_voice, began=2014-06-15 10:00, users=30000, lasted=2 h'),
 ('free internet, 30,000 users, 2 h',     'service=telecom.telecommunications.free_internet, began=2014-06-15 10:00, users=30000, lasted=2 h'),
 ('voice, users unknown, 3 h',            'service=telecom.telecommunications.voice, began=2014-06-15 10:00, lasted=3 h'),
 ('voice, 30,000 users, ongoing',         'service=telecom.telecommunications.voice, began=2014-06-15 10:00, users=30000, lasted=ongoing'),
 ('broadcasting (not telecommunications)', 'service=telecom.broadcasting, began=2014-06-15 10:00');
SELECT label, (classify(i, 'telecom-2008')).outcome, exceeds(i, 'telecom-2008'),
       (classify(i, 'telecom-2008')).rule_service, (classify(i, 'telecom-2015')).outcome AS "telecom-2015"
FROM cases;
SELECT label, (classify(i, 'telecom-2008')).explanation FROM cases WHERE label LIKE '3%' OR label LIKE '2%';

-- What changed on 2015-04-01: the same facts the day before and the day of the change,
-- each under the set in force on its day
SELECT svc, users, lasted, day,
       CASE WHEN day < '2015-04-01' THEN 'telecom-2008' ELSE 'telecom-2015' END AS in_force,
       (classify(incident(svc::service, day::timestamptz + time '12:00', lasted::interval, users => users),
                 CASE WHEN day < '2015-04-01' THEN 'telecom-2008' ELSE 'telecom-2015' END)).outcome
FROM (VALUES
  ('telecom.telecommunications.emergency_voice', 30000, '1 hour'),
  ('telecom.telecommunications.voice', 100000, '1 hour'),
  ('telecom.telecommunications.data', 1000000, '1 hour'),
  ('telecom.telecommunications.free_internet', 50000, '3 hours'),
  ('telecom.telecommunications.free_internet', 100000, '24 hours')) AS f(svc, users, lasted),
  unnest('{2015-03-31,2015-04-01}'::date[]) AS day
ORDER BY svc, users, day;

-- Shipped, so read-only like the other shipped sets
SELECT (pg_temp.try(s)).* FROM (VALUES
  ($$UPDATE ceptoar.rule_set SET valid_from = '2014-01-01' WHERE code = 'telecom-2015'$$),
  ($$DELETE FROM ceptoar.rule WHERE rule_set = 'telecom-2008'$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('telecom-2008', 'telecom.telecommunications.voice', 'any')$$)) AS t(s);
