-- registry.sql: operators and reports: revisions, nothing lost, the lifecycle, derived
-- columns on both sides of their boundaries, classification and verification, links,
-- the response timeline and suspected origins.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

\i sql/try.psql

INSERT INTO rule_set (code, kind, title) VALUES ('tepco-sla', 'service_level', 'our own');
INSERT INTO rule (rule_set, service, criterion) VALUES ('tepco-sla', 'electricity', 'duration >= 5 min');
INSERT INTO operator (code, name, name_ja, sector, service_levels, contact) VALUES
  ('tepco', 'Tokyo Electric Power Grid', '東京電力パワーグリッド', 'electricity', 'tepco-sla', 'soc@example.jp'),
  ('ntt-east', 'NTT East', '東日本電信電話', 'telecom', NULL, NULL),
  ('yokohama-water', 'Yokohama Waterworks Bureau', '横浜市水道局', 'water', NULL, NULL),
  ('mizuho', 'Mizuho Bank', 'みずほ銀行', 'finance', NULL, NULL);
-- bad operators
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$INSERT INTO ceptoar.operator (code, name, sector) VALUES ('Tepco', 'x', 'electricity')$$),
  ($$INSERT INTO ceptoar.operator (code, name, sector) VALUES ('x', '', 'electricity')$$),
  ($$INSERT INTO ceptoar.operator (code, name, sector, ceptoar) VALUES ('x', 'x', 'electricity', 'no-such-ceptoar')$$),
  ($$INSERT INTO ceptoar.operator (code, name, sector, service_levels) VALUES ('x', 'x', 'electricity', 'nisc-2009')$$),
  ($$INSERT INTO ceptoar.operator (code, name, sector) VALUES ('meti', 'x', 'electricity')$$),
  ($$INSERT INTO ceptoar.operator (code, name, sector) VALUES ('nisc', 'x', 'electricity')$$),
  ($$INSERT INTO ceptoar.operator (code, name, sector) VALUES ('electricity', 'x', 'electricity')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- a report: the registry decides the revision, the level and the derived columns
INSERT INTO report (id, operator, incident, detected, reported, summary, description)
VALUES ('00000000-0000-0000-0000-000000000001', 'tepco',
        'service=electricity.supply, began=2024-03-31 23:50+09, lost_kw=120000, lasted=15 min',
        '2024-03-31 23:55+09', '2024-04-01 00:30+09', 'outage in the Kanto area', 'substation relay fault');
SELECT revision, status, level, sector_code, ministry_code, tlp, tlp_rank, is_exercise, is_revoked,
       fiscal_year, changed_by = current_user AS by_me
FROM report WHERE id = '00000000-0000-0000-0000-000000000001';
SELECT rule_set, kind, outcome, clause FROM report_verdicts
WHERE report = '00000000-0000-0000-0000-000000000001' ORDER BY rule_set;

-- every UPDATE is a revision; the first one stays as it was
UPDATE report SET incident = 'service=electricity.supply, began=2024-03-31 23:50+09, lost_kw=90000, lasted=15 min',
                  status = 'under_review'
WHERE id = '00000000-0000-0000-0000-000000000001';
SELECT revision, status, level FROM report WHERE id = '00000000-0000-0000-0000-000000000001';
SELECT revision, status, level, lost_kw(incident) FROM report_revision
WHERE report = '00000000-0000-0000-0000-000000000001' ORDER BY revision;
SELECT revision, rule_set, outcome FROM report_verdicts
WHERE report = '00000000-0000-0000-0000-000000000001' ORDER BY revision, rule_set;

-- nothing is lost: no DELETE, no TRUNCATE, no change of the history
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$DELETE FROM ceptoar.report$$),
  ($$TRUNCATE ceptoar.report CASCADE$$),
  ($$UPDATE ceptoar.report_revision SET summary = 'x'$$),
  ($$DELETE FROM ceptoar.report_revision$$),
  ($$TRUNCATE ceptoar.report_verdicts$$),
  ($$UPDATE ceptoar.report SET operator = 'ntt-east'$$),
  ($$UPDATE ceptoar.report SET reported = now()$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- the lifecycle
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$UPDATE ceptoar.report SET status = 'reported'$$),
  ($$UPDATE ceptoar.report SET status = 'closed' WHERE false$$),
  ($$INSERT INTO ceptoar.report (operator, incident, status) VALUES ('tepco', 'service=electricity.supply, began=2024-05-01 10:00+09', 'closed')$$),
  ($$INSERT INTO ceptoar.report (operator, kind) VALUES ('tepco', 'incident')$$),
  ($$INSERT INTO ceptoar.report (operator, kind) VALUES ('tepco', 'rumour')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- verification: confirm, or override with a reason
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$SELECT ceptoar.verify('00000000-0000-0000-0000-000000000001', 'exceeds')$$),
  ($$SELECT ceptoar.verify('00000000-0000-0000-0000-000000000001', 'maybe')$$),
  ($$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000ff', 'within')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT verify('00000000-0000-0000-0000-000000000001', 'within');
SELECT verify('00000000-0000-0000-0000-000000000001', 'exceeds', 'the relay fault cut 120 MW before the first estimate');
SELECT revision, outcome, computed, reason, verified_by = current_user AS by_me FROM report_verification
WHERE report = '00000000-0000-0000-0000-000000000001' ORDER BY verified_at;
SELECT revision, status FROM report WHERE id = '00000000-0000-0000-0000-000000000001';

-- an ongoing incident is closed only with its duration
INSERT INTO report (id, operator, incident, detected, reported)
VALUES ('00000000-0000-0000-0000-000000000002', 'ntt-east',
        'service=telecom.telecommunications, effect=stop, began=2024-06-01 10:00+09, lasted=ongoing, users=30000',
        '2024-06-01 10:05+09', '2024-06-01 10:30+09');
SELECT level FROM report WHERE id = '00000000-0000-0000-0000-000000000002';
SELECT e.state, e.message, e.hint FROM pg_temp.try($$UPDATE ceptoar.report SET status = 'closed' WHERE id = '00000000-0000-0000-0000-000000000002'$$) AS e;
UPDATE report SET incident = 'service=telecom.telecommunications, effect=stop, began=2024-06-01 10:00+09, lasted=2 hours, users=30000',
                  status = 'closed'
WHERE id = '00000000-0000-0000-0000-000000000002';
SELECT revision, status, level FROM report WHERE id = '00000000-0000-0000-0000-000000000002';
-- both sides of 30,000 users and 2 hours
UPDATE report SET incident = 'service=telecom.telecommunications, effect=stop, began=2024-06-01 10:00+09, lasted=1 hour 59 min, users=30000',
                  status = 'revision_required'
WHERE id = '00000000-0000-0000-0000-000000000002';
SELECT revision, level FROM report WHERE id = '00000000-0000-0000-0000-000000000002';
UPDATE report SET incident = 'service=telecom.telecommunications, effect=stop, began=2024-06-01 10:00+09, lasted=2 hours, users=29999'
WHERE id = '00000000-0000-0000-0000-000000000002';
SELECT revision, level FROM report WHERE id = '00000000-0000-0000-0000-000000000002';

-- derived columns on both sides: the ministry on the day reported (water: mhlw until
-- 2024-03-31, mlit from 2024-04-01, Japan time), the fiscal year of the day it began
INSERT INTO report (id, operator, incident, reported) VALUES
  ('00000000-0000-0000-0000-000000000003', 'yokohama-water', 'service=water.supply, began=2024-03-31 23:59:59+09', '2024-03-31 23:59:59+09'),
  ('00000000-0000-0000-0000-000000000004', 'yokohama-water', 'service=water.supply, began=2024-04-01 00:00+09', '2024-04-01 00:00+09');
SELECT id, ministry_code, fiscal_year FROM report
WHERE id IN ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004') ORDER BY id;

-- facts that do not fit
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$INSERT INTO ceptoar.report (operator, incident) VALUES ('tepco', 'service=gas.supply, began=2024-05-01 10:00+09')$$),
  ($$INSERT INTO ceptoar.report (operator, incident, detected) VALUES ('tepco', 'service=electricity.supply, began=2024-05-01 10:00+09', '2024-05-01 09:59+09')$$),
  ($$INSERT INTO ceptoar.report (operator, incident, detected, reported) VALUES ('tepco', 'service=electricity.supply, began=2024-05-01 10:00+09', '2024-05-01 10:30+09', '2024-05-01 10:29+09')$$),
  ($$INSERT INTO ceptoar.report (operator, incident, revoked, revoked_reason) VALUES ('tepco', 'service=electricity.supply, began=2024-05-01 10:00+09', now(), 'x')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- near misses and threats are kept, not classified
INSERT INTO report (id, operator, kind, summary, tlp, reported) VALUES
  ('00000000-0000-0000-0000-000000000005', 'mizuho', 'threat', 'phishing kit aimed at bank customers', 'green', '2025-03-31 23:59+09');
SELECT kind, level, tlp, tlp_rank, fiscal_year FROM report WHERE id = '00000000-0000-0000-0000-000000000005';
SELECT count(*) FROM report_verdicts WHERE report = '00000000-0000-0000-0000-000000000005';

-- revoke: a tombstone that stays
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$SELECT ceptoar.revoke('00000000-0000-0000-0000-000000000005', ' ')$$),
  ($$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000ff', 'gone')$$),
  ($$SELECT ceptoar.verify('00000000-0000-0000-0000-000000000005', 'within')$$),
  ($$UPDATE ceptoar.report SET revoked = now() WHERE id = '00000000-0000-0000-0000-000000000005'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT revoke('00000000-0000-0000-0000-000000000005', 'filed twice');
SELECT revision, is_revoked, revoked_reason, revoked IS NOT NULL AS dated FROM report
WHERE id = '00000000-0000-0000-0000-000000000005';
SELECT e.state, e.message FROM pg_temp.try($$SELECT ceptoar.revoke('00000000-0000-0000-0000-000000000005', 'again')$$) AS e;
SELECT count(*) FROM report_revision WHERE report = '00000000-0000-0000-0000-000000000005';

-- links
INSERT INTO report_link (report, related, kind) VALUES
  ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'cascade_from');
SELECT e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', 'same_cause')$$),
  ($$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-0000000000ff', 'same_cause')$$),
  ($$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'caused')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- the emergency response timeline
INSERT INTO report_step (report, step, done_at, note) VALUES
  ('00000000-0000-0000-0000-000000000001', 'contact', '2024-04-01 00:10+09', 'called METI'),
  ('00000000-0000-0000-0000-000000000001', 'recovery', '2024-04-01 00:05+09', 'rerouted');
SELECT * FROM response_timeline('00000000-0000-0000-0000-000000000001');
SELECT e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000ff', 'evidence', '2024-03-31 23:54+09')$$),
  ($$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-000000000001', 'prayer', '2024-04-01 01:00+09')$$),
  ($$SELECT * FROM ceptoar.response_timeline('00000000-0000-0000-0000-0000000000ff')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- suspected origins: a power failure spreads to telecom after a 1-hour buffer, to the bank at once
INSERT INTO service_instance (id, service, operator, population) VALUES
  (101, 'electricity.supply', 'tepco', 1000), (102, 'telecom.telecommunications', 'ntt-east', 500),
  (103, 'finance.bank.deposit', 'mizuho', 100);
INSERT INTO dependency (dependent, supplier, buffer) VALUES (102, 101, '1 hour'), (103, 102, '0');
INSERT INTO report (id, operator, incident, instance) VALUES
  ('00000000-0000-0000-0000-000000000011', 'tepco', 'service=electricity.supply, began=2024-07-01 10:00+09, lasted=3 hours', 101),
  ('00000000-0000-0000-0000-000000000012', 'ntt-east', 'service=telecom.telecommunications, began=2024-07-01 11:00+09', 102),
  ('00000000-0000-0000-0000-000000000013', 'mizuho', 'service=finance.bank.deposit, began=2024-07-01 10:30+09', 103),
  ('00000000-0000-0000-0000-000000000014', 'mizuho', 'service=finance.bank.deposit, began=2024-07-01 11:00+09', 103);
-- the instance hit is the reporting operator's (for every kind), delivering the incident's
-- service or one above or below it; an unknown instance is refused by the foreign key
SELECT e.state, e.message, e.hint FROM (VALUES
  ($$INSERT INTO ceptoar.report (operator, incident, instance) VALUES ('mizuho', 'service=finance.bank.deposit, began=2024-07-01 10:00+09', 102)$$),
  ($$INSERT INTO ceptoar.report (operator, kind, instance) VALUES ('mizuho', 'threat', 101)$$),
  ($$UPDATE ceptoar.report SET instance = 103 WHERE id = '00000000-0000-0000-0000-000000000012'$$),
  ($$INSERT INTO ceptoar.report (operator, incident, instance) VALUES ('tepco', 'service=electricity.supply, began=2024-07-01 10:00+09', 104)$$),
  -- accepted (then undone by the raise)
  ($q$DO $do$ BEGIN INSERT INTO ceptoar.report (operator, incident, instance) VALUES ('tepco', 'service=electricity, began=2024-07-01 10:00+09', 101);
      INSERT INTO ceptoar.report (operator, kind, instance) VALUES ('tepco', 'threat', 101); RAISE EXCEPTION 'accepted'; END $do$$q$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT * FROM suspected_origins('00000000-0000-0000-0000-000000000012');
SELECT * FROM suspected_origins('00000000-0000-0000-0000-000000000013');   -- too early: telecom fails at 11:00
SELECT * FROM suspected_origins('00000000-0000-0000-0000-000000000014');
SELECT e.state, e.message FROM pg_temp.try($$SELECT * FROM ceptoar.suspected_origins('00000000-0000-0000-0000-000000000001')$$) AS e;
