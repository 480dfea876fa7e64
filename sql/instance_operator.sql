-- instance_operator.sql: service_instance.operator refers to ceptoar.operator (a foreign
-- key, ON UPDATE CASCADE), and an operator delivers its own sector's services (checked
-- per statement on service_instance, per row on operator's sector).  Leaves nothing behind.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
\set SHOW_CONTEXT never

\i sql/try.psql

INSERT INTO operator (code, name, sector) VALUES
  ('regress-power', 'Power', 'electricity'), ('regress-tel', 'Tel', 'telecom'),
  ('regress-idle', 'Idle', 'gas');

-- the operator must exist (foreign key): an unknown code, a code in another case
SELECT e.* FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (1, 'electricity.supply', 'no-such-operator')$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (1, 'electricity.supply', 'Regress-Power')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- the service must be of the operator's sector: the sector's root and a leaf pass, another
-- sector's service does not; one bad row refuses the whole statement (COPY too)
SELECT stmt, e.* FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (1, 'electricity', 'regress-power')$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (2, 'electricity.supply', 'regress-power')$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (3, 'telecom.telecommunications.voice', 'regress-tel')$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (4, 'gas.supply', 'regress-power')$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (5, 'telecom', 'regress-tel'), (6, 'telecom', 'regress-power')$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

COPY service_instance (id, service, operator) FROM stdin;
7	electricity.supply	regress-power
\.
COPY service_instance (id, service, operator) FROM stdin;
8	electricity.supply	regress-power
9	gas.supply	regress-tel
\.
SELECT id, service, operator FROM service_instance WHERE operator LIKE 'regress-%' ORDER BY id;

-- UPDATE: of the service, of the operator, both sides
SELECT stmt, e.state, e.message FROM (VALUES
  ($$UPDATE ceptoar.service_instance SET service = 'water.supply' WHERE id = 2$$),
  ($$UPDATE ceptoar.service_instance SET service = 'electricity' WHERE id = 2$$),
  ($$UPDATE ceptoar.service_instance SET operator = 'regress-tel' WHERE id = 2$$),
  ($$UPDATE ceptoar.service_instance SET operator = 'regress-tel', service = 'telecom.broadcasting' WHERE id = 2$$),
  ($$UPDATE ceptoar.service_instance SET operator = 'nobody' WHERE id = 2$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT id, service, operator FROM service_instance WHERE operator LIKE 'regress-%' ORDER BY id;

-- a new operator code cascades to its instances (and they still pass the sector check)
UPDATE operator SET code = 'regress-grid' WHERE code = 'regress-power';
SELECT id, service, operator FROM service_instance WHERE operator LIKE 'regress-%' ORDER BY id;

-- an operator keeps its instances' sector: refused while one is left in the old sector,
-- allowed once none is; an operator without instances may move
SELECT stmt, e.* FROM (VALUES
  ($$UPDATE ceptoar.operator SET sector = 'gas' WHERE code = 'regress-grid'$$),
  ($$UPDATE ceptoar.operator SET sector = 'electricity', name = 'Idle too' WHERE code = 'regress-idle'$$),
  ($$UPDATE ceptoar.operator SET name = 'Grid' WHERE code = 'regress-grid'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
UPDATE service_instance SET operator = 'regress-idle' WHERE operator = 'regress-grid';
SELECT e.state FROM pg_temp.try($$UPDATE ceptoar.operator SET sector = 'gas' WHERE code = 'regress-grid'$$) AS e;
SELECT code, name, sector FROM operator WHERE code LIKE 'regress-%' ORDER BY code;

-- an operator with instances is not deleted; one without is
SELECT stmt, e.state, e.message FROM (VALUES
  ($$DELETE FROM ceptoar.operator WHERE code = 'regress-idle'$$),
  ($$DELETE FROM ceptoar.operator WHERE code = 'regress-grid'$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;

-- a writer of instances needs no privilege on operator (the check is the extension's, as
-- the foreign key's is)
CREATE ROLE regress_instance_writer;
GRANT USAGE ON SCHEMA ceptoar TO regress_instance_writer;
GRANT SELECT, INSERT ON service_instance TO regress_instance_writer;
SET ROLE regress_instance_writer;
SELECT e.state, e.message FROM (VALUES
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (10, 'telecom.telecommunications', 'regress-tel')$$),
  ($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (11, 'water.supply', 'regress-tel')$$),
  ($$SELECT count(*) FROM ceptoar.operator$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
RESET ROLE;

DELETE FROM service_instance WHERE operator LIKE 'regress-%';
DELETE FROM operator WHERE code LIKE 'regress-%';
REVOKE ALL ON service_instance FROM regress_instance_writer;
REVOKE ALL ON SCHEMA ceptoar FROM regress_instance_writer;
DROP ROLE regress_instance_writer;
