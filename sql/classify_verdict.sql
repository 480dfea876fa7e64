-- classify_verdict.sql: classify() forms its verdict from a template per rule and outcome
-- and writes the explanation after it (src/classify.c); the tuple must be the one
-- heap_form_tuple makes of the same values, byte for byte (*= compares the images), for
-- explanations short (one-byte header) and long (four-byte header, aligned), clauses and
-- criteria long and short, every outcome, rules inherited, and rule sets not in force.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

BEGIN;
INSERT INTO rule_set (code, kind, valid_from) VALUES ('layout-test', 'service_level', '2000-01-01');
INSERT INTO rule_set (code, kind, valid_from, valid_to)
VALUES (repeat('x', 120), 'service_level', '2000-01-01', '2030-01-01');
INSERT INTO rule (rule_set, service, criterion, clause_ja) VALUES
 ('layout-test', 'electricity',
  'users >= 1000000 and households >= 1000000 and lost_kw >= 1000000 and duration >= 1 d 2 h 3 min or rights_impaired or water_quality',
  repeat('長い条項', 40)),
 ('layout-test', 'gas.supply', 'users >= 1', NULL),
 ('layout-test', 'aviation', 'cancelled >= 1 or effect in (stop)', 'c');

CREATE TEMP TABLE verdicts AS
SELECT k, classify(i, rs) AS v
FROM (VALUES
  (1, 'service=electricity.supply, began=2024-01-15, lasted=1 d 3 h 5 min 7.25 s, users=12345678, households=987654, lost_kw=3000000, flags={water_quality}', 'layout-test'),
  (2, 'service=electricity.supply, began=2024-01-15', 'layout-test'),
  (3, 'service=electricity.supply, began=2024-01-15, lasted=106751991 d', 'layout-test'),
  (4, 'service=electricity.supply, began=2024-01-15, lasted=1 min, users=1, households=1, lost_kw=1', 'layout-test'),
  (5, 'service=gas.supply, began=2024-01-15, lasted=1 h', 'layout-test'),
  (6, 'service=gas.supply, began=2024-01-15, users=1', 'layout-test'),
  (7, 'service=gas.supply, began=1999-01-15, lasted=1 h', 'layout-test'),
  (8, 'service=gas.supply, began=1999-01-15', repeat('x', 120)),
  (9, 'service=gas.supply, began=2019-01-15', repeat('x', 120)),
  (10, 'service=water.supply, began=2024-01-15', 'layout-test'),
  (11, 'service=aviation.scheduled_flights, began=2024-01-15, cancelled=3', 'layout-test'),
  (12, 'service=aviation.scheduled_flights, began=2024-01-15, effect=delay', 'layout-test'),
  (13, 'service=telecom.telecommunications.voice, began=2024-01-15, users=45000, lasted=3 h', 'nisc-2009'),
  (14, 'service=telecom.telecommunications, began=2024-01-15, users=45000', 'nisc-2009'),
  (15, 'service=chemical.production, began=2024-01-15', 'nisc-2009'),
  (16, 'service=gas.supply, began=2008-01-15', 'nisc-2009')
) AS c(k, i, rs);

SELECT k, (v).outcome, (v).rule_service, octet_length((v).clause) AS clause_bytes,
       octet_length((v).explanation) AS explanation_bytes,
       v *= ROW((v).outcome, (v).rule_set, (v).rule_service, (v).clause, (v).criterion,
                (v).explanation)::verdict AS same_bytes,
       pg_column_size(v) AS bytes
FROM verdicts ORDER BY k;
SELECT k, (v).explanation FROM verdicts WHERE k NOT IN (8, 9) ORDER BY k;
-- one call site, verdicts of several rule sets in turn (its templates are made again)
SELECT rs, count(*) AS calls,
       count(*) FILTER (WHERE NOT (v *= ROW((v).outcome, (v).rule_set, (v).rule_service, (v).clause,
                                          (v).criterion, (v).explanation)::verdict)) AS differ
FROM (SELECT rs, classify(i, rs) AS v
      FROM unnest('{layout-test,nisc-2009,layout-test,telecom-2015,nisc-2009}'::text[]) AS rs,
           (VALUES ('service=electricity.supply, began=2024-01-15, lost_kw=200000, lasted=1 h'::incident),
                   ('service=telecom.telecommunications, began=2024-01-15, users=1'),
                   ('service=gas.supply, began=2024-01-15, households=50')) AS x(i)) s
GROUP BY rs ORDER BY rs;
ROLLBACK;
