-- ceptoar_registry 0.5 -> 0.6: impact at national scale (issue 11).
-- Built from the files listed in src/updates/ceptoar_registry--0.5--0.6.parts, in order:
-- this head, the update guard, the install fragments that 0.6 adds (new objects, the same
-- text as a fresh install), and the changes to objects that existed in 0.5.  When 0.6 is
-- released the built script is frozen as src/updates/ceptoar_registry--0.5--0.6.sql.
-- The whole script is one transaction: when any step fails, nothing has changed.
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.6'" to load this file. \quit
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
-- 081_graph_change_guard.sql (0.6): graph_change (080_graph.sql) is pruned by TRUNCATE
-- only.  A deleted or changed row would hide a transaction's change from every backend
-- whose image predates it: its delta would miss those keys and impact() would answer from
-- a graph without them.  TRUNCATE gives the table a new file, which no image knows, so
-- the next call reads the tables instead.  The guard is ALWAYS, as the triggers that
-- write the log are (also under session_replication_role = replica).
CREATE FUNCTION @extschema@._graph_change_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'rows of ceptoar.graph_change are never deleted or changed'
    USING ERRCODE = 'insufficient_privilege',
          DETAIL = 'A backend whose graph image is older than a deleted or changed row would miss the change it logged.',
          HINT = 'Prune the log with TRUNCATE ceptoar.graph_change, at a quiet moment.';
END $$;
COMMENT ON FUNCTION @extschema@._graph_change_guard() IS
  'refuses DELETE and UPDATE on graph_change (pruned by TRUNCATE only)';
CREATE TRIGGER graph_change_guard BEFORE UPDATE OR DELETE ON @extschema@.graph_change
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_change_guard();
ALTER TABLE @extschema@.graph_change ENABLE ALWAYS TRIGGER graph_change_guard;
-- a trigger function, as the others: not for PUBLIC to call
REVOKE ALL ON FUNCTION @extschema@._graph_change_guard() FROM PUBLIC;
-- 084_impact_support.sql (0.6): the planner support function of impact(bigint[], ...).
-- The planner calls it while it plans a call of impact(), before it chooses the call's
-- scan: that call loads the module, whose planner hook then offers the custom scan that
-- hands impact()'s rows on as they are formed (src/impact_scan.c), from a session's first
-- statement on.  It answers no request itself: the estimates stay those of the function.
CREATE FUNCTION @extschema@._impact_plan_support(internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'impact_plan_support' LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@._impact_plan_support(internal) IS
  'planner support function of impact(): loads the module so that the planner can run impact() in FROM as a custom scan';
-- impact(bigint[], ...) gets its planner support function (084_impact_support.sql)
ALTER FUNCTION @extschema@.impact(bigint[], timestamptz, interval, geometry, interval)
  SUPPORT @extschema@._impact_plan_support;
