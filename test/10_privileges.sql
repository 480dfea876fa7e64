-- test/10_privileges.sql: what PUBLIC, and so any plain role, may do in schema
-- ceptoar: use the types, functions and catalogue views, read the rule tables,
-- and nothing that creates or writes.  Also: no SECURITY DEFINER function
-- leaves search_path open.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;

SELECT plan(71);

-- A role with no grants and no memberships: it has exactly PUBLIC's rights.
CREATE ROLE regress_ceptoar_reader NOLOGIN;

-- The extension's functions, found through pg_depend so that new ones are covered.
CREATE TEMP VIEW ext_funcs AS
  SELECT p.oid, p.oid::regprocedure::text AS signature, p.prorettype, p.prosecdef, p.proconfig
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                    AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid
   WHERE e.extname = 'ceptoar_registry';

-- ---------------------------------------------------------------------------
-- Schema

SELECT schema_privs_are('ceptoar', 'public', ARRAY['USAGE'],
  'PUBLIC has USAGE but not CREATE on schema ceptoar');
SELECT schema_privs_are('ceptoar', 'regress_ceptoar_reader', ARRAY['USAGE'],
  'a fresh role has USAGE but not CREATE on schema ceptoar');

-- ---------------------------------------------------------------------------
-- Tables, views, sequences

SELECT is_empty(
  $$SELECT c.relname, a.privilege_type
      FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
     WHERE c.relnamespace = 'ceptoar'::regnamespace
       AND a.grantee = 0 AND a.privilege_type <> 'SELECT'
    UNION ALL
    SELECT c.relname || '.' || att.attname, a.privilege_type
      FROM pg_class c
      JOIN pg_attribute att ON att.attrelid = c.oid
      CROSS JOIN LATERAL aclexplode(att.attacl) a
     WHERE c.relnamespace = 'ceptoar'::regnamespace
       AND a.grantee = 0 AND a.privilege_type <> 'SELECT'$$,
  'PUBLIC is granted nothing but SELECT on any relation or column in ceptoar');

SELECT is_empty(
  $$SELECT c.relname FROM pg_class c
     WHERE c.relnamespace = 'ceptoar'::regnamespace
       AND CASE WHEN c.relkind = 'S'
                THEN has_sequence_privilege('regress_ceptoar_reader', c.oid, 'USAGE, UPDATE')
                WHEN c.relkind IN ('r', 'p', 'v', 'm', 'f')
                THEN has_table_privilege('regress_ceptoar_reader', c.oid,
                                         'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                  OR has_any_column_privilege('regress_ceptoar_reader', c.oid, 'INSERT, UPDATE, REFERENCES')
                ELSE false END$$,
  'a fresh role can write to no table, view or sequence in ceptoar');

-- (guard: the checks above do see the views and tables)
SELECT ok(
  ARRAY['plans', 'plan_revisions', 'sectors', 'ministries', 'ministry_sectors', 'ceptoars',
        'services', 'rule_set', 'rule', 'exercises']
    <@ ARRAY(SELECT relname::text FROM pg_class WHERE relnamespace = 'ceptoar'::regnamespace),
  'the relation checks cover the catalogue views, the rule tables and the exercises');

-- each catalogue view: SELECT and nothing else
SELECT table_privs_are('ceptoar', v, 'regress_ceptoar_reader', ARRAY['SELECT'],
                       format('a fresh role may only SELECT from ceptoar.%s', v))
  FROM unnest(ARRAY['plans', 'plan_revisions', 'sectors', 'ministries', 'ministry_sectors',
                    'ceptoars', 'services']::name[]) AS v;

-- the rule tables: readable, writable only by roles a DBA grants it to
SELECT table_privs_are('ceptoar', t, 'regress_ceptoar_reader', ARRAY['SELECT'],
                       format('a fresh role may only SELECT from ceptoar.%s', t))
  FROM unnest(ARRAY['rule_set', 'rule']::name[]) AS t;
-- the exercises (0.4): the same
SELECT table_privs_are('ceptoar', 'exercises', 'regress_ceptoar_reader', ARRAY['SELECT'],
                       'a fresh role may only SELECT from ceptoar.exercises');

-- anonymised sharing (0.4): every role reads shared_reports; the key and _viewer are the
-- owner's
SELECT table_privs_are('ceptoar', 'shared_reports', 'public', ARRAY['SELECT'],
                       'PUBLIC may only SELECT from ceptoar.shared_reports');
SELECT table_privs_are('ceptoar', t, 'public', ARRAY[]::text[],
                       format('PUBLIC has no privilege on ceptoar.%s', t))
  FROM unnest(ARRAY['pseudonym_key', '_viewer']::name[]) AS t;

-- the graph's change counter: written only by the trigger, as the owner; nobody else
SELECT table_privs_are('ceptoar', 'graph_version', 'regress_ceptoar_reader', ARRAY[]::text[],
  'a fresh role has no privilege on ceptoar.graph_version');
SELECT table_privs_are('ceptoar', 'graph_version', 'public', ARRAY[]::text[],
  'PUBLIC has no privilege on ceptoar.graph_version');

-- the audit of identity reads (0.4): the owner's only; appended by _audit_read()
SELECT table_privs_are('ceptoar', 'identity_reads', 'regress_ceptoar_reader', ARRAY[]::text[],
  'a fresh role has no privilege on ceptoar.identity_reads');
SELECT table_privs_are('ceptoar', 'identity_reads', 'public', ARRAY[]::text[],
  'PUBLIC has no privilege on ceptoar.identity_reads');
-- STIX 2.1 (0.5): the unmapped parts of imported bundles are the owner's
SELECT table_privs_are('ceptoar', 'stix_unmapped', 'public', ARRAY[]::text[],
  'PUBLIC has no privilege on ceptoar.stix_unmapped');
-- federation (0.5): the audiences and their copies are the owner's (a hub's DBA publishes them)
SELECT table_privs_are('ceptoar', t, 'public', ARRAY[]::text[],
                       format('PUBLIC has no privilege on ceptoar.%s', t))
  FROM unnest(ARRAY['federation_audience', 'audience_copy']::name[]) AS t;

-- ---------------------------------------------------------------------------
-- Functions

SELECT ok(
  ARRAY['ceptoar.sector_in(cstring)', 'ceptoar.sectors(text)', 'ceptoar._sectors()',
        'ceptoar.fiscal_year(date)', 'ceptoar._cache_invalidate()']
    <@ ARRAY(SELECT signature FROM ext_funcs),
  'the function checks see the extension''s functions through pg_depend');

-- the registry's writers (0.4: revoke, verify and the flows') are for the parties a DBA grants them to;
-- registering parties is the owner's (and the roles it grants EXECUTE to)
SELECT set_eq(
  $$SELECT signature FROM ext_funcs
     WHERE prorettype <> 'trigger'::regtype
       AND NOT has_function_privilege('regress_ceptoar_reader', oid, 'EXECUTE')$$,
  ARRAY['ceptoar.acknowledge_report(uuid,text)', 'ceptoar.issue_alert(text,text,ceptoar.sector[],ceptoar.tlp)',
        'ceptoar.forward_alert(uuid,text)', 'ceptoar.acknowledge_alert(uuid,text)',
        'ceptoar.revoke(uuid,text)', 'ceptoar.verify(uuid,text,text)',
        'ceptoar.register_party(regrole,text,text)', 'ceptoar.unregister_party(regrole)',
        'ceptoar._party_privileges(regrole,text,boolean)', 'ceptoar._party_privileges_registry(regrole,text,boolean)',
        'ceptoar.rotate_pseudonym_key()', 'ceptoar._pseudonym_pads()', 'ceptoar._sees(uuid)',
        'ceptoar._party_privileges_config(regrole,text,boolean)',
        'ceptoar._stix_incident(ceptoar.shared_reports)',
        'ceptoar._federation_copy(uuid[])', 'ceptoar.federation_refresh()'],
  'a fresh role may execute every function of the extension except trigger functions, the registry''s writers, the registering of parties, the pseudonyms'' key and helpers, the incident of a (forgeable) shared_reports row, and the rebuilding of the audiences'' copies (federation)');
-- anonymised sharing (0.4): the SECURITY DEFINER functions a fresh role may execute are the
-- read functions and the statistics, which answer for the session's role's party
SELECT set_eq(
  $$SELECT signature FROM ext_funcs
     WHERE prosecdef AND prorettype <> 'trigger'::regtype
       AND has_function_privilege('regress_ceptoar_reader', oid, 'EXECUTE')$$,
  ARRAY['ceptoar.response_timeline(uuid)',
        'ceptoar.suspected_origins(uuid,interval)',
        'ceptoar.verdicts(uuid)',
        'ceptoar.annual_statistics(integer)', 'ceptoar.annual_exclusions(integer)',
        'ceptoar._statistics_open_sectors(integer)',
        'ceptoar.stix_bundle(uuid[])', 'ceptoar._stix_keep(uuid,text,text,jsonb)',
        'ceptoar._stix_imported(uuid,integer,text,text)', 'ceptoar.stix_unmapped_purge(interval)'],
  'the SECURITY DEFINER functions a fresh role may execute: the read functions (STIX bundles included), which answer for the caller''s party, the statistics, which suppress by it, import_stix''s keepers of unmapped parts and of an imported report''s history, which check the caller may file reports (and has just filed it), and the purge of the caller''s own unmapped parts');

SELECT is_empty(
  $$SELECT signature FROM ext_funcs
     WHERE prorettype = 'trigger'::regtype
       AND has_function_privilege('public', oid, 'EXECUTE')$$,
  'PUBLIC may not execute the extension''s trigger functions');

SELECT function_privs_are('ceptoar', f, args, 'regress_ceptoar_reader', ARRAY['EXECUTE'],
                          format('a fresh role may execute ceptoar.%s(%s)', f, array_to_string(args, ', ')))
  FROM (VALUES ('sectors'::name, '{text}'::name[]),
               ('sectors_on', '{date}'),
               ('ministry', '{ceptoar.sector,date}'),
               ('name_ja', '{ceptoar.sector}'),
               ('parent', '{ceptoar.service}'),
               ('fiscal_year', '{timestamptz}')) AS x(f, args);

-- Types (tlp since 0.4): every type of the schema is usable by any role
SELECT is_empty(
  $$SELECT t.oid::regtype FROM pg_type t
     WHERE t.typnamespace = 'ceptoar'::regnamespace
       AND NOT has_type_privilege('regress_ceptoar_reader', t.oid, 'USAGE')$$,
  'a fresh role may use every type of the extension');
SELECT ok(ARRAY['ceptoar.sector', 'ceptoar.tlp', 'ceptoar.incident']
            <@ ARRAY(SELECT oid::regtype::text FROM pg_type WHERE typnamespace = 'ceptoar'::regnamespace),
  'the type check sees the extension''s types');

-- No SECURITY DEFINER function, or if one is ever added, it pins search_path
-- to trusted schemas with pg_temp last.
SELECT is_empty(
  $$SELECT signature FROM ext_funcs
     WHERE prosecdef
       AND NOT EXISTS (SELECT 1 FROM unnest(proconfig) AS c
                        WHERE c LIKE 'search_path=%'
                          AND c NOT LIKE '%$user%'
                          AND c !~ '\mpublic\M'
                          AND c ~ 'pg_temp"?\s*$')$$,
  'every SECURITY DEFINER function of the extension pins a safe search_path');

-- ---------------------------------------------------------------------------
-- Behaviour of a plain role

-- An INSTEAD OF trigger makes ceptoar.sectors insertable, so that what stops
-- the role below is the privilege check and not the view being read-only.
CREATE FUNCTION pg_temp.swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER regress_swallow INSTEAD OF INSERT ON ceptoar.sectors
  FOR EACH ROW EXECUTE FUNCTION pg_temp.swallow();
SELECT lives_ok($$INSERT INTO ceptoar.sectors (code) VALUES ('gas')$$,
  'the owner can INSERT into ceptoar.sectors once it has an INSTEAD OF trigger');

SET LOCAL ROLE regress_ceptoar_reader;

SELECT is(current_user::text, 'regress_ceptoar_reader', 'now running as the plain role');

-- may: read the catalogues, use the types and functions
SELECT results_eq('SELECT count(*)::int FROM ceptoar.sectors', ARRAY[15],
  'a plain role can SELECT from ceptoar.sectors');
SELECT lives_ok(format('SELECT * FROM ceptoar.%I', v), format('a plain role can SELECT from ceptoar.%s', v))
  FROM unnest(ARRAY['plans', 'plan_revisions', 'ministries', 'ministry_sectors', 'ceptoars',
                    'services', 'rule_set', 'rule', 'exercises']) AS v;
SELECT results_eq(
  $$SELECT 'Gas'::ceptoar.sector::text, 'finance.bank'::ceptoar.service::text,
           'finance'::ceptoar.service OPERATOR(ceptoar.@>) 'finance.bank'::ceptoar.service,
           ceptoar.sector('water.supply'::ceptoar.service)::text$$,
  $$VALUES ('gas', 'finance.bank', true, 'water')$$,
  'a plain role can cast literals and use the operators and functions');
SELECT results_eq($$SELECT count(*)::int FROM ceptoar.sectors('2nd')$$, ARRAY[10],
  'a plain role can call the catalogue functions');
SELECT results_eq(
  $$SELECT ceptoar.max(t)::text, ceptoar.min(t)::text, ceptoar.tlp_rank(ceptoar.max(t)),
           ceptoar.min(s)::text, ceptoar.max(v)::text,
           ceptoar.service(ceptoar.min(i))::text
      FROM (VALUES ('TLP:AMBER'::ceptoar.tlp, 'gas'::ceptoar.sector, 'gas.supply'::ceptoar.service,
                    'service=gas.supply, began=2024-01-15'::ceptoar.incident),
                   ('green', 'telecom', 'rail', 'service=rail, began=2024-01-14'::ceptoar.incident)) v(t, s, v, i)$$,
  $$VALUES ('amber', 'green', 2, 'telecom', 'gas.supply', 'rail')$$,
  'a plain role can use type tlp and the min() and max() aggregates');

-- a role that is no party sees no report through shared_reports, and has no party
SELECT results_eq(
  $$SELECT (SELECT count(*)::int FROM ceptoar.shared_reports), p.kind, p.code
      FROM ceptoar.my_party() p$$,
  $$VALUES (0, NULL::text, NULL::text)$$,
  'a plain role (no party) sees no report in shared_reports; my_party() gives it no party');

-- may not: create in the schema
SELECT throws_ok('CREATE TABLE ceptoar.x (i int)', '42501', NULL,
  'a plain role cannot CREATE TABLE in ceptoar');
SELECT throws_ok('CREATE FUNCTION ceptoar.f() RETURNS int LANGUAGE sql RETURN 1', '42501', NULL,
  'a plain role cannot CREATE FUNCTION in ceptoar');
SELECT throws_ok('CREATE VIEW ceptoar.v AS SELECT 1', '42501', NULL,
  'a plain role cannot CREATE VIEW in ceptoar');
SELECT throws_ok('CREATE TYPE ceptoar.t AS (i int)', '42501', NULL,
  'a plain role cannot CREATE TYPE in ceptoar');

-- may not: write
SELECT throws_ok($$INSERT INTO ceptoar.sectors (code) VALUES ('gas')$$, '42501', NULL,
  'a plain role cannot INSERT into a view');
SELECT throws_ok($$INSERT INTO ceptoar.rule_set (code, kind) VALUES ('mine', 'service_level')$$,
  '42501', NULL, 'a plain role cannot INSERT into ceptoar.rule_set');
SELECT throws_ok($$UPDATE ceptoar.rule SET clause_en = 'x'$$, '42501', NULL,
  'a plain role cannot UPDATE ceptoar.rule');
SELECT throws_ok('DELETE FROM ceptoar.rule_set', '42501', NULL,
  'a plain role cannot DELETE FROM ceptoar.rule_set');
SELECT throws_ok('TRUNCATE ceptoar.rule', '42501', NULL,
  'a plain role cannot TRUNCATE ceptoar.rule');
SELECT throws_ok($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('mine', 2024)$$, '42501', NULL,
  'a plain role cannot INSERT into ceptoar.exercises');

-- may not: change or drop what the extension owns, or run its trigger functions
SELECT throws_ok('DROP VIEW ceptoar.sectors', '42501', NULL,
  'a plain role cannot DROP a catalogue view');
SELECT throws_ok('ALTER FUNCTION ceptoar.name_en(ceptoar.sector) VOLATILE', '42501', NULL,
  'a plain role cannot ALTER an extension function');
SELECT throws_ok('SELECT ceptoar._cache_invalidate()', '42501', NULL,
  'a plain role cannot execute a trigger function');

-- the audit: a plain role cannot read it, and what it appends names the role itself
SELECT throws_ok('SELECT count(*) FROM ceptoar.identity_reads', '42501', NULL,
  'a plain role cannot read ceptoar.identity_reads');
SELECT lives_ok($$SELECT ceptoar._audit_read('00000000-0000-0000-0000-00000000a0d1', 'identity')$$,
  'a plain role may call _audit_read');

RESET ROLE;
SELECT is(current_user::text, session_user::text, 'back to the session user');
SELECT results_eq(
  $$SELECT reader::text COLLATE "default", party_kind FROM ceptoar.identity_reads
     WHERE report = '00000000-0000-0000-0000-00000000a0d1'$$,
  $$VALUES ('regress_ceptoar_reader', NULL::text)$$,
  '_audit_read records the role that called it (as the table''s owner), not the owner');

SELECT * FROM finish();
ROLLBACK;
