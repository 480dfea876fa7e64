-- ceptoar_registry 0.2 -> 0.3: the house before the new floors (issue 10).
-- Every change to the install script (src/sql/) since 0.2 is repeated here, so
-- that ALTER EXTENSION ceptoar_registry UPDATE gives the catalog of a fresh
-- install of 0.3 (test/upgrade.sh compares them).  The whole script is one
-- transaction: when any step fails, nothing has changed.
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.3'" to load this file. \quit

-- As in the update to 0.2: the schema must still be what 0.2's install required (owned by
-- a superuser, nobody else may create in it, nothing in it but the extension's objects),
-- since this update creates and replaces objects there with a superuser's privileges.
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
            DETAIL = 'Its owner can add or replace objects that run with the privileges of the extension''s users.',
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
