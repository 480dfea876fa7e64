-- graph_untracked.sql: rows written with the graph's triggers disabled are neither counted
-- nor logged (graph_version, graph_change), so a cached graph, or the shared image with the
-- changes laid over it, does not see them, even after a counted change; VACUUM FULL of
-- ceptoar.graph_version (a new file of the counter) makes every backend read the tables
-- again (README, "Interdependency impact").
SET client_min_messages = warning;
SET search_path = public, ceptoar;
INSERT INTO operator (code, name, sector) VALUES ('op-untracked', 'Op', 'telecom');
INSERT INTO service_instance (id, service, operator)
SELECT g, 'telecom.telecommunications', 'op-untracked' FROM generate_series(900001, 900010) g;
INSERT INTO dependency (dependent, supplier) SELECT g + 1, g FROM generate_series(900001, 900005) g;
SELECT count(*) AS reached FROM impact(900001, '2024-01-15 09:00+09', '1 day');

ALTER TABLE dependency DISABLE TRIGGER ALL;
INSERT INTO dependency (dependent, supplier) VALUES (900008, 900006);
ALTER TABLE dependency ENABLE TRIGGER ALL;
-- a counted change of another row: its key is laid over; whether the untracked row is seen
-- depends on where it landed (a new block of the table: the tables are read), so not shown
UPDATE dependency SET buffer = '0' WHERE dependent = 900002;
SELECT count(*) > 0 AS answered FROM impact(900001, '2024-01-15 09:00+09', '1 day');

VACUUM FULL graph_version;
SELECT count(*) AS reached_after_vacuum_full FROM impact(900001, '2024-01-15 09:00+09', '1 day');
\c
SET search_path = public, ceptoar;
SELECT count(*) AS reached_new_session FROM impact(900001, '2024-01-15 09:00+09', '1 day');


-- The log is pruned by TRUNCATE only (0.6): a deleted or changed row would hide its
-- transaction's change from a backend whose image is older.  Refused for its owner too,
-- also under session_replication_role = replica; TRUNCATE goes through.
\set VERBOSITY default
SELECT count(*) > 0 AS logged FROM graph_change;
DELETE FROM graph_change;
UPDATE graph_change SET instance = NULL WHERE false;
SET session_replication_role = replica;
DELETE FROM graph_change WHERE xid = '1';
RESET session_replication_role;
SELECT count(*) > 0 AS still_logged FROM graph_change;
TRUNCATE graph_change;
SELECT count(*) AS after_truncate FROM graph_change;
-- and the engine answers right after the TRUNCATE (the tables are read)
SELECT count(*) AS reached_after_truncate FROM impact(900001, '2024-01-15 09:00+09', '1 day');

DELETE FROM service_instance WHERE id BETWEEN 900001 AND 900010;
DELETE FROM operator WHERE code = 'op-untracked';
