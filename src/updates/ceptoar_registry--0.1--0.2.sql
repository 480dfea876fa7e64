-- ceptoar_registry 0.1 -> 0.2: the reliability release (issue 9).
-- Every change to the install script (src/sql/) since 0.1 is repeated here, so
-- that ALTER EXTENSION ceptoar_registry UPDATE gives the catalog of a fresh
-- install of 0.2 (test/upgrade.sh compares them).
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.2'" to load this file. \quit

-- D9: 0.1 installed into a schema that existed already, whoever owned it.  An update
-- refuses to go on in a schema owned by another role than a superuser, open to others'
-- CREATE, or holding objects that are not the extension's (what 0.2's install refuses).
DO $update_guard$
DECLARE
  nsp pg_catalog.oid := '@extschema@'::pg_catalog.regnamespace;
  owner_oid pg_catalog.oid;
  found pg_catalog.text;
BEGIN
  SELECT n.nspowner INTO owner_oid FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) nsp;
  IF NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner_oid), false) THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: schema "@extschema@" is owned by role "%", not by a superuser',
        pg_catalog.pg_get_userbyid(owner_oid)
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'The schema existed before CREATE EXTENSION (0.1 did not check); its owner can add or replace objects that run with the privileges of the extension''s users.',
            HINT = 'Check the schema for objects that are not the extension''s, then ALTER SCHEMA @extschema@ OWNER TO a superuser and update again.';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text, ', ') INTO found
    FROM pg_catalog.pg_namespace n, LATERAL pg_catalog.aclexplode(n.nspacl) a
   WHERE n.oid OPERATOR(pg_catalog.=) nsp AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
     AND a.grantee OPERATOR(pg_catalog.<>) owner_oid
     AND NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.grantee), false);
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: other roles may create objects in schema "@extschema@"'
      USING ERRCODE = 'insufficient_privilege', DETAIL = 'CREATE is granted to: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.',
            HINT = 'REVOKE CREATE ON SCHEMA @extschema@ FROM those roles, check what they created there, and update again.';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.concat(i.type, ' ', i.identity), ', ' ORDER BY i.identity) INTO found
    FROM pg_catalog.pg_depend d, LATERAL pg_catalog.pg_identify_object(d.classid, d.objid, 0) i
   WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
     AND d.refobjid OPERATOR(pg_catalog.=) nsp
     AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend m WHERE m.classid OPERATOR(pg_catalog.=) d.classid
                       AND m.objid OPERATOR(pg_catalog.=) d.objid AND m.deptype OPERATOR(pg_catalog.=) 'e');
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: schema "@extschema@" holds objects that are not the extension''s'
      USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = 'Found: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.',
            HINT = 'Move them to another schema or drop them, then update again.';
  END IF;
END
$update_guard$;

-- D8: a dependency's buffer is at most what the impact engine represents (2^63-1 us).
-- Rows beyond it (which 0.1 misread) make this update fail: fix them first.
ALTER TABLE @extschema@.dependency DROP CONSTRAINT dependency_buffer_fixed;
ALTER TABLE @extschema@.dependency ADD CONSTRAINT dependency_buffer_fixed
  CHECK (buffer OPERATOR(pg_catalog.>=) interval '0'
    AND pg_catalog.date_part('month', buffer) OPERATOR(pg_catalog.=) 0
    AND pg_catalog.date_part('year', buffer) OPERATOR(pg_catalog.=) 0
    AND buffer OPERATOR(pg_catalog.<=) interval '106751991 days 04:00:54.775807');
COMMENT ON CONSTRAINT dependency_buffer_fixed ON @extschema@.dependency IS
  'a buffer is a fixed duration: not negative, no months or years, at most 2^63-1 microseconds (106751991 days 04:00:54.775807), what the impact engine represents';

-- D3/D10: the graph counter is never truncated (a REPEATABLE READ snapshot would see a
-- truncated counter beside older rows); changes are counted before they are made.
CREATE OR REPLACE FUNCTION @extschema@._graph_version_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'ceptoar.graph_version only grows'
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Deleting or truncating counts could make an outdated image of the graph look current.',
            HINT = 'The counter is never reset: a bigint, raised once per (sub)transaction that changes the graph.';
  ELSIF NEW.changes < OLD.changes OR NEW.slot <> OLD.slot THEN
    RAISE EXCEPTION 'ceptoar.graph_version only grows'
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Lowering a count could make an outdated image of the graph look current.',
            HINT = 'The counter is never reset: a bigint, raised once per (sub)transaction that changes the graph.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._graph_version_guard() IS 'keeps ceptoar.graph_version growing';
CREATE TRIGGER graph_version_no_truncate BEFORE TRUNCATE ON @extschema@.graph_version
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_version_guard();
DROP TRIGGER graph_changed ON @extschema@.service_instance;
DROP TRIGGER graph_changed ON @extschema@.dependency;
CREATE TRIGGER graph_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.service_instance
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_changed();
CREATE TRIGGER graph_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.dependency
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_changed();
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_changed;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_changed;
COMMENT ON FUNCTION @extschema@._graph_changed() IS
  'counts a change of the dependency graph in graph_version before it is made, which retires every cached graph and the shared image';
