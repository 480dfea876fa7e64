-- update_guard.sql: the first step of every update script (listed in its .parts file).
-- The schema must still be what the install required (owned by a superuser, nobody else
-- may create in it, nothing in it but the extension's objects), since an update creates
-- and replaces objects there with a superuser's privileges.
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
