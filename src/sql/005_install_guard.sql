-- 005_install_guard.sql: refuse to install into a schema someone else prepared (issue 9, D9;
-- the CVE-2022-2625 class).
--
-- The control file fixes schema = ceptoar.  PostgreSQL 15's CREATE EXTENSION creates that
-- schema (owned by the installing role) only when it does not exist; when it exists it is
-- used as it is, whoever owns it and whatever is in it.  A role with CREATE on the database
-- could then prepare the schema: as its owner it can later add ceptoar.classify(text, text),
-- which wins over ours for untyped literals and runs with the privileges of whoever calls
-- it, a superuser included, or drop and replace the extension's objects.
--
-- Rule: the schema must be owned by a superuser or by the installing role, no other role
-- (PUBLIC included) may have CREATE on it, and it must be empty.  A schema that a superuser
-- created empty is accepted: that is also the schema a DROP EXTENSION leaves behind, and
-- installing again into it must work.  This block runs before any object is created (only
-- 000_header.sql's COMMENT ON SCHEMA comes first); its error aborts the whole CREATE
-- EXTENSION, the comment and PostGIS installed by CASCADE included.  When it runs,
-- CREATE EXTENSION has already made the pg_extension row (in this schema), so that one
-- object is not counted.  Refusals: 42501 for the owner or others' CREATE, 55000 for
-- objects found; the message names the schema and its owner, the hint what to do.
-- search_path-safe: everything pg_catalog-qualified, operators written as OPERATOR().
DO $install_guard$
DECLARE
  nsp       pg_catalog.oid;
  nsp_name  pg_catalog.text;
  owner_oid pg_catalog.oid;
  owner     pg_catalog.text;
  installer pg_catalog.text := pg_catalog."current_user"();
  grantees  pg_catalog.text;
  objects   pg_catalog.text;
  n_objects pg_catalog.int8;
BEGIN
  SELECT n.oid, n.nspname::pg_catalog.text, n.nspowner, pg_catalog.pg_get_userbyid(n.nspowner)::pg_catalog.text
    INTO nsp, nsp_name, owner_oid, owner
    FROM pg_catalog.pg_namespace n
   WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.name;

  -- 1. The owner: the installing role or a superuser.
  IF NOT COALESCE(owner_oid OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r
                                                     WHERE r.rolname OPERATOR(pg_catalog.=) installer), false)
     AND NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                        WHERE r.oid OPERATOR(pg_catalog.=) owner_oid), false) THEN
    RAISE EXCEPTION 'cannot install ceptoar_registry into schema "%": it is owned by role "%"',
        nsp_name, owner
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = pg_catalog.format('The schema existed before CREATE EXTENSION and its owner is '
              'neither a superuser nor the installing role "%s"; as owner, "%s" could add or '
              'replace objects in it that would run with the privileges of the extension''s users.',
              installer, owner),
            HINT = pg_catalog.format('Check what the schema holds, then drop it (DROP SCHEMA %I CASCADE) '
              'and run CREATE EXTENSION again, which creates the schema itself.', nsp_name);
  END IF;

  -- 2. Nobody else may create objects in it.
  SELECT pg_catalog.string_agg(g.name, ', ' ORDER BY g.name)
    INTO grantees
    FROM (SELECT DISTINCT CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0::pg_catalog.oid THEN 'PUBLIC'
                          ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END AS name
    FROM pg_catalog.pg_namespace n,
         LATERAL pg_catalog.aclexplode(n.nspacl) a
   WHERE n.oid OPERATOR(pg_catalog.=) nsp
     AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
     AND a.grantee OPERATOR(pg_catalog.<>) owner_oid
     AND NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                                   WHERE r.oid OPERATOR(pg_catalog.=) a.grantee), false)) g;
  IF grantees IS NOT NULL THEN
    RAISE EXCEPTION 'cannot install ceptoar_registry into schema "%" (owner "%"): other roles may create objects in it',
        nsp_name, owner
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = pg_catalog.format('CREATE on schema %I is granted to: %s.', nsp_name, grantees),
            HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %I FROM %s; then run CREATE EXTENSION again.',
              nsp_name, grantees);
  END IF;

  -- 3. Empty: every object in a schema (relations, functions, types, operators, operator
  -- classes and families, collations, conversions, text search objects, statistics,
  -- extensions, default privileges) depends on it in pg_depend; the catalogs with a
  -- namespace column are read too, in case a dependency was removed by hand.
  WITH obj(classid, objid) AS (
      SELECT d.classid, d.objid FROM pg_catalog.pg_depend d
       WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
         AND d.refobjid OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.oid FROM pg_catalog.pg_class c
       WHERE c.relnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid, p.oid FROM pg_catalog.pg_proc p
       WHERE p.pronamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid FROM pg_catalog.pg_type t
       WHERE t.typnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_operator o
       WHERE o.oprnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_opclass'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_opclass o
       WHERE o.opcnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_opfamily o
       WHERE o.opfnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_collation o
       WHERE o.collnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_conversion'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_conversion o
       WHERE o.connamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_ts_config'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_ts_config o
       WHERE o.cfgnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_ts_dict'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_ts_dict o
       WHERE o.dictnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_ts_parser'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_ts_parser o
       WHERE o.prsnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_ts_template'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_ts_template o
       WHERE o.tmplnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_statistic_ext o
       WHERE o.stxnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_extension o
       WHERE o.extnamespace OPERATOR(pg_catalog.=) nsp
    UNION SELECT 'pg_catalog.pg_default_acl'::pg_catalog.regclass::pg_catalog.oid, o.oid FROM pg_catalog.pg_default_acl o
       WHERE o.defaclnamespace OPERATOR(pg_catalog.=) nsp)
  SELECT pg_catalog.count(*),
         pg_catalog.string_agg(x.descr, ', ' ORDER BY x.descr)
           FILTER (WHERE x.rn OPERATOR(pg_catalog.<=) 10)
    INTO n_objects, objects
    FROM (SELECT i.descr, pg_catalog.row_number() OVER (ORDER BY i.descr) AS rn
            FROM obj,
                 LATERAL (SELECT pg_catalog.concat(o.type, ' ', o.identity) AS descr
                            FROM pg_catalog.pg_identify_object(obj.classid, obj.objid, 0) o) i
           -- CREATE EXTENSION has made the extension itself, in this schema, already
           WHERE NOT (obj.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid
                      AND obj.objid OPERATOR(pg_catalog.=) (SELECT e.oid FROM pg_catalog.pg_extension e
                                                            WHERE e.extname OPERATOR(pg_catalog.=) 'ceptoar_registry'))) x;
  IF n_objects OPERATOR(pg_catalog.>) 0 THEN
    RAISE EXCEPTION 'cannot install ceptoar_registry into schema "%" (owner "%"): it already contains % object(s)',
        nsp_name, owner, n_objects
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = pg_catalog.format('Found: %s%s.  The extension installs only into an empty schema, '
              'so that no object it did not create can stand in for one of its own.',
              objects, CASE WHEN n_objects OPERATOR(pg_catalog.>) 10 THEN ', ...' ELSE '' END),
            HINT = pg_catalog.format('Move those objects to another schema or drop them (DROP SCHEMA %I CASCADE '
              'if nothing in it is needed), then run CREATE EXTENSION again.', nsp_name);
  END IF;
END
$install_guard$;
