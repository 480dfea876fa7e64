-- access_config.sql: who writes the configuration (issue 13, section 6): rule sets, service
-- instances and dependencies, checked by party under SET ROLE on both sides of every rule;
-- and the audit of identity reads (section 7).
SET client_min_messages = warning;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';
\i sql/try.psql
CREATE ROLE regress_cfg_nisc;
CREATE ROLE regress_cfg_meti;
CREATE ROLE regress_cfg_mic;
CREATE ROLE regress_cfg_power;        -- operator cfg-power (electricity)
CREATE ROLE regress_cfg_telco;        -- operator cfg-telco (telecom)
CREATE ROLE regress_cfg_ceptoar;      -- the electricity CEPTOAR
CREATE ROLE regress_cfg_public;
CREATE ROLE regress_cfg_dba;          -- no party, granted privileges by a DBA
CREATE ROLE regress_cfg_both IN ROLE regress_cfg_meti, regress_cfg_power;
RESET client_min_messages;
INSERT INTO ceptoar.operator (code, name, sector, ceptoar) VALUES
  ('cfg-power', 'Power Co', 'electricity', 'electricity'),
  ('cfg-telco', 'Telco', 'telecom', NULL),
  ('cfg-gas', 'Gas Co', 'gas', 'gas');     -- no party: an operator of gas, METI's sector
SELECT ceptoar.register_party('regress_cfg_nisc', 'nisc');
SELECT ceptoar.register_party('regress_cfg_meti', 'ministry', 'meti');
SELECT ceptoar.register_party('regress_cfg_mic', 'ministry', 'mic');
SELECT ceptoar.register_party('regress_cfg_power', 'operator', 'cfg-power');
SELECT ceptoar.register_party('regress_cfg_telco', 'operator', 'cfg-telco');
SELECT ceptoar.register_party('regress_cfg_ceptoar', 'ceptoar', 'electricity');
SELECT ceptoar.register_party('regress_cfg_public', 'public');
GRANT INSERT, UPDATE, DELETE ON ceptoar.rule_set, ceptoar.rule, ceptoar.service_instance,
  ceptoar.dependency TO regress_cfg_dba;
GRANT SELECT ON ceptoar.service_instance TO regress_cfg_dba;
SELECT ceptoar.ministry('electricity') AS electricity, ceptoar.ministry('gas') AS gas,
       ceptoar.ministry('telecom') AS telecom;

-- the privileges each kind gets
SELECT r.rolname, t.tab,
       pg_catalog.string_agg(p.priv, ',' ORDER BY p.priv) FILTER (WHERE pg_catalog.has_table_privilege(r.oid, t.tab, p.priv)) AS privileges
  FROM pg_catalog.pg_roles r
 CROSS JOIN (VALUES ('ceptoar.rule_set'), ('ceptoar.rule'), ('ceptoar.service_instance'),
                    ('ceptoar.dependency')) AS t(tab)
 CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS p(priv)
 WHERE r.rolname LIKE 'regress_cfg_%' AND r.rolname NOT IN ('regress_cfg_dba', 'regress_cfg_both')
 GROUP BY r.rolname, t.tab ORDER BY r.rolname, t.tab;

------------------------------------------------------------------------------------------
-- Rule sets
------------------------------------------------------------------------------------------
-- NISC: legal and verification sets of any owner; no service levels; nothing shipped
SET ROLE regress_cfg_nisc;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-nisc-v', 'verification_level', 'NISC')$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-nisc-l', 'legal_reporting', 'MIC')$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-nisc-v', 'gas.supply', 'households >= 10')$$),
  ($$UPDATE ceptoar.rule SET criterion = 'households >= 20' WHERE rule_set = 'cfg-nisc-v'$$),
  ($$UPDATE ceptoar.rule_set SET title = 'ours' WHERE code = 'cfg-nisc-l'$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-nisc-s', 'service_level', 'cfg-power')$$),
  ($$UPDATE ceptoar.rule_set SET kind = 'service_level' WHERE code = 'cfg-nisc-l'$$),
  ($$UPDATE ceptoar.rule_set SET title = 'x' WHERE code = 'nisc-2009'$$),
  ($$DELETE FROM ceptoar.rule WHERE rule_set = 'telecom-2015'$$),
  ($$TRUNCATE ceptoar.rule$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- a ministry: legal and verification sets it owns (owner = its code, in any case)
SET ROLE regress_cfg_meti;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-meti-l', 'legal_reporting', 'METI')$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-meti-v', 'verification_level', 'meti')$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-meti-l', 'gas.supply', 'households >= 5')$$),
  ($$UPDATE ceptoar.rule SET clause_en = 'five households' WHERE rule_set = 'cfg-meti-l'$$),
  ($$DELETE FROM ceptoar.rule_set WHERE code = 'cfg-meti-v'$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-meti-x', 'legal_reporting', 'MIC')$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-meti-y', 'legal_reporting', NULL)$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-meti-s', 'service_level', 'meti')$$),
  ($$UPDATE ceptoar.rule_set SET owner = 'MIC' WHERE code = 'cfg-meti-l'$$),
  ($$UPDATE ceptoar.rule_set SET title = 'not mine' WHERE code = 'cfg-nisc-l'$$),
  ($$DELETE FROM ceptoar.rule_set WHERE code = 'cfg-nisc-v'$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-nisc-l', 'gas.supply', 'households >= 1')$$),
  ($$UPDATE ceptoar.rule SET rule_set = 'cfg-nisc-v' WHERE rule_set = 'cfg-meti-l'$$),
  ($$DELETE FROM ceptoar.rule WHERE rule_set = 'cfg-nisc-v'$$),
  ($$UPDATE ceptoar.rule_set SET title = 'x' WHERE code = 'gas-report'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
-- the message, detail and hint of a refusal
SELECT e.* FROM pg_temp.try($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-meti-x', 'legal_reporting', 'MIC')$$) AS e;
-- renaming its set cascades to its rules (the cascade runs as the tables' owner)
UPDATE ceptoar.rule_set SET code = 'cfg-meti-l2' WHERE code = 'cfg-meti-l';
SELECT rule_set, service, criterion FROM ceptoar.rule WHERE rule_set LIKE 'cfg-%' ORDER BY 1, 2;
-- its own set classifies at once (the rule cache follows), for the ministry itself
SELECT (ceptoar.classify('service=gas.supply, began=2024-07-01 10:00+09, households=7', 'cfg-meti-l2')).outcome AS meti_set,
       (ceptoar.classify('service=gas.supply, began=2024-07-01 10:00+09, households=7')).outcome AS nisc_2009;
-- the other ministry writes its own, not meti's
SET ROLE regress_cfg_mic;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-mic-l', 'legal_reporting', 'MIC')$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-mic-l', 'telecom.broadcasting', 'effect in (stop)')$$),
  ($$DELETE FROM ceptoar.rule WHERE rule_set = 'cfg-meti-l2'$$),
  ($$UPDATE ceptoar.rule_set SET title = 'x' WHERE code = 'telecom-2015'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- an operator: its own service levels only (owner = its code)
SET ROLE regress_cfg_power;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-power-sla', 'service_level', 'cfg-power')$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-power-sla', 'electricity.supply', 'duration >= 5 min')$$),
  ($$UPDATE ceptoar.rule SET criterion = 'duration >= 10 min' WHERE rule_set = 'cfg-power-sla'$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-power-tmp', 'service_level', 'cfg-power')$$),
  ($$DELETE FROM ceptoar.rule_set WHERE code = 'cfg-power-tmp'$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-power-x', 'service_level', 'cfg-telco')$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-power-y', 'service_level', NULL)$$),
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-power-l', 'legal_reporting', 'cfg-power')$$),
  ($$UPDATE ceptoar.rule_set SET kind = 'verification_level' WHERE code = 'cfg-power-sla'$$),
  ($$UPDATE ceptoar.rule_set SET owner = 'cfg-telco' WHERE code = 'cfg-power-sla'$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-meti-l2', 'electricity.supply', 'lost_kw >= 1')$$),
  ($$DELETE FROM ceptoar.rule_set WHERE code = 'cfg-meti-l2'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT (ceptoar.classify('service=electricity.supply, began=2024-07-01 10:00+09, lasted=20 min', 'cfg-power-sla')).outcome AS own_levels;
SET ROLE regress_cfg_telco;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-telco-sla', 'service_level', 'cfg-telco')$$),
  ($$UPDATE ceptoar.rule SET criterion = 'duration >= 1 min' WHERE rule_set = 'cfg-power-sla'$$),
  ($$DELETE FROM ceptoar.rule_set WHERE code = 'cfg-power-sla'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- a CEPTOAR and the public read the rules and classify, and write none
SET ROLE regress_cfg_ceptoar;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-c', 'legal_reporting', 'electricity')$$),
  ($$UPDATE ceptoar.rule_set SET title = 'x' WHERE code = 'cfg-power-sla'$$),
  ($$DELETE FROM ceptoar.rule WHERE rule_set = 'cfg-power-sla'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT count(*) > 0 AS reads_rules, (ceptoar.classify('service=gas.supply, began=2024-07-01 10:00+09, households=7', 'cfg-meti-l2')).outcome
  FROM ceptoar.rule;
SET ROLE regress_cfg_public;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-p', 'legal_reporting', NULL)$$),
  ($$DELETE FROM ceptoar.rule_set WHERE code = 'cfg-power-sla'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT count(*) > 0 AS reads_rules, (ceptoar.classify('service=gas.supply, began=2024-07-01 10:00+09, households=7', 'cfg-meti-l2')).outcome
  FROM ceptoar.rule_set;

-- no party, with a DBA's grant: as before (the DBA's business)
SET ROLE regress_cfg_dba;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-dba', 'service_level', 'anyone')$$),
  ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-nisc-l', 'gas', 'households >= 1')$$),
  ($$DELETE FROM ceptoar.rule WHERE rule_set = 'cfg-nisc-l'$$),
  ($$UPDATE ceptoar.rule_set SET title = 'x' WHERE code = 'nisc-2009'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
-- a member of two parties acts as none, and writes nothing with the privileges it inherits
SET ROLE regress_cfg_both;
SELECT e.state, e.message FROM pg_temp.try($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('cfg-both', 'legal_reporting', 'meti')$$) AS e;
SELECT e.state, e.message FROM pg_temp.try($$UPDATE ceptoar.service_instance SET name = 'x' WHERE false$$) AS e;
SELECT e.state, e.message FROM pg_temp.try($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9099, 'gas.supply', 'cfg-power')$$) AS e;
RESET ROLE;
SELECT code, kind, owner FROM ceptoar.rule_set WHERE code LIKE 'cfg-%' ORDER BY code;

-- an operator's service levels: a rule set it owns, whichever party names it
GRANT UPDATE (service_levels) ON ceptoar.operator TO regress_cfg_power, regress_cfg_nisc, regress_cfg_dba;
GRANT SELECT ON ceptoar.operator TO regress_cfg_power, regress_cfg_nisc, regress_cfg_dba;
SET ROLE regress_cfg_power;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$UPDATE ceptoar.operator SET service_levels = 'cfg-telco-sla' WHERE code = 'cfg-power'$$),
  ($$UPDATE ceptoar.operator SET service_levels = 'cfg-power-sla' WHERE code = 'cfg-power'$$),
  ($$UPDATE ceptoar.operator SET service_levels = 'cfg-power-sla' WHERE code = 'cfg-telco'$$),
  ($$UPDATE ceptoar.operator SET service_levels = NULL WHERE code = 'cfg-power'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SET ROLE regress_cfg_nisc;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$UPDATE ceptoar.operator SET service_levels = 'cfg-dba' WHERE code = 'cfg-power'$$),
  ($$UPDATE ceptoar.operator SET service_levels = 'cfg-telco-sla' WHERE code = 'cfg-telco'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
-- a role that is no party gets nothing of operator from a DBA's grant: the table is under
-- row-level security (220_access.sql), whose policies read tables it may not (42501); an
-- operator party does not see, so cannot write, another operator's row (no row, no error)
SET ROLE regress_cfg_dba;
SELECT e.state FROM pg_temp.try($$UPDATE ceptoar.operator SET service_levels = 'cfg-dba' WHERE code = 'cfg-power'$$) AS e;
RESET ROLE;
SELECT code, service_levels FROM ceptoar.operator WHERE code LIKE 'cfg-%' ORDER BY code;
UPDATE ceptoar.operator SET service_levels = NULL WHERE code LIKE 'cfg-%';
REVOKE ALL ON ceptoar.operator FROM regress_cfg_power, regress_cfg_nisc, regress_cfg_dba;

------------------------------------------------------------------------------------------
-- Service instances and dependencies
------------------------------------------------------------------------------------------
INSERT INTO ceptoar.service_instance (id, service, operator, population) VALUES
  (9001, 'electricity.supply', 'cfg-power', 1000),
  (9002, 'telecom.telecommunications', 'cfg-telco', 500),
  (9003, 'gas.supply', 'cfg-gas', 200);
INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (9002, 9001, '1 hour');
CREATE TEMP TABLE counts AS SELECT sum(changes) AS changes FROM ceptoar.graph_version;
GRANT SELECT ON counts TO PUBLIC;

-- an operator: its own instances, and dependencies whose dependent is its own
SET ROLE regress_cfg_power;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator, population) VALUES (9011, 'electricity.supply', 'cfg-power', 10)$$),
  ($$UPDATE ceptoar.service_instance SET population = 1100 WHERE id = 9001$$),
  ($$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (9001, 9002)$$),
  ($$UPDATE ceptoar.dependency SET buffer = '2 hours' WHERE dependent = 9001$$),
  ($$DELETE FROM ceptoar.service_instance WHERE id = 9011$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9012, 'electricity.supply', 'cfg-telco')$$),
  ($$UPDATE ceptoar.service_instance SET operator = 'cfg-telco' WHERE id = 9001$$),
  ($$UPDATE ceptoar.service_instance SET population = 1 WHERE id = 9002$$),
  ($$DELETE FROM ceptoar.service_instance WHERE id = 9002$$),
  ($$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (9002, 9003)$$),
  ($$UPDATE ceptoar.dependency SET buffer = '0' WHERE dependent = 9002$$),
  ($$UPDATE ceptoar.dependency SET dependent = 9002 WHERE dependent = 9001$$),
  ($$DELETE FROM ceptoar.dependency WHERE dependent = 9002$$),
  ($$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (9999, 9001)$$),
  ($$TRUNCATE ceptoar.dependency$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT e.* FROM pg_temp.try($$UPDATE ceptoar.service_instance SET population = 1 WHERE id = 9002$$) AS e;
-- the accepted writes were counted (the graph caches retire), the refused ones not
RESET ROLE;
SELECT (SELECT sum(changes) FROM ceptoar.graph_version) - c.changes AS counted FROM counts c;
-- impact() and classify() answer for the operator
SET ROLE regress_cfg_power;
SELECT instance, depth, onset - '2024-07-01 10:00+09' AS after FROM ceptoar.impact(ARRAY[9001::bigint], '2024-07-01 10:00+09', '3 hours') ORDER BY instance;
SELECT (ceptoar.classify('service=electricity.supply, began=2024-07-01 10:00+09, lasted=1 h, lost_kw=200000')).outcome;
SET ROLE regress_cfg_telco;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$UPDATE ceptoar.dependency SET buffer = '30 min' WHERE dependent = 9002$$),
  ($$DELETE FROM ceptoar.dependency WHERE dependent = 9001$$),
  ($$DELETE FROM ceptoar.service_instance WHERE id = 9001$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- a ministry: the instances of the sectors it is competent for today, of any operator
SET ROLE regress_cfg_meti;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9021, 'gas.supply', 'cfg-gas')$$),
  ($$UPDATE ceptoar.service_instance SET population = 300 WHERE id = 9003$$),
  ($$UPDATE ceptoar.service_instance SET population = 7 WHERE id = 9021$$),
  ($$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (9003, 9002)$$),
  ($$DELETE FROM ceptoar.dependency WHERE dependent = 9003$$),
  ($$DELETE FROM ceptoar.service_instance WHERE id = 9021$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9022, 'telecom.telecommunications', 'cfg-power')$$),
  ($$UPDATE ceptoar.service_instance SET service = 'telecom.broadcasting' WHERE id = 9003$$),
  ($$UPDATE ceptoar.service_instance SET population = 1 WHERE id = 9002$$),
  ($$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (9002, 9003)$$),
  ($$DELETE FROM ceptoar.dependency WHERE dependent = 9002$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT count(*) AS hit FROM ceptoar.impact(ARRAY[9001::bigint], '2024-07-01 10:00+09', '3 hours');
SET ROLE regress_cfg_mic;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$UPDATE ceptoar.service_instance SET population = 600 WHERE id = 9002$$),
  ($$UPDATE ceptoar.dependency SET buffer = '90 min' WHERE dependent = 9002$$),
  ($$UPDATE ceptoar.service_instance SET population = 1 WHERE id = 9001$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- NISC: all
SET ROLE regress_cfg_nisc;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9031, 'electricity.supply', 'cfg-power')$$),
  ($$UPDATE ceptoar.service_instance SET population = 700 WHERE id = 9002$$),
  ($$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (9031, 9001)$$),
  ($$DELETE FROM ceptoar.dependency WHERE dependent = 9031$$),
  ($$DELETE FROM ceptoar.service_instance WHERE id = 9031$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT count(*) AS hit FROM ceptoar.impact(ARRAY[9001::bigint], '2024-07-01 10:00+09', '3 hours');

-- a CEPTOAR reads the graph (impact answers), writes none of it; the public neither
SET ROLE regress_cfg_ceptoar;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9041, 'electricity.supply', 'cfg-power')$$),
  ($$UPDATE ceptoar.service_instance SET population = 1 WHERE id = 9001$$),
  ($$DELETE FROM ceptoar.dependency WHERE dependent = 9002$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT count(*) AS hit FROM ceptoar.impact(ARRAY[9001::bigint], '2024-07-01 10:00+09', '3 hours');
SET ROLE regress_cfg_public;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$SELECT count(*) FROM ceptoar.service_instance$$),
  ($$SELECT count(*) FROM ceptoar.dependency$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9051, 'electricity.supply', 'cfg-power')$$),
  ($$SELECT count(*) FROM ceptoar.impact(ARRAY[9001::bigint], '2024-07-01 10:00+09', '3 hours')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
-- no party, with a DBA's grant: as before
SET ROLE regress_cfg_dba;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (9061, 'telecom.broadcasting', 'cfg-telco')$$),
  ($$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (9061, 9001)$$),
  ($$DELETE FROM ceptoar.service_instance WHERE id = 9061$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- an operator deleting its instance takes the dependencies on it along, whoever's they are
-- (the foreign key's cascade runs as the tables' owner)
SET ROLE regress_cfg_power;
DELETE FROM ceptoar.service_instance WHERE id = 9001;
RESET ROLE;
SELECT id, service, operator, population FROM ceptoar.service_instance WHERE id BETWEEN 9000 AND 9999 ORDER BY id;
SELECT dependent, supplier, buffer FROM ceptoar.dependency WHERE dependent BETWEEN 9000 AND 9999 ORDER BY 1, 2;

------------------------------------------------------------------------------------------
-- The audit of identity reads
------------------------------------------------------------------------------------------
BEGIN;
CREATE TEMP TABLE before_audit AS SELECT count(*) AS n FROM ceptoar.identity_reads;
GRANT SELECT ON before_audit TO PUBLIC;
SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000a1', 'identity') AS returned;
SET LOCAL ROLE regress_cfg_meti;
SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000a2', 'description') AS returned;
SET LOCAL ROLE regress_cfg_public;
SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000a3', 'identity') AS returned;
SET LOCAL ROLE regress_cfg_both;
SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000a4', 'identity') AS returned;
-- nothing read, nothing recorded; a read of something else is an error
SELECT ceptoar._audit_read(NULL, 'identity') IS NULL AS null_report;
SELECT e.* FROM pg_temp.try($$SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000a5', 'operator')$$) AS e;
-- nobody but the owner reads or writes the audit, not even NISC
SET LOCAL ROLE regress_cfg_nisc;
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$SELECT count(*) FROM ceptoar.identity_reads$$),
  ($$INSERT INTO ceptoar.identity_reads VALUES (now(), 'x', 'x', NULL, NULL, '00000000-0000-0000-0000-0000000000a6', 'identity')$$),
  ($$DELETE FROM ceptoar.identity_reads$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
RESET ROLE;
SELECT CASE WHEN reader = session_user THEN '(the session user)' ELSE reader::text END AS reader,
       login = session_user AS login_is_session, party_kind, party_code, report, what,
       read_at <= clock_timestamp() AND read_at >= now() AS when_read
  FROM ceptoar.identity_reads ORDER BY report;
-- append-only, even for the owner
SELECT t.stmt, e.state, e.message FROM (VALUES
  ($$UPDATE ceptoar.identity_reads SET reader = 'someone'$$),
  ($$DELETE FROM ceptoar.identity_reads$$),
  ($$TRUNCATE ceptoar.identity_reads$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT count(*) - (SELECT n FROM before_audit) AS recorded FROM ceptoar.identity_reads;
ROLLBACK;

-- a read-only transaction does not fail: the reads go to the server log, with one warning
BEGIN READ ONLY;
SET LOCAL client_min_messages = warning;
SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000b1', 'identity') AS returned
  FROM pg_catalog.generate_series(1, 2);
SELECT count(*) AS recorded FROM ceptoar.identity_reads WHERE report = '00000000-0000-0000-0000-0000000000b1';
COMMIT;

-- suspected_origins() records each origin it shows (its instance names the operator)
BEGIN;
INSERT INTO ceptoar.service_instance (id, service, operator, population) VALUES
  (9101, 'electricity.supply', 'cfg-power', 1000);
INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (9002, 9101, '0');
INSERT INTO ceptoar.report (id, operator, incident, instance) VALUES
  ('00000000-0000-0000-0000-0000000000c1', 'cfg-power', 'service=electricity.supply, began=2024-07-01 10:00+09, lasted=3 hours', 9101),
  ('00000000-0000-0000-0000-0000000000c2', 'cfg-telco', 'service=telecom.telecommunications, began=2024-07-01 10:30+09', 9002);
SELECT origin, origin_instance FROM ceptoar.suspected_origins('00000000-0000-0000-0000-0000000000c2');
SELECT reader = current_user AS by_me, report, what FROM ceptoar.identity_reads
 WHERE report IN ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000c2');
ROLLBACK;

-- response_timeline() records the notes it shows, verdicts() the operator's own
-- service-level verdicts (its rule set names it): for the session's role, which they run
-- for as the owner; a party that sees the report pseudonymously reads neither, and nothing
-- is recorded for it
BEGIN;
INSERT INTO ceptoar.rule_set (code, kind, title, owner) VALUES ('cfg-aud-sla', 'service_level', 'Power''s own', 'cfg-power');
INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('cfg-aud-sla', 'electricity', 'duration >= 5 min');
UPDATE ceptoar.operator SET service_levels = 'cfg-aud-sla' WHERE code = 'cfg-power';
INSERT INTO ceptoar.report (id, operator, incident, tlp, summary) VALUES
  ('00000000-0000-0000-0000-0000000000d1', 'cfg-power', 'service=electricity.supply, began=2024-07-01 10:00+09, lasted=1 hour', 'clear', 'audited');
INSERT INTO ceptoar.report_step (report, step, done_at, note) VALUES
  ('00000000-0000-0000-0000-0000000000d1', 'contact', '2024-07-01 10:20+09', 'Power Co called');
SET LOCAL ROLE regress_cfg_power;
SELECT count(*) FILTER (WHERE note IS NOT NULL) AS notes FROM ceptoar.response_timeline('00000000-0000-0000-0000-0000000000d1');
SELECT count(*) FILTER (WHERE rule_kind = 'service_level') AS own_levels FROM ceptoar.verdicts('00000000-0000-0000-0000-0000000000d1');
SET LOCAL ROLE regress_cfg_ceptoar;
SELECT count(*) FILTER (WHERE note IS NOT NULL) AS notes FROM ceptoar.response_timeline('00000000-0000-0000-0000-0000000000d1');
SELECT count(*) FILTER (WHERE rule_kind = 'service_level') AS own_levels FROM ceptoar.verdicts('00000000-0000-0000-0000-0000000000d1');
SET LOCAL ROLE regress_cfg_meti;
SELECT count(*) FILTER (WHERE note IS NOT NULL) AS notes FROM ceptoar.response_timeline('00000000-0000-0000-0000-0000000000d1');
RESET ROLE;
SELECT reader, login = session_user AS login_is_session, party_kind, party_code, what
  FROM ceptoar.identity_reads WHERE report = '00000000-0000-0000-0000-0000000000d1' ORDER BY reader, what;
ROLLBACK;

-- unregistering takes the privileges away; registering as another kind replaces them
SELECT ceptoar.unregister_party('regress_cfg_power');
SELECT ceptoar.register_party('regress_cfg_telco', 'ceptoar', 'electricity');
SET ROLE regress_cfg_power;
SELECT e.state, e.message FROM pg_temp.try($$UPDATE ceptoar.service_instance SET population = 1 WHERE id = 9003$$) AS e;
SELECT (ceptoar.classify('service=gas.supply, began=2024-07-01 10:00+09, households=7')).outcome AS still_classifies;
SET ROLE regress_cfg_telco;
SELECT e.state, e.message FROM pg_temp.try($$UPDATE ceptoar.service_instance SET population = 1 WHERE id = 9002$$) AS e;
SELECT count(*) AS reads_as_ceptoar FROM ceptoar.service_instance WHERE id = 9002;
RESET ROLE;

-- clean up
DELETE FROM ceptoar.service_instance WHERE id BETWEEN 9000 AND 9999;
DELETE FROM ceptoar.rule_set WHERE code LIKE 'cfg-%';
SELECT ceptoar.unregister_party(p.role) FROM ceptoar.party p WHERE p.role::text LIKE 'regress_cfg_%';
REVOKE ALL ON ceptoar.rule_set, ceptoar.rule, ceptoar.service_instance, ceptoar.dependency FROM regress_cfg_dba;
DROP TABLE counts;
SET client_min_messages = warning;
DROP ROLE regress_cfg_nisc, regress_cfg_meti, regress_cfg_mic, regress_cfg_power, regress_cfg_telco,
  regress_cfg_ceptoar, regress_cfg_public, regress_cfg_dba, regress_cfg_both;
RESET client_min_messages;
DELETE FROM ceptoar.operator WHERE code LIKE 'cfg-%';
