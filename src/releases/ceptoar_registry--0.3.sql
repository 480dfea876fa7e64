-- 000_header.sql: ceptoar_registry install script (fragments of src/sql/ concatenated in order)
\echo Use "CREATE EXTENSION ceptoar_registry" to load this file. \quit
--
-- Fragments are numbered with three digits, in dependency order, one concept each (most
-- mirror a C file): 0xx the types, catalogues, rules and impact of 0.1-0.3; 1xx the
-- registry, 2xx access, 3xx exchange; 900_privileges.sql last, since it grants on all of
-- them.  After a release every change here is repeated in src/updates/.

COMMENT ON SCHEMA @extschema@ IS
  'ceptoar_registry: Japan''s critical-infrastructure IT-failure registry (sectors, services, incidents, CEPTOARs)';
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
-- 010_sector.sql: type sector, a critical-infrastructure sector (分野)

CREATE TYPE @extschema@.sector;

CREATE FUNCTION @extschema@.sector_in(cstring) RETURNS @extschema@.sector
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sector_out(@extschema@.sector) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sector_recv(internal) RETURNS @extschema@.sector
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sector_send(@extschema@.sector) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.sector (
  INPUT = @extschema@.sector_in,
  OUTPUT = @extschema@.sector_out,
  RECEIVE = @extschema@.sector_recv,
  SEND = @extschema@.sector_send,
  INTERNALLENGTH = 2,
  PASSEDBYVALUE,
  ALIGNMENT = int2,
  STORAGE = plain
);
COMMENT ON TYPE @extschema@.sector IS
  'critical-infrastructure sector (分野); literal: a code (telecom, finance, aviation, airport, rail, electricity, gas, government, medical, water, logistics, chemical, credit, petroleum, port; any case, blanks ignored) or the official Japanese name (電力, 政府・行政サービス, ...); ordered as NISC lists them';

-- The value is the NISC position, so the int2 support functions order and
-- hash it correctly and cost nothing extra.
CREATE FUNCTION @extschema@.sector_eq(@extschema@.sector, @extschema@.sector) RETURNS boolean
  AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_ne(@extschema@.sector, @extschema@.sector) RETURNS boolean
  AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_lt(@extschema@.sector, @extschema@.sector) RETURNS boolean
  AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_le(@extschema@.sector, @extschema@.sector) RETURNS boolean
  AS 'int2le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_gt(@extschema@.sector, @extschema@.sector) RETURNS boolean
  AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_ge(@extschema@.sector, @extschema@.sector) RETURNS boolean
  AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_cmp(@extschema@.sector, @extschema@.sector) RETURNS integer
  AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_sortsupport(internal) RETURNS void
  AS 'btint2sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sector_hash(@extschema@.sector) RETURNS integer
  AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.sector_hash_extended(@extschema@.sector, bigint) RETURNS bigint
  AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.sector_eq(@extschema@.sector, @extschema@.sector) IS 'same sector';
COMMENT ON FUNCTION @extschema@.sector_ne(@extschema@.sector, @extschema@.sector) IS 'different sectors';
COMMENT ON FUNCTION @extschema@.sector_lt(@extschema@.sector, @extschema@.sector) IS 'earlier in NISC order';
COMMENT ON FUNCTION @extschema@.sector_le(@extschema@.sector, @extschema@.sector) IS 'earlier in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_gt(@extschema@.sector, @extschema@.sector) IS 'later in NISC order';
COMMENT ON FUNCTION @extschema@.sector_ge(@extschema@.sector, @extschema@.sector) IS 'later in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_cmp(@extschema@.sector, @extschema@.sector) IS 'btree comparison in NISC order';
COMMENT ON FUNCTION @extschema@.sector_sortsupport(internal) IS 'btree sort support';
COMMENT ON FUNCTION @extschema@.sector_hash(@extschema@.sector) IS 'hash support';
COMMENT ON FUNCTION @extschema@.sector_hash_extended(@extschema@.sector, bigint) IS 'extended hash support';

CREATE OPERATOR @extschema@.= (
  LEFTARG = @extschema@.sector, RIGHTARG = @extschema@.sector,
  FUNCTION = @extschema@.sector_eq, COMMUTATOR = OPERATOR(@extschema@.=),
  NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
  HASHES, MERGES);
CREATE OPERATOR @extschema@.<> (
  LEFTARG = @extschema@.sector, RIGHTARG = @extschema@.sector,
  FUNCTION = @extschema@.sector_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
  NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
  LEFTARG = @extschema@.sector, RIGHTARG = @extschema@.sector,
  FUNCTION = @extschema@.sector_lt, COMMUTATOR = OPERATOR(@extschema@.>),
  NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
  LEFTARG = @extschema@.sector, RIGHTARG = @extschema@.sector,
  FUNCTION = @extschema@.sector_le, COMMUTATOR = OPERATOR(@extschema@.>=),
  NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
  LEFTARG = @extschema@.sector, RIGHTARG = @extschema@.sector,
  FUNCTION = @extschema@.sector_gt, COMMUTATOR = OPERATOR(@extschema@.<),
  NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
  LEFTARG = @extschema@.sector, RIGHTARG = @extschema@.sector,
  FUNCTION = @extschema@.sector_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
  NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS @extschema@.sector_ops
  DEFAULT FOR TYPE @extschema@.sector USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.sector_cmp(@extschema@.sector, @extschema@.sector),
    FUNCTION 2 @extschema@.sector_sortsupport(internal);

CREATE OPERATOR CLASS @extschema@.sector_ops
  DEFAULT FOR TYPE @extschema@.sector USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.sector_hash(@extschema@.sector),
    FUNCTION 2 @extschema@.sector_hash_extended(@extschema@.sector, bigint);

CREATE FUNCTION @extschema@.name_ja(@extschema@.sector) RETURNS text
  AS 'MODULE_PATHNAME', 'sector_name_ja' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.name_ja(@extschema@.sector) IS
  'official Japanese name of the sector, e.g. 政府・行政サービス(地方公共団体を含む)';
CREATE FUNCTION @extschema@.name_en(@extschema@.sector) RETURNS text
  AS 'MODULE_PATHNAME', 'sector_name_en' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.name_en(@extschema@.sector) IS 'English name of the sector';
CREATE FUNCTION @extschema@.nisc_order(@extschema@.sector) RETURNS integer
  AS 'MODULE_PATHNAME', 'sector_position' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nisc_order(@extschema@.sector) IS
  'position of the sector in NISC''s official order (1 = telecom ... 15 = port)';
-- 020_service.sql: type service, a critical-infrastructure service (重要インフラサービス)

CREATE TYPE @extschema@.service;

CREATE FUNCTION @extschema@.service_in(cstring) RETURNS @extschema@.service
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.service_out(@extschema@.service) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.service_recv(internal) RETURNS @extschema@.service
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.service_send(@extschema@.service) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.service (
  INPUT = @extschema@.service_in,
  OUTPUT = @extschema@.service_out,
  RECEIVE = @extschema@.service_recv,
  SEND = @extschema@.service_send,
  INTERNALLENGTH = 4,
  PASSEDBYVALUE,
  ALIGNMENT = int4,
  STORAGE = plain
);
COMMENT ON TYPE @extschema@.service IS
  'critical-infrastructure service (重要インフラサービス); literal: a path of the service catalogue, sector[.scope][.service][.class], e.g. electricity.supply, finance.bank.deposit, telecom.telecommunications.emergency_voice; a bare sector code is the root of that sector''s services; any case, blanks ignored';

-- The value is a path code whose integer order is the catalogue's pre-order,
-- so the int4 support functions order and hash it.
CREATE FUNCTION @extschema@.service_eq(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'int4eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_ne(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'int4ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_lt(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'int4lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_le(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'int4le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_gt(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'int4gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_ge(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'int4ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_cmp(@extschema@.service, @extschema@.service) RETURNS integer
  AS 'btint4cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_sortsupport(internal) RETURNS void
  AS 'btint4sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.service_hash(@extschema@.service) RETURNS integer
  AS 'hashint4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_hash_extended(@extschema@.service, bigint) RETURNS bigint
  AS 'hashint4extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_contains(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.service_contained(@extschema@.service, @extschema@.service) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.service_eq(@extschema@.service, @extschema@.service) IS 'same service';
COMMENT ON FUNCTION @extschema@.service_ne(@extschema@.service, @extschema@.service) IS 'different services';
COMMENT ON FUNCTION @extschema@.service_lt(@extschema@.service, @extschema@.service) IS 'earlier in catalogue order';
COMMENT ON FUNCTION @extschema@.service_le(@extschema@.service, @extschema@.service) IS 'earlier in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_gt(@extschema@.service, @extschema@.service) IS 'later in catalogue order';
COMMENT ON FUNCTION @extschema@.service_ge(@extschema@.service, @extschema@.service) IS 'later in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_cmp(@extschema@.service, @extschema@.service) IS 'btree comparison in catalogue order (sectors in NISC order, parents before children)';
COMMENT ON FUNCTION @extschema@.service_sortsupport(internal) IS 'btree sort support';
COMMENT ON FUNCTION @extschema@.service_hash(@extschema@.service) IS 'hash support';
COMMENT ON FUNCTION @extschema@.service_hash_extended(@extschema@.service, bigint) IS 'extended hash support';
COMMENT ON FUNCTION @extschema@.service_contains(@extschema@.service, @extschema@.service) IS 'the first service is the second or one of its ancestors';
COMMENT ON FUNCTION @extschema@.service_contained(@extschema@.service, @extschema@.service) IS 'the first service is the second or one of its descendants';

CREATE OPERATOR @extschema@.= (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_eq, COMMUTATOR = OPERATOR(@extschema@.=),
  NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
  HASHES, MERGES);
CREATE OPERATOR @extschema@.<> (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
  NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_lt, COMMUTATOR = OPERATOR(@extschema@.>),
  NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_le, COMMUTATOR = OPERATOR(@extschema@.>=),
  NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_gt, COMMUTATOR = OPERATOR(@extschema@.<),
  NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
  NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR @extschema@.@> (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_contains, COMMUTATOR = OPERATOR(@extschema@.<@),
  RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR @extschema@.<@ (
  LEFTARG = @extschema@.service, RIGHTARG = @extschema@.service,
  FUNCTION = @extschema@.service_contained, COMMUTATOR = OPERATOR(@extschema@.@>),
  RESTRICT = contsel, JOIN = contjoinsel);

CREATE OPERATOR CLASS @extschema@.service_ops
  DEFAULT FOR TYPE @extschema@.service USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.service_cmp(@extschema@.service, @extschema@.service),
    FUNCTION 2 @extschema@.service_sortsupport(internal);

CREATE OPERATOR CLASS @extschema@.service_ops
  DEFAULT FOR TYPE @extschema@.service USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.service_hash(@extschema@.service),
    FUNCTION 2 @extschema@.service_hash_extended(@extschema@.service, bigint);

CREATE FUNCTION @extschema@.sector(@extschema@.service) RETURNS @extschema@.sector
  AS 'MODULE_PATHNAME', 'service_sector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sector(@extschema@.service) IS 'the sector a service belongs to';
CREATE CAST (@extschema@.service AS @extschema@.sector)
  WITH FUNCTION @extschema@.sector(@extschema@.service);
COMMENT ON CAST (@extschema@.service AS @extschema@.sector) IS 'the sector of a service (explicit: it forgets the service)';

CREATE FUNCTION @extschema@.service(@extschema@.sector) RETURNS @extschema@.service
  AS 'MODULE_PATHNAME', 'service_from_sector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service(@extschema@.sector) IS 'a sector as the root of its service tree';
CREATE CAST (@extschema@.sector AS @extschema@.service)
  WITH FUNCTION @extschema@.service(@extschema@.sector);
COMMENT ON CAST (@extschema@.sector AS @extschema@.service) IS 'a sector as the root of its service tree';

CREATE FUNCTION @extschema@.parent(@extschema@.service) RETURNS @extschema@.service
  AS 'MODULE_PATHNAME', 'service_parent_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.parent(@extschema@.service) IS 'the parent service; NULL for a sector root';
CREATE FUNCTION @extschema@.depth(@extschema@.service) RETURNS integer
  AS 'MODULE_PATHNAME', 'service_depth_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.depth(@extschema@.service) IS 'number of labels in the path: 1 for a sector root';
CREATE FUNCTION @extschema@.name_ja(@extschema@.service) RETURNS text
  AS 'MODULE_PATHNAME', 'service_name_ja' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.name_ja(@extschema@.service) IS 'Japanese name of the service';
CREATE FUNCTION @extschema@.name_en(@extschema@.service) RETURNS text
  AS 'MODULE_PATHNAME', 'service_name_en' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.name_en(@extschema@.service) IS 'English name of the service';
-- 030_catalog.sql: the compiled-in catalogues as views (one source of truth: src/catalog.c,
-- src/sector.c, src/service.c)

CREATE FUNCTION @extschema@._plans(
    OUT code text, OUT ordinal integer, OUT name_ja text, OUT name_en text,
    OUT decided_by_ja text, OUT decided date, OUT last_revised date, OUT period text,
    OUT sectors @extschema@.sector[], OUT source text)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'catalog_plans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION @extschema@._plans() IS 'rows of the view plans';
CREATE VIEW @extschema@.plans AS SELECT * FROM @extschema@._plans();
COMMENT ON VIEW @extschema@.plans IS
  'NISC''s critical-infrastructure action plans, each with its sectors as last revised';

CREATE FUNCTION @extschema@._plan_revisions(
    OUT plan text, OUT effective date, OUT note text,
    OUT sectors @extschema@.sector[], OUT source text)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'catalog_plan_revisions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION @extschema@._plan_revisions() IS 'rows of the view plan_revisions';
CREATE VIEW @extschema@.plan_revisions AS SELECT * FROM @extschema@._plan_revisions();
COMMENT ON VIEW @extschema@.plan_revisions IS
  'every decision and revision of an action plan, with the sectors in force from that day';

CREATE FUNCTION @extschema@._sectors(
    OUT code @extschema@.sector, OUT nisc_order integer, OUT name_ja text, OUT name_en text,
    OUT plans text[], OUT added_in text, OUT source text)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'catalog_sectors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 15;
COMMENT ON FUNCTION @extschema@._sectors() IS 'rows of the view sectors';
CREATE VIEW @extschema@.sectors AS SELECT * FROM @extschema@._sectors();
COMMENT ON VIEW @extschema@.sectors IS
  'the critical-infrastructure sectors in NISC order, with the plans that name them';

CREATE FUNCTION @extschema@.sectors(plan text) RETURNS SETOF @extschema@.sector
  AS 'MODULE_PATHNAME', 'catalog_sectors_of_plan' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 15;
COMMENT ON FUNCTION @extschema@.sectors(text) IS
  'the sectors of an action plan as last revised (special-2000, 1st, 2nd, 3rd, 4th, 2022)';

CREATE FUNCTION @extschema@.sectors_on(day date) RETURNS SETOF @extschema@.sector
  AS 'MODULE_PATHNAME', 'catalog_sectors_on' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 15;
COMMENT ON FUNCTION @extschema@.sectors_on(date) IS
  'the sectors in force on a day: those of the last plan decision or revision on or before it';

CREATE FUNCTION @extschema@._ministries(
    OUT code text, OUT name_ja text, OUT name_en text, OUT established date,
    OUT abolished date, OUT sectors_2nd_plan @extschema@.sector[],
    OUT sectors_today @extschema@.sector[], OUT source text)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'catalog_ministries' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 9;
COMMENT ON FUNCTION @extschema@._ministries() IS 'rows of the view ministries';
CREATE VIEW @extschema@.ministries AS SELECT * FROM @extschema@._ministries();
COMMENT ON VIEW @extschema@.ministries IS
  'competent ministries (所管省庁): the five of the 2nd plan, and those before the 2001 reform';

CREATE FUNCTION @extschema@._ministry_sectors(
    OUT sector @extschema@.sector, OUT ministry text, OUT valid_from date,
    OUT valid_to date, OUT source text)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'catalog_ministry_sectors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 22;
COMMENT ON FUNCTION @extschema@._ministry_sectors() IS 'rows of the view ministry_sectors';
CREATE VIEW @extschema@.ministry_sectors AS SELECT * FROM @extschema@._ministry_sectors();
COMMENT ON VIEW @extschema@.ministry_sectors IS
  'which ministry is competent for which sector, over [valid_from, valid_to)';

CREATE FUNCTION @extschema@.ministry(sector @extschema@.sector, on_date date DEFAULT CURRENT_DATE)
  RETURNS text
  AS 'MODULE_PATHNAME', 'catalog_ministry' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ministry(@extschema@.sector, date) IS
  'code of the ministry competent for a sector on a day (default today); NULL before the sector was designated';

CREATE FUNCTION @extschema@._ceptoars(
    OUT ordinal integer, OUT sector @extschema@.sector, OUT scope_ja text, OUT scope_en text,
    OUT name text, OUT secretariat_ja text, OUT secretariat_en text, OUT members_ja text,
    OUT emergency_contact_since date, OUT handling_rules_set date,
    OUT information_ja text, OUT means_of_contact text[], OUT source text)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'catalog_ceptoars' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 15;
COMMENT ON FUNCTION @extschema@._ceptoars() IS 'rows of the view ceptoars';
CREATE VIEW @extschema@.ceptoars AS SELECT * FROM @extschema@._ceptoars();
COMMENT ON VIEW @extschema@.ceptoars IS
  'the 15 CEPTOARs of the 10 sectors of the 2nd plan (seed 000); dates are to the month (day 1)';

CREATE FUNCTION @extschema@._services(
    OUT code @extschema@.service, OUT sector @extschema@.sector, OUT parent @extschema@.service,
    OUT depth integer, OUT kind text, OUT scope_ja text, OUT scope_en text,
    OUT name_ja text, OUT name_en text, OUT unit text, OUT source text)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'catalog_services' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 46;
COMMENT ON FUNCTION @extschema@._services() IS 'rows of the view services';
CREATE VIEW @extschema@.services AS SELECT * FROM @extschema@._services();
COMMENT ON VIEW @extschema@.services IS
  'the service catalogue: sector roots, business scopes, services and legal service classes, in catalogue order';
-- 040_time.sql: the Japanese fiscal year (年度), April to March, in Japan time

CREATE FUNCTION @extschema@.fiscal_year(ts timestamptz) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (pg_catalog.date_part('year', ts AT TIME ZONE 'Asia/Tokyo')::integer
          OPERATOR(pg_catalog.-)
          CASE WHEN pg_catalog.date_part('month', ts AT TIME ZONE 'Asia/Tokyo')
                    OPERATOR(pg_catalog.<) 4 THEN 1 ELSE 0 END);
COMMENT ON FUNCTION @extschema@.fiscal_year(timestamptz) IS
  'Japanese fiscal year (April 1 to March 31) of a moment, reckoned in Asia/Tokyo';

CREATE FUNCTION @extschema@.fiscal_year(day date) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (pg_catalog.date_part('year', day)::integer
          OPERATOR(pg_catalog.-)
          CASE WHEN pg_catalog.date_part('month', day) OPERATOR(pg_catalog.<) 4
               THEN 1 ELSE 0 END);
COMMENT ON FUNCTION @extschema@.fiscal_year(date) IS
  'Japanese fiscal year (April 1 to March 31) of a calendar day';
-- 050_incident.sql: type incident, the facts of one IT failure

CREATE TYPE @extschema@.incident;

CREATE FUNCTION @extschema@.incident_in(cstring) RETURNS @extschema@.incident
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_out(@extschema@.incident) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_recv(internal) RETURNS @extschema@.incident
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_send(@extschema@.incident) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.incident (
  INPUT = @extschema@.incident_in,
  OUTPUT = @extschema@.incident_out,
  RECEIVE = @extschema@.incident_recv,
  SEND = @extschema@.incident_send,
  INTERNALLENGTH = 64,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE @extschema@.incident IS
  'the facts of one IT failure; literal: comma-separated field=value pairs, e.g. service=electricity.supply, began=2024-01-15 09:00+09, lasted=3 h 10 min, lost_kw=120000 (fields: service, effect, began, lasted, cause, users, households, lost_kw, cancelled, flags; a measure left out is unknown)';

CREATE FUNCTION @extschema@.incident(
    service @extschema@.service, began timestamptz, lasted interval DEFAULT NULL,
    effect text DEFAULT 'stop', cause text DEFAULT 'unknown',
    users bigint DEFAULT NULL, households bigint DEFAULT NULL,
    lost_kw bigint DEFAULT NULL, cancelled bigint DEFAULT NULL,
    flags text[] DEFAULT '{}')
  RETURNS @extschema@.incident
  AS 'MODULE_PATHNAME', 'incident_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.incident(@extschema@.service, timestamptz, interval, text, text, bigint, bigint, bigint, bigint, text[]) IS
  'an incident from its facts; a NULL measure is unknown (never zero); NULL service or began gives NULL';

CREATE FUNCTION @extschema@.service(@extschema@.incident) RETURNS @extschema@.service
  AS 'MODULE_PATHNAME', 'incident_service' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sector(@extschema@.incident) RETURNS @extschema@.sector
  AS 'MODULE_PATHNAME', 'incident_sector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.began(@extschema@.incident) RETURNS timestamptz
  AS 'MODULE_PATHNAME', 'incident_began' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lasted(@extschema@.incident) RETURNS interval
  AS 'MODULE_PATHNAME', 'incident_lasted' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ended(@extschema@.incident) RETURNS timestamptz
  AS 'MODULE_PATHNAME', 'incident_ended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ongoing(@extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME', 'incident_ongoing' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.effect(@extschema@.incident) RETURNS text
  AS 'MODULE_PATHNAME', 'incident_effect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cause(@extschema@.incident) RETURNS text
  AS 'MODULE_PATHNAME', 'incident_cause' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.users(@extschema@.incident) RETURNS bigint
  AS 'MODULE_PATHNAME', 'incident_users' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.households(@extschema@.incident) RETURNS bigint
  AS 'MODULE_PATHNAME', 'incident_households' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lost_kw(@extschema@.incident) RETURNS bigint
  AS 'MODULE_PATHNAME', 'incident_lost_kw' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cancelled(@extschema@.incident) RETURNS bigint
  AS 'MODULE_PATHNAME', 'incident_cancelled' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.flags(@extschema@.incident) RETURNS text[]
  AS 'MODULE_PATHNAME', 'incident_flags' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.user_hours(@extschema@.incident) RETURNS double precision
  AS 'MODULE_PATHNAME', 'incident_user_hours' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.service(@extschema@.incident) IS 'the service that failed';
COMMENT ON FUNCTION @extschema@.sector(@extschema@.incident) IS 'the sector of the service that failed';
COMMENT ON FUNCTION @extschema@.began(@extschema@.incident) IS 'when the failure began';
COMMENT ON FUNCTION @extschema@.lasted(@extschema@.incident) IS 'how long it lasted; NULL if unknown or ongoing';
COMMENT ON FUNCTION @extschema@.ended(@extschema@.incident) IS 'began + lasted; NULL if the duration is unknown';
COMMENT ON FUNCTION @extschema@.ongoing(@extschema@.incident) IS 'the failure was recorded as still going on';
COMMENT ON FUNCTION @extschema@.effect(@extschema@.incident) IS 'stop, degradation, delay or loss';
COMMENT ON FUNCTION @extschema@.cause(@extschema@.incident) IS 'attack, failure, error, disaster, cascade or unknown (NISC causes)';
COMMENT ON FUNCTION @extschema@.users(@extschema@.incident) IS 'users affected; NULL if unknown';
COMMENT ON FUNCTION @extschema@.households(@extschema@.incident) IS 'households affected; NULL if unknown';
COMMENT ON FUNCTION @extschema@.lost_kw(@extschema@.incident) IS 'load lost, kW; NULL if unknown';
COMMENT ON FUNCTION @extschema@.cancelled(@extschema@.incident) IS 'scheduled flights or trains cancelled; NULL if unknown';
COMMENT ON FUNCTION @extschema@.flags(@extschema@.incident) IS 'qualitative flags set: rights_impaired, water_quality, cargo_lost, records_impaired';
COMMENT ON FUNCTION @extschema@.user_hours(@extschema@.incident) IS 'users x hours (ENISA''s measure); NULL if either is unknown';

CREATE FUNCTION @extschema@.incident_eq(@extschema@.incident, @extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_ne(@extschema@.incident, @extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_lt(@extschema@.incident, @extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_le(@extschema@.incident, @extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_gt(@extschema@.incident, @extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_ge(@extschema@.incident, @extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_cmp(@extschema@.incident, @extschema@.incident) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_hash(@extschema@.incident) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_hash_extended(@extschema@.incident, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.incident_cmp(@extschema@.incident, @extschema@.incident) IS
  'btree order: by began, then the other fields (unknown before known)';

CREATE OPERATOR @extschema@.= (
  LEFTARG = @extschema@.incident, RIGHTARG = @extschema@.incident,
  FUNCTION = @extschema@.incident_eq, COMMUTATOR = OPERATOR(@extschema@.=),
  NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR @extschema@.<> (
  LEFTARG = @extschema@.incident, RIGHTARG = @extschema@.incident,
  FUNCTION = @extschema@.incident_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
  NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
  LEFTARG = @extschema@.incident, RIGHTARG = @extschema@.incident,
  FUNCTION = @extschema@.incident_lt, COMMUTATOR = OPERATOR(@extschema@.>),
  NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
  LEFTARG = @extschema@.incident, RIGHTARG = @extschema@.incident,
  FUNCTION = @extschema@.incident_le, COMMUTATOR = OPERATOR(@extschema@.>=),
  NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
  LEFTARG = @extschema@.incident, RIGHTARG = @extschema@.incident,
  FUNCTION = @extschema@.incident_gt, COMMUTATOR = OPERATOR(@extschema@.<),
  NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
  LEFTARG = @extschema@.incident, RIGHTARG = @extschema@.incident,
  FUNCTION = @extschema@.incident_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
  NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS @extschema@.incident_ops
  DEFAULT FOR TYPE @extschema@.incident USING btree AS
    OPERATOR 1 @extschema@.<, OPERATOR 2 @extschema@.<=, OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=, OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.incident_cmp(@extschema@.incident, @extschema@.incident);
CREATE OPERATOR CLASS @extschema@.incident_ops
  DEFAULT FOR TYPE @extschema@.incident USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.incident_hash(@extschema@.incident),
    FUNCTION 2 @extschema@.incident_hash_extended(@extschema@.incident, bigint);
-- 060_criterion.sql: type criterion, a threshold rule as a value

CREATE TYPE @extschema@.criterion;

CREATE FUNCTION @extschema@.criterion_in(cstring) RETURNS @extschema@.criterion
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_out(@extschema@.criterion) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_recv(internal) RETURNS @extschema@.criterion
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_send(@extschema@.criterion) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.criterion (
  INPUT = @extschema@.criterion_in,
  OUTPUT = @extschema@.criterion_out,
  RECEIVE = @extschema@.criterion_recv,
  SEND = @extschema@.criterion_send,
  INTERNALLENGTH = VARIABLE,
  ALIGNMENT = double,
  STORAGE = main
);
COMMENT ON TYPE @extschema@.criterion IS
  'a threshold rule over an incident, e.g. users >= 30000 and duration >= 2 h; comparisons of users, households, lost_kw, cancelled, duration (s, min, h, d), effect in (...), flags, any, and/or/not, parentheses';

CREATE FUNCTION @extschema@.criterion_eq(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.criterion_eq(@extschema@.criterion, @extschema@.criterion) IS
  'same rule (same canonical form)';
CREATE OPERATOR @extschema@.= (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_eq, COMMUTATOR = OPERATOR(@extschema@.=),
  RESTRICT = eqsel, JOIN = eqjoinsel);

CREATE FUNCTION @extschema@.evaluate(@extschema@.criterion, @extschema@.incident) RETURNS boolean
  AS 'MODULE_PATHNAME', 'criterion_evaluate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.evaluate(@extschema@.criterion, @extschema@.incident) IS
  'whether the incident meets the criterion, in three-valued logic: NULL when an unknown measure decides';
-- 070_rules.sql: rule sets as data, and classification against them

CREATE TABLE @extschema@.rule_set (
  code        text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
  title       text,
  kind        text NOT NULL
              CHECK (kind IN ('verification_level', 'legal_reporting', 'service_level')),
  source      text,
  valid_from  date,
  valid_to    date,
  owner       text,
  shipped     boolean NOT NULL DEFAULT false,
  CHECK (valid_from OPERATOR(pg_catalog.<) valid_to)
);
COMMENT ON TABLE @extschema@.rule_set IS
  'sets of threshold rules: verification levels (検証レベル), legal reporting thresholds, operators'' service levels; valid over [valid_from, valid_to) by the day (Japan time) an incident began';

CREATE TABLE @extschema@.rule (
  rule_set   text NOT NULL REFERENCES @extschema@.rule_set (code) ON UPDATE CASCADE ON DELETE CASCADE,
  service    @extschema@.service NOT NULL,
  criterion  @extschema@.criterion NOT NULL,
  clause_ja  text,
  clause_en  text,
  shipped    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (rule_set, service)
);
COMMENT ON TABLE @extschema@.rule IS
  'one rule: the criterion under which an incident of the service (or of a service below it without a rule of its own) goes beyond the level';
COMMENT ON COLUMN @extschema@.rule.criterion IS 'true when the incident exceeds the level';

-- pg_dump keeps the rows users add; the shipped ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.rule_set', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.rule', 'WHERE NOT shipped');

-- nisc-2009: the 2nd Action Plan's verification levels (seed 001, table 検証レベル)
INSERT INTO @extschema@.rule_set (code, title, kind, source, valid_from, owner, shipped) VALUES
  ('nisc-2009', '重要インフラの情報セキュリティ対策に係る第2次行動計画: 検証レベル',
   'verification_level', 'seed 001 (2nd Action Plan, table 検証レベル (一部表現を簡素化))',
   '2009-02-03', 'NISC', true),
  ('telecom-2015', '電気通信事業法 重大な事故 (施行規則第58条)',
   'legal_reporting', '電気通信事業法施行規則 第58条, as amended in 2015 (not in the seeds)',
   NULL, 'MIC', true),
  ('gas-report', 'ガス事業 供給支障事故の報告 (30戸以上: 24時間以内)',
   'legal_reporting', 'ガス関係報告規則 (Gas Business Act reporting rules; not in the seeds)',
   NULL, 'METI', true);

INSERT INTO @extschema@.rule (rule_set, service, criterion, clause_ja, clause_en, shipped) VALUES
  ('nisc-2009', 'telecom.telecommunications', 'users >= 30000 and duration >= 2 h',
   '電気通信役務の停止、品質の低下が、3万以上の利用者に対し2時間以上継続する事故が生じないこと',
   'no stop or degradation of telecommunications reaching 30,000 or more users for 2 hours or more', true),
  ('nisc-2009', 'telecom.broadcasting', 'effect in (stop)',
   '放送の停止が生じないこと', 'no stop of broadcasting', true),
  ('nisc-2009', 'finance.bank.deposit', 'effect in (stop, delay)',
   '預金の払戻しの遅延、停止が生じないこと', 'no delay or stop of deposit withdrawal', true),
  ('nisc-2009', 'finance.bank.lending', 'effect in (stop, delay)',
   '融資承諾をした貸付の実行の遅延、停止が生じないこと', 'no delay or stop in executing approved loans', true),
  ('nisc-2009', 'finance.bank.remittance', 'effect in (stop, delay)',
   '為替(銀行振込)の遅延、停止が生じないこと', 'no delay or stop of remittance (bank transfer)', true),
  ('nisc-2009', 'finance.life_insurance.claims', 'effect in (stop, delay)',
   '保険金等の支払いに遅延、停止が生じないこと', 'no delay or stop in paying claims', true),
  ('nisc-2009', 'finance.nonlife_insurance.claims', 'effect in (stop, delay)',
   '保険金等の支払いに遅延、停止が生じないこと', 'no delay or stop in paying claims', true),
  ('nisc-2009', 'finance.securities.custody', 'effect in (stop, delay)',
   '預り有価証券等の売却、解約代金の払い出し等に遅延、停止が生じないこと',
   'no delay or stop in selling deposited securities or paying out proceeds', true),
  ('nisc-2009', 'finance.securities.trading', 'effect in (stop, delay)',
   '有価証券の売買又は市場デリバティブ取引等に遅延、停止が生じないこと',
   'no delay or stop in trading securities or exchange-traded derivatives', true),
  ('nisc-2009', 'aviation.scheduled_flights', 'cancelled >= 1',
   '貨客の運送に支障を及ぼす定期便の欠航が生じないこと',
   'no cancellation of a scheduled flight that hinders carrying passengers or cargo', true),
  ('nisc-2009', 'rail.passenger', 'cancelled >= 1',
   '旅客の輸送に支障を及ぼす列車の運休が生じないこと',
   'no train cancellation that hinders carrying passengers', true),
  ('nisc-2009', 'electricity.supply', 'lost_kw >= 100000 and duration >= 10 min',
   '供給支障電力が10万キロワット以上で、その支障時間が10分以上の供給支障事故が生じないこと',
   'no supply outage of 100,000 kW or more lasting 10 minutes or more', true),
  ('nisc-2009', 'gas.supply', 'households >= 30',
   '供給支障戸数が30以上の供給支障事故が生じないこと',
   'no supply outage affecting 30 or more households', true),
  ('nisc-2009', 'government.administration', 'rights_impaired',
   '住民等の権利利益の保護に支障が生じないこと / 住民等の安全・安心を確保できる時間内にシステムの復旧を行うこと',
   'no hindrance to protecting residents'' rights and interests (expressed); recovery within the time that keeps residents safe (qualitative: no fixed time in the source, so not expressed: judge it case by case)', true),
  ('nisc-2009', 'medical.records', 'records_impaired',
   '診療録等の保存に支障が生じないこと', 'no hindrance to keeping medical records', true),
  ('nisc-2009', 'water.supply', 'water_quality or effect in (stop, degradation)',
   '断減水、水質異常、重大なシステム障害のうち給水に支障を及ぼすものが生じないこと',
   'no outage or reduced supply, water-quality anomaly, or serious system failure that hinders supply', true),
  ('nisc-2009', 'logistics.freight', 'cargo_lost or effect in (stop)',
   '貨物運送の停止や貨物の紛失が生じないこと', 'no stop of freight transport and no loss of cargo', true),

  ('telecom-2015', 'telecom.telecommunications.emergency_voice', 'users >= 30000 and duration >= 1 h',
   '緊急通報を取り扱う音声伝送役務: 3万以上の利用者に対し1時間以上',
   'voice with emergency calls: 30,000 or more users for 1 hour or more', true),
  ('telecom-2015', 'telecom.telecommunications.voice',
   '(users >= 30000 and duration >= 2 h) or (users >= 100000 and duration >= 1 h)',
   '緊急通報を取り扱わない音声伝送役務: 3万以上の利用者に対し2時間以上、又は10万以上の利用者に対し1時間以上',
   'voice without emergency calls: 30,000 users for 2 hours, or 100,000 users for 1 hour', true),
  ('telecom-2015', 'telecom.telecommunications.free_internet',
   '(users >= 100000 and duration >= 24 h) or (users >= 1000000 and duration >= 12 h)',
   '利用者から料金の支払いを受けないインターネット関連サービス: 10万以上の利用者に対し24時間以上、又は100万以上の利用者に対し12時間以上',
   'internet services free of charge: 100,000 users for 24 hours, or 1,000,000 users for 12 hours', true),
  ('telecom-2015', 'telecom.telecommunications.data',
   '(users >= 30000 and duration >= 2 h) or (users >= 1000000 and duration >= 1 h)',
   '上記以外の電気通信役務: 3万以上の利用者に対し2時間以上、又は100万以上の利用者に対し1時間以上',
   'other services (data): 30,000 users for 2 hours, or 1,000,000 users for 1 hour', true),
  ('telecom-2015', 'telecom.telecommunications',
   '(users >= 30000 and duration >= 2 h) or (users >= 1000000 and duration >= 1 h)',
   '上記以外の電気通信役務: 3万以上の利用者に対し2時間以上、又は100万以上の利用者に対し1時間以上',
   'a service not classed: the rule for other services applies', true),

  ('gas-report', 'gas.supply', 'households >= 30',
   '供給支障戸数が30以上の供給支障事故: 事故の発生を知った時から24時間以内に報告',
   'a supply outage affecting 30 or more households: report within 24 hours of learning of it', true);

-- Shipped rows are read-only: a user's own levels go into rule sets of their own.  One
-- guard for both tables; the rule set of a row is its code in rule_set, its rule_set in
-- rule (each field is read only in the branch of its table: plpgsql parses a statement
-- when it first runs it).  TRUNCATE, which fires no row trigger, is refused while shipped
-- rows are there (pg_restore would bring them back: the dump keeps only users' rows).
CREATE FUNCTION @extschema@._rules_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  is_set boolean := TG_TABLE_NAME = 'rule_set';
  set_code text;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    IF is_set THEN
      SELECT min(s.code) INTO set_code FROM @extschema@.rule_set s WHERE s.shipped;
    ELSE
      SELECT min(r.rule_set) INTO set_code FROM @extschema@.rule r WHERE r.shipped;
    END IF;
    IF set_code IS NOT NULL THEN
      RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', set_code
        USING ERRCODE = 'insufficient_privilege',
              HINT = pg_catalog.format('Delete the rows of your own instead: DELETE FROM ceptoar.%I WHERE NOT shipped.',
                                       TG_TABLE_NAME);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    IF is_set THEN set_code := OLD.code; ELSE set_code := OLD.rule_set; END IF;
    RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', set_code
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Create a rule set of your own (INSERT INTO ceptoar.rule_set ...) and add rules to it.';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.shipped THEN
      RAISE EXCEPTION 'only ceptoar_registry itself ships %', CASE WHEN is_set THEN 'rule sets' ELSE 'rules' END
        USING ERRCODE = 'insufficient_privilege', HINT = 'Leave shipped false.';
    END IF;
    IF NOT is_set THEN
      IF EXISTS (SELECT 1 FROM @extschema@.rule_set s
                  WHERE s.code OPERATOR(pg_catalog.=) NEW.rule_set AND s.shipped) THEN
        RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', NEW.rule_set
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Create a rule set of your own (INSERT INTO ceptoar.rule_set ...) and add rules to it.';
      END IF;
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._rules_guard() IS
  'keeps the shipped rule sets and their rules read-only (triggers rules_guard and rules_guard_truncate on rule_set and rule)';

CREATE TRIGGER rules_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule_set
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_guard();
CREATE TRIGGER rules_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_guard();
CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON @extschema@.rule_set
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._rules_guard();
CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON @extschema@.rule
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._rules_guard();

-- A relcache invalidation after every change: each backend's rule cache follows the
-- statement's snapshot by itself, and checks its user's privileges again (src/cache.c).
CREATE FUNCTION @extschema@._cache_invalidate() RETURNS trigger
  AS 'MODULE_PATHNAME', 'cache_invalidate' LANGUAGE C;
COMMENT ON FUNCTION @extschema@._cache_invalidate() IS
  'statement trigger of the rule tables: a relcache invalidation, after which every backend checks its user''s privileges for the rule cache again';
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.rule_set
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._cache_invalidate();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.rule
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._cache_invalidate();

CREATE TYPE @extschema@.verdict AS (
  outcome      text,
  rule_set     text,
  rule_service @extschema@.service,
  clause       text,
  criterion    @extschema@.criterion,
  explanation  text
);
COMMENT ON TYPE @extschema@.verdict IS
  'result of classify: outcome (exceeds, within, undetermined, no_rule), the rule that decided, and a sentence for a report';

CREATE FUNCTION @extschema@.classify(i @extschema@.incident, rule_set text DEFAULT 'nisc-2009')
  RETURNS @extschema@.verdict
  AS 'MODULE_PATHNAME', 'incident_classify' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.classify(@extschema@.incident, text) IS
  'classifies an incident against a rule set (default nisc-2009): outcome, rule, clause, criterion and explanation';

CREATE FUNCTION @extschema@.exceeds(i @extschema@.incident, rule_set text DEFAULT 'nisc-2009')
  RETURNS boolean
  AS 'MODULE_PATHNAME', 'incident_exceeds' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.exceeds(@extschema@.incident, text) IS
  'whether an incident goes beyond its level in a rule set (default nisc-2009); NULL when undetermined or there is no rule';
-- 080_graph.sql: the dependency graph of interdependency impact (相互依存性解析): where each
-- service is delivered (service_instance), what depends on what and how long it holds out
-- (dependency), and the counter of its changes that retires cached graphs (graph_version;
-- C: the graph_changed trigger).  The engine over them is in 085_impact.sql.

CREATE TABLE @extschema@.service_instance (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  service     @extschema@.service NOT NULL,
  population  bigint CHECK (population OPERATOR(pg_catalog.>=) 0),
  operator    text NOT NULL,
  name        text,
  area        geometry(MultiPolygon, 4326),
  site        geometry(Geometry, 4326)
);
COMMENT ON TABLE @extschema@.service_instance IS
  'one operator''s delivery of one service: where (area; NULL = not located), from which facility (site), to how many people';
COMMENT ON COLUMN @extschema@.service_instance.area IS 'where the service is delivered; NULL: not located (never clipped)';
COMMENT ON COLUMN @extschema@.service_instance.site IS 'the facility it runs from (a data centre, a plant); used by dependencies of mode site';
CREATE INDEX service_instance_area ON @extschema@.service_instance USING gist (area);
CREATE INDEX service_instance_site ON @extschema@.service_instance USING gist (site);
CREATE INDEX service_instance_service ON @extschema@.service_instance (service);

CREATE TABLE @extschema@.dependency (
  dependent  bigint NOT NULL REFERENCES @extschema@.service_instance (id) ON DELETE CASCADE,
  supplier   bigint NOT NULL REFERENCES @extschema@.service_instance (id) ON DELETE CASCADE,
  buffer     interval NOT NULL DEFAULT '0',
  mode       text NOT NULL DEFAULT 'area' CHECK (mode IN ('area', 'site')),
  source     text,
  PRIMARY KEY (dependent, supplier),
  CONSTRAINT dependency_not_self CHECK (dependent OPERATOR(pg_catalog.<>) supplier),
  CONSTRAINT dependency_buffer_fixed CHECK (buffer OPERATOR(pg_catalog.>=) interval '0'
    AND pg_catalog.date_part('month', buffer) OPERATOR(pg_catalog.=) 0
    AND pg_catalog.date_part('year', buffer) OPERATOR(pg_catalog.=) 0
    AND buffer OPERATOR(pg_catalog.<=) interval '106751991 days 04:00:54.775807')
);
COMMENT ON CONSTRAINT dependency_buffer_fixed ON @extschema@.dependency IS
  'a buffer is a fixed duration: not negative, no months or years, at most 2^63-1 microseconds (106751991 days 04:00:54.775807), what the impact engine represents';
COMMENT ON TABLE @extschema@.dependency IS
  'dependent needs supplier; buffer: how long it holds out without it (batteries, fuel, storage); mode area: fails where its area overlaps the supplier''s outage; mode site: fails everywhere when its site lies in the outage';
CREATE INDEX dependency_supplier ON @extschema@.dependency (supplier);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.service_instance', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dependency', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service_instance_id_seq', '');

-- How often the graph has changed (src/graph_counter.c): one row per backend slot, raised
-- by one in every (sub)transaction that changes service_instance or dependency, so that concurrent
-- writers never wait for each other.  The image of the graph that backends share
-- ($PGDATA/pg_ceptoar/graph_<database oid>.img, src/graph_image.c) is used only while
-- the sum is what it was made at.  The counter only grows.
CREATE TABLE @extschema@.graph_version (
  slot integer PRIMARY KEY,
  changes bigint NOT NULL CHECK (changes > 0)
);
COMMENT ON TABLE @extschema@.graph_version IS
  'changes of the dependency graph, counted per backend slot; only grows (keeps the shared graph image honest)';

CREATE FUNCTION @extschema@._graph_version_guard() RETURNS trigger
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
CREATE TRIGGER graph_version_guard BEFORE UPDATE OR DELETE ON @extschema@.graph_version
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_version_guard();
CREATE TRIGGER graph_version_no_truncate BEFORE TRUNCATE ON @extschema@.graph_version
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_version_guard();

-- Every change of the tables is counted before it is made: by BEFORE statement triggers,
-- ALWAYS (also under session_replication_role = replica), so that a query run while the
-- statement changes rows (from a row trigger) already sees the count of its own
-- transaction, and on a logical-replication subscriber, whose apply worker fires row
-- triggers only, by row triggers enabled for replicas only.
CREATE FUNCTION @extschema@._graph_changed() RETURNS trigger
  AS 'MODULE_PATHNAME', 'graph_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@._graph_changed() IS
  'counts a change of the dependency graph in graph_version before it is made, which retires every cached graph and the shared image';
CREATE TRIGGER graph_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.service_instance
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_changed();
CREATE TRIGGER graph_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.dependency
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_changed();
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_changed;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_changed;
CREATE TRIGGER graph_changed_applied BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.service_instance
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_changed();
CREATE TRIGGER graph_changed_applied BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_changed();
ALTER TABLE @extschema@.service_instance ENABLE REPLICA TRIGGER graph_changed_applied;
ALTER TABLE @extschema@.dependency ENABLE REPLICA TRIGGER graph_changed_applied;
-- 085_impact.sql: the impact engine over the dependency graph (080_graph.sql): who is hit,
-- when, where and how many people (impact, C), and the same as a timeline per sector
-- (impact_timeline).  Semantics in docs/impact-semantics.md.

-- The rows of impact() and impact_timeline(), declared once for every overload.  A column
-- added later is ALTER TYPE ... ADD ATTRIBUTE (new columns last) and a change of the C
-- row builder, without dropping the functions or users' views over them.
CREATE TYPE @extschema@.impact_row AS (
  instance    bigint,
  service     @extschema@.service,
  sector      @extschema@.sector,
  depth       integer,
  onset       timestamptz,
  recovery    timestamptz,
  via         bigint,
  area        geometry,
  population  bigint
);
COMMENT ON TYPE @extschema@.impact_row IS
  'one service instance hit by a failure: a row of impact()';
COMMENT ON COLUMN @extschema@.impact_row.instance IS 'the service instance hit (ceptoar.service_instance.id)';
COMMENT ON COLUMN @extschema@.impact_row.service IS 'the service it delivers';
COMMENT ON COLUMN @extschema@.impact_row.sector IS 'the sector of that service';
COMMENT ON COLUMN @extschema@.impact_row.depth IS 'edges on an earliest-onset path from an origin (fewest such edges); 0 for an origin';
COMMENT ON COLUMN @extschema@.impact_row.onset IS 'when it fails';
COMMENT ON COLUMN @extschema@.impact_row.recovery IS 'when it is back (out on [onset, recovery))';
COMMENT ON COLUMN @extschema@.impact_row.via IS 'the supplier of that path (smallest id on ties); NULL for an origin';
COMMENT ON COLUMN @extschema@.impact_row.area IS 'where it is out (a MultiPolygon); NULL when neither it nor what hit it is located';
COMMENT ON COLUMN @extschema@.impact_row.population IS 'people affected: its population times the affected share of its area (all of it when not located)';

CREATE TYPE @extschema@.impact_timeline_row AS (
  at          timestamptz,
  sector      @extschema@.sector,
  services    integer,
  population  bigint
);
COMMENT ON TYPE @extschema@.impact_timeline_row IS
  'one sector at one instant of a failure: a row of impact_timeline()';
COMMENT ON COLUMN @extschema@.impact_timeline_row.at IS 'the instant: began, then every step';
COMMENT ON COLUMN @extschema@.impact_timeline_row.sector IS 'a sector that the failure reaches';
COMMENT ON COLUMN @extschema@.impact_timeline_row.services IS 'service instances of the sector out at that instant';
COMMENT ON COLUMN @extschema@.impact_timeline_row.population IS 'people affected by them at that instant (0 when none)';

CREATE FUNCTION @extschema@.impact(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  AS 'MODULE_PATHNAME', 'impact_run' LANGUAGE C STABLE PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.impact(bigint[], timestamptz, interval, geometry, interval) IS
  'who is hit, when, where and how many people, when these service instances fail together (a compound failure); semantics in docs/impact-semantics.md';

CREATE FUNCTION @extschema@.impact(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
  AS $$ SELECT * FROM @extschema@.impact(ARRAY[origin], began, lasted, footprint, horizon) $$;
COMMENT ON FUNCTION @extschema@.impact(bigint, timestamptz, interval, geometry, interval) IS
  'who is hit, when, where and how many people, when one service instance fails; semantics in docs/impact-semantics.md';

CREATE FUNCTION @extschema@.impact(
    i @extschema@.incident, origin bigint,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  inst_service @extschema@.service;
BEGIN
  SELECT s.service INTO inst_service FROM @extschema@.service_instance s
   WHERE s.id OPERATOR(pg_catalog.=) origin;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown service instance %', origin
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Origins are ids of ceptoar.service_instance.';
  END IF;
  IF NOT (inst_service OPERATOR(@extschema@.<@) @extschema@.service(i)
          OR @extschema@.service(i) OPERATOR(@extschema@.<@) inst_service) THEN
    RAISE EXCEPTION 'service instance % delivers %, not the incident''s service %',
        origin, inst_service, @extschema@.service(i)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give the instance where the incident happened.';
  END IF;
  -- a duration that is unknown or ongoing is taken to last the whole horizon
  RETURN QUERY SELECT * FROM @extschema@.impact(ARRAY[origin], @extschema@.began(i),
      coalesce(@extschema@.lasted(i), horizon), footprint, horizon);
END $$;
COMMENT ON FUNCTION @extschema@.impact(@extschema@.incident, bigint, geometry, interval) IS
  'the impact of an incident at the service instance where it happened; an unknown or ongoing duration lasts the whole horizon';

CREATE FUNCTION @extschema@.impact_timeline(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    step interval DEFAULT '1 hour')
  RETURNS SETOF @extschema@.impact_timeline_row
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  step_s double precision := extract(epoch FROM step);
  secs @extschema@.sector[];
  onsets timestamptz[];
  recoveries timestamptz[];
  pops bigint[];
  nsteps bigint;
BEGIN
  IF step IS NULL OR step_s OPERATOR(pg_catalog.<=) 0 THEN
    RAISE EXCEPTION 'step must be positive' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT array_agg(x.sector), array_agg(x.onset), array_agg(x.recovery), array_agg(x.population)
    INTO secs, onsets, recoveries, pops
    FROM @extschema@.impact(origins, began, lasted, footprint, horizon) x;
  nsteps := ceil(extract(epoch FROM (SELECT max(r) FROM unnest(recoveries) r) OPERATOR(pg_catalog.-) began)
                 OPERATOR(pg_catalog./) step_s);
  IF nsteps OPERATOR(pg_catalog.>) 100000 THEN
    RAISE EXCEPTION 'the timeline would have % steps', nsteps
      USING ERRCODE = 'program_limit_exceeded', HINT = 'Use a longer step.';
  END IF;
  RETURN QUERY
    WITH t AS (SELECT * FROM unnest(secs, onsets, recoveries, pops) AS u(sector, onset, recovery, population))
    SELECT s.at, x.sector,
           count(t.onset) FILTER (WHERE t.onset OPERATOR(pg_catalog.<=) s.at
                                    AND s.at OPERATOR(pg_catalog.<) t.recovery)::integer,
           coalesce(sum(t.population) FILTER (WHERE t.onset OPERATOR(pg_catalog.<=) s.at
                                                AND s.at OPERATOR(pg_catalog.<) t.recovery), 0)::bigint
    FROM (SELECT began OPERATOR(pg_catalog.+) make_interval(secs => k OPERATOR(pg_catalog.*) step_s) AS at
            FROM generate_series(0::bigint, nsteps OPERATOR(pg_catalog.-) 1) AS k) s
    CROSS JOIN (SELECT DISTINCT t2.sector FROM t t2) x
    LEFT JOIN t ON t.sector OPERATOR(@extschema@.=) x.sector
    GROUP BY s.at, x.sector
    ORDER BY s.at, x.sector;
END $$;
COMMENT ON FUNCTION @extschema@.impact_timeline(bigint[], timestamptz, interval, geometry, interval, interval) IS
  'from began, step by step until the last recovery: per sector, how many services and people are out at that instant (out on [onset, recovery))';

CREATE FUNCTION @extschema@.impact_timeline(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    step interval DEFAULT '1 hour')
  RETURNS SETOF @extschema@.impact_timeline_row
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT * FROM @extschema@.impact_timeline(ARRAY[origin], began, lasted, footprint, horizon, step) $$;
COMMENT ON FUNCTION @extschema@.impact_timeline(bigint, timestamptz, interval, geometry, interval, interval) IS
  'the timeline of one instance''s failure (see the bigint[] form)';
-- 090_sector_matrix.sql: interdependency between whole sectors: the static sector matrix
-- (sector_dependency) and its analysis (sector_impact), and the Inoperability Input-Output
-- Model (sector_coefficient, inoperability in C, sector_inoperability).  Both tables ship
-- an inferred default that users replace with their own rows.

CREATE TABLE @extschema@.sector_dependency (
  dependent  @extschema@.sector NOT NULL,
  supplier   @extschema@.sector NOT NULL,
  buffer     interval NOT NULL CHECK (buffer OPERATOR(pg_catalog.>=) interval '0'),
  source     text,
  shipped    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dependent, supplier),
  CHECK (dependent OPERATOR(@extschema@.<>) supplier)
);
COMMENT ON TABLE @extschema@.sector_dependency IS
  'static sector-to-sector dependencies with a typical buffer; the shipped rows are an inferred default (NISC published only that telecom, electricity and water are what others depend on): replace them with your own';

CREATE TABLE @extschema@.sector_coefficient (
  dependent    @extschema@.sector NOT NULL,
  supplier     @extschema@.sector NOT NULL,
  coefficient  double precision NOT NULL
               CHECK (coefficient OPERATOR(pg_catalog.>=) 0 AND coefficient OPERATOR(pg_catalog.<=) 1),
  source       text,
  shipped      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dependent, supplier)
);
COMMENT ON TABLE @extschema@.sector_coefficient IS
  'interdependency matrix A* of the Inoperability Input-Output Model: how much the dependent sector''s inoperability follows the supplier''s';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector_dependency', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector_coefficient', 'WHERE NOT shipped');

-- The shipped default matrix: inferred, illustrative buffers; replace it with your own.
INSERT INTO @extschema@.sector_dependency (dependent, supplier, buffer, source, shipped)
SELECT d::@extschema@.sector, s::@extschema@.sector, b::interval,
       'inferred: seed 000 names telecom, electricity and water as what other sectors depend on; buffers illustrative', true
FROM (VALUES
  ('telecom', 'electricity', '3 hours'), ('finance', 'electricity', '24 hours'),
  ('aviation', 'electricity', '1 hour'), ('airport', 'electricity', '1 hour'),
  ('rail', 'electricity', '0'), ('gas', 'electricity', '24 hours'),
  ('government', 'electricity', '12 hours'), ('medical', 'electricity', '72 hours'),
  ('water', 'electricity', '12 hours'), ('logistics', 'electricity', '6 hours'),
  ('chemical', 'electricity', '0'), ('credit', 'electricity', '24 hours'),
  ('petroleum', 'electricity', '6 hours'), ('port', 'electricity', '6 hours'),
  ('finance', 'telecom', '0'), ('aviation', 'telecom', '1 hour'), ('airport', 'telecom', '1 hour'),
  ('rail', 'telecom', '1 hour'), ('electricity', 'telecom', '2 hours'), ('gas', 'telecom', '2 hours'),
  ('government', 'telecom', '1 hour'), ('medical', 'telecom', '6 hours'), ('water', 'telecom', '6 hours'),
  ('logistics', 'telecom', '2 hours'), ('chemical', 'telecom', '6 hours'), ('credit', 'telecom', '0'),
  ('petroleum', 'telecom', '6 hours'), ('port', 'telecom', '2 hours'),
  ('medical', 'water', '24 hours'), ('chemical', 'water', '12 hours'), ('electricity', 'water', '24 hours'),
  ('government', 'water', '48 hours'),
  ('electricity', 'gas', '72 hours'), ('electricity', 'petroleum', '168 hours'),
  ('logistics', 'petroleum', '72 hours'), ('aviation', 'petroleum', '72 hours'),
  ('aviation', 'airport', '0'), ('credit', 'finance', '0'), ('logistics', 'port', '24 hours'),
  ('petroleum', 'port', '72 hours'), ('chemical', 'port', '72 hours')) AS t(d, s, b);

INSERT INTO @extschema@.sector_coefficient (dependent, supplier, coefficient, source, shipped)
SELECT dependent, supplier,
       CASE supplier::text WHEN 'electricity' THEN 0.3 WHEN 'telecom' THEN 0.2 ELSE 0.1 END,
       'inferred from sector_dependency: 0.3 on electricity, 0.2 on telecom, 0.1 otherwise; illustrative', true
FROM @extschema@.sector_dependency;

-- Users' changes of the shipped rows, through pg_dump and pg_restore (issue 10, section 3).
-- pg_dump keeps the rows that are not shipped (the filters above); pg_restore's CREATE
-- EXTENSION ships the default rows again before it copies the users' rows back.  So that
-- whatever a user did comes back exactly:
--   - a shipped row that is updated becomes the user's (shipped turns false);
--   - a row of the user's for the pair of a shipped row (INSERT, COPY, or UPDATE of its
--     pair) replaces that shipped row instead of colliding with it;
--   - a shipped row that goes (DELETE, TRUNCATE, replaced) leaves its pair in
--     sector_matrix_removed, which pg_dump keeps whole; a pair written there deletes the
--     shipped row of that pair, which is what restoring it does after CREATE EXTENSION.
-- The triggers fire during pg_restore's COPY as for any INSERT, in whichever order the
-- tables come back (not under session_replication_role = replica: a data-only restore
-- with --disable-triggers into a fresh install collides; a logical-replication subscriber
-- gets what the publisher's triggers did, when it subscribes to all three tables).
-- Nobody sets shipped: a later release that ships new rows disables
-- the trigger for its INSERT and leaves out the pairs in sector_matrix_removed and those
-- with a row of the user's.
CREATE TABLE @extschema@.sector_matrix_removed (
  matrix    text NOT NULL CHECK (matrix IN ('sector_dependency', 'sector_coefficient')),
  dependent @extschema@.sector NOT NULL,
  supplier  @extschema@.sector NOT NULL,
  PRIMARY KEY (matrix, dependent, supplier)
);
COMMENT ON TABLE @extschema@.sector_matrix_removed IS
  'the shipped rows of sector_dependency and sector_coefficient that are gone (deleted, or replaced by a row of yours); kept by pg_dump, so that pg_restore removes them again after CREATE EXTENSION ships them';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector_matrix_removed', '');
COMMENT ON COLUMN @extschema@.sector_dependency.shipped IS
  'true: the row as shipped with ceptoar_registry; an update makes it yours (false); a row of yours for its pair replaces it';
COMMENT ON COLUMN @extschema@.sector_coefficient.shipped IS
  'true: the row as shipped with ceptoar_registry; an update makes it yours (false); a row of yours for its pair replaces it';

-- The triggers on both matrices (SECURITY DEFINER: a role allowed to write a matrix needs
-- no privilege on sector_matrix_removed, which nobody but the owner writes directly).
CREATE FUNCTION @extschema@._sector_matrix_write() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  drop_shipped constant text := pg_catalog.format(
    'DELETE FROM @extschema@.%I WHERE dependent OPERATOR(@extschema@.=) $1 AND supplier OPERATOR(@extschema@.=) $2 AND shipped',
    TG_TABLE_NAME);
BEGIN
  -- one writer of the matrices and their removed pairs at a time: pg_restore -j copies
  -- the tables at once, and two transactions deleting shipped rows could wait for each other
  LOCK TABLE @extschema@.sector_matrix_removed IN SHARE ROW EXCLUSIVE MODE;
  IF TG_LEVEL = 'STATEMENT' THEN
    -- TRUNCATE: the shipped rows go one by one first, so that each leaves its pair
    EXECUTE pg_catalog.format('DELETE FROM @extschema@.%I WHERE shipped', TG_TABLE_NAME);
    RETURN NULL;
  END IF;
  IF TG_WHEN = 'AFTER' THEN
    -- DELETE or UPDATE of a shipped row: remember its pair
    IF OLD.shipped THEN
      INSERT INTO @extschema@.sector_matrix_removed (matrix, dependent, supplier)
      VALUES (TG_TABLE_NAME, OLD.dependent, OLD.supplier) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END IF;
  -- BEFORE INSERT or UPDATE
  IF TG_OP = 'UPDATE' AND OLD.shipped THEN
    NEW.shipped := false;
  ELSIF NEW.shipped THEN
    RAISE EXCEPTION 'only ceptoar_registry itself ships rows of %', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Leave shipped false: a row of yours for a shipped pair replaces the shipped row.';
  END IF;
  IF TG_OP = 'INSERT' OR NOT (NEW.dependent OPERATOR(@extschema@.=) OLD.dependent
                              AND NEW.supplier OPERATOR(@extschema@.=) OLD.supplier) THEN
    EXECUTE drop_shipped USING NEW.dependent, NEW.supplier;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._sector_matrix_write() IS
  'sector matrices: an updated shipped row becomes the user''s, a row of the user''s replaces the shipped row of its pair, and a shipped row that goes is remembered in sector_matrix_removed';

CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON @extschema@.sector_dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON @extschema@.sector_coefficient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_row_gone AFTER UPDATE OR DELETE ON @extschema@.sector_dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_row_gone AFTER UPDATE OR DELETE ON @extschema@.sector_coefficient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON @extschema@.sector_dependency
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON @extschema@.sector_coefficient
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_write();

-- The removed pairs: a pair written here deletes the shipped row of that pair (pg_restore
-- after CREATE EXTENSION); a pair that is here already is not written twice (deleting the
-- shipped row wrote it, or a row of the user's replaced it first).  A pair once here stays:
-- deleting it would bring the shipped row back at the next restore only.
CREATE FUNCTION @extschema@._sector_matrix_removed_write() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    LOCK TABLE @extschema@.sector_matrix_removed IN SHARE ROW EXCLUSIVE MODE;   -- see _sector_matrix_write()
    IF NEW.matrix IN ('sector_dependency', 'sector_coefficient') THEN
      EXECUTE pg_catalog.format(
        'DELETE FROM @extschema@.%I WHERE dependent OPERATOR(@extschema@.=) $1 AND supplier OPERATOR(@extschema@.=) $2 AND shipped',
        NEW.matrix) USING NEW.dependent, NEW.supplier;
      IF EXISTS (SELECT 1 FROM @extschema@.sector_matrix_removed r
                  WHERE r.matrix OPERATOR(pg_catalog.=) NEW.matrix
                    AND r.dependent OPERATOR(@extschema@.=) NEW.dependent
                    AND r.supplier OPERATOR(@extschema@.=) NEW.supplier) THEN
        RETURN NULL;
      END IF;
    END IF;
    RETURN NEW;   -- another matrix: the CHECK constraint refuses it
  END IF;
  RAISE EXCEPTION 'the pairs in ceptoar.sector_matrix_removed cannot be changed or deleted'
    USING ERRCODE = 'insufficient_privilege',
          DETAIL = 'They keep the shipped rows you deleted or replaced out of the sector matrices after pg_dump and pg_restore.',
          HINT = 'To use a shipped row again, insert it into the matrix as a row of your own.';
END $$;
COMMENT ON FUNCTION @extschema@._sector_matrix_removed_write() IS
  'sector_matrix_removed: a pair written there deletes the shipped row of that pair; pairs are written once and never changed or deleted';
CREATE TRIGGER removes_shipped_row BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.sector_matrix_removed
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_removed_write();
CREATE TRIGGER removes_shipped_row_truncate BEFORE TRUNCATE ON @extschema@.sector_matrix_removed
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_removed_write();

CREATE FUNCTION @extschema@.sector_impact(origin @extschema@.sector, lasted interval,
    OUT sector @extschema@.sector, OUT depth integer, OUT onset_after interval)
  RETURNS SETOF record
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  WITH RECURSIVE walk (sector, onset, depth, path) AS (
    SELECT origin, 0::double precision, 0, ARRAY[origin]
    UNION ALL
    SELECT d.dependent, w.onset OPERATOR(pg_catalog.+) extract(epoch FROM d.buffer)::double precision,
           w.depth OPERATOR(pg_catalog.+) 1, w.path OPERATOR(pg_catalog.||) d.dependent
    FROM walk w
    JOIN @extschema@.sector_dependency d ON d.supplier OPERATOR(@extschema@.=) w.sector
    WHERE extract(epoch FROM lasted)::double precision OPERATOR(pg_catalog.-) w.onset
            OPERATOR(pg_catalog.>) extract(epoch FROM d.buffer)::double precision
      AND NOT d.dependent OPERATOR(@extschema@.=) ANY (w.path)
  )
  SELECT s.sector, s.depth, make_interval(secs => s.onset)
  FROM (SELECT DISTINCT ON (w.sector) w.sector, w.depth, w.onset
          FROM walk w ORDER BY w.sector, w.onset, w.depth) s
  ORDER BY s.onset, s.depth, s.sector
$$;
COMMENT ON FUNCTION @extschema@.sector_impact(@extschema@.sector, interval) IS
  'static analysis over sector_dependency: which sectors a failure of this length in one sector reaches, how many steps away, and how soon';

CREATE FUNCTION @extschema@.inoperability(a double precision[], c double precision[])
  RETURNS double precision[]
  AS 'MODULE_PATHNAME', 'inoperability_solve' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.inoperability(double precision[], double precision[]) IS
  'Inoperability Input-Output Model: q = (I - A*)^-1 c*, each q clipped to [0, 1]; a square, row i = how much sector i depends on sector j';

CREATE FUNCTION @extschema@.sector_inoperability(sectors @extschema@.sector[], perturbation double precision[],
    OUT sector @extschema@.sector, OUT inoperability double precision)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  keys @extschema@.sector[];
  a double precision[];
  c double precision[];
  q double precision[];
BEGIN
  IF cardinality(sectors) IS DISTINCT FROM cardinality(perturbation) THEN
    RAISE EXCEPTION 'sectors and perturbation differ in length (% and %)',
        cardinality(sectors), cardinality(perturbation)
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give one perturbation per sector.';
  END IF;
  -- every sector of the coefficient table or the perturbation, in NISC order
  SELECT array_agg(DISTINCT s ORDER BY s) INTO keys FROM (
    SELECT dependent AS s FROM @extschema@.sector_coefficient
    UNION SELECT supplier FROM @extschema@.sector_coefficient
    UNION SELECT unnest(sectors)) u;
  SELECT array_agg(coalesce((SELECT sc.coefficient FROM @extschema@.sector_coefficient sc
                               WHERE sc.dependent OPERATOR(@extschema@.=) r.s
                                 AND sc.supplier OPERATOR(@extschema@.=) col.s), 0)
                   ORDER BY r.i, col.i)
    INTO a
    FROM unnest(keys) WITH ORDINALITY r(s, i), unnest(keys) WITH ORDINALITY col(s, i);
  SELECT array_agg(coalesce((SELECT sum(p.v) FROM unnest(sectors, perturbation) p(s, v)
                               WHERE p.s OPERATOR(@extschema@.=) k.s), 0) ORDER BY k.i)
    INTO c
    FROM unnest(keys) WITH ORDINALITY k(s, i);
  q := @extschema@.inoperability(
         (SELECT array_agg(row_vals ORDER BY ri) FROM (
            SELECT ri, array_agg(a[(ri OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.*) cardinality(keys) OPERATOR(pg_catalog.+) ci] ORDER BY ci) AS row_vals
              FROM generate_series(1, cardinality(keys)) ri, generate_series(1, cardinality(keys)) ci
             GROUP BY ri) rows), c);
  RETURN QUERY SELECT k.s, q[k.i] FROM unnest(keys) WITH ORDINALITY k(s, i) ORDER BY k.i;
END $$;
COMMENT ON FUNCTION @extschema@.sector_inoperability(@extschema@.sector[], double precision[]) IS
  'the Inoperability Input-Output Model over ceptoar.sector_coefficient, with a direct perturbation per sector';
-- 900_privileges.sql: what PUBLIC may do.  The schema is created without PUBLIC
-- USAGE; readers get USAGE (types, functions, catalogue views) and nothing
-- that writes.  Later fragments add roles for the registry's tables.

REVOKE ALL ON SCHEMA @extschema@ FROM PUBLIC;
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

GRANT SELECT ON @extschema@.plans, @extschema@.plan_revisions, @extschema@.sectors,
  @extschema@.ministries, @extschema@.ministry_sectors, @extschema@.ceptoars,
  @extschema@.services TO PUBLIC;

-- Rules: everyone may read them; writing is for the owner and the roles a DBA grants it to.
GRANT SELECT ON @extschema@.rule_set, @extschema@.rule TO PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._rules_guard(),
  @extschema@._cache_invalidate(), @extschema@._graph_changed(),
  @extschema@._graph_version_guard(), @extschema@._sector_matrix_write(),
  @extschema@._sector_matrix_removed_write() FROM PUBLIC;
-- The graph's change counter is written by the trigger as the extension's owner.
REVOKE ALL ON @extschema@.graph_version FROM PUBLIC;

-- Impact: the instance and dependency data is for the roles a DBA grants SELECT to;
-- impact() checks that privilege itself.  The sector matrix is public knowledge.
GRANT SELECT ON @extschema@.sector_dependency, @extschema@.sector_coefficient,
  @extschema@.sector_matrix_removed TO PUBLIC;
