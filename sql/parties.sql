-- parties.sql: registering roles as parties of the registry (issue 13, section 1), and
-- which party a role acts as.
SET client_min_messages = warning;
CREATE ROLE regress_party_nisc;
CREATE ROLE regress_party_meti;
CREATE ROLE regress_party_op;
CREATE ROLE regress_party_public;
CREATE ROLE regress_party_staff IN ROLE regress_party_meti;      -- a member: acts as meti
CREATE ROLE regress_party_both IN ROLE regress_party_meti, regress_party_op;
CREATE ROLE regress_party_nobody;
CREATE ROLE regress_party_su SUPERUSER;
CREATE ROLE regress_party_bypass BYPASSRLS;
RESET client_min_messages;
INSERT INTO ceptoar.operator (code, name, sector) VALUES ('regress-party-power', 'Power Co', 'electricity');

-- registering
SELECT ceptoar.register_party('regress_party_nisc', 'nisc');
SELECT ceptoar.register_party('regress_party_meti', 'ministry', 'meti');
SELECT ceptoar.register_party('regress_party_op', 'operator', 'regress-party-power');
SELECT ceptoar.register_party('regress_party_public', 'public');
SELECT role, kind, code FROM ceptoar.party ORDER BY kind, code;

-- bad registrations: each a clear error, nothing written
SELECT ceptoar.register_party('regress_party_nobody', 'minister', 'meti');
SELECT ceptoar.register_party('regress_party_nobody', NULL);
SELECT ceptoar.register_party('regress_party_nobody', 'ministry');
SELECT ceptoar.register_party('regress_party_nobody', 'ministry', 'mof');
SELECT ceptoar.register_party('regress_party_nobody', 'ministry', 'mpt');     -- abolished in 2001
SELECT ceptoar.register_party('regress_party_nobody', 'ceptoar', 'no-such');
SELECT ceptoar.register_party('regress_party_nobody', 'operator', 'no-such');
SELECT ceptoar.register_party('regress_party_nobody', 'public', 'x');
SELECT ceptoar.register_party('regress_party_nobody', 'nisc', 'meti');
SELECT ceptoar.register_party(NULL, 'nisc');
SELECT ceptoar.register_party('regress_party_su', 'nisc');
SELECT ceptoar.register_party('regress_party_bypass', 'nisc');
SELECT ceptoar.register_party('no_such_role_at_all', 'nisc');
SELECT count(*) AS parties FROM ceptoar.party;

-- who acts as what
SET ROLE regress_party_nisc;
SELECT * FROM ceptoar.my_party();
SET ROLE regress_party_meti;
SELECT * FROM ceptoar.my_party();
SET ROLE regress_party_staff;
SELECT * FROM ceptoar.my_party();
SET ROLE regress_party_op;
SELECT * FROM ceptoar.my_party();
SET ROLE regress_party_public;
SELECT * FROM ceptoar.my_party(), ceptoar._party_kind() k, ceptoar._party_code() c;
SET ROLE regress_party_nobody;
SELECT * FROM ceptoar.my_party(), ceptoar._party_kind() k, ceptoar._party_code() c;
-- a member of two parties acts as none
SET ROLE regress_party_both;
SELECT ceptoar._party_kind() IS NULL AS no_kind, ceptoar._party_code() IS NULL AS no_code;
SELECT * FROM ceptoar.my_party();
-- inside a SECURITY DEFINER function (owned here by a superuser) the party is still the caller's
RESET ROLE;
CREATE FUNCTION pg_temp.definer_party() RETURNS text LANGUAGE sql SECURITY DEFINER
  AS $$SELECT current_user || ' acts as ' || coalesce(ceptoar._party_kind() || ' ' || ceptoar._party_code(), 'no party')$$;
GRANT EXECUTE ON FUNCTION pg_temp.definer_party() TO PUBLIC;
SET ROLE regress_party_meti;
SELECT current_user, pg_temp.definer_party() = (SELECT r.rolname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
  WHERE p.proname = 'definer_party') || ' acts as ministry meti' AS owner_acting_callers_party;
SET ROLE regress_party_nobody;
SELECT pg_temp.definer_party() LIKE '% acts as no party' AS no_party;
-- the roster is not theirs to read, nor registering
SET ROLE regress_party_meti;
SELECT * FROM ceptoar.party;
SELECT ceptoar.register_party('regress_party_nobody', 'nisc');
SELECT ceptoar.unregister_party('regress_party_op');
RESET ROLE;
-- a superuser is a member of every role, but not of a party by that
SET ROLE regress_party_su;
SELECT ceptoar._party_kind() IS NULL AS su_no_party;
RESET ROLE;

-- registered itself beats membership: register the two-party role as the public
SELECT ceptoar.register_party('regress_party_both', 'public');
SET ROLE regress_party_both;
SELECT * FROM ceptoar.my_party();
RESET ROLE;
-- registering again changes the party
SELECT ceptoar.register_party('regress_party_both', 'ministry', 'mic');
SET ROLE regress_party_both;
SELECT * FROM ceptoar.my_party();
RESET ROLE;
-- in one transaction: registered, then not
BEGIN;
SELECT ceptoar.unregister_party('regress_party_both');
SET LOCAL ROLE regress_party_both;
SELECT ceptoar._party_kind() IS NULL AS no_party_any_more;
ROLLBACK;
SET ROLE regress_party_both;
SELECT * FROM ceptoar.my_party();
RESET ROLE;
SELECT ceptoar.unregister_party('regress_party_both');
SELECT ceptoar.unregister_party('regress_party_both');
SELECT ceptoar.unregister_party('regress_party_nobody');

-- a staff member who leaves the ministry's role is no party
REVOKE regress_party_meti FROM regress_party_staff;
SET ROLE regress_party_staff;
SELECT ceptoar._party_kind() IS NULL AS left_the_ministry;
RESET ROLE;

-- clean up
SELECT ceptoar.unregister_party(p.role) FROM ceptoar.party p WHERE p.role::text LIKE 'regress_party_%';
SET client_min_messages = warning;
DROP ROLE regress_party_nisc, regress_party_meti, regress_party_op, regress_party_public,
  regress_party_staff, regress_party_both, regress_party_nobody, regress_party_su, regress_party_bypass;
RESET client_min_messages;
-- the test's operator, which never reported
DELETE FROM ceptoar.operator WHERE code = 'regress-party-power';

-- recipients of red reports: known party codes of known reports, kept (in a transaction
-- rolled back: reports are never deleted, and later tests count them)
\set ON_ERROR_ROLLBACK on
BEGIN;
INSERT INTO ceptoar.operator (code, name, sector) VALUES ('regress-party-gas', 'Gas Co', 'gas');
INSERT INTO ceptoar.report (id, operator, kind, tlp) VALUES
  ('00000000-0000-0000-0000-0000000000e1', 'regress-party-gas', 'threat', 'red');
INSERT INTO ceptoar.report_recipient (report, recipient) VALUES
  ('00000000-0000-0000-0000-0000000000e1', 'nisc'),
  ('00000000-0000-0000-0000-0000000000e1', 'meti'),
  ('00000000-0000-0000-0000-0000000000e1', 'gas'),
  ('00000000-0000-0000-0000-0000000000e1', 'regress-party-gas');
SELECT recipient, named_by = current_user AS by_me FROM ceptoar.report_recipient ORDER BY recipient;
INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000e1', 'mpt');
INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000e1', 'nobody');
INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000e2', 'nisc');
DELETE FROM ceptoar.report_recipient WHERE recipient = 'nisc';
UPDATE ceptoar.report_recipient SET recipient = 'mic' WHERE recipient = 'nisc';
ROLLBACK;
\set ON_ERROR_ROLLBACK off
