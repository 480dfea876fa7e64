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

-- min() and max() (0.4), as PostgreSQL defines them for int2: the int2 functions
-- as transition and combine functions (parallel aggregation), and the sort
-- operator so that an index can answer them.
CREATE FUNCTION @extschema@.sector_smaller(@extschema@.sector, @extschema@.sector) RETURNS @extschema@.sector
  AS 'int2smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sector_larger(@extschema@.sector, @extschema@.sector) RETURNS @extschema@.sector
  AS 'int2larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sector_smaller(@extschema@.sector, @extschema@.sector) IS 'the sector earlier in NISC order (min() support)';
COMMENT ON FUNCTION @extschema@.sector_larger(@extschema@.sector, @extschema@.sector) IS 'the sector later in NISC order (max() support)';
CREATE AGGREGATE @extschema@.min(@extschema@.sector) (
  SFUNC = @extschema@.sector_smaller, STYPE = @extschema@.sector,
  COMBINEFUNC = @extschema@.sector_smaller, SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.max(@extschema@.sector) (
  SFUNC = @extschema@.sector_larger, STYPE = @extschema@.sector,
  COMBINEFUNC = @extschema@.sector_larger, SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.sector) IS 'the sector first in NISC order';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.sector) IS 'the sector last in NISC order';
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

-- min() and max() (0.4), as PostgreSQL defines them for int4: the int4 functions
-- as transition and combine functions (parallel aggregation), and the sort
-- operator so that an index can answer them.
CREATE FUNCTION @extschema@.service_smaller(@extschema@.service, @extschema@.service) RETURNS @extschema@.service
  AS 'int4smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.service_larger(@extschema@.service, @extschema@.service) RETURNS @extschema@.service
  AS 'int4larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_smaller(@extschema@.service, @extschema@.service) IS 'the service earlier in catalogue order (min() support)';
COMMENT ON FUNCTION @extschema@.service_larger(@extschema@.service, @extschema@.service) IS 'the service later in catalogue order (max() support)';
CREATE AGGREGATE @extschema@.min(@extschema@.service) (
  SFUNC = @extschema@.service_smaller, STYPE = @extschema@.service,
  COMBINEFUNC = @extschema@.service_smaller, SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.max(@extschema@.service) (
  SFUNC = @extschema@.service_larger, STYPE = @extschema@.service,
  COMBINEFUNC = @extschema@.service_larger, SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.service) IS 'the service first in catalogue order';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.service) IS 'the service last in catalogue order';
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
-- (0.4: the code column; repeated in src/updates/0.4/030_ceptoar_codes.sql)
CREATE FUNCTION @extschema@._ceptoar_code(ordinal integer) RETURNS text
  AS 'MODULE_PATHNAME', 'catalog_ceptoar_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._ceptoar_code(integer) IS
  'the CEPTOAR code of a row of the view ceptoars (by ordinal)';
-- code is the last column, so that a view of 0.3 gains it with CREATE OR REPLACE VIEW
CREATE VIEW @extschema@.ceptoars AS
  SELECT c.*, @extschema@._ceptoar_code(c.ordinal) AS code FROM @extschema@._ceptoars() c;
COMMENT ON VIEW @extschema@.ceptoars IS
  'the 15 CEPTOARs of the 10 sectors of the 2nd plan (seed 000), one row per CEPTOAR and business scope as the seed counts them; code names the CEPTOAR (the finance council''s four scopes share code finance); dates are to the month (day 1)';
COMMENT ON COLUMN @extschema@.ceptoars.code IS
  'stable ASCII code of the CEPTOAR (since 0.4): what tables store; one code for the finance council over its four business scopes; check a value with ceptoar_exists(code)';

CREATE FUNCTION @extschema@.ceptoar_exists(code text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'catalog_ceptoar_exists' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ceptoar_exists(text) IS
  'whether a text is the code of a CEPTOAR of the view ceptoars (exact, lower case), for CHECK constraints: a view cannot be referenced by a foreign key';

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

-- min() and max() (0.4) in btree order (the earliest and the latest to begin),
-- as PostgreSQL defines them for text: C functions that return one of their
-- arguments serve as transition and combine functions (parallel aggregation),
-- and the sort operator lets an index answer them.
CREATE FUNCTION @extschema@.incident_smaller(@extschema@.incident, @extschema@.incident) RETURNS @extschema@.incident
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.incident_larger(@extschema@.incident, @extschema@.incident) RETURNS @extschema@.incident
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.incident_smaller(@extschema@.incident, @extschema@.incident) IS 'the incident earlier in btree order (min() support)';
COMMENT ON FUNCTION @extschema@.incident_larger(@extschema@.incident, @extschema@.incident) IS 'the incident later in btree order (max() support)';
CREATE AGGREGATE @extschema@.min(@extschema@.incident) (
  SFUNC = @extschema@.incident_smaller, STYPE = @extschema@.incident,
  COMBINEFUNC = @extschema@.incident_smaller, SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.max(@extschema@.incident) (
  SFUNC = @extschema@.incident_larger, STYPE = @extschema@.incident,
  COMBINEFUNC = @extschema@.incident_larger, SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.incident) IS 'the incident first in btree order: the earliest to begin';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.incident) IS 'the incident last in btree order: the latest to begin';
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
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);   -- hash and merge joins (0.5; 340_drivers.sql)

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

-- nisc-2009: the 2nd Action Plan's verification levels (seed 001, table 検証レベル).
-- The Telecommunications Business Act's serious accidents (施行規則第58条) by the day an
-- incident began: telecom-2008 (every service alike, degradation included) until the
-- 2015 classes of telecom-2015 took effect (0.4; src/updates/0.4/070_telecom_rules.sql).
INSERT INTO @extschema@.rule_set (code, title, kind, source, valid_from, valid_to, owner, shipped) VALUES
  ('nisc-2009', '重要インフラの情報セキュリティ対策に係る第2次行動計画: 検証レベル',
   'verification_level', 'seed 001 (2nd Action Plan, table 検証レベル (一部表現を簡素化))',
   '2009-02-03', NULL, 'NISC', true),
  ('telecom-2015', '電気通信事業法 重大な事故 (施行規則第58条)',
   'legal_reporting',
   '電気通信事業法施行規則 第58条 as amended in 2015 (not in the seeds), classes by service. valid_from: MIC, 情報通信白書 令和6年版 (https://www.soumu.go.jp/johotsusintokei/whitepaper/ja/r06/html/nd212290.html): "2015年度から、電気通信サービス一律ではなく、電気通信サービスの区分別の報告基準が定められており"; MIC press release 2015-03-16 (https://www.soumu.go.jp/menu_news/s-news/01kiban05_02000089.html): consultation on the draft amendment of 第57条 and 第58条 closed, "速やかに規定の整備を行う予定"; the draft was reported to apply from 2015-04-01 (http://news.0rz.org/archives/9659883.html). Uncertain: the amending ordinance''s own provision on its date of effect (附則) was not found; 2015-04-01, the first day of FY2015, is the best documented date',
   '2015-04-01', NULL, 'MIC', true),
  ('telecom-2008', '電気通信事業法 重大な事故 (施行規則第58条, 2015年改正前: 全役務一律)',
   'legal_reporting',
   '電気通信事業法施行規則 第58条 before the 2015 amendment (not in the seeds; the same level as seed 001''s verification level for 情報通信): one rule for every telecommunications service, a stop or a degradation of quality reaching 30,000 users for 2 hours. MIC, 情報通信白書 令和6年版 (https://www.soumu.go.jp/johotsusintokei/whitepaper/ja/r06/html/nd212290.html): "2008年度から、電気通信役務の品質が低下した場合も重大な事故に該当することとなり"; MIC''s page on 重大な事故 before 2015 (https://www.soumu.go.jp/menu_seisaku/ictseisaku/net_anzen/jiko/judai.html): "電気通信役務の提供を停止又は品質を低下させた事故で、影響利用者数 3万 以上 かつ 継続時間 2時間 以上 のもの等". Uncertain: the source gives the fiscal year only, so valid_from is its first day (2008-04-01); valid_to is the day telecom-2015 starts',
   '2008-04-01', '2015-04-01', 'MIC', true),
  ('gas-report', 'ガス事業 供給支障事故の報告 (30戸以上: 24時間以内)',
   'legal_reporting', 'ガス関係報告規則 (Gas Business Act reporting rules; not in the seeds)',
   NULL, NULL, 'METI', true);

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

  ('telecom-2008', 'telecom.telecommunications', 'users >= 30000 and duration >= 2 h',
   '電気通信役務の提供を停止又は品質を低下させた事故で、影響利用者数3万以上かつ継続時間2時間以上のもの (2015年改正前、全役務一律)',
   'a stop or degradation of quality of any telecommunications service reaching 30,000 or more users for 2 hours or more (before the 2015 classes)', true),

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
-- ($PGDATA/pg_ceptoar/graph_<database oid>.img, src/graph_image.c) is used alone only
-- while the sum is what it was made at; after that, with the changes logged in
-- graph_change (below) laid over it.  The counter only grows.
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

-- What changed in the graph, key by key (issue 11): one row per instance or dependency
-- touched, with the transaction that touched it, written by the AFTER statement triggers
-- graph_logged (with transition tables; ALWAYS) and, on a logical-replication subscriber
-- whose apply worker fires row triggers only, by the row triggers graph_logged_applied
-- (REPLICA).  A backend whose graph image (src/graph_image.c) is older than its statement
-- reads the rows of the keys whose transactions the two snapshots see differently, and
-- lays them over the image (src/graph_delta.c) instead of reading the whole graph.  A
-- statement that touches more than 50,000 rows writes one row of NULL keys instead:
-- "read everything".  Never published (federation_tables() lists what is); not dumped.
CREATE TABLE @extschema@.graph_change (
  xid        xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  instance   bigint,
  dependent  bigint,
  supplier   bigint
);
COMMENT ON TABLE @extschema@.graph_change IS
  'keys of the dependency graph touched, by transaction: what a backend lays over an older image of the graph (NULL keys: read everything)';
CREATE INDEX graph_change_xid ON @extschema@.graph_change (xid);

CREATE FUNCTION @extschema@._graph_logged() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n_rows bigint := 0;
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    IF TG_TABLE_NAME = 'service_instance' THEN
      INSERT INTO @extschema@.graph_change (instance)
      SELECT DISTINCT k FROM (VALUES (OLD.id), (NEW.id)) AS v(k) WHERE k IS NOT NULL;
    ELSE
      INSERT INTO @extschema@.graph_change (dependent, supplier)
      SELECT DISTINCT d, s FROM (VALUES (OLD.dependent, OLD.supplier), (NEW.dependent, NEW.supplier)) AS v(d, s)
       WHERE d IS NOT NULL;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    n_rows := (SELECT pg_catalog.count(*) FROM new_rows);
  ELSE
    n_rows := (SELECT pg_catalog.count(*) FROM old_rows);
  END IF;
  IF n_rows OPERATOR(pg_catalog.>) 50000 THEN
    INSERT INTO @extschema@.graph_change DEFAULT VALUES;
  ELSIF TG_TABLE_NAME = 'service_instance' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM old_rows;
    ELSE
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM old_rows UNION SELECT id FROM new_rows;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      INSERT INTO @extschema@.graph_change (dependent, supplier) SELECT dependent, supplier FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO @extschema@.graph_change (dependent, supplier) SELECT dependent, supplier FROM old_rows;
    ELSE
      INSERT INTO @extschema@.graph_change (dependent, supplier)
      SELECT dependent, supplier FROM old_rows UNION SELECT dependent, supplier FROM new_rows;
    END IF;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._graph_logged() IS
  'logs the keys of the dependency graph a statement (or an applied row) touched in graph_change';
CREATE TRIGGER graph_logged_insert AFTER INSERT ON @extschema@.service_instance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_update AFTER UPDATE ON @extschema@.service_instance
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_delete AFTER DELETE ON @extschema@.service_instance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_insert AFTER INSERT ON @extschema@.dependency
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_update AFTER UPDATE ON @extschema@.dependency
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_delete AFTER DELETE ON @extschema@.dependency
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_insert;
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_update;
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_delete;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_insert;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_update;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_delete;
CREATE TRIGGER graph_logged_applied AFTER INSERT OR UPDATE OR DELETE ON @extschema@.service_instance
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_applied AFTER INSERT OR UPDATE OR DELETE ON @extschema@.dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_logged();
ALTER TABLE @extschema@.service_instance ENABLE REPLICA TRIGGER graph_logged_applied;
ALTER TABLE @extschema@.dependency ENABLE REPLICA TRIGGER graph_logged_applied;
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
  area        geometry(MultiPolygon, 4326),
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
-- 100_tlp.sql: type tlp, a Traffic Light Protocol 2.0 label (0.4)

CREATE TYPE @extschema@.tlp;

CREATE FUNCTION @extschema@.tlp_in(cstring) RETURNS @extschema@.tlp
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tlp_out(@extschema@.tlp) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tlp_recv(internal) RETURNS @extschema@.tlp
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tlp_send(@extschema@.tlp) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.tlp (
  INPUT = @extschema@.tlp_in,
  OUTPUT = @extschema@.tlp_out,
  RECEIVE = @extschema@.tlp_recv,
  SEND = @extschema@.tlp_send,
  INTERNALLENGTH = 2,
  PASSEDBYVALUE,
  ALIGNMENT = int2,
  STORAGE = plain
);
COMMENT ON TYPE @extschema@.tlp IS
  'Traffic Light Protocol 2.0 label (FIRST); literal: clear, green, amber, amber+strict or red, any case, with or without TLP: (TLP:AMBER+STRICT), blanks ignored; TLP 1.0''s white reads as clear; ordered from clear (least restricted) to red';

-- The value is the rank (clear = 0 ... red = 4), so the int2 support functions
-- order and hash it correctly and cost nothing extra, as for sector.
CREATE FUNCTION @extschema@.tlp_eq(@extschema@.tlp, @extschema@.tlp) RETURNS boolean
  AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_ne(@extschema@.tlp, @extschema@.tlp) RETURNS boolean
  AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_lt(@extschema@.tlp, @extschema@.tlp) RETURNS boolean
  AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_le(@extschema@.tlp, @extschema@.tlp) RETURNS boolean
  AS 'int2le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_gt(@extschema@.tlp, @extschema@.tlp) RETURNS boolean
  AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_ge(@extschema@.tlp, @extschema@.tlp) RETURNS boolean
  AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_cmp(@extschema@.tlp, @extschema@.tlp) RETURNS integer
  AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_sortsupport(internal) RETURNS void
  AS 'btint2sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tlp_hash(@extschema@.tlp) RETURNS integer
  AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.tlp_hash_extended(@extschema@.tlp, bigint) RETURNS bigint
  AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.tlp_eq(@extschema@.tlp, @extschema@.tlp) IS 'same label';
COMMENT ON FUNCTION @extschema@.tlp_ne(@extschema@.tlp, @extschema@.tlp) IS 'different labels';
COMMENT ON FUNCTION @extschema@.tlp_lt(@extschema@.tlp, @extschema@.tlp) IS 'less restricted';
COMMENT ON FUNCTION @extschema@.tlp_le(@extschema@.tlp, @extschema@.tlp) IS 'less restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_gt(@extschema@.tlp, @extschema@.tlp) IS 'more restricted';
COMMENT ON FUNCTION @extschema@.tlp_ge(@extschema@.tlp, @extschema@.tlp) IS 'more restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_cmp(@extschema@.tlp, @extschema@.tlp) IS 'btree comparison, clear < green < amber < amber+strict < red';
COMMENT ON FUNCTION @extschema@.tlp_sortsupport(internal) IS 'btree sort support';
COMMENT ON FUNCTION @extschema@.tlp_hash(@extschema@.tlp) IS 'hash support';
COMMENT ON FUNCTION @extschema@.tlp_hash_extended(@extschema@.tlp, bigint) IS 'extended hash support';

CREATE OPERATOR @extschema@.= (
  LEFTARG = @extschema@.tlp, RIGHTARG = @extschema@.tlp,
  FUNCTION = @extschema@.tlp_eq, COMMUTATOR = OPERATOR(@extschema@.=),
  NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
  HASHES, MERGES);
CREATE OPERATOR @extschema@.<> (
  LEFTARG = @extschema@.tlp, RIGHTARG = @extschema@.tlp,
  FUNCTION = @extschema@.tlp_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
  NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
  LEFTARG = @extschema@.tlp, RIGHTARG = @extschema@.tlp,
  FUNCTION = @extschema@.tlp_lt, COMMUTATOR = OPERATOR(@extschema@.>),
  NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
  LEFTARG = @extschema@.tlp, RIGHTARG = @extschema@.tlp,
  FUNCTION = @extschema@.tlp_le, COMMUTATOR = OPERATOR(@extschema@.>=),
  NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
  LEFTARG = @extschema@.tlp, RIGHTARG = @extschema@.tlp,
  FUNCTION = @extschema@.tlp_gt, COMMUTATOR = OPERATOR(@extschema@.<),
  NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
  LEFTARG = @extschema@.tlp, RIGHTARG = @extschema@.tlp,
  FUNCTION = @extschema@.tlp_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
  NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS @extschema@.tlp_ops
  DEFAULT FOR TYPE @extschema@.tlp USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.tlp_cmp(@extschema@.tlp, @extschema@.tlp),
    FUNCTION 2 @extschema@.tlp_sortsupport(internal);

CREATE OPERATOR CLASS @extschema@.tlp_ops
  DEFAULT FOR TYPE @extschema@.tlp USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.tlp_hash(@extschema@.tlp),
    FUNCTION 2 @extschema@.tlp_hash_extended(@extschema@.tlp, bigint);

CREATE FUNCTION @extschema@.tlp_rank(@extschema@.tlp) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tlp_rank(@extschema@.tlp) IS
  'rank of the label: 0 = clear, 1 = green, 2 = amber, 3 = amber+strict, 4 = red';

-- min() and max(), as PostgreSQL defines them for int2: the int2 functions as
-- transition and combine functions (parallel aggregation), and the sort
-- operator so that an index can answer them.
CREATE FUNCTION @extschema@.tlp_smaller(@extschema@.tlp, @extschema@.tlp) RETURNS @extschema@.tlp
  AS 'int2smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tlp_larger(@extschema@.tlp, @extschema@.tlp) RETURNS @extschema@.tlp
  AS 'int2larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tlp_smaller(@extschema@.tlp, @extschema@.tlp) IS 'the less restricted label (min() support)';
COMMENT ON FUNCTION @extschema@.tlp_larger(@extschema@.tlp, @extschema@.tlp) IS 'the more restricted label (max() support)';
CREATE AGGREGATE @extschema@.min(@extschema@.tlp) (
  SFUNC = @extschema@.tlp_smaller, STYPE = @extschema@.tlp,
  COMBINEFUNC = @extschema@.tlp_smaller, SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.max(@extschema@.tlp) (
  SFUNC = @extschema@.tlp_larger, STYPE = @extschema@.tlp,
  COMBINEFUNC = @extschema@.tlp_larger, SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.tlp) IS 'the least restricted label';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.tlp) IS 'the most restricted label';
-- 105_operator.sql: the operators that report (重要インフラ事業者等): companies and local
-- governments providing a critical-infrastructure service, each in one sector and, where
-- its sector has one, one CEPTOAR.

CREATE TABLE @extschema@.operator (
  code            text PRIMARY KEY
                  CHECK (code OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name            text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''),
  name_ja         text,
  sector          @extschema@.sector NOT NULL,
  ceptoar         text CHECK (ceptoar IS NULL OR @extschema@.ceptoar_exists(ceptoar)),
  contact         text,
  service_levels  text REFERENCES @extschema@.rule_set (code) ON UPDATE CASCADE,
  registered      timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.operator IS
  'operators (重要インフラ事業者等) that report IT failures: a stable ASCII code, the sector, the CEPTOAR (NULL if none), the contact point and the operator''s own service-level rule set';
COMMENT ON COLUMN @extschema@.operator.code IS
  'stable ASCII code: lower-case letters, digits, ''_'', ''.'', ''-'', at most 63 characters';
COMMENT ON COLUMN @extschema@.operator.ceptoar IS 'code of its CEPTOAR in ceptoar.ceptoars, NULL if none';
COMMENT ON COLUMN @extschema@.operator.contact IS 'contact point (窓口) for reports and alerts';
COMMENT ON COLUMN @extschema@.operator.service_levels IS
  'the operator''s own service levels (a rule set of kind service_level), checked on every report';

-- the operator's service levels are a rule set of kind service_level
CREATE FUNCTION @extschema@._operator_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.code OPERATOR(pg_catalog.!~) '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'invalid operator code %', pg_catalog.quote_literal(NEW.code)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'An operator code is stable ASCII: lower-case letters, digits, ''_'', ''.'' and ''-'', starting with a letter or digit, at most 63 characters.';
  END IF;
  -- deliveries and alerts name their recipients by code: an operator's may not be another's
  IF NEW.code OPERATOR(pg_catalog.=) 'nisc' OR @extschema@.ceptoar_exists(NEW.code)
     OR EXISTS (SELECT 1 FROM @extschema@.ministries m WHERE m.code OPERATOR(pg_catalog.=) NEW.code) THEN
    RAISE EXCEPTION 'operator code % is the code of NISC, a ministry or a CEPTOAR', pg_catalog.quote_literal(NEW.code)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Reports and alerts are delivered to recipients by code; give the operator a code of its own, e.g. its company name.';
  END IF;
  IF NEW.ceptoar IS NOT NULL AND NOT @extschema@.ceptoar_exists(NEW.ceptoar) THEN
    RAISE EXCEPTION 'unknown CEPTOAR %', pg_catalog.quote_literal(NEW.ceptoar)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'CEPTOAR codes are the code column of ceptoar.ceptoars.';
  END IF;
  IF NEW.service_levels IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM @extschema@.rule_set s
        WHERE s.code OPERATOR(pg_catalog.=) NEW.service_levels
          AND s.kind OPERATOR(pg_catalog.=) 'service_level') THEN
    RAISE EXCEPTION 'rule set % is not a set of service levels', NEW.service_levels
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'An operator''s service_levels name a rule set of kind service_level.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._operator_check() IS
  'operator: a valid code, a known CEPTOAR, service_levels naming a rule set of kind service_level';
CREATE TRIGGER operator_check BEFORE INSERT OR UPDATE ON @extschema@.operator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._operator_check();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.operator', '');
-- 106_instance_operator.sql: a service instance is delivered by an operator of
-- ceptoar.operator (issue 12, section 1), and an operator delivers its own sector's
-- services.  Its own fragment, after 105_operator.sql, because the update from 0.3 must
-- first turn the free-text operators of existing instances into operator rows
-- (src/updates/0.4/106_instance_operator_migrate.sql) before this runs.

ALTER TABLE @extschema@.service_instance
  ADD CONSTRAINT service_instance_operator_fkey FOREIGN KEY (operator)
  REFERENCES @extschema@.operator (code) ON UPDATE CASCADE;
COMMENT ON COLUMN @extschema@.service_instance.operator IS
  'code of the operator (ceptoar.operator) that delivers it; the service must be of the operator''s sector';
-- an operator's instances: the foreign key's ON UPDATE CASCADE and the check on deleting
-- an operator or changing its sector find them by this index
CREATE INDEX service_instance_operator ON @extschema@.service_instance (operator);

-- The sector check, once per statement over its transition table: a bulk load of a
-- million instances pays one aggregate (0.26 s), not a PL/pgSQL call per row (+7 s;
-- measured for CHANGELOG 0.4).  The operators' rows are locked FOR SHARE, so that an operator's
-- sector cannot change under instances being written (_operator_sector_check below sees
-- them once they are committed).  SECURITY DEFINER: like the foreign key's own check, it
-- reads ceptoar.operator whatever the writer's privileges on it.
CREATE FUNCTION @extschema@._instance_sector_check() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  bad record;
BEGIN
  FOR bad IN
    SELECT d.id, d.operator, d.sector, o.sector AS operator_sector
      FROM (SELECT n.operator, @extschema@.sector(n.service) AS sector, pg_catalog.min(n.id) AS id
              FROM new_instances n GROUP BY 1, 2) d
      JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) d.operator
     ORDER BY d.id
       FOR SHARE OF o
  LOOP
    IF bad.sector OPERATOR(@extschema@.<>) bad.operator_sector THEN
      RAISE EXCEPTION 'operator % is in sector %, the service % of instance % is not',
          pg_catalog.quote_literal(bad.operator), bad.operator_sector,
          (SELECT n.service FROM new_instances n WHERE n.id OPERATOR(pg_catalog.=) bad.id LIMIT 1), bad.id
        USING ERRCODE = 'invalid_parameter_value',
              HINT = pg_catalog.format('An operator delivers its own sector''s services: give the instance an operator of sector %s (ceptoar.operator), or a service of sector %s.',
                                       bad.sector, bad.operator_sector);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._instance_sector_check() IS
  'service_instance: each instance''s service is of its operator''s sector (once per statement)';
CREATE TRIGGER instance_sector_check AFTER INSERT ON @extschema@.service_instance
  REFERENCING NEW TABLE AS new_instances
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._instance_sector_check();
CREATE TRIGGER instance_sector_check_update AFTER UPDATE ON @extschema@.service_instance
  REFERENCING NEW TABLE AS new_instances
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._instance_sector_check();

-- The other side: an operator's sector changes only if none of its instances is left in
-- the old one.  SECURITY DEFINER: reads service_instance whatever the writer's privileges.
CREATE FUNCTION @extschema@._operator_sector_check() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  inst record;
BEGIN
  SELECT i.id, i.service INTO inst FROM @extschema@.service_instance i
   WHERE i.operator OPERATOR(pg_catalog.=) OLD.code
     AND @extschema@.sector(i.service) OPERATOR(@extschema@.<>) NEW.sector
   ORDER BY i.id LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'operator % cannot move to sector %: its instance % delivers %',
        pg_catalog.quote_literal(OLD.code), NEW.sector, inst.id, inst.service
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'An operator delivers its own sector''s services: give its instances of other sectors other operators (UPDATE ceptoar.service_instance SET operator = ...) first.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._operator_sector_check() IS
  'operator: its sector changes only if all its service instances are in the new sector';
CREATE TRIGGER operator_sector_check BEFORE UPDATE OF sector ON @extschema@.operator
  FOR EACH ROW WHEN (OLD.sector OPERATOR(@extschema@.<>) NEW.sector)
  EXECUTE FUNCTION @extschema@._operator_sector_check();
-- 110_exercises.sql: the cross-sector exercises (分野横断的演習, seed 000) and users' own
-- exercises; a report filed in an exercise names it (issue 12, section 5).

-- Shipped rows stay read-only, rows of users are theirs: the design of _rules_guard
-- (070_rules.sql) for any table with a key column and a boolean column shipped.
-- Trigger arguments: the key column (named in messages), and optionally a regular
-- expression of keys reserved for shipped rows (so that a later release can ship more
-- without colliding with users' rows, also on restore).  TRUNCATE, which fires no row
-- trigger, is refused while shipped rows are there (pg_restore would bring them back:
-- the dump keeps only users' rows).
CREATE FUNCTION @extschema@._shipped_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  key_column text := TG_ARGV[0];
  reserved text := CASE WHEN TG_NARGS OPERATOR(pg_catalog.>) 1 THEN TG_ARGV[1] END;
  tbl text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
  found_key text;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    EXECUTE pg_catalog.format('SELECT pg_catalog.min(t.%I::pg_catalog.text) FROM %s t WHERE t.shipped',
                              key_column, tbl)
      INTO found_key;
    IF found_key IS NOT NULL THEN
      RAISE EXCEPTION 'cannot truncate %: row "%" and the other shipped rows come with ceptoar_registry', tbl, found_key
        USING ERRCODE = 'insufficient_privilege',
              HINT = pg_catalog.format('Delete the rows of your own instead: DELETE FROM %s WHERE NOT shipped.', tbl);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    RAISE EXCEPTION 'row "%" of % is shipped with ceptoar_registry and cannot be changed',
        pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) key_column, tbl
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('Add a row of your own instead (INSERT INTO %s ...).', tbl);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.shipped THEN
      RAISE EXCEPTION 'only ceptoar_registry itself ships rows of %', tbl
        USING ERRCODE = 'insufficient_privilege', HINT = 'Leave shipped false.';
    END IF;
    found_key := pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) key_column;
    IF reserved IS NOT NULL AND found_key OPERATOR(pg_catalog.~) reserved THEN
      RAISE EXCEPTION '% "%" is reserved for the rows ceptoar_registry ships', key_column, found_key
        USING ERRCODE = 'check_violation',
              DETAIL = pg_catalog.format('In %s, values of %s matching %s are kept for shipped rows.',
                                         tbl, key_column, reserved),
              HINT = pg_catalog.format('Choose another %s, e.g. "own-%s".', key_column, found_key);
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._shipped_guard() IS
  'keeps a table''s shipped rows read-only and refuses shipped = true from users; arguments: the key column, and a regular expression of keys reserved for shipped rows (triggers shipped_guard and shipped_guard_truncate on exercises)';

CREATE TABLE @extschema@.exercises (
  code          text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
  fiscal_year   integer NOT NULL CHECK (fiscal_year BETWEEN 1 AND 9999),
  held          date,
  theme_ja      text,
  theme_en      text,
  goal_ja       text,
  format_ja     text,
  description_ja text,
  organisations integer CHECK (organisations OPERATOR(pg_catalog.>=) 0),
  participants  integer CHECK (participants OPERATOR(pg_catalog.>=) 0),
  source        text,
  shipped       boolean NOT NULL DEFAULT false,
  CONSTRAINT exercises_held_in_fiscal_year
    CHECK (held IS NULL OR @extschema@.fiscal_year(held) OPERATOR(pg_catalog.=) fiscal_year)
);
COMMENT ON TABLE @extschema@.exercises IS
  'exercises a report can belong to (report.exercise): the cross-sector exercises 分野横断的演習 FY2006-FY2013 of seed 000 (shipped, read-only) and users'' own; a report of an exercise is a real record of its scenario, never counted in statistics';
COMMENT ON COLUMN @extschema@.exercises.code IS
  'stable ASCII code; the shipped exercises are fy<year>, a form reserved for them';
COMMENT ON COLUMN @extschema@.exercises.fiscal_year IS 'Japanese fiscal year (April to March) in which it was held';
COMMENT ON COLUMN @extschema@.exercises.held IS 'first day (Japan time); NULL when not known (the seed gives no days)';
COMMENT ON COLUMN @extschema@.exercises.theme_ja IS
  'theme: the seed''s テーマ (FY2009-2013) or the threat it says was set (FY2006-2007); NULL where the seed names none';
COMMENT ON COLUMN @extschema@.exercises.theme_en IS 'the theme in English (translation ours for the shipped rows)';
COMMENT ON COLUMN @extschema@.exercises.goal_ja IS 'goal (目標) as the seed states it';
COMMENT ON COLUMN @extschema@.exercises.format_ja IS 'kind of exercise (研究的演習, 机上演習, 機能演習) where the seed says';
COMMENT ON COLUMN @extschema@.exercises.description_ja IS 'what the seed says was done';
COMMENT ON COLUMN @extschema@.exercises.organisations IS 'participating organisations, where stated';
COMMENT ON COLUMN @extschema@.exercises.participants IS 'participating people, where stated';
COMMENT ON COLUMN @extschema@.exercises.source IS 'where each value comes from, and what the source does not say';
COMMENT ON COLUMN @extschema@.exercises.shipped IS 'true: shipped with ceptoar_registry, read-only';

-- pg_dump keeps the rows users add; the shipped ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.exercises', 'WHERE NOT shipped');

-- Seed 000, "分野横断的演習 ～過去の実施実績～" and the page before it ([目的], [参加機関]).
-- Where the seed says nothing the column is NULL and source says so.
INSERT INTO @extschema@.exercises
  (code, fiscal_year, theme_ja, theme_en, goal_ja, format_ja, description_ja, organisations, participants, source, shipped)
VALUES
  ('fy2006', 2006, '災害', 'disaster',
   '官民連携の仕組みづくり (第1次行動計画【目標】官民連携の充実)', '研究的演習、机上演習',
   '研究的演習: 演習実施概念、演習課題設定、演習手法の理解等を主眼として実施。机上演習: 脅威として災害を設定し、会議形式の演習を実施。',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, <2006年度>). The seed has no テーマ row for the 1st plan''s years: theme is the threat it says was set ("脅威として災害を設定し"). No date, no participants given.',
   true),
  ('fy2007', 2007, 'DDoS攻撃', 'DDoS attack',
   '官民連携体制の機能向上 (第1次行動計画【目標】官民連携の充実)', '機能演習',
   '脅威としてDDoS攻撃を設定し、チーム毎に個室に分かれ、メールのみを利用した演習を実施。',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, <2007年度>). The seed has no テーマ row for the 1st plan''s years: theme is the threat it says was set ("脅威としてDDoS攻撃を設定し"). No date, no participants given.',
   true),
  ('fy2008', 2008, NULL, NULL,
   '官民連携体制の実効性向上 (第1次行動計画【目標】官民連携の充実)', '機能演習',
   '参加者にIT障害の発生原因を知らせない等より現実に近い状況で、起こった現象に関する関係者間の情報共有により原因を特定し、サービスの維持・早期復旧や事業継続等を行っていく演習を実施。',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, <2008年度>). The seed names no theme or threat for FY2008, only its form (an IT failure whose cause the players were not told): theme NULL. No date, no participants given.',
   true),
  ('fy2009', 2009, '広域停電', 'wide-area blackout',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2009年度). The seed does not say which of its 取組 ①-⑦ belong to which year (its table is flattened), nor the kind of exercise, date or participants.',
   true),
  ('fy2010', 2010, '大規模通信障害', 'large-scale telecommunications failure',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2010年度). No kind of exercise, date or participants given.',
   true),
  ('fy2011', 2011, '重要インフラ複合障害', 'compound failure of critical infrastructure',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2011年度). No kind of exercise, date or participants given.',
   true),
  ('fy2012', 2012, '重要インフラ複合障害 + 便乗型ITインシデント', 'compound failure of critical infrastructure + opportunistic IT incident',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL, NULL,
   42, 148,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2012年度; participants: [参加機関] "42組織148名(平成24年度実績)"). No kind of exercise or date given.',
   true),
  ('fy2013', 2013, '情報セキュリティインシデント', 'information-security incident',
   '重要インフラ事業者におけるBCP等の実効性の確認・問題点抽出 (第2次行動計画【目標】)', NULL,
   '⑦ 第三者による助言の充実 (the seed''s 取組 row, in the FY2013 column)',
   NULL, NULL,
   'seed 000 (分野横断的演習 ～過去の実施実績～, 第2次行動計画, テーマ 2013年度). Planned when the seed was written (2013-10-04: "2006年度より継続実施(計7回)", i.e. FY2006-FY2012 held). No kind of exercise, date or participants given.',
   true);

CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.exercises
  FOR EACH ROW EXECUTE FUNCTION @extschema@._shipped_guard('code', '^[Ff][Yy][0-9]+$');
CREATE TRIGGER shipped_guard_truncate BEFORE TRUNCATE ON @extschema@.exercises
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._shipped_guard('code');
-- 120_ratings.sql: the government agencies' inspection ratings and rise arrows of seed 001
-- ("政府全体のPDCAサイクル"のための各省検査及び評価, 2007), issue 12 section 6.
--
-- Seed 001's legend, rating by implementation rate x:  A x = 100% | B 80% x < 100% |
-- C 60% x < 80% | D x < 60%.  The relation between 80% (60%) and x was lost from the
-- seed's text; the ratings must cover every rate once, so it is <=: B is 80 <= x < 100,
-- C 60 <= x < 80.  Arrows by rise x: five U+25B6 (black right-pointing triangle) x > 40%,
-- four x > 30%, three x > 20%, two x > 10%, one x > 0%, "-" x = 0%.  The bounds are strict:
-- a rise of exactly 40 gets four arrows.  No symbol for a fall.
--
-- This script holds no U+25B6 itself: EUC_JP, an encoding the extension installs into
-- (test/encoding.sh), has none.  rise_arrows makes it from its UTF-8 bytes when called:
-- in a database that cannot hold it, a rise above 0 raises the server's 22P05.

-- The errors of both functions: SQL cannot raise, so the functions call this.  It takes
-- the bad value, so that the planner never folds a call in a branch not taken (a call
-- with constant arguments only would be evaluated when the body is planned).
CREATE FUNCTION @extschema@._rating_error(fn text, val numeric) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF fn = 'inspection_rating' THEN
    RAISE EXCEPTION 'inspection rate % is out of range', val
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'An implementation rate is a percentage from 0 to 100.',
            HINT = 'Give the rate in percent (95, not 0.95): A = 100, B from 80 to under 100, C from 60 to under 80, D under 60.';
  ELSIF val < 0 THEN
    RAISE EXCEPTION 'rise % is negative', val
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'The inspection results (seed 001) have symbols for a rise and for no change only, none for a fall.',
            HINT = 'Give a rise of 0 or more, in percent; show a fall in a way of your own (CASE WHEN rise < 0 THEN ... END).';
  ELSE
    RAISE EXCEPTION 'rise % is not a finite number', val
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give a rise of 0 or more, in percent: five arrows over 40, four over 30, three over 20, two over 10, one over 0, "-" for 0.';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@._rating_error(text, numeric) IS
  'raises the error of inspection_rating or rise_arrows for a value out of their range';

CREATE FUNCTION @extschema@.inspection_rating(rate numeric) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE
    WHEN rate OPERATOR(pg_catalog.<) 0 OR rate OPERATOR(pg_catalog.>) 100
      THEN @extschema@._rating_error('inspection_rating', rate)   -- NaN and infinities too
    WHEN rate OPERATOR(pg_catalog.=) 100 THEN 'A'
    WHEN rate OPERATOR(pg_catalog.>=) 80 THEN 'B'
    WHEN rate OPERATOR(pg_catalog.>=) 60 THEN 'C'
    ELSE 'D' END;
COMMENT ON FUNCTION @extschema@.inspection_rating(numeric) IS
  'rating of a government agency''s implementation rate in percent (seed 001): A = 100, B 80 <= x < 100, C 60 <= x < 80, D x < 60; a rate outside 0..100 is an error (22023)';

CREATE FUNCTION @extschema@.rise_arrows(rise numeric) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE
    WHEN rise OPERATOR(pg_catalog.<) 0 OR rise OPERATOR(pg_catalog.>=) 'Infinity'::numeric
      THEN @extschema@._rating_error('rise_arrows', rise)   -- NaN sorts above Infinity
    WHEN rise OPERATOR(pg_catalog.=) 0 THEN '-'
    ELSE pg_catalog.repeat(pg_catalog.convert_from(pg_catalog.decode('e296b6', 'hex'), 'UTF8'),   -- U+25B6
           CASE WHEN rise OPERATOR(pg_catalog.>) 40 THEN 5
                WHEN rise OPERATOR(pg_catalog.>) 30 THEN 4
                WHEN rise OPERATOR(pg_catalog.>) 20 THEN 3
                WHEN rise OPERATOR(pg_catalog.>) 10 THEN 2
                ELSE 1 END) END;
COMMENT ON FUNCTION @extschema@.rise_arrows(numeric) IS
  'arrows (U+25B6) for the rise of an implementation rate in percent (seed 001): five over 40, four over 30, three over 20, two over 10, one over 0, "-" for 0; a negative rise (no symbol in the seed) is an error (22023)';
-- 130_report.sql: reports of IT failures (IT障害の情報連絡) and their whole life.
--
-- Written with plain INSERT and UPDATE (drivers and ORMs work with tables).  Nothing is
-- ever lost: every INSERT and UPDATE of a report is kept as a revision in report_revision
-- (written by the registry only, never changed), DELETE and TRUNCATE are refused, and a
-- report is withdrawn by revoking it (revoke(), or an UPDATE that sets revoked_reason): the
-- tombstone stays visible.  On every revision an incident is classified against the rule
-- sets that apply to it (report_verdicts); the competent ministry confirms or overrides the
-- verification level with verify().
--
-- Dump and restore: the history is the record.  pg_dump keeps report_revision and the tables
-- that refer to a revision (verdicts, verification, links); ceptoar.report, the current state,
-- is rebuilt from the revisions when pg_restore writes them (only the extension's owner can
-- write report_revision directly, and a direct write is a restore).  So everything about a
-- report refers to report_revision (report, revision), never to report alone.
--
-- The derived columns (sector_code .. user_hours) are plain built-in types, maintained by
-- the registry and never written by users: row-level security (access) and logical
-- replication row filters (exchange) use them, and PostgreSQL 15 row filters cannot call
-- user-defined functions, operators or types; annual_statistics groups and sums them
-- without a function call per row.

CREATE TABLE @extschema@.report (
  id              uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
  operator        text NOT NULL REFERENCES @extschema@.operator (code) ON UPDATE CASCADE,
  kind            text NOT NULL DEFAULT 'incident'
                  CHECK (kind IN ('incident', 'near_miss', 'threat')),
  incident        @extschema@.incident,
  instance        bigint REFERENCES @extschema@.service_instance (id),
  detected        timestamptz,
  reported        timestamptz NOT NULL DEFAULT pg_catalog.now(),
  tlp             @extschema@.tlp NOT NULL DEFAULT 'amber',
  exercise        text REFERENCES @extschema@.exercises (code) ON UPDATE CASCADE,
  summary         text,
  description     text,
  status          text NOT NULL DEFAULT 'reported'
                  CHECK (status IN ('reported', 'under_review', 'verified', 'revision_required', 'closed')),
  revision        integer NOT NULL DEFAULT 1,
  revoked         timestamptz,
  revoked_reason  text,
  level           text,
  level_rule_set  text,
  -- derived, maintained by the registry
  sector_code     text NOT NULL,
  ministry_code   text,
  tlp_rank        smallint NOT NULL,
  is_exercise     boolean NOT NULL,
  is_revoked      boolean NOT NULL,
  fiscal_year     integer NOT NULL,
  began           timestamptz,
  lasted          interval,
  cause           text,
  user_hours      double precision,
  changed_by      name NOT NULL,
  CHECK (kind OPERATOR(pg_catalog.<>) 'incident' OR incident IS NOT NULL),
  CHECK ((level IS NULL) OPERATOR(pg_catalog.=) (level_rule_set IS NULL)),
  CHECK ((revoked IS NULL) OPERATOR(pg_catalog.=) (revoked_reason IS NULL))
);
COMMENT ON TABLE @extschema@.report IS
  'reports of IT failures (IT障害の情報連絡), near misses and threats: every UPDATE makes a revision (report_revision), DELETE is refused, revoke() leaves a tombstone';
COMMENT ON COLUMN @extschema@.report.id IS 'generated: a uuid, which leaks no counts';
COMMENT ON COLUMN @extschema@.report.kind IS 'incident, near_miss or threat; only incidents are classified';
COMMENT ON COLUMN @extschema@.report.incident IS 'the facts; required for an incident';
COMMENT ON COLUMN @extschema@.report.instance IS 'the service instance hit (optional): links the report to the impact engine';
COMMENT ON COLUMN @extschema@.report.tlp IS 'Traffic Light Protocol 2.0 marking';
COMMENT ON COLUMN @extschema@.report.exercise IS 'the exercise this report belongs to; NULL for a real failure';
COMMENT ON COLUMN @extschema@.report.summary IS 'shareable summary: never names the operator';
COMMENT ON COLUMN @extschema@.report.description IS 'the full description';
COMMENT ON COLUMN @extschema@.report.status IS
  'reported -> under_review -> verified or revision_required -> ... -> closed';
COMMENT ON COLUMN @extschema@.report.revision IS 'raised by one by every UPDATE (registry)';
COMMENT ON COLUMN @extschema@.report.level IS
  'the verification-level outcome (exceeds, within, undetermined, no_rule) of the plan in force when the incident began; NULL when none applies (registry)';
COMMENT ON COLUMN @extschema@.report.level_rule_set IS
  'the verification_level rule set (the plan) level was computed with; NULL exactly when level is (registry)';
COMMENT ON COLUMN @extschema@.report.sector_code IS 'the operator''s sector (registry)';
COMMENT ON COLUMN @extschema@.report.ministry_code IS
  'the ministry competent for the sector on the day reported, Japan time (registry)';
COMMENT ON COLUMN @extschema@.report.tlp_rank IS 'tlp as 0 (clear) .. 4 (red) (registry)';
COMMENT ON COLUMN @extschema@.report.is_exercise IS 'exercise IS NOT NULL (registry)';
COMMENT ON COLUMN @extschema@.report.is_revoked IS 'revoked IS NOT NULL (registry)';
COMMENT ON COLUMN @extschema@.report.fiscal_year IS
  'Japanese fiscal year of the day the incident began (of the day reported when there are no facts), Japan time (registry)';
COMMENT ON COLUMN @extschema@.report.began IS 'began(incident); NULL without facts (registry)';
COMMENT ON COLUMN @extschema@.report.lasted IS 'lasted(incident); NULL if unknown or ongoing, or without facts (registry)';
COMMENT ON COLUMN @extschema@.report.cause IS 'cause(incident); NULL without facts (registry)';
COMMENT ON COLUMN @extschema@.report.user_hours IS 'user_hours(incident); NULL if unknown, or without facts (registry)';
COMMENT ON COLUMN @extschema@.report.changed_by IS 'the role that wrote this revision (registry)';
CREATE INDEX report_operator ON @extschema@.report (operator);
CREATE INDEX report_sector_year ON @extschema@.report (sector_code, fiscal_year);
CREATE INDEX report_ministry_year ON @extschema@.report (ministry_code, fiscal_year);
CREATE INDEX report_instance ON @extschema@.report (instance) WHERE instance IS NOT NULL;
-- annual_statistics(): the counted reports of a year in the order it groups them, with
-- every column it reads, so it reads the index alone (an index-only scan, where VACUUM has
-- marked the pages all-visible) and needs no sort
CREATE INDEX report_statistics ON @extschema@.report (fiscal_year, sector_code, cause, level, level_rule_set)
  INCLUDE (user_hours, reported, detected, lasted)
  WHERE kind OPERATOR(pg_catalog.=) 'incident' AND NOT is_exercise AND NOT is_revoked;

-- Every revision of every report, as it was written.
CREATE TABLE @extschema@.report_revision (
  report          uuid NOT NULL REFERENCES @extschema@.report (id),
  revision        integer NOT NULL,
  operator        text NOT NULL REFERENCES @extschema@.operator (code) ON UPDATE CASCADE,
  kind            text NOT NULL,
  incident        @extschema@.incident,
  instance        bigint REFERENCES @extschema@.service_instance (id),
  detected        timestamptz,
  reported        timestamptz NOT NULL,
  tlp             @extschema@.tlp NOT NULL,
  exercise        text REFERENCES @extschema@.exercises (code) ON UPDATE CASCADE,
  summary         text,
  description     text,
  status          text NOT NULL,
  revoked         timestamptz,
  revoked_reason  text,
  level           text,
  level_rule_set  text,
  changed_at      timestamptz NOT NULL,
  changed_by      name NOT NULL,
  PRIMARY KEY (report, revision)
);
COMMENT ON TABLE @extschema@.report_revision IS
  'every revision of every report as it was written (by the registry; never changed or deleted)';

-- What each revision of an incident was classified as, by every rule set that applies.
CREATE TABLE @extschema@.report_verdicts (
  report          uuid NOT NULL,
  revision        integer NOT NULL,
  rule_set        text NOT NULL,
  kind            text NOT NULL,
  outcome         text NOT NULL,
  clause          text,
  explanation     text,
  PRIMARY KEY (report, revision, rule_set),
  FOREIGN KEY (report, revision) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_verdicts IS
  'the classification of each revision of an incident: the verification level of the plan in force when it began, the legal reporting thresholds that have a rule for its service, the operator''s own service levels (by the registry)';

-- The competent ministry's confirmation or override of the verification level.
CREATE TABLE @extschema@.report_verification (
  report          uuid NOT NULL,
  revision        integer NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('exceeds', 'within')),
  computed        text,
  reason          text,
  verified_by     name NOT NULL,
  verified_at     timestamptz NOT NULL,
  PRIMARY KEY (report, verified_at, verified_by),
  FOREIGN KEY (report, revision) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_verification IS
  'verify(): who confirmed or overrode the verification level of which revision, when, why, and what the registry had computed then';

-- Links between reports.
CREATE TABLE @extschema@.report_link (
  report          uuid NOT NULL,
  related         uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('cascade_from', 'same_cause', 'duplicate')),
  created         timestamptz NOT NULL DEFAULT pg_catalog.now(),
  first           integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, related, kind),
  CHECK (report OPERATOR(pg_catalog.<>) related),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision),
  FOREIGN KEY (related, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_link IS
  'links between reports: cascade_from (this failure spread from the related one), same_cause, duplicate';
COMMENT ON COLUMN @extschema@.report_link.first IS
  'always 1: the links refer to the reports'' first revisions, which pg_dump keeps (the report table is rebuilt from them)';

-- A link names two known reports, not the same one, by a known kind.
CREATE FUNCTION @extschema@._report_link_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.kind IS NULL OR NEW.kind NOT IN ('cascade_from', 'same_cause', 'duplicate') THEN
    RAISE EXCEPTION 'invalid link kind %', COALESCE(pg_catalog.quote_literal(NEW.kind), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A link is cascade_from (this failure spread from the related one), same_cause or duplicate.';
  END IF;
  IF NEW.report OPERATOR(pg_catalog.=) NEW.related THEN
    RAISE EXCEPTION 'a report cannot be linked to itself'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT @extschema@._report_restoring() AND NOT EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) NEW.related) THEN
    RAISE EXCEPTION 'unknown report %', NEW.related
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF NOT @extschema@._report_restoring() AND NOT EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) NEW.report) THEN
    RAISE EXCEPTION 'unknown report %', NEW.report
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_link_check() IS
  'report_link: two known reports, not the same one, a known kind';
CREATE TRIGGER report_link_check BEFORE INSERT OR UPDATE ON @extschema@.report_link
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_link_check();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_revision', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_verdicts', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_verification', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_link', '');

-- The verification level of the plan in force on a day (Japan time): the verification_level
-- rule set valid that day with the latest start; for an incident, the day it began.
-- (In C, from the rule cache of classify(): ties of start go to the first code in the
-- column's order, as ORDER BY valid_from DESC NULLS LAST, code would.)
CREATE FUNCTION @extschema@._verification_set(day date) RETURNS text
  AS 'MODULE_PATHNAME', 'verification_set_of_day' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._verification_set(date) IS
  'the verification_level rule set in force on a day (Japan time), NULL if none';
CREATE FUNCTION @extschema@._verification_set(i @extschema@.incident) RETURNS text
  AS 'MODULE_PATHNAME', 'verification_set_of_incident' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._verification_set(@extschema@.incident) IS
  'the verification_level rule set in force on the day (Japan time) the incident began, NULL if none';

-- TRUNCATE guards let an empty table through: it loses nothing (and TRUNCATE ... CASCADE
-- of the tables the registry refers to reaches them).
CREATE FUNCTION @extschema@._no_rows(t regclass) RETURNS boolean
  LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  any_row boolean;
BEGIN
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %s)', t) INTO any_row;
  RETURN NOT any_row;
END $$;
COMMENT ON FUNCTION @extschema@._no_rows(regclass) IS 'true if the table has no row (for the TRUNCATE guards)';

-- The status a report may move to from each status.
CREATE FUNCTION @extschema@._report_next_status(status text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  RETURN CASE status
    WHEN 'reported' THEN ARRAY['reported', 'under_review', 'verified', 'revision_required', 'closed']
    WHEN 'under_review' THEN ARRAY['under_review', 'verified', 'revision_required', 'closed']
    WHEN 'revision_required' THEN ARRAY['revision_required', 'reported', 'under_review', 'verified']
    WHEN 'verified' THEN ARRAY['verified', 'revision_required', 'closed']
    WHEN 'closed' THEN ARRAY['closed', 'revision_required'] END;
COMMENT ON FUNCTION @extschema@._report_next_status(text) IS
  'the statuses a report may take from status (its own included)';

-- True while _report_restore() rebuilds a report from its restored revisions: a flag it
-- sets, inside a trigger, as the extension's owner (a role that can write report_revision at
-- all; nobody else can make this true).
CREATE FUNCTION @extschema@._report_restoring() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN pg_catalog.current_setting('ceptoar.restoring', true) IS NOT DISTINCT FROM 'on'
     AND pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.>) 1
     AND pg_catalog."current_user"() OPERATOR(pg_catalog.=)
         (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c
           WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.report'::pg_catalog.regclass);
COMMENT ON FUNCTION @extschema@._report_restoring() IS
  'true while a report is rebuilt from its restored revisions (_report_restore)';

-- BEFORE INSERT OR UPDATE: what the registry decides (revision, derived columns, level)
-- and what it refuses.  Runs as the writer, so changed_by is the writer, and its lookups of
-- the operator and the service instance are the writer's queries (privileges, row-level
-- security).  A report rebuilt from a restored revision (_report_restore) is taken as it
-- was, with its derived columns.  In C (src/report_trigger.c), for the write path's cost
-- (bench/registry.sh); the same checks, in the same order, as the PL/pgSQL it replaced.
CREATE FUNCTION @extschema@._report_before() RETURNS trigger
  AS 'MODULE_PATHNAME', 'report_before' LANGUAGE C;
COMMENT ON FUNCTION @extschema@._report_before() IS
  'report: checks a new revision and sets what the registry decides (revision, level, the derived columns)';
CREATE TRIGGER report_before BEFORE INSERT OR UPDATE ON @extschema@.report
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_before();

-- AFTER INSERT and AFTER UPDATE, once per statement over its rows (transition table
-- "written"): the revisions and their verdicts, written as the extension's owner (nobody
-- else writes them), each in one set-based statement.
CREATE FUNCTION @extschema@._report_after() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF pg_catalog.current_setting('ceptoar.restoring', true) IS NOT DISTINCT FROM 'on'
     AND @extschema@._report_restoring() THEN
    RETURN NULL;   -- the revisions and their verdicts are restored from their own tables
  END IF;
  INSERT INTO @extschema@.report_revision
    (report, revision, operator, kind, incident, instance, detected, reported, tlp, exercise,
     summary, description, status, revoked, revoked_reason, level, level_rule_set, changed_at, changed_by)
  SELECT w.id, w.revision, w.operator, w.kind, w.incident, w.instance, w.detected, w.reported,
         w.tlp, w.exercise, w.summary, w.description, w.status, w.revoked, w.revoked_reason,
         w.level, w.level_rule_set, pg_catalog.clock_timestamp(), w.changed_by
    FROM written w;
  -- the rule sets that can apply, by kind and day, before any is classified: the
  -- verification level in force (the one level was computed with), the legal sets valid
  -- that day (kept when they have a rule for the service), the operator's own service levels
  INSERT INTO @extschema@.report_verdicts (report, revision, rule_set, kind, outcome, clause, explanation)
  SELECT c.id, c.revision, c.code, c.kind, v.outcome, v.clause, v.explanation
    FROM (SELECT w.id, w.revision, w.incident, s.code, s.kind
            FROM written w
            LEFT JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) w.operator
            JOIN @extschema@.rule_set s
              ON s.code OPERATOR(pg_catalog.=) w.level_rule_set
              OR s.code OPERATOR(pg_catalog.=) o.service_levels
              OR (s.kind OPERATOR(pg_catalog.=) 'legal_reporting'
                  AND (s.valid_from IS NULL OR s.valid_from OPERATOR(pg_catalog.<=)
                       (w.began AT TIME ZONE 'Asia/Tokyo')::date)
                  AND (s.valid_to IS NULL OR (w.began AT TIME ZONE 'Asia/Tokyo')::date
                       OPERATOR(pg_catalog.<) s.valid_to))
           WHERE w.kind OPERATOR(pg_catalog.=) 'incident') AS c,
         LATERAL @extschema@.classify(c.incident, c.code) v
   WHERE c.kind OPERATOR(pg_catalog.<>) 'legal_reporting' OR v.outcome OPERATOR(pg_catalog.<>) 'no_rule';
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._report_after() IS
  'report: keeps a statement''s revisions in report_revision and their classification in report_verdicts';
CREATE TRIGGER report_after_insert AFTER INSERT ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_after();
CREATE TRIGGER report_after_update AFTER UPDATE ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_after();

-- BEFORE INSERT on report_revision: a row written directly (not by _report_after, one
-- trigger deeper) is a restore (pg_restore, as the extension's owner: nobody else may write
-- here); the report's current state is rebuilt from its latest revision.
CREATE FUNCTION @extschema@._report_restore() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.>) 1 THEN
    RETURN NEW;   -- written by the registry
  END IF;
  PERFORM pg_catalog.set_config('ceptoar.restoring', 'on', true);
  INSERT INTO @extschema@.report AS r
    (id, operator, kind, incident, instance, detected, reported, tlp, exercise, summary,
     description, status, revision, revoked, revoked_reason, level, level_rule_set, changed_by,
     sector_code, tlp_rank, is_exercise, is_revoked, fiscal_year)
  VALUES (NEW.report, NEW.operator, NEW.kind, NEW.incident, NEW.instance, NEW.detected,
     NEW.reported, NEW.tlp, NEW.exercise, NEW.summary, NEW.description, NEW.status, NEW.revision,
     NEW.revoked, NEW.revoked_reason, NEW.level, NEW.level_rule_set, NEW.changed_by, '', 0, false, false, 0)
  ON CONFLICT (id) DO UPDATE SET
     kind = EXCLUDED.kind, incident = EXCLUDED.incident, instance = EXCLUDED.instance,
     detected = EXCLUDED.detected, tlp = EXCLUDED.tlp, exercise = EXCLUDED.exercise,
     summary = EXCLUDED.summary, description = EXCLUDED.description, status = EXCLUDED.status,
     revision = EXCLUDED.revision, revoked = EXCLUDED.revoked,
     revoked_reason = EXCLUDED.revoked_reason, level = EXCLUDED.level,
     level_rule_set = EXCLUDED.level_rule_set, changed_by = EXCLUDED.changed_by
   WHERE r.revision OPERATOR(pg_catalog.<) EXCLUDED.revision;
  PERFORM pg_catalog.set_config('ceptoar.restoring', 'off', true);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_restore() IS
  'report_revision: a revision written directly (pg_restore) rebuilds the report''s current state';
CREATE TRIGGER report_restore BEFORE INSERT ON @extschema@.report_revision
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_restore();

-- Nothing is ever lost: reports and their history are never deleted, revisions never changed.
CREATE FUNCTION @extschema@._report_keep() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND @extschema@._no_rows(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report' THEN
    RAISE EXCEPTION 'reports are never deleted'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Revoke it with ceptoar.revoke(report, reason): the tombstone stays visible.';
  END IF;
  RAISE EXCEPTION 'ceptoar.% keeps the history of reports: it is never changed or deleted', TG_TABLE_NAME
    USING ERRCODE = 'feature_not_supported';
END $$;
COMMENT ON FUNCTION @extschema@._report_keep() IS
  'refuses DELETE and TRUNCATE of reports (TRUNCATE of an empty table is let through), and any change of their history';
CREATE TRIGGER report_keep BEFORE DELETE ON @extschema@.report
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_revision
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_revision
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_verdicts
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_verdicts
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_verification
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_verification
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();

-- revoke(): the tombstone of a report.  By its operator, or by its competent ministry or
-- NISC on the operator's behalf (revoking is a revision, which they may make); the row-level
-- security of ceptoar.report decides which reports (220_access.sql): one the caller may not
-- see is as unknown as one that does not exist.  Runs as the caller, whose party it checks.
CREATE FUNCTION @extschema@.revoke(report uuid, reason text) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._party_require('revoke()', ARRAY['operator', 'ministry', 'nisc']);
  IF reason IS NULL OR pg_catalog.btrim(reason) OPERATOR(pg_catalog.=) '' THEN
    RAISE EXCEPTION 'revoking a report needs a reason'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE @extschema@.report r SET revoked = pg_catalog.now(), revoked_reason = reason
   WHERE r.id OPERATOR(pg_catalog.=) revoke.report;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.revoke(uuid, text) IS
  'withdraws a report: a new revision with revoked and its reason, which stays visible (a tombstone)';

-- verify(): the competent ministry (or NISC) confirms or overrides the verification level.
-- Runs as the caller, whose party it checks; row-level security limits the reports (an
-- invisible one is unknown) and pins what it writes (220_access.sql).
CREATE FUNCTION @extschema@.verify(report uuid, outcome text, reason text DEFAULT NULL) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r @extschema@.report;
BEGIN
  PERFORM @extschema@._party_require('verify()', ARRAY['ministry', 'nisc']);
  SELECT * INTO r FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) verify.report FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF r.kind OPERATOR(pg_catalog.<>) 'incident' THEN
    RAISE EXCEPTION 'report % is a %, not an incident: it has no verification level', report, r.kind
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF outcome IS NULL OR outcome NOT IN ('exceeds', 'within') THEN
    RAISE EXCEPTION 'invalid outcome %', COALESCE(pg_catalog.quote_literal(outcome), 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An outcome is exceeds or within.';
  END IF;
  IF outcome IS DISTINCT FROM r.level AND (reason IS NULL OR pg_catalog.btrim(reason) OPERATOR(pg_catalog.=) '') THEN
    RAISE EXCEPTION 'overriding the computed level (%) needs a reason', COALESCE(r.level, 'none')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give the reason as the third argument.';
  END IF;
  INSERT INTO @extschema@.report_verification (report, revision, outcome, computed, reason, verified_by, verified_at)
  VALUES (r.id, r.revision, outcome, r.level, reason, pg_catalog."current_user"(), pg_catalog.clock_timestamp());
  IF r.status OPERATOR(pg_catalog.<>) 'verified' THEN
    UPDATE @extschema@.report x SET status = 'verified' WHERE x.id OPERATOR(pg_catalog.=) r.id;
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.verify(uuid, text, text) IS
  'the competent ministry confirms (outcome = the computed level) or overrides (a reason is required) the verification level: who, when, why and the computed level are kept';
-- 135_response.sql: the emergency response to a reported failure (seed 003: 連絡、被害拡大防止、
-- 証拠保全、復旧(応急)、再発防止), arranged by the time elapsed since detection.

CREATE TABLE @extschema@.report_step (
  report    uuid NOT NULL,
  step      text NOT NULL CHECK (step IN ('contact', 'containment', 'evidence', 'recovery', 'prevention')),
  done_at   timestamptz NOT NULL,
  note      text,
  first     integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, step),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_step IS
  'the steps of the emergency response plan taken for a report (seed 003): contact, containment of damage, preservation of evidence, (provisional) recovery, prevention of recurrence';
COMMENT ON COLUMN @extschema@.report_step.first IS
  'always 1: a step refers to the report''s first revision, which pg_dump keeps';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_step', '');

-- The steps in the plan's order.
CREATE FUNCTION @extschema@.response_steps() RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['contact', 'containment', 'evidence', 'recovery', 'prevention'];
COMMENT ON FUNCTION @extschema@.response_steps() IS
  'the emergency response plan''s steps in order (seed 003): contact, containment, evidence, recovery, prevention';

-- A step of the plan, for a known report.  (When a step was done is not checked against
-- detection: a later revision may move detected, and pg_restore must take back what was.)
CREATE FUNCTION @extschema@._report_step_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.step IS NULL OR NOT NEW.step OPERATOR(pg_catalog.=) ANY (@extschema@.response_steps()) THEN
    RAISE EXCEPTION 'invalid response step %', COALESCE(pg_catalog.quote_literal(NEW.step), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The steps are contact, containment, evidence, recovery and prevention (seed 003).';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) NEW.report) THEN
    RAISE EXCEPTION 'unknown report %', NEW.report
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_step_check() IS
  'report_step: a step of the plan, for a known report';
CREATE TRIGGER report_step_check BEFORE INSERT OR UPDATE ON @extschema@.report_step
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_step_check();

-- Each step of the plan with the time since detection, and what is still missing, for a
-- report the caller sees (shared_reports).  It runs as the extension's owner (the caller
-- may not read report_step) and asks _sees() (230_shared_reports.sql) what the caller's
-- party sees.  The steps' times are the summary's level; a note may name the operator, so
-- it is given only to a party that sees who reported, and recorded as a read of the full
-- text (section 7).
CREATE FUNCTION @extschema@.response_timeline(report uuid,
    OUT step text, OUT step_no integer, OUT done_at timestamptz, OUT elapsed interval,
    OUT missing boolean, OUT note text)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER ROWS 5
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  det timestamptz;
  ident boolean := @extschema@._sees(report);
BEGIN
  IF ident IS NULL THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  SELECT r.detected INTO det FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) response_timeline.report;
  IF ident AND EXISTS (SELECT 1 FROM @extschema@.report_step s
                        WHERE s.report OPERATOR(pg_catalog.=) response_timeline.report AND s.note IS NOT NULL) THEN
    PERFORM @extschema@._audit_read(report, 'description');
  END IF;
  RETURN QUERY
    SELECT p.step, p.step_no::integer, s.done_at, s.done_at OPERATOR(pg_catalog.-) det,
           s.done_at IS NULL, CASE WHEN ident THEN s.note END
      FROM pg_catalog.unnest(@extschema@.response_steps()) WITH ORDINALITY AS p(step, step_no)
      LEFT JOIN @extschema@.report_step s
        ON s.report OPERATOR(pg_catalog.=) response_timeline.report AND s.step OPERATOR(pg_catalog.=) p.step
     ORDER BY p.step_no;
END $$;
COMMENT ON FUNCTION @extschema@.response_timeline(uuid) IS
  'the emergency response plan''s steps for a report the caller sees, in order: when each was done, the time elapsed since detection, and which are still missing; the notes only where the caller sees who reported (audited)';
-- 140_suspected_origins.sql: which earlier failures in other sectors may have caused this one
-- (a cascade, seed 000), found by the impact engine.  For a report the caller sees
-- (shared_reports), and only the origins it sees: it runs as the extension's owner (the
-- impact engine reads every service instance) and asks _sees() (230_shared_reports.sql)
-- what the caller's party sees.  An origin's instance is given only where the caller sees
-- who reported it (and recorded as a read of its identity, section 7), the supplier on the
-- path (via) only where it sees who reported both.

CREATE FUNCTION @extschema@.suspected_origins(report uuid, horizon interval DEFAULT '7 days',
    OUT origin uuid, OUT origin_sector @extschema@.sector, OUT origin_instance bigint,
    OUT depth integer, OUT via bigint, OUT expected_onset timestamptz)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER ROWS 10
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r       @extschema@.report;
  t       timestamptz;
  ident   boolean := @extschema@._sees(report);
BEGIN
  SELECT * INTO r FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) suspected_origins.report;
  IF ident IS NULL OR NOT FOUND THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF r.instance IS NULL OR r.incident IS NULL THEN
    RAISE EXCEPTION 'report % names no service instance hit', report
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Set the report''s instance (and its incident) to find what may have caused it.';
  END IF;
  t := @extschema@.began(r.incident);
  -- origin_instance names the origin's operator: each origin shown is audited (section 7)
  RETURN QUERY
    -- an origin shown with its identity (its instance) is an identity read: audited
    SELECT CASE WHEN q.seen THEN @extschema@._audit_read(q.id, 'identity') ELSE q.id END,
           q.sector, CASE WHEN q.seen THEN q.instance END, q.depth,
           CASE WHEN q.seen AND ident THEN q.via END, q.onset
      FROM (SELECT c.id, c.sector_code::@extschema@.sector AS sector, c.instance, i.depth, i.via, i.onset,
                   @extschema@._sees(c.id) AS seen
              FROM @extschema@.report c
             CROSS JOIN LATERAL @extschema@.impact(ARRAY[c.instance], @extschema@.began(c.incident),
                    COALESCE(@extschema@.lasted(c.incident), horizon), NULL, horizon) i
             WHERE c.id OPERATOR(pg_catalog.<>) r.id
               AND c.kind OPERATOR(pg_catalog.=) 'incident' AND c.instance IS NOT NULL
               AND c.revoked IS NULL AND c.exercise IS NOT DISTINCT FROM r.exercise
               AND c.sector_code OPERATOR(pg_catalog.<>) r.sector_code
               AND @extschema@.began(c.incident) OPERATOR(pg_catalog.<) t
               AND @extschema@.began(c.incident) OPERATOR(pg_catalog.>=) (t OPERATOR(pg_catalog.-) horizon)
               AND i.instance OPERATOR(pg_catalog.=) r.instance AND i.onset OPERATOR(pg_catalog.<=) t
            OFFSET 0) q   -- the party's sight of the few candidates only
     WHERE q.seen IS NOT NULL
     ORDER BY q.onset, q.depth, q.id;
END $$;
COMMENT ON FUNCTION @extschema@.suspected_origins(uuid, interval) IS
  'for a report the caller sees: earlier, unrevoked incidents in other sectors (of the same exercise, or real ones for a real report) whose failure reaches this report''s service instance by the time it began, by the impact engine: depth, via and the expected onset; only origins the caller sees, their instance only where it sees who reported them';
-- 150_flows.sql: information flows (seed 003, 6(3); seed 000).  Upward: a report is delivered,
-- when it is filed, to its operator's CEPTOAR (the other operators of its sector), to the
-- ministry competent for its sector on the day it is reported and to NISC (the Cabinet
-- Secretariat).  Downward: NISC issues an alert to the ministries competent for its sectors;
-- each passes it on to the operators it oversees.  Every recipient acknowledges; the view
-- unacknowledged shows who has not, and since when.
--
-- Dump and restore (130_report.sql): report_delivery refers to a report's first revision
-- (report_revision, kept by pg_dump), never to report itself; its rows are restored as they
-- were, and the delivery trigger does nothing while a report is rebuilt from its revisions.
-- Alerts do not refer to reports: alert and alert_delivery are dumped whole.
--
-- Recipients are codes: a CEPTOAR's code (ceptoars.code), a ministry's (ministries.code),
-- 'nisc', an operator's (operator.code).  Deliveries and alerts are never changed or deleted;
-- the one change is a delivery's acknowledgement, once.

CREATE TABLE @extschema@.report_delivery (
  report          uuid NOT NULL,
  recipient       text NOT NULL,
  recipient_kind  text NOT NULL CHECK (recipient_kind IN ('ceptoar', 'ministry', 'nisc', 'operator')),
  delivered_at    timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by name,
  first           integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, recipient),
  CHECK ((acknowledged_at IS NULL) OPERATOR(pg_catalog.=) (acknowledged_by IS NULL)),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_delivery IS
  'upward flow: each report delivered, when filed, to the ministry competent for its sector on the day reported (Japan time), to its operator''s CEPTOAR (up to TLP:AMBER) and to NISC (unless TLP:RED), and, when red, to the parties named its recipients; acknowledged once with acknowledge_report()';
COMMENT ON COLUMN @extschema@.report_delivery.recipient IS
  'a CEPTOAR code (ceptoars.code), a ministry code (ministries.code), nisc, or an operator code (a named recipient)';
COMMENT ON COLUMN @extschema@.report_delivery.recipient_kind IS 'ceptoar, ministry, nisc or operator';
COMMENT ON COLUMN @extschema@.report_delivery.delivered_at IS 'when the registry delivered it (the filing transaction''s time)';
COMMENT ON COLUMN @extschema@.report_delivery.acknowledged_at IS 'the first acknowledgement; NULL while unacknowledged';
COMMENT ON COLUMN @extschema@.report_delivery.acknowledged_by IS 'the role that acknowledged (registry)';
COMMENT ON COLUMN @extschema@.report_delivery.first IS
  'always 1: a delivery refers to the report''s first revision, which pg_dump keeps (the report table is rebuilt from them)';
CREATE INDEX report_delivery_unacknowledged ON @extschema@.report_delivery (recipient, delivered_at)
  WHERE acknowledged_at IS NULL;

CREATE TABLE @extschema@.alert (
  id              uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
  title           text NOT NULL CHECK (pg_catalog.btrim(title) OPERATOR(pg_catalog.<>) ''),
  body            text,
  sectors         @extschema@.sector[] NOT NULL CHECK (pg_catalog.cardinality(sectors) OPERATOR(pg_catalog.>) 0),
  tlp             @extschema@.tlp NOT NULL DEFAULT 'amber',
  issued_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
  issued_by       name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE @extschema@.alert IS
  'downward flow: alerts (警報情報) issued by NISC with issue_alert(), for one or more sectors; never changed or deleted';
COMMENT ON COLUMN @extschema@.alert.id IS 'generated: a uuid, which leaks no counts';
COMMENT ON COLUMN @extschema@.alert.sectors IS 'the sectors concerned, distinct, in NISC''s order';
COMMENT ON COLUMN @extschema@.alert.tlp IS 'Traffic Light Protocol 2.0 marking';
COMMENT ON COLUMN @extschema@.alert.issued_by IS 'the role that issued it';

CREATE TABLE @extschema@.alert_delivery (
  alert           uuid NOT NULL REFERENCES @extschema@.alert (id),
  recipient       text NOT NULL,
  recipient_kind  text NOT NULL CHECK (recipient_kind IN ('ministry', 'operator')),
  delivered_at    timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by name,
  forwarded_by    text,
  PRIMARY KEY (alert, recipient_kind, recipient),
  CHECK ((recipient_kind OPERATOR(pg_catalog.=) 'operator') OPERATOR(pg_catalog.=) (forwarded_by IS NOT NULL)),
  CHECK ((acknowledged_at IS NULL) OPERATOR(pg_catalog.=) (acknowledged_by IS NULL))
);
COMMENT ON TABLE @extschema@.alert_delivery IS
  'downward flow: an alert delivered to the ministries competent for its sectors (issue_alert) and by each to the operators it oversees (forward_alert); acknowledged once with acknowledge_alert()';
COMMENT ON COLUMN @extschema@.alert_delivery.recipient IS 'a ministry code (ministries.code) or an operator code (operator.code)';
COMMENT ON COLUMN @extschema@.alert_delivery.recipient_kind IS 'ministry or operator';
COMMENT ON COLUMN @extschema@.alert_delivery.acknowledged_at IS 'the first acknowledgement; NULL while unacknowledged';
COMMENT ON COLUMN @extschema@.alert_delivery.acknowledged_by IS 'the role that acknowledged (registry)';
COMMENT ON COLUMN @extschema@.alert_delivery.forwarded_by IS
  'for an operator, the code of the ministry that forwarded the alert to it; NULL for a ministry';
CREATE INDEX alert_delivery_unacknowledged ON @extschema@.alert_delivery (recipient, delivered_at)
  WHERE acknowledged_at IS NULL;

SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_delivery', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.alert', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.alert_delivery', '');

-- The ministries competent for some sectors on a day: distinct, sorted; NULL for none.
CREATE FUNCTION @extschema@._competent_ministries(sectors @extschema@.sector[], on_date date)
  RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  RETURN (SELECT pg_catalog.array_agg(DISTINCT m ORDER BY m)
            FROM pg_catalog.unnest(sectors) s,
                 LATERAL @extschema@.ministry(s, on_date) m
           WHERE m IS NOT NULL);
COMMENT ON FUNCTION @extschema@._competent_ministries(@extschema@.sector[], date) IS
  'the codes of the ministries competent for the sectors on a day, distinct and sorted; NULL if none';

-- AFTER INSERT on report: the upward deliveries, to the parties that may see the report
-- (issue 13, section 2): the competent ministry always, the operator's CEPTOAR up to
-- TLP:AMBER (tlp_rank <= 2: not amber+strict, not red), NISC unless TLP:RED.  The parties
-- named as recipients of a red report are delivered to when named (220_access.sql).
-- Written as the extension's owner (a reporter cannot write report_delivery).  Named to fire
-- after report_after (triggers fire in name order), which writes the first revision the
-- deliveries refer to.
CREATE FUNCTION @extschema@._report_deliver() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF pg_catalog.current_setting('ceptoar.restoring', true) IS NOT DISTINCT FROM 'on'
     AND @extschema@._report_restoring() THEN
    RETURN NULL;   -- the deliveries are restored from their own table
  END IF;
  -- once per statement, for all its new reports (transition table "added")
  INSERT INTO @extschema@.report_delivery (report, recipient, recipient_kind, delivered_at)
  SELECT a.id, r.recipient, r.kind, pg_catalog.now()
    FROM added a
    LEFT JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) a.operator
   CROSS JOIN LATERAL (SELECT o.ceptoar, 'ceptoar'
                        WHERE o.ceptoar IS NOT NULL AND a.tlp_rank OPERATOR(pg_catalog.<=) 2
                       UNION ALL
                       SELECT a.ministry_code, 'ministry' WHERE a.ministry_code IS NOT NULL
                       UNION ALL
                       SELECT 'nisc', 'nisc' WHERE a.tlp_rank OPERATOR(pg_catalog.<) 4) AS r(recipient, kind);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._report_deliver() IS
  'report: delivers the new reports of a statement to their competent ministries (ministry_code), their operators'' CEPTOARs (up to TLP:AMBER) and NISC (unless TLP:RED)';
CREATE TRIGGER report_deliver AFTER INSERT ON @extschema@.report
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_deliver();

-- Alerts and deliveries are never changed or deleted; a delivery is acknowledged once.
CREATE FUNCTION @extschema@._flow_keep() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND @extschema@._no_rows(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME OPERATOR(pg_catalog.<>) 'alert' THEN
    IF (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) ARRAY['acknowledged_at', 'acknowledged_by', 'first'])
       OPERATOR(pg_catalog.<>)
       (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) ARRAY['acknowledged_at', 'acknowledged_by', 'first']) THEN
      RAISE EXCEPTION 'a delivery is never changed, only acknowledged'
        USING ERRCODE = 'feature_not_supported',
              HINT = 'Acknowledge it with ceptoar.acknowledge_report() or ceptoar.acknowledge_alert().';
    END IF;
    IF OLD.acknowledged_at IS NOT NULL THEN
      RAISE EXCEPTION 'the delivery to % was already acknowledged', OLD.recipient
        USING ERRCODE = 'feature_not_supported',
              DETAIL = pg_catalog.format('It was acknowledged at %s by %s.', OLD.acknowledged_at, OLD.acknowledged_by),
              HINT = 'The first acknowledgement is kept.';
    END IF;
    IF NEW.acknowledged_at IS NULL THEN
      RETURN NULL;   -- nothing to do
    END IF;
    IF NEW.acknowledged_at OPERATOR(pg_catalog.<) OLD.delivered_at THEN
      RAISE EXCEPTION 'a delivery cannot be acknowledged before it was delivered'
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = pg_catalog.format('Acknowledged at %s, delivered at %s.', NEW.acknowledged_at, OLD.delivered_at);
    END IF;
    NEW.acknowledged_by := pg_catalog."current_user"();
    RETURN NEW;
  END IF;
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'alert' THEN
    RAISE EXCEPTION 'alerts are never changed or deleted'
      USING ERRCODE = 'feature_not_supported', HINT = 'Issue a new alert with ceptoar.issue_alert().';
  END IF;
  RAISE EXCEPTION 'ceptoar.% keeps every delivery: it is never deleted', TG_TABLE_NAME
    USING ERRCODE = 'feature_not_supported';
END $$;
COMMENT ON FUNCTION @extschema@._flow_keep() IS
  'refuses any change of an alert, DELETE and TRUNCATE of alerts and deliveries (TRUNCATE of an empty table is let through), and any change of a delivery but its first acknowledgement (acknowledged_by is the acknowledging role)';
CREATE TRIGGER flow_keep BEFORE UPDATE OR DELETE ON @extschema@.report_delivery
  FOR EACH ROW EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON @extschema@.report_delivery
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep BEFORE UPDATE OR DELETE ON @extschema@.alert
  FOR EACH ROW EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON @extschema@.alert
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep BEFORE UPDATE OR DELETE ON @extschema@.alert_delivery
  FOR EACH ROW EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON @extschema@.alert_delivery
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._flow_keep();

-- acknowledge_report(): a recipient acknowledges a report.  Twice is no error (a retry after
-- a lost connection must not fail): the first time is kept and returned.  A party
-- acknowledges for itself only (recipient = its code); the row-level security of
-- report_delivery shows it its own deliveries (and those of the reports it sees), so a
-- report not delivered to it is unknown (220_access.sql).
CREATE FUNCTION @extschema@.acknowledge_report(report uuid, recipient text) RETURNS timestamptz
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ack  timestamptz;
  who  text;
  mine text := @extschema@._party_require('acknowledge_report()', ARRAY['nisc', 'ministry', 'ceptoar', 'operator']);
BEGIN
  IF mine IS NOT NULL AND recipient IS DISTINCT FROM mine THEN
    RAISE EXCEPTION 'you act as %, not as %', mine, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('A party acknowledges for itself: give recipient %L.', mine);
  END IF;
  IF report IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.report_delivery d
                                    WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report) THEN
    RAISE EXCEPTION 'unknown report %', COALESCE(report::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  UPDATE @extschema@.report_delivery d SET acknowledged_at = pg_catalog.now()
   WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_report.recipient
     AND d.acknowledged_at IS NULL
  RETURNING d.acknowledged_at INTO ack;
  IF FOUND THEN
    RETURN ack;
  END IF;
  SELECT d.acknowledged_at INTO ack FROM @extschema@.report_delivery d
   WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_report.recipient;
  IF FOUND THEN
    RETURN ack;   -- acknowledged before: the first time stays
  END IF;
  SELECT pg_catalog.string_agg(d.recipient, ', ' ORDER BY d.recipient) INTO who
    FROM @extschema@.report_delivery d WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report;
  RAISE EXCEPTION 'report % was not delivered to %', report, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
    USING ERRCODE = 'invalid_parameter_value',
          HINT = pg_catalog.format('It was delivered to: %s.', who);
END $$;
COMMENT ON FUNCTION @extschema@.acknowledge_report(uuid, text) IS
  'a recipient (CEPTOAR code, ministry code or nisc) acknowledges a report delivered to it; returns the acknowledgement time (the first one, if acknowledged before)';

-- issue_alert(): NISC alerts the ministries competent today (Japan time) for the sectors.
CREATE FUNCTION @extschema@.issue_alert(title text, body text, sectors @extschema@.sector[],
    tlp @extschema@.tlp DEFAULT 'amber') RETURNS uuid
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today   date := (pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::date;
  secs    @extschema@.sector[];
  orphan  text;
  id      uuid;
BEGIN
  PERFORM @extschema@._party_require('issue_alert()', ARRAY['nisc']);
  IF title IS NULL OR pg_catalog.btrim(title) OPERATOR(pg_catalog.=) '' THEN
    RAISE EXCEPTION 'an alert needs a title'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF sectors IS NULL OR pg_catalog.cardinality(sectors) OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'an alert needs at least one sector'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give the sectors it concerns, e.g. ARRAY[''electricity'', ''gas'']::ceptoar.sector[].';
  END IF;
  IF pg_catalog.array_position(sectors, NULL) IS NOT NULL THEN
    RAISE EXCEPTION 'the sectors of an alert cannot contain NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF tlp IS NULL THEN
    RAISE EXCEPTION 'an alert needs a TLP marking'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'clear, green, amber (the default), amber+strict or red.';
  END IF;
  secs := ARRAY(SELECT DISTINCT s FROM pg_catalog.unnest(sectors) s ORDER BY s);
  SELECT pg_catalog.string_agg(s::text, ', ') INTO orphan
    FROM pg_catalog.unnest(secs) s WHERE @extschema@.ministry(s, today) IS NULL;
  IF orphan IS NOT NULL THEN
    RAISE EXCEPTION 'no ministry is competent today for %', orphan
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'See ceptoar.ministry_sectors for when each sector has a competent ministry.';
  END IF;
  INSERT INTO @extschema@.alert AS a (title, body, sectors, tlp, issued_at, issued_by)
  VALUES (issue_alert.title, issue_alert.body, secs, issue_alert.tlp, pg_catalog.now(), pg_catalog."current_user"())
  RETURNING a.id INTO id;
  INSERT INTO @extschema@.alert_delivery (alert, recipient, recipient_kind, delivered_at)
  SELECT id, m, 'ministry', pg_catalog.now()
    FROM pg_catalog.unnest(@extschema@._competent_ministries(secs, today)) m;
  RETURN id;
END $$;
COMMENT ON FUNCTION @extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp) IS
  'NISC issues an alert for some sectors: delivered to the ministries competent for them today (Japan time); returns its id';

-- forward_alert(): a ministry passes an alert on to the operators it oversees in the
-- alert's sectors (competent today, Japan time).  Operators that already have it are left
-- as they are, so forwarding again reaches only operators registered since.  Forwarding is
-- the ministry's acknowledgement.  A ministry forwards as itself (an alert delivered to it:
-- others are unknown to it); NISC forwards for any ministry, which does not acknowledge for
-- the ministry (row-level security lets a party acknowledge its own deliveries only).
CREATE FUNCTION @extschema@.forward_alert(alert uuid, ministry text) RETURNS integer
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today   date := (pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::date;
  a       @extschema@.alert;
  secs    @extschema@.sector[];
  n       integer;
  mine    text := @extschema@._party_require('forward_alert()', ARRAY['ministry', 'nisc']);
BEGIN
  IF mine IS NOT NULL AND mine OPERATOR(pg_catalog.<>) 'nisc' AND ministry IS DISTINCT FROM mine THEN
    RAISE EXCEPTION 'you act as %, not as %', mine, COALESCE(pg_catalog.quote_literal(ministry), 'NULL')
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('A ministry forwards alerts as itself: give ministry %L.', mine);
  END IF;
  IF ministry IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.ministries m
                                      WHERE m.code OPERATOR(pg_catalog.=) forward_alert.ministry) THEN
    RAISE EXCEPTION 'unknown ministry %', COALESCE(pg_catalog.quote_literal(ministry), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = pg_catalog.format('Ministries are codes of ceptoar.ministries: %s.',
                     (SELECT pg_catalog.string_agg(m.code, ', ') FROM @extschema@.ministries m
                       WHERE m.abolished IS NULL));
  END IF;
  SELECT * INTO a FROM @extschema@.alert x WHERE x.id OPERATOR(pg_catalog.=) forward_alert.alert;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown alert %', COALESCE(alert::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Alerts are ids of ceptoar.alert (issue_alert() returns them).';
  END IF;
  secs := ARRAY(SELECT s FROM pg_catalog.unnest(a.sectors) s
                 WHERE @extschema@.ministry(s, today) OPERATOR(pg_catalog.=) forward_alert.ministry);
  IF pg_catalog.cardinality(secs) OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'ministry % is not competent for any sector of alert %', ministry, a.id
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = pg_catalog.format('The alert concerns %s.', pg_catalog.array_to_string(a.sectors, ', ')),
            HINT = pg_catalog.format('Today (Japan time) they are overseen by: %s.',
                     pg_catalog.array_to_string(@extschema@._competent_ministries(a.sectors, today), ', '));
  END IF;
  INSERT INTO @extschema@.alert_delivery AS d (alert, recipient, recipient_kind, delivered_at, forwarded_by)
  SELECT a.id, o.code, 'operator', pg_catalog.now(), forward_alert.ministry
    FROM @extschema@.operator o
   WHERE o.sector OPERATOR(@extschema@.=) ANY (secs)
  ON CONFLICT ON CONSTRAINT alert_delivery_pkey DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE @extschema@.alert_delivery d SET acknowledged_at = pg_catalog.now()
   WHERE d.alert OPERATOR(pg_catalog.=) a.id AND d.recipient_kind OPERATOR(pg_catalog.=) 'ministry'
     AND d.recipient OPERATOR(pg_catalog.=) forward_alert.ministry AND d.acknowledged_at IS NULL;
  RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.forward_alert(uuid, text) IS
  'a ministry forwards an alert to the operators it oversees in the alert''s sectors (competent today, Japan time); returns how many operators it newly reached; counts as the ministry''s acknowledgement';

-- acknowledge_alert(): a ministry or an operator acknowledges an alert; as for reports,
-- twice is no error and the first time is kept.  A party acknowledges for itself only; an
-- alert not delivered to it is unknown to it (row-level security, 220_access.sql).
CREATE FUNCTION @extschema@.acknowledge_alert(alert uuid, recipient text) RETURNS timestamptz
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ack   timestamptz;
  kinds text[];
  who   text;
  mine  text := @extschema@._party_require('acknowledge_alert()', ARRAY['ministry', 'operator']);
BEGIN
  IF mine IS NOT NULL AND recipient IS DISTINCT FROM mine THEN
    RAISE EXCEPTION 'you act as %, not as %', mine, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('A party acknowledges for itself: give recipient %L.', mine);
  END IF;
  IF alert IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.alert x WHERE x.id OPERATOR(pg_catalog.=) acknowledge_alert.alert) THEN
    RAISE EXCEPTION 'unknown alert %', COALESCE(alert::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Alerts are ids of ceptoar.alert (issue_alert() returns them).';
  END IF;
  SELECT pg_catalog.array_agg(d.recipient_kind) INTO kinds FROM @extschema@.alert_delivery d
   WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_alert.recipient;
  IF kinds IS NULL THEN
    SELECT pg_catalog.string_agg(d.recipient, ', ' ORDER BY d.recipient_kind, d.recipient) INTO who
      FROM @extschema@.alert_delivery d WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert;
    RAISE EXCEPTION 'alert % was not delivered to %', alert, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = CASE WHEN who IS NULL THEN 'It was delivered to nobody yet.'
                        ELSE pg_catalog.format('It was delivered to: %s.', who) END;
  END IF;
  IF pg_catalog.cardinality(kinds) OPERATOR(pg_catalog.>) 1 THEN
    RAISE EXCEPTION 'recipient % of alert % is both a ministry and an operator', recipient, alert
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Set acknowledged_at of the row of ceptoar.alert_delivery with the recipient_kind meant.';
  END IF;
  UPDATE @extschema@.alert_delivery d SET acknowledged_at = pg_catalog.now()
   WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_alert.recipient
     AND d.acknowledged_at IS NULL
  RETURNING d.acknowledged_at INTO ack;
  IF NOT FOUND THEN
    SELECT d.acknowledged_at INTO ack FROM @extschema@.alert_delivery d
     WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert
       AND d.recipient OPERATOR(pg_catalog.=) acknowledge_alert.recipient;
  END IF;
  RETURN ack;
END $$;
COMMENT ON FUNCTION @extschema@.acknowledge_alert(uuid, text) IS
  'a recipient (ministry code or operator code) acknowledges an alert delivered to it; returns the acknowledgement time (the first one, if acknowledged before)';

-- Who has not acknowledged, and since when.  security_invoker: the reader's own privileges
-- (and, later, row-level security) on the delivery tables apply.
CREATE VIEW @extschema@.unacknowledged WITH (security_invoker = true) AS
  SELECT 'report'::text AS subject, d.report AS id, d.recipient, d.recipient_kind, d.delivered_at,
         pg_catalog.now() OPERATOR(pg_catalog.-) d.delivered_at AS waiting
    FROM @extschema@.report_delivery d WHERE d.acknowledged_at IS NULL
  UNION ALL
  SELECT 'alert'::text, d.alert, d.recipient, d.recipient_kind, d.delivered_at,
         pg_catalog.now() OPERATOR(pg_catalog.-) d.delivered_at
    FROM @extschema@.alert_delivery d WHERE d.acknowledged_at IS NULL;
COMMENT ON VIEW @extschema@.unacknowledged IS
  'deliveries of reports and alerts not yet acknowledged: subject (report or alert), its id, the recipient, since when (delivered_at) and for how long (waiting)';
-- 160_statistics.sql: the year's IT failures in figures (issue 12, section 6).
--
-- annual_statistics() counts the real, standing incidents of a Japanese fiscal year (Japan
-- time, report.fiscal_year) by sector, cause and verification level; annual_exclusions()
-- counts, per sector, what it leaves out (exercises, revoked reports, near misses, threats),
-- so that the two add up to every report of the year.
--
-- Never mix regimes (cert.at on CIRAS): the outcome is the verification level of the plan
-- (a rule set of kind verification_level, e.g. nisc-2009), never a legal reporting threshold
-- or an operator's service level, and each row names the rule set its outcome comes from: a
-- year in which the plan changes gives one row per plan.  The rule set of a row is the one
-- the reports' level was computed with (report.level_rule_set: the plan in force on the day
-- the incident began, by the registry's own rule, _verification_set, when the report was
-- last written), never a guess made now.
--
-- Who sees what (issue 13, section 5): both count every report of the year and are SECURITY
-- DEFINER, so every party gets the figures, but a figure that counts fewer than k reports
-- (the superuser-only setting ceptoar.statistics_min_reports, default 3) is hidden from the
-- public, and from every party but NISC for the sectors that are not its own (a ministry's:
-- those it is competent for in the year; an operator's or a CEPTOAR's: its sector), with
-- enough other figures of the same sector hidden that no total gives one back (complementary
-- suppression, below).  NISC, the extension's owner, superusers and roles that bypass
-- row-level security with SELECT on ceptoar.report see everything; a role that is no party
-- sees no row.  They read plain columns of report only, which the registry maintains (no
-- function call per row): fiscal_year, kind, is_exercise and is_revoked filter the rows, and
-- annual_statistics reads them from the partial index report_statistics (130_report.sql),
-- which holds the counted reports in the order it groups them (sector_code, cause, level,
-- level_rule_set) with user_hours, lasted, reported and detected; annual_exclusions, which
-- counts every report of the year, finds them by the index on (sector_code, fiscal_year).

CREATE FUNCTION @extschema@._statistics_min_reports() RETURNS integer
  AS 'MODULE_PATHNAME', 'statistics_min_reports' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._statistics_min_reports() IS
  'the setting ceptoar.statistics_min_reports (k of the small-cell suppression), read with the module loaded';

-- The sectors whose figures of a fiscal year the caller sees unsuppressed: every sector for
-- NISC and for whoever reads ceptoar.report whole anyway (superuser, the extension's owner, a
-- role that bypasses row-level security with SELECT on it); a ministry's sectors of the year
-- (competent on its first or last day); an operator's or a CEPTOAR's sector; none for the
-- public; NULL (no figures at all) for a role that is no party.
CREATE FUNCTION @extschema@._statistics_open_sectors(fiscal_year integer) RETURNS text[]
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  who   oid := @extschema@._party_role();
  pkind text := @extschema@._party_kind();
  pcode text := @extschema@._party_code();
  all_sectors text[] := ARRAY(SELECT s.code::text FROM @extschema@._sectors() s);
BEGIN
  IF pkind OPERATOR(pg_catalog.=) 'nisc' OR EXISTS (
       SELECT 1 FROM pg_catalog.pg_roles r
        WHERE r.oid OPERATOR(pg_catalog.=) who
          AND (r.rolsuper
               OR pg_catalog.pg_has_role(who, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.report'::pg_catalog.regclass), 'MEMBER')
               OR (r.rolbypassrls AND pg_catalog.has_table_privilege(who, '@extschema@.report'::pg_catalog.regclass, 'SELECT')))) THEN
    RETURN all_sectors;
  END IF;
  RETURN CASE pkind
    WHEN 'ministry' THEN ARRAY(
      SELECT s FROM pg_catalog.unnest(all_sectors) s
       WHERE @extschema@.ministry(s::@extschema@.sector, pg_catalog.make_date(fiscal_year, 4, 1)) OPERATOR(pg_catalog.=) pcode
          OR @extschema@.ministry(s::@extschema@.sector, pg_catalog.make_date(fiscal_year OPERATOR(pg_catalog.+) 1, 3, 31)) OPERATOR(pg_catalog.=) pcode)
    WHEN 'operator' THEN ARRAY(SELECT o.sector::text FROM @extschema@.operator o WHERE o.code OPERATOR(pg_catalog.=) pcode)
    WHEN 'ceptoar' THEN ARRAY(SELECT DISTINCT c.sector::text FROM @extschema@.ceptoars c WHERE c.code OPERATOR(pg_catalog.=) pcode)
    WHEN 'public' THEN '{}'::text[]
  END;
END $$;
COMMENT ON FUNCTION @extschema@._statistics_open_sectors(integer) IS
  'the sectors whose figures of a fiscal year the caller sees unsuppressed (all, its own, none); NULL if it is no party';

-- A fiscal year whose April 1 and next April 1 are dates (PostgreSQL has no year 0).
CREATE FUNCTION @extschema@._fiscal_year_check(fiscal_year integer) RETURNS void
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF fiscal_year IS NULL OR fiscal_year OPERATOR(pg_catalog.<) 1 OR fiscal_year OPERATOR(pg_catalog.>) 294275 THEN
    RAISE EXCEPTION 'fiscal year % is out of range', COALESCE(fiscal_year::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A fiscal year is a year from 1 to 294275: FY2024 runs from 2024-04-01 to 2025-03-31, Japan time.';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@._fiscal_year_check(integer) IS
  'raises 22023 unless the fiscal year is 1 .. 294275';

CREATE FUNCTION @extschema@.annual_statistics(fiscal_year integer)
  RETURNS TABLE (sector @extschema@.sector, cause text, outcome text, outcome_rule_set text,
                 incidents bigint, user_hours double precision, user_hours_unknown bigint,
                 median_delay interval, delay_unknown bigint,
                 median_duration interval, duration_unknown bigint, suppressed boolean)
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  open  text[];
  k     integer := @extschema@._statistics_min_reports();
BEGIN
  PERFORM @extschema@._fiscal_year_check(annual_statistics.fiscal_year);
  open := @extschema@._statistics_open_sectors(annual_statistics.fiscal_year);
  IF open IS NULL THEN
    RETURN;
  END IF;
  -- Suppression, per sector not open to the caller: a cell of fewer than k incidents is
  -- hidden (primary); then, in the order primary first, smallest next, cells are hidden
  -- until at least two are and they count k or more together, so that the sector's total
  -- (annual_exclusions.counted) minus the cells shown gives no hidden cell back.
  RETURN QUERY
  WITH g AS (
    SELECT r.sector_code, r.cause, r.level, r.level_rule_set AS rule_set,
           pg_catalog.count(*) AS incidents,
           pg_catalog.sum(r.user_hours) AS user_hours,
           pg_catalog.count(*) FILTER (WHERE r.user_hours IS NULL) AS user_hours_unknown,
           pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY r.reported OPERATOR(pg_catalog.-) r.detected) AS median_delay,
           pg_catalog.count(*) FILTER (WHERE r.detected IS NULL) AS delay_unknown,
           pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY r.lasted) AS median_duration,
           pg_catalog.count(*) FILTER (WHERE r.lasted IS NULL) AS duration_unknown
      FROM @extschema@.report r
     -- the plain columns only, those of the partial index report_statistics (its
     -- predicate and its key in the GROUP BY's order: no sort)
     WHERE r.fiscal_year OPERATOR(pg_catalog.=) annual_statistics.fiscal_year
       AND r.kind OPERATOR(pg_catalog.=) 'incident'
       AND NOT r.is_exercise AND NOT r.is_revoked
     GROUP BY 1, 2, 3, 4),
  p AS (
    SELECT g.*, NOT g.sector_code OPERATOR(pg_catalog.=) ANY (open)
                AND g.incidents OPERATOR(pg_catalog.<) k AS primary_hidden
      FROM g),
  o AS (
    SELECT p.*,
           pg_catalog.count(*) FILTER (WHERE p.primary_hidden) OVER (PARTITION BY p.sector_code) AS n_primary,
           pg_catalog.row_number() OVER w AS rn,
           pg_catalog.sum(p.incidents) OVER (w ROWS UNBOUNDED PRECEDING) AS run_sum
      FROM p
    WINDOW w AS (PARTITION BY p.sector_code
                 ORDER BY p.primary_hidden DESC, p.incidents, p.cause, p.level NULLS FIRST, p.rule_set NULLS FIRST)),
  c AS (
    SELECT o.sector_code,
           pg_catalog.min(o.rn) FILTER (WHERE o.rn OPERATOR(pg_catalog.>=) 2 AND o.run_sum OPERATOR(pg_catalog.>=) k) AS enough
      FROM o GROUP BY o.sector_code),
  h AS (
    SELECT o.*, o.n_primary OPERATOR(pg_catalog.>) 0
                AND (c.enough IS NULL OR o.rn OPERATOR(pg_catalog.<=) GREATEST(c.enough, o.n_primary)) AS hidden
      FROM o JOIN c USING (sector_code))
  SELECT h.sector_code::@extschema@.sector, h.cause, COALESCE(h.level, 'none'), h.rule_set,
         CASE WHEN NOT h.hidden THEN h.incidents END,
         CASE WHEN NOT h.hidden THEN h.user_hours END,
         CASE WHEN NOT h.hidden THEN h.user_hours_unknown END,
         CASE WHEN NOT h.hidden THEN h.median_delay END,
         CASE WHEN NOT h.hidden THEN h.delay_unknown END,
         CASE WHEN NOT h.hidden THEN h.median_duration END,
         CASE WHEN NOT h.hidden THEN h.duration_unknown END,
         h.hidden
    FROM h
   ORDER BY 1, 2, pg_catalog.array_position(ARRAY['exceeds', 'within', 'undetermined', 'no_rule', 'none'],
                                            COALESCE(h.level, 'none')), 4;
END $$;
COMMENT ON FUNCTION @extschema@.annual_statistics(integer) IS
  'the real, standing incidents of a fiscal year (Japan time) by sector, cause and verification level (outcome: exceeds, within, undetermined, no_rule, none; outcome_rule_set: the plan''s rule set the level was computed with): count, user hours (of those that give them; user_hours_unknown: how many do not), median detection-to-report delay and duration with the counts of unknowns; exercises, revoked reports, near misses and threats are left out (annual_exclusions); suppressed: the figures are hidden from the caller (fewer than ceptoar.statistics_min_reports reports, or hidden so that no total gives such a cell back)';

CREATE FUNCTION @extschema@.annual_exclusions(fiscal_year integer)
  RETURNS TABLE (sector @extschema@.sector, reports bigint, counted bigint, exercises bigint,
                 revoked bigint, near_misses bigint, threats bigint, suppressed boolean)
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  open  text[];
  k     integer := @extschema@._statistics_min_reports();
BEGIN
  PERFORM @extschema@._fiscal_year_check(annual_exclusions.fiscal_year);
  open := @extschema@._statistics_open_sectors(annual_exclusions.fiscal_year);
  IF open IS NULL THEN
    RETURN;
  END IF;
  -- Suppression, per sector not open to the caller: a part (counted, exercises, revoked,
  -- near misses, threats) of 1 to k-1 reports is hidden, and with it the total (reports),
  -- so that the total minus the parts shown gives no hidden part back.  (A part of 0 is
  -- shown; counted, when shown, is what the sector's cells of annual_statistics add up to.)
  RETURN QUERY
  SELECT x.sector_code::@extschema@.sector,
         CASE WHEN NOT x.hidden THEN x.reports END,
         CASE WHEN NOT (x.guarded AND x.counted OPERATOR(pg_catalog.>) 0 AND x.counted OPERATOR(pg_catalog.<) k) THEN x.counted END,
         CASE WHEN NOT (x.guarded AND x.exercises OPERATOR(pg_catalog.>) 0 AND x.exercises OPERATOR(pg_catalog.<) k) THEN x.exercises END,
         CASE WHEN NOT (x.guarded AND x.revoked OPERATOR(pg_catalog.>) 0 AND x.revoked OPERATOR(pg_catalog.<) k) THEN x.revoked END,
         CASE WHEN NOT (x.guarded AND x.near_misses OPERATOR(pg_catalog.>) 0 AND x.near_misses OPERATOR(pg_catalog.<) k) THEN x.near_misses END,
         CASE WHEN NOT (x.guarded AND x.threats OPERATOR(pg_catalog.>) 0 AND x.threats OPERATOR(pg_catalog.<) k) THEN x.threats END,
         x.hidden
    FROM (SELECT y.*, y.guarded AND EXISTS (
                   SELECT 1 FROM pg_catalog.unnest(ARRAY[y.counted, y.exercises, y.revoked, y.near_misses, y.threats]) v
                    WHERE v OPERATOR(pg_catalog.>) 0 AND v OPERATOR(pg_catalog.<) k) AS hidden
            FROM (SELECT r.sector_code,
                         NOT r.sector_code OPERATOR(pg_catalog.=) ANY (open) AS guarded,
                         pg_catalog.count(*) AS reports,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'incident') AS counted,
                         pg_catalog.count(*) FILTER (WHERE r.is_exercise) AS exercises,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND r.is_revoked) AS revoked,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'near_miss') AS near_misses,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'threat') AS threats
                    FROM @extschema@.report r
                   WHERE r.sector_code OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT s.code::text FROM @extschema@._sectors() s))
                     AND r.fiscal_year OPERATOR(pg_catalog.=) annual_exclusions.fiscal_year
                   GROUP BY r.sector_code) y) x
   ORDER BY 1;
END $$;
COMMENT ON FUNCTION @extschema@.annual_exclusions(integer) IS
  'every report of a fiscal year (Japan time) per sector: counted by annual_statistics, and left out as exercises, else revoked, else near misses or threats (each report once: reports = counted + exercises + revoked + near_misses + threats); suppressed: a part of fewer than ceptoar.statistics_min_reports reports is hidden from the caller, and with it the total';
-- 200_party.sql: the parties of the registry (issue 13, section 1).
--
-- The extension creates no roles (roles belong to the cluster).  A DBA registers existing
-- roles as parties: NISC, a ministry, a CEPTOAR, an operator, or the public.  Every access
-- rule of the registry is written against the party of the current user: _party_kind() and
-- _party_code() (src/party.c).  Members of a registered role act as that party; a role
-- registered itself is that party whatever else it is a member of; a role in no party, or
-- in several, is no party and sees nothing.
--
-- The roster is the owner's only (who is which operator is itself to be protected): the
-- lookup answers for the current user alone, and nothing lets a party read another role's
-- registration.

CREATE TABLE @extschema@.party (
  role           regrole PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('nisc', 'ministry', 'ceptoar', 'operator', 'public')),
  code           text,
  registered     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  CHECK ((kind OPERATOR(pg_catalog.=) 'public') OPERATOR(pg_catalog.=) (code IS NULL)),
  CHECK (kind OPERATOR(pg_catalog.<>) 'nisc' OR code OPERATOR(pg_catalog.=) 'nisc')
);
COMMENT ON TABLE @extschema@.party IS
  'the registered parties: which role acts as NISC, a ministry, a CEPTOAR, an operator or the public (register_party; readable by the extension''s owner only)';
COMMENT ON COLUMN @extschema@.party.code IS
  'nisc; a ministry code (ministries.code); a CEPTOAR code (ceptoars.code); an operator code (operator.code); NULL for the public';
CREATE INDEX party_code ON @extschema@.party (kind, code);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.party', '');
-- Each backend keeps its role's party (src/party.c); a change of the roster drops it in
-- every backend (a relcache invalidation: at commit for the others, at the next command
-- for the writer).
CREATE TRIGGER party_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.party
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._cache_invalidate();

CREATE FUNCTION @extschema@._party_kind() RETURNS text
  AS 'MODULE_PATHNAME', 'party_kind' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._party_kind() IS
  'the kind of party the current user acts as (nisc, ministry, ceptoar, operator, public), NULL if none';
CREATE FUNCTION @extschema@._party_code() RETURNS text
  AS 'MODULE_PATHNAME', 'party_code' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._party_code() IS
  'the code of the party the current user acts as (nisc, a ministry, a CEPTOAR, an operator), NULL for the public and for no party';
CREATE FUNCTION @extschema@._party_role() RETURNS oid
  AS 'MODULE_PATHNAME', 'party_role' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._party_role() IS
  'the role whose party _party_kind() and _party_code() answer for (the session''s role), also inside SECURITY DEFINER functions';
CREATE FUNCTION @extschema@.my_party(OUT kind text, OUT code text) RETURNS record
  AS 'MODULE_PATHNAME', 'party_mine' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.my_party() IS
  'the party the current user acts as: (kind, code), both NULL if none; an error if it is a member of several';

-- Registering a role: only the extension's owner, or a role it grants EXECUTE to.
CREATE FUNCTION @extschema@.register_party(role regrole, kind text, code text DEFAULT NULL)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  c text := code;
BEGIN
  IF role IS NULL THEN
    RAISE EXCEPTION 'a party needs a role'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF kind IS NULL OR kind NOT IN ('nisc', 'ministry', 'ceptoar', 'operator', 'public') THEN
    RAISE EXCEPTION 'invalid party kind %', COALESCE(pg_catalog.quote_literal(kind), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A party is nisc, ministry (code: a ministry code), ceptoar (a CEPTOAR code), operator (an operator code) or public.';
  END IF;
  IF (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
       WHERE r.oid OPERATOR(pg_catalog.=) role::pg_catalog.oid) THEN
    RAISE EXCEPTION 'role % is a superuser or bypasses row-level security: it sees everything and cannot be a party', role
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Register an ordinary role (NOSUPERUSER, NOBYPASSRLS) and grant it to the people who act for the party.';
  END IF;
  IF kind OPERATOR(pg_catalog.=) 'nisc' THEN
    c := COALESCE(c, 'nisc');
  END IF;
  IF kind OPERATOR(pg_catalog.=) 'public' AND c IS NOT NULL THEN
    RAISE EXCEPTION 'the public has no code (got %)', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value';
  ELSIF kind OPERATOR(pg_catalog.<>) 'public' AND c IS NULL THEN
    RAISE EXCEPTION 'a party of kind % needs a code', kind
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'ministry: a code of ceptoar.ministries; ceptoar: a code of ceptoar.ceptoars; operator: a code of ceptoar.operator.';
  ELSIF kind OPERATOR(pg_catalog.=) 'nisc' AND c OPERATOR(pg_catalog.<>) 'nisc' THEN
    RAISE EXCEPTION 'NISC''s code is nisc, not %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value';
  ELSIF kind OPERATOR(pg_catalog.=) 'ministry' AND NOT EXISTS (
          SELECT 1 FROM @extschema@.ministries m
           WHERE m.code OPERATOR(pg_catalog.=) c AND m.abolished IS NULL) THEN
    RAISE EXCEPTION 'unknown ministry %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Ministry codes are the code column of ceptoar.ministries (of a ministry not abolished).';
  ELSIF kind OPERATOR(pg_catalog.=) 'ceptoar' AND NOT @extschema@.ceptoar_exists(c) THEN
    RAISE EXCEPTION 'unknown CEPTOAR %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'CEPTOAR codes are the code column of ceptoar.ceptoars.';
  ELSIF kind OPERATOR(pg_catalog.=) 'operator' AND NOT EXISTS (
          SELECT 1 FROM @extschema@.operator o WHERE o.code OPERATOR(pg_catalog.=) c) THEN
    RAISE EXCEPTION 'unknown operator %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Operator codes are the code column of ceptoar.operator: register the operator first.';
  END IF;
  INSERT INTO @extschema@.party AS p (role, kind, code) VALUES (role, kind, c)
  ON CONFLICT ON CONSTRAINT party_pkey DO UPDATE
     SET kind = EXCLUDED.kind, code = EXCLUDED.code, registered = EXCLUDED.registered;
  PERFORM @extschema@._party_privileges(role, kind, true);
END $$;
COMMENT ON FUNCTION @extschema@.register_party(regrole, text, text) IS
  'registers an existing role as a party (kind nisc, ministry, ceptoar, operator or public, with its code) and grants it what its kind may do; registering it again changes its party';

CREATE FUNCTION @extschema@.unregister_party(role regrole) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k text;
BEGIN
  DELETE FROM @extschema@.party p WHERE p.role OPERATOR(pg_catalog.=) unregister_party.role
    RETURNING p.kind INTO k;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'role % is not a party', role
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM @extschema@._party_privileges(role, k, false);
END $$;
COMMENT ON FUNCTION @extschema@.unregister_party(regrole) IS
  'unregisters a party: the role is no party any more and sees nothing of the registry';

-- The privileges that go with a party (what its kind may do; the rows are limited by
-- row-level security): granted by register_party, revoked by unregister_party.  One place
-- for both directions.
CREATE FUNCTION @extschema@._party_privileges(role regrole, kind text, give boolean)
  RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- one line per area of the access layer (issue 13)
  PERFORM @extschema@._party_privileges_registry(role, kind, give);
  PERFORM @extschema@._party_privileges_config(role, kind, give);
END $$;
COMMENT ON FUNCTION @extschema@._party_privileges(regrole, text, boolean) IS
  'grants (give) or revokes the privileges of a party of a kind to or from a role';
-- 210_report_recipient.sql: the parties named as recipients of a report (issue 13,
-- section 2).  A red report (TLP:RED) is seen by its operator, its competent ministry and
-- the parties named here only; NISC sees a red report only when named.  For other markings
-- the names change nothing.  Names are kept, never removed (what was shared stays known).

CREATE TABLE @extschema@.report_recipient (
  report     uuid NOT NULL,
  recipient  text NOT NULL,
  named_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
  named_by   name NOT NULL DEFAULT CURRENT_USER,
  first      integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, recipient),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_recipient IS
  'parties named as recipients of a report: who, besides its operator and competent ministry, sees it when it is TLP:RED';
COMMENT ON COLUMN @extschema@.report_recipient.recipient IS
  'a party''s code: nisc, a ministry code, a CEPTOAR code or an operator code';
COMMENT ON COLUMN @extschema@.report_recipient.first IS
  'always 1: refers to the report''s first revision, which pg_dump keeps';
CREATE INDEX report_recipient_recipient ON @extschema@.report_recipient (recipient);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_recipient', '');

-- A recipient is a known party code, of a known report.
CREATE FUNCTION @extschema@._report_recipient_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.recipient IS NULL OR NOT (
       NEW.recipient OPERATOR(pg_catalog.=) 'nisc'
       OR @extschema@.ceptoar_exists(NEW.recipient)
       OR EXISTS (SELECT 1 FROM @extschema@.ministries m
                   WHERE m.code OPERATOR(pg_catalog.=) NEW.recipient AND m.abolished IS NULL)
       OR EXISTS (SELECT 1 FROM @extschema@.operator o WHERE o.code OPERATOR(pg_catalog.=) NEW.recipient)) THEN
    RAISE EXCEPTION 'unknown recipient %', COALESCE(pg_catalog.quote_literal(NEW.recipient), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A recipient is nisc, a ministry code (ceptoar.ministries), a CEPTOAR code (ceptoar.ceptoars) or an operator code.';
  END IF;
  IF NOT @extschema@._report_restoring() AND NOT EXISTS (
       SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) NEW.report) THEN
    RAISE EXCEPTION 'unknown report %', NEW.report
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_recipient_check() IS
  'report_recipient: a known party code, a known report';
CREATE TRIGGER report_recipient_check BEFORE INSERT ON @extschema@.report_recipient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_recipient_check();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_recipient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_recipient
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
-- 220_access.sql: who sees and writes the registry's tables (issue 13, section 2), for the
-- parties that see an operator's identity: the operator O itself, the competent ministry M
-- (report.ministry_code) and NISC.  Everyone else reads reports through the pseudonymised
-- view ceptoar.shared_reports (another fragment) and gets nothing here but its own
-- deliveries to acknowledge.
--
-- Row-level security is ENABLEd, not FORCEd: the extension's owner (and so the registry's
-- SECURITY DEFINER triggers, pg_dump and pg_restore) and superusers bypass it.  Policies are
-- written TO PUBLIC against the caller's party, _party_kind() and _party_code(), always as
-- scalar sub-selects (an InitPlan: once per statement), compared with plain indexed columns
-- (report.operator, report.ministry_code, report.tlp_rank), so a ministry's query keeps its
-- index scans.  What a party may do at all (SELECT, INSERT, UPDATE, EXECUTE) is granted by
-- register_party through _party_privileges_registry(); the policies then decide which rows.
--
-- report: O sees and writes its own reports, M its sectors' (by ministry_code, the ministry
-- competent on the day reported), NISC every report not TLP:RED and the red ones it is named
-- a recipient of (report_recipient).  Every table that hangs off a report (revisions,
-- verdicts, verification, steps, recipients, deliveries) shows a row exactly when its report
-- is visible in ceptoar.report (EXISTS under the same policies); links need both ends.
-- report_recipient is read in report's own policy through _named_reports, an owner's view,
-- so that report_recipient's policies can refer back to report without a cycle.

-- The reports the caller's party is named a recipient of.  An owner's view (its table is
-- read as the owner, bypassing row-level security), security_barrier, limited to the
-- caller's own code: it shows a party only its own names.
CREATE VIEW @extschema@._named_reports WITH (security_barrier = true) AS
  SELECT n.report FROM @extschema@.report_recipient n
   WHERE n.recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code());
COMMENT ON VIEW @extschema@._named_reports IS
  'the reports the caller''s party is named a recipient of (report_recipient), for the row-level security of ceptoar.report';

-- The caller's party, for the writer functions: NULL when the caller bypasses row-level
-- security on ceptoar.report (the extension's owner, a superuser: the registry's
-- administrator, for whom the functions behave as before parties existed); else the code of
-- its party when its kind is one of kinds; else insufficient_privilege.  Runs as the caller:
-- a SECURITY DEFINER function no longer knows who called it.
CREATE FUNCTION @extschema@._party_require(action text, kinds text[]) RETURNS text
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k text;
BEGIN
  IF NOT pg_catalog.row_security_active('@extschema@.report'::pg_catalog.regclass) THEN
    RETURN NULL;
  END IF;
  k := @extschema@._party_kind();
  IF k IS NULL OR NOT k OPERATOR(pg_catalog.=) ANY (kinds) THEN
    RAISE EXCEPTION '% is not for %', action,
          CASE WHEN k IS NULL THEN 'a role that acts as no party' ELSE 'a party of kind ' OPERATOR(pg_catalog.||) k END
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('%s is for: %s. ceptoar.my_party() shows which party you act as.',
                     action, pg_catalog.array_to_string(kinds, ', '));
  END IF;
  RETURN @extschema@._party_code();
END $$;
COMMENT ON FUNCTION @extschema@._party_require(text, text[]) IS
  'the caller''s party code if its kind is one of kinds, NULL if it bypasses row-level security (the owner); else insufficient_privilege';

-- Japan's today, for "competent today".
CREATE FUNCTION @extschema@._today_jst() RETURNS date
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN (pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::date;
COMMENT ON FUNCTION @extschema@._today_jst() IS 'today in Japan (the day of the transaction''s start, Asia/Tokyo)';

-- ceptoar.report
ALTER TABLE @extschema@.report ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_operator ON @extschema@.report
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
         AND operator OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
CREATE POLICY report_ministry ON @extschema@.report
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
         AND ministry_code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
CREATE POLICY report_nisc ON @extschema@.report
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         AND (tlp_rank OPERATOR(pg_catalog.<) 4
              OR id IN (SELECT n.report FROM @extschema@._named_reports n)));

-- The tables of a report's history: visible with the report.
ALTER TABLE @extschema@.report_revision ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_revision_visible ON @extschema@.report_revision FOR SELECT
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_revision.report));
ALTER TABLE @extschema@.report_verdicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_verdicts_visible ON @extschema@.report_verdicts FOR SELECT
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_verdicts.report));

-- verify() writes as the caller (M or NISC): its own role, now, the report's current
-- revision and computed level; a direct INSERT can state nothing else.
ALTER TABLE @extschema@.report_verification ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_verification_visible ON @extschema@.report_verification FOR SELECT
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_verification.report));
CREATE POLICY report_verification_verify ON @extschema@.report_verification FOR INSERT
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) ANY (ARRAY['ministry', 'nisc'])
              AND verified_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND verified_at OPERATOR(pg_catalog.>=) pg_catalog.statement_timestamp()
              AND verified_at OPERATOR(pg_catalog.<=) pg_catalog.clock_timestamp()
              AND EXISTS (SELECT 1 FROM @extschema@.report r
                           WHERE r.id OPERATOR(pg_catalog.=) report_verification.report
                             AND r.revision OPERATOR(pg_catalog.=) report_verification.revision
                             AND r.level IS NOT DISTINCT FROM report_verification.computed));

-- Steps: written by whoever sees the report in ceptoar.report (O, M, NISC).
ALTER TABLE @extschema@.report_step ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_step_visible ON @extschema@.report_step
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_step.report));

-- Links: both reports visible, to read and to write.
ALTER TABLE @extschema@.report_link ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_link_visible ON @extschema@.report_link
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_link.report)
         AND EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_link.related));

-- Recipients: a party sees that it is named; O, M and NISC see the names of the reports they
-- see.  O and M name recipients of their reports, as themselves, now.
ALTER TABLE @extschema@.report_recipient ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_recipient_visible ON @extschema@.report_recipient FOR SELECT
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
         OR EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_recipient.report));
CREATE POLICY report_recipient_name ON @extschema@.report_recipient FOR INSERT
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) ANY (ARRAY['operator', 'ministry'])
              AND named_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND named_at OPERATOR(pg_catalog.=) pg_catalog.now()
              AND EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_recipient.report));

-- Deliveries of reports: a recipient sees and acknowledges its own; O, M and NISC see those
-- of the reports they see.
ALTER TABLE @extschema@.report_delivery ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_delivery_visible ON @extschema@.report_delivery FOR SELECT
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
         OR EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_delivery.report));
CREATE POLICY report_delivery_acknowledge ON @extschema@.report_delivery FOR UPDATE
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
  WITH CHECK (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));

-- Alerts: NISC sees and issues them all; a ministry or an operator sees those delivered to
-- it.  A ministry forwards an alert delivered to it to the operators of the alert's sectors
-- it is competent for today; NISC forwards for any ministry.  Each acknowledges its own.
-- The alerts delivered to the caller are read through an owner's view, _my_alerts, as
-- report_recipient is through _named_reports: alert_delivery's policy for forwarding needs
-- the alert's sectors, and alert's policy the deliveries (a cycle of policies is refused).
CREATE VIEW @extschema@._my_alerts WITH (security_barrier = true) AS
  SELECT a.id, a.sectors FROM @extschema@.alert a
   WHERE EXISTS (SELECT 1 FROM @extschema@.alert_delivery d
                  WHERE d.alert OPERATOR(pg_catalog.=) a.id
                    AND d.recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
COMMENT ON VIEW @extschema@._my_alerts IS
  'the alerts delivered to the caller''s party (id, sectors), for the row-level security of ceptoar.alert and alert_delivery';
ALTER TABLE @extschema@.alert ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_visible ON @extschema@.alert FOR SELECT
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR id IN (SELECT m.id FROM @extschema@._my_alerts m));
CREATE POLICY alert_issue ON @extschema@.alert FOR INSERT
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
              AND issued_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND issued_at OPERATOR(pg_catalog.=) pg_catalog.now());
ALTER TABLE @extschema@.alert_delivery ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_delivery_visible ON @extschema@.alert_delivery FOR SELECT
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
         OR forwarded_by OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
CREATE POLICY alert_delivery_deliver ON @extschema@.alert_delivery FOR INSERT
  WITH CHECK (delivered_at OPERATOR(pg_catalog.=) pg_catalog.now() AND acknowledged_at IS NULL
              AND ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
                   OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
                       AND recipient_kind OPERATOR(pg_catalog.=) 'operator'
                       AND forwarded_by OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
                       AND EXISTS (SELECT 1 FROM @extschema@._my_alerts a, @extschema@.operator o
                                    WHERE a.id OPERATOR(pg_catalog.=) alert_delivery.alert
                                      AND o.code OPERATOR(pg_catalog.=) alert_delivery.recipient
                                      AND o.sector OPERATOR(@extschema@.=) ANY (a.sectors)
                                      AND @extschema@.ministry(o.sector, @extschema@._today_jst())
                                          OPERATOR(pg_catalog.=) alert_delivery.forwarded_by))));
CREATE POLICY alert_delivery_acknowledge ON @extschema@.alert_delivery FOR UPDATE
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
  WITH CHECK (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));

-- Operators: O sees itself, M the operators of its sectors today, NISC all; and whoever sees
-- a report in ceptoar.report sees its operator (M keeps seeing the operators of its old
-- reports after a sector moved).  Nobody else learns which operators are registered.
ALTER TABLE @extschema@.operator ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_visible ON @extschema@.operator FOR SELECT
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
             AND code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
             AND @extschema@.ministry(sector, (SELECT @extschema@._today_jst()))
                 OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.operator OPERATOR(pg_catalog.=) operator.code));

-- Writing an operator's row (its contact, its service levels: what a DBA grants UPDATE on):
-- the operator itself, the ministry competent for its sector, NISC; nobody else, and no row
-- moves out of the writer's reach (WITH CHECK).  _operator_levels_writer (240) then checks
-- the service levels named.
CREATE POLICY operator_update ON @extschema@.operator FOR UPDATE
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
             AND code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
             AND @extschema@.ministry(sector, (SELECT @extschema@._today_jst()))
                 OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())))
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
             AND code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
             AND @extschema@.ministry(sector, (SELECT @extschema@._today_jst()))
                 OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())));

-- Upward deliveries to the parties named as recipients of a red report (the others were
-- delivered when it was filed, 150_flows.sql): when named, if the report is TLP:RED then.
-- As the owner (nobody else writes report_delivery); a name already delivered to, and the
-- report's own operator, are left out.
CREATE FUNCTION @extschema@._report_recipient_deliver() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO @extschema@.report_delivery (report, recipient, recipient_kind, delivered_at)
  SELECT n.report, n.recipient,
         CASE WHEN n.recipient OPERATOR(pg_catalog.=) 'nisc' THEN 'nisc'
              WHEN @extschema@.ceptoar_exists(n.recipient) THEN 'ceptoar'
              WHEN EXISTS (SELECT 1 FROM @extschema@.ministries m
                            WHERE m.code OPERATOR(pg_catalog.=) n.recipient) THEN 'ministry'
              ELSE 'operator' END,
         pg_catalog.now()
    FROM named n
    JOIN @extschema@.report r ON r.id OPERATOR(pg_catalog.=) n.report
   WHERE r.tlp_rank OPERATOR(pg_catalog.=) 4
     AND n.recipient OPERATOR(pg_catalog.<>) r.operator
  ON CONFLICT ON CONSTRAINT report_delivery_pkey DO NOTHING;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._report_recipient_deliver() IS
  'report_recipient: delivers a TLP:RED report to the parties a statement names (not to its own operator, nor twice)';
CREATE TRIGGER report_recipient_deliver AFTER INSERT ON @extschema@.report_recipient
  REFERENCING NEW TABLE AS named
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_recipient_deliver();

-- What each kind of party may do on the registry's tables and writer functions (the rows are
-- the policies' above).  Called by _party_privileges (register_party: give; unregister_party:
-- not), as the extension's owner.  Giving first takes back what any kind gets, so that
-- registering a role again as another kind leaves nothing of the old one.
CREATE FUNCTION @extschema@._party_privileges_registry(role regrole, kind text, give boolean)
  RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tables constant text := '@extschema@.operator, @extschema@.report, @extschema@.report_revision, '
    '@extschema@.report_verdicts, @extschema@.report_verification, @extschema@.report_link, '
    '@extschema@.report_step, @extschema@.report_recipient, @extschema@.report_delivery, '
    '@extschema@.alert, @extschema@.alert_delivery, @extschema@.unacknowledged';
  functions constant text := '@extschema@.revoke(uuid, text), @extschema@.verify(uuid, text, text), '
    '@extschema@.acknowledge_report(uuid, text), '
    '@extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp), '
    '@extschema@.forward_alert(uuid, text), @extschema@.acknowledge_alert(uuid, text)';
  r constant text := role::text;   -- regrole's output is a quoted identifier
BEGIN
  EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM %s', tables, r);
  EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM %s', functions, r);
  IF NOT give THEN
    RETURN;
  END IF;
  IF kind IN ('operator', 'ministry', 'nisc') THEN
    -- the parties that see identity: every table of the registry, limited by the policies
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO %s', tables, r);
    EXECUTE pg_catalog.format('GRANT UPDATE ON @extschema@.report TO %s', r);
    EXECUTE pg_catalog.format('GRANT INSERT, UPDATE ON @extschema@.report_step TO %s', r);
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report_link TO %s', r);
    EXECUTE pg_catalog.format('GRANT UPDATE (acknowledged_at) ON @extschema@.report_delivery, @extschema@.alert_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.revoke(uuid, text), '
                              '@extschema@.acknowledge_report(uuid, text) TO %s', r);
  END IF;
  IF kind OPERATOR(pg_catalog.=) 'operator' THEN
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report, @extschema@.report_recipient TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.acknowledge_alert(uuid, text) TO %s', r);
  ELSIF kind OPERATOR(pg_catalog.=) 'ministry' THEN
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report_recipient, @extschema@.report_verification, '
                              '@extschema@.alert_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.verify(uuid, text, text), '
                              '@extschema@.forward_alert(uuid, text), @extschema@.acknowledge_alert(uuid, text) TO %s', r);
  ELSIF kind OPERATOR(pg_catalog.=) 'nisc' THEN
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report_verification, @extschema@.alert, '
                              '@extschema@.alert_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.verify(uuid, text, text), '
                              '@extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp), '
                              '@extschema@.forward_alert(uuid, text) TO %s', r);
  ELSIF kind OPERATOR(pg_catalog.=) 'ceptoar' THEN
    -- its own deliveries, to acknowledge; reports it reads through shared_reports
    -- (SELECT on report only because report_delivery's policy reads it: no policy of report
    -- gives a CEPTOAR a row, and pg_stats hides the statistics of a table under row-level
    -- security)
    EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.report, @extschema@.report_delivery, '
                              '@extschema@.alert_delivery, @extschema@.unacknowledged TO %s', r);
    EXECUTE pg_catalog.format('GRANT UPDATE (acknowledged_at) ON @extschema@.report_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.acknowledge_report(uuid, text) TO %s', r);
  END IF;
  -- the public: nothing of the registry's tables (statistics and shared_reports elsewhere)
END $$;
COMMENT ON FUNCTION @extschema@._party_privileges_registry(regrole, text, boolean) IS
  'grants (give) or revokes what a party of a kind may do on the registry''s tables and writer functions (reports, their history, deliveries, alerts)';
-- 230_shared_reports.sql: anonymised sharing (issue 13, section 3).
--
-- Every party reads reports through one view, shared_reports: the owner's view
-- (security_barrier), so it reads ceptoar.report as the extension's owner whatever the
-- caller may read, and applies the whole table of who sees what (README, Security) in its
-- WHERE, on the report's plain columns and the caller's party (read once per statement).  Where the caller may not see who reported, `operator` holds a
-- pseudonym and description, instance, changed_by and revoked_reason are NULL.
--
-- Pseudonyms: HMAC-SHA256 (RFC 2104, built from pg_catalog.sha256) of the operator's code
-- and the viewing party (kind and code) under a secret key: stable within one party's view,
-- unlinkable across parties.  The key (its two padded forms) is in pseudonym_key, which
-- only the extension's owner can read; no function a party may call computes a pseudonym
-- of an operator it names.
--
-- Functions over one report (response_timeline, suspected_origins, verdicts) must read
-- tables the caller may not read, so they run as the owner (SECURITY DEFINER).  The
-- caller's party is the session's role's, which _party_kind() and _party_code() give also
-- inside them (src/party.c): they ask _sees(report), the view's own rule, what it sees.

-- The key, as its inner and outer pads (K xor 0x36.., K xor 0x5c..; K is 64 bytes, SHA-256's
-- block).  One row.
CREATE TABLE @extschema@.pseudonym_key (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  inner_pad  bytea NOT NULL,
  outer_pad  bytea NOT NULL,
  created    timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.pseudonym_key IS
  'the secret key of the pseudonyms in shared_reports (HMAC-SHA256 pads); readable by the extension''s owner only; rotate_pseudonym_key() replaces it';

-- A new key from the server's strong random source (gen_random_uuid: 122 random bits each).
CREATE FUNCTION @extschema@._pseudonym_pads(OUT inner_pad bytea, OUT outer_pad bytea)
  LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k bytea := pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
          OPERATOR(pg_catalog.||) pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
          OPERATOR(pg_catalog.||) pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
          OPERATOR(pg_catalog.||) pg_catalog.uuid_send(pg_catalog.gen_random_uuid());
BEGIN
  inner_pad := k;
  outer_pad := k;
  FOR i IN 0..63 LOOP
    inner_pad := pg_catalog.set_byte(inner_pad, i, pg_catalog.get_byte(k, i) OPERATOR(pg_catalog.#) 54);
    outer_pad := pg_catalog.set_byte(outer_pad, i, pg_catalog.get_byte(k, i) OPERATOR(pg_catalog.#) 92);
  END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@._pseudonym_pads() IS
  'a new random 64-byte key as HMAC-SHA256''s inner and outer pads';

INSERT INTO @extschema@.pseudonym_key (inner_pad, outer_pad)
  SELECT p.inner_pad, p.outer_pad FROM @extschema@._pseudonym_pads() p;

-- pg_dump keeps the key (the dump holds every operator's identity anyway, in
-- report_revision): pseudonyms stay the same across dump and restore.  The key restored
-- replaces the one CREATE EXTENSION made.
CREATE FUNCTION @extschema@._pseudonym_key_restore() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  DELETE FROM @extschema@.pseudonym_key;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._pseudonym_key_restore() IS
  'pseudonym_key: a key written (pg_restore) replaces the one there, so there is always one';
CREATE TRIGGER pseudonym_key_restore BEFORE INSERT ON @extschema@.pseudonym_key
  FOR EACH ROW EXECUTE FUNCTION @extschema@._pseudonym_key_restore();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pseudonym_key', '');

CREATE FUNCTION @extschema@.rotate_pseudonym_key() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE @extschema@.pseudonym_key k
     SET inner_pad = p.inner_pad, outer_pad = p.outer_pad, created = pg_catalog.now()
    FROM @extschema@._pseudonym_pads() p;
  IF NOT FOUND THEN
    INSERT INTO @extschema@.pseudonym_key (inner_pad, outer_pad)
      SELECT p.inner_pad, p.outer_pad FROM @extschema@._pseudonym_pads() p;
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.rotate_pseudonym_key() IS
  'replaces the pseudonyms'' secret key with a new random one: every party sees new pseudonyms (extension''s owner only)';

-- The caller's party: the session's role's (_party_kind(), _party_code() and _party_role()
-- answer for the session's role, also inside the registry's SECURITY DEFINER functions), and
-- its CEPTOAR when it is an operator.  Roles that read ceptoar.report past row-level security
-- (superusers, BYPASSRLS roles, the table's owner and its members) see everything: kind
-- 'owner'.
CREATE VIEW @extschema@._viewer AS
SELECT CASE WHEN o.reads_all THEN 'owner' ELSE p.kind END AS kind,
       CASE WHEN o.reads_all THEN NULL ELSE p.code END AS code,
       CASE WHEN NOT o.reads_all AND p.kind OPERATOR(pg_catalog.=) 'operator' THEN
         (SELECT m.ceptoar FROM @extschema@.operator m WHERE m.code OPERATOR(pg_catalog.=) p.code) END AS ceptoar
  FROM (SELECT pg_catalog.pg_has_role(@extschema@._party_role(), c.relowner, 'USAGE')
               OR COALESCE((SELECT a.rolbypassrls FROM pg_catalog.pg_roles a
                             WHERE a.oid OPERATOR(pg_catalog.=) @extschema@._party_role()), false) AS reads_all
          FROM pg_catalog.pg_class c
         WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.report'::pg_catalog.regclass
        OFFSET 0) o   -- once, not in each CASE
 CROSS JOIN (SELECT @extschema@._party_kind() AS kind, @extschema@._party_code() AS code OFFSET 0) p;
COMMENT ON VIEW @extschema@._viewer IS
  'the caller''s party (kind, code; kind owner for a role that reads every report) and its CEPTOAR when it is an operator';

-- The view.  v: the caller's party and the key, read once per statement (a CTE: one
-- evaluation however often the scalar sub-selects below, the InitPlans, refer to it).
CREATE VIEW @extschema@.shared_reports WITH (security_barrier) AS
WITH v AS (
  SELECT w.kind, w.code, w.ceptoar, k.inner_pad, k.outer_pad
    FROM @extschema@._viewer w LEFT JOIN @extschema@.pseudonym_key k ON true)
SELECT s.id,
       CASE WHEN s.identified THEN s.operator
            ELSE 'anon:' OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.encode(
              pg_catalog.sha256((SELECT v.outer_pad FROM v) OPERATOR(pg_catalog.||)
                pg_catalog.sha256((SELECT v.inner_pad FROM v) OPERATOR(pg_catalog.||)
                  pg_catalog.convert_to(pg_catalog.concat_ws(pg_catalog.chr(1), 'pseudonym',
                    (SELECT v.kind FROM v), COALESCE((SELECT v.code FROM v), ''), s.operator), 'UTF8'))),
              'hex'), 16) END AS operator,
       s.kind, s.incident,
       CASE WHEN s.identified THEN s.instance END AS instance,
       s.detected, s.reported, s.tlp, s.exercise, s.summary,
       CASE WHEN s.identified THEN s.description END AS description,
       s.status, s.revision, s.revoked,
       CASE WHEN s.identified THEN s.revoked_reason END AS revoked_reason,
       s.level, s.level_rule_set, s.sector_code, s.ministry_code, s.tlp_rank, s.is_exercise, s.is_revoked,
       s.fiscal_year, s.began, s.lasted, s.cause, s.user_hours,
       CASE WHEN s.identified THEN s.changed_by END AS changed_by,
       s.identified
  FROM (SELECT r.*,
               ((SELECT v.kind FROM v) IN ('owner', 'nisc')
                OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'operator'
                    AND r.operator OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
                OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'ministry'
                    AND r.ministry_code OPERATOR(pg_catalog.=) (SELECT v.code FROM v)))
                 IS TRUE AS identified
          FROM @extschema@.report r
          JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) r.operator
         WHERE (SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'owner'
            OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'operator'
                AND r.operator OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
            OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'ministry'
                AND r.ministry_code OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
            OR (r.tlp_rank OPERATOR(pg_catalog.<) 4
                AND ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'nisc'
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 1
                         AND (SELECT v.kind FROM v) IN ('ministry', 'ceptoar', 'operator'))
                     OR (r.tlp_rank OPERATOR(pg_catalog.=) 0
                         AND (SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'public')
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 2
                         AND (SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'ceptoar'
                         AND o.ceptoar OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 2
                         AND o.ceptoar OPERATOR(pg_catalog.=) (SELECT v.ceptoar FROM v))))
            OR (r.tlp_rank OPERATOR(pg_catalog.=) 4
                AND (SELECT v.kind FROM v) IN ('nisc', 'ministry', 'ceptoar', 'operator')
                AND EXISTS (SELECT 1 FROM @extschema@.report_recipient x
                             WHERE x.report OPERATOR(pg_catalog.=) r.id
                               AND x.recipient OPERATOR(pg_catalog.=) (SELECT v.code FROM v)))
       ) s;
COMMENT ON VIEW @extschema@.shared_reports IS
  'the reports the caller''s party sees (README, Security): where it may not see who reported, operator is a pseudonym (stable for this party, unlinkable across parties) and description, instance, revoked_reason and changed_by are NULL; identified says which';
COMMENT ON COLUMN @extschema@.shared_reports.operator IS
  'the operator''s code where identified, else a pseudonym anon:<16 hex digits> (HMAC-SHA256 of the operator and the viewing party under pseudonym_key)';
COMMENT ON COLUMN @extschema@.shared_reports.identified IS
  'true where the caller''s party sees who reported (the operator itself, its competent ministry, NISC, a role that reads every report)';

-- Whether the caller sees a report: NULL if not (or there is no such report), else whether
-- it sees who reported.  The view's rule itself (one definition of who sees what), for the
-- registry's SECURITY DEFINER functions: they run as the owner, and the view answers for
-- the session's role (_viewer).
CREATE FUNCTION @extschema@._sees(report uuid) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  RETURN (SELECT s.identified FROM @extschema@.shared_reports s WHERE s.id OPERATOR(pg_catalog.=) _sees.report);
COMMENT ON FUNCTION @extschema@._sees(uuid) IS
  'whether the caller sees the report (shared_reports): NULL no, false pseudonymously, true with who reported';

-- The verdicts of a report's revisions, for a caller that sees it.  It runs as the owner
-- (the caller may not read report_verdicts).  The verdicts by the operator's own service
-- levels name its rule set (often after the operator): only for a caller that sees who
-- reported, and recorded as a read of its identity (section 7).
CREATE FUNCTION @extschema@.verdicts(report uuid,
    OUT revision integer, OUT rule_set text, OUT rule_kind text, OUT outcome text,
    OUT clause text, OUT explanation text)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER ROWS 10
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ident boolean := @extschema@._sees(report);
BEGIN
  IF ident IS NULL THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF ident AND EXISTS (SELECT 1 FROM @extschema@.report_verdicts v
                        WHERE v.report OPERATOR(pg_catalog.=) verdicts.report
                          AND v.kind OPERATOR(pg_catalog.=) 'service_level') THEN
    PERFORM @extschema@._audit_read(report, 'identity');
  END IF;
  RETURN QUERY
    SELECT v.revision, v.rule_set, v.kind, v.outcome, v.clause, v.explanation
      FROM @extschema@.report_verdicts v
     WHERE v.report OPERATOR(pg_catalog.=) verdicts.report
       AND (ident OR v.kind OPERATOR(pg_catalog.<>) 'service_level')
     ORDER BY v.revision, v.rule_set;
END $$;
COMMENT ON FUNCTION @extschema@.verdicts(uuid) IS
  'the classification of every revision of a report the caller sees (report_verdicts), in order; the operator''s own service-level verdicts only where the caller sees who reported (audited)';
-- 240_access_config.sql: who writes the configuration (issue 13, section 6) and the audit
-- of identity reads (section 7).
--
-- Rule sets, service instances and dependencies have no row-level security: the rule cache
-- and the graph cache (src/cache.c) are shared by every reader of a backend and refuse to
-- answer under it.  Their write rules are BEFORE row triggers that check the writer's party:
--   rule sets of kind legal_reporting or verification_level: NISC, and a ministry for the
--     sets it owns (owner = its code, in any case: the shipped sets say 'MIC');
--   rule sets of kind service_level: the operator that owns them (owner = its code);
--   service instances: their operator (operator = its code), the ministry competent today
--     for the sector of their service, NISC;
--   dependencies: whoever may write the dependent instance (the supplier may be anyone's);
--   operator.service_levels: a rule set owned by that operator.
-- Only parties are checked.  The tables' owner (and so the foreign keys' cascades, which run
-- as the owner) and roles that are no party keep what a DBA grants them; a role that is a
-- member of several parties is refused (it would hold the grants of all of them).

-- The writer's party, or none (kind NULL) for the tables' owner and for a role in no party;
-- a member of several parties gets my_party()'s error.  Each trigger below does this first.

CREATE FUNCTION @extschema@._rules_writer() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  is_set boolean := TG_TABLE_NAME = 'rule_set';
  k text;
  c text;
  s_code text;
  s_kind text;
  s_owner text;
  pass integer;
  may boolean;
  who text;
BEGIN
  IF (SELECT pg_catalog.pg_get_userbyid(r.relowner) FROM pg_catalog.pg_class r
       WHERE r.oid OPERATOR(pg_catalog.=) TG_RELID) OPERATOR(pg_catalog.=) CURRENT_USER THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  SELECT p.kind, p.code INTO k, c FROM @extschema@.my_party() p;
  IF k IS NULL THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  who := CASE k WHEN 'nisc' THEN 'NISC' WHEN 'public' THEN 'the public'
                WHEN 'ceptoar' THEN pg_catalog.concat('CEPTOAR ', c) ELSE pg_catalog.concat_ws(' ', k, c) END;
  -- pass 1: the row as it was (UPDATE, DELETE); pass 2: as it will be (INSERT, UPDATE)
  FOR pass IN 1..2 LOOP
    CONTINUE WHEN (pass = 1 AND TG_OP = 'INSERT') OR (pass = 2 AND TG_OP = 'DELETE');
    IF is_set THEN
      IF pass = 1 THEN
        s_code := OLD.code; s_kind := OLD.kind; s_owner := OLD.owner;
      ELSE
        s_code := NEW.code; s_kind := NEW.kind; s_owner := NEW.owner;
      END IF;
    ELSE
      s_code := CASE WHEN pass = 1 THEN OLD.rule_set ELSE NEW.rule_set END;
      SELECT s.kind, s.owner INTO s_kind, s_owner
        FROM @extschema@.rule_set s WHERE s.code OPERATOR(pg_catalog.=) s_code;
      CONTINUE WHEN NOT FOUND;   -- the foreign key says so
    END IF;
    may := CASE k
        WHEN 'nisc' THEN s_kind IN ('legal_reporting', 'verification_level')
        WHEN 'ministry' THEN s_kind IN ('legal_reporting', 'verification_level')
                             AND pg_catalog.lower(s_owner) OPERATOR(pg_catalog.=) c
        WHEN 'operator' THEN s_kind OPERATOR(pg_catalog.=) 'service_level'
                             AND pg_catalog.lower(s_owner) OPERATOR(pg_catalog.=) c
        ELSE false END;
    IF may IS NOT TRUE THEN
      RAISE EXCEPTION '% may not write rule set "%"', who, s_code
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = pg_catalog.format('The rule set is of kind %s, owned by %s.',
                                         s_kind, COALESCE(s_owner, 'nobody')),
              HINT = 'Legal-reporting and verification-level sets are written by NISC and by the ministry that owns them (owner = its code); service levels (kind service_level) by the operator that owns them (owner = its code).';
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._rules_writer() IS
  'rule_set and rule: a party writes only the sets its kind may (legal and verification sets: NISC, the owning ministry; service levels: the owning operator)';
CREATE TRIGGER rules_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule_set
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_writer();
CREATE TRIGGER rules_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_writer();

CREATE FUNCTION @extschema@._graph_writer() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  is_instance boolean := TG_TABLE_NAME = 'service_instance';
  k text;
  c text;
  i_id bigint;
  i_operator text;
  i_service @extschema@.service;
  pass integer;
  may boolean;
  who text;
BEGIN
  IF (SELECT pg_catalog.pg_get_userbyid(r.relowner) FROM pg_catalog.pg_class r
       WHERE r.oid OPERATOR(pg_catalog.=) TG_RELID) OPERATOR(pg_catalog.=) CURRENT_USER THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  SELECT p.kind, p.code INTO k, c FROM @extschema@.my_party() p;
  IF k IS NULL OR k OPERATOR(pg_catalog.=) 'nisc' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  who := CASE k WHEN 'public' THEN 'the public' WHEN 'ceptoar' THEN pg_catalog.concat('CEPTOAR ', c)
                ELSE pg_catalog.concat_ws(' ', k, c) END;
  FOR pass IN 1..2 LOOP
    CONTINUE WHEN (pass = 1 AND TG_OP = 'INSERT') OR (pass = 2 AND TG_OP = 'DELETE');
    IF is_instance THEN
      IF pass = 1 THEN
        i_id := OLD.id; i_operator := OLD.operator; i_service := OLD.service;
      ELSE
        i_id := NEW.id; i_operator := NEW.operator; i_service := NEW.service;
      END IF;
    ELSE
      i_id := CASE WHEN pass = 1 THEN OLD.dependent ELSE NEW.dependent END;
      SELECT i.operator, i.service INTO i_operator, i_service
        FROM @extschema@.service_instance i WHERE i.id OPERATOR(pg_catalog.=) i_id;
      CONTINUE WHEN NOT FOUND;   -- the foreign key says so
    END IF;
    may := CASE k
        WHEN 'ministry' THEN @extschema@.ministry(@extschema@.sector(i_service)) OPERATOR(pg_catalog.=) c
        WHEN 'operator' THEN i_operator OPERATOR(pg_catalog.=) c
        ELSE false END;
    IF may IS NOT TRUE THEN
      RAISE EXCEPTION '% may not write %', who,
          CASE WHEN is_instance THEN pg_catalog.format('service instance %s', i_id)
               ELSE pg_catalog.format('a dependency of service instance %s', i_id) END
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = pg_catalog.format('The instance is operator %s''s, of service %s (sector %s).',
                                         i_operator, i_service, @extschema@.sector(i_service)),
              HINT = 'An operator maintains its own service instances and their dependencies, a ministry those of the sectors it is competent for today (ceptoar.ministry(sector)), NISC all.';
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._graph_writer() IS
  'service_instance and dependency: an operator writes its own instances and their dependencies, a ministry those of its sectors (today), NISC all';
CREATE TRIGGER graph_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.service_instance
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_writer();
CREATE TRIGGER graph_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_writer();

-- An operator's service levels are a rule set it owns (whichever party sets them).
CREATE FUNCTION @extschema@._operator_levels_writer() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k text;
  c text;
BEGIN
  IF NEW.service_levels IS NULL
     OR (TG_OP = 'UPDATE' AND NEW.service_levels IS NOT DISTINCT FROM OLD.service_levels
         AND NEW.code IS NOT DISTINCT FROM OLD.code) THEN
    RETURN NEW;
  END IF;
  IF (SELECT pg_catalog.pg_get_userbyid(r.relowner) FROM pg_catalog.pg_class r
       WHERE r.oid OPERATOR(pg_catalog.=) TG_RELID) OPERATOR(pg_catalog.=) CURRENT_USER THEN
    RETURN NEW;
  END IF;
  SELECT p.kind, p.code INTO k, c FROM @extschema@.my_party() p;
  IF k IS NULL THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.rule_set s
                  WHERE s.code OPERATOR(pg_catalog.=) NEW.service_levels
                    AND pg_catalog.lower(s.owner) OPERATOR(pg_catalog.=) NEW.code) THEN
    RAISE EXCEPTION 'the service levels of operator % must be a rule set of its own, not "%"',
        NEW.code, NEW.service_levels
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('Name a rule set of kind service_level whose owner is %s.', NEW.code);
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._operator_levels_writer() IS
  'operator: a party may name as service_levels only a rule set owned by that operator';
CREATE TRIGGER operator_levels_writer BEFORE INSERT OR UPDATE OF service_levels, code ON @extschema@.operator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._operator_levels_writer();

-- The privileges that go with a party (src/sql/200_party.sql): every party but the public
-- reads the rules (PUBLIC does already) and the graph, which impact() needs; NISC, the
-- ministries and the operators write rules, instances and dependencies, limited by the
-- triggers above.  Registering a role again first takes away what its former kind had.
-- TRUNCATE, which fires no row trigger, is never granted.
CREATE FUNCTION @extschema@._party_privileges_config(role regrole, kind text, give boolean)
  RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE pg_catalog.format('REVOKE SELECT, INSERT, UPDATE, DELETE ON @extschema@.rule_set, @extschema@.rule, '
                            '@extschema@.service_instance, @extschema@.dependency FROM %s', role);
  IF NOT give OR kind OPERATOR(pg_catalog.=) 'public' THEN
    RETURN;
  END IF;
  EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.rule_set, @extschema@.rule, '
                            '@extschema@.service_instance, @extschema@.dependency TO %s', role);
  IF kind IN ('nisc', 'ministry', 'operator') THEN
    EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON @extschema@.rule_set, @extschema@.rule, '
                              '@extschema@.service_instance, @extschema@.dependency TO %s', role);
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@._party_privileges_config(regrole, text, boolean) IS
  'grants (give) or revokes a party''s privileges on the rules, service instances and dependencies';

-- The audit of identity reads (section 7): who was shown which report's operator or full
-- description, by the registry's functions.  Appended by _audit_read() only (as the
-- table's owner); never changed or deleted; readable by the owner only (a row names the
-- report, and the uuids of red reports are not every party's to know).
CREATE TABLE @extschema@.identity_reads (
  read_at     timestamptz NOT NULL,
  reader      name NOT NULL,
  login       name NOT NULL,
  party_kind  text,
  party_code  text,
  report      uuid NOT NULL,
  what        text NOT NULL CHECK (what IN ('identity', 'description'))
);
COMMENT ON TABLE @extschema@.identity_reads IS
  'audit: each time a function of the registry showed a report''s operator identity or full description (append-only; ceptoar._audit_read)';
COMMENT ON COLUMN @extschema@.identity_reads.reader IS 'the session''s role at the read (SET ROLE''d, or the session user), also inside the registry''s SECURITY DEFINER functions: the role whose party was shown';
COMMENT ON COLUMN @extschema@.identity_reads.login IS 'session_user at the read (the role that logged in)';
COMMENT ON COLUMN @extschema@.identity_reads.party_kind IS 'the reader''s party (nisc, ministry, ceptoar, operator, public), NULL if none';
COMMENT ON COLUMN @extschema@.identity_reads.what IS 'identity (the operator, its service instance) or description (the full text)';
CREATE INDEX identity_reads_report ON @extschema@.identity_reads (report);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_reads', '');

CREATE FUNCTION @extschema@._identity_reads_keep() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND @extschema@._no_rows(TG_RELID) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'ceptoar.identity_reads is an audit trail: it is never changed or deleted'
    USING ERRCODE = 'feature_not_supported',
          HINT = 'Archive old rows elsewhere; only the owner can set the trigger identity_reads_keep aside (ALTER TABLE ... DISABLE TRIGGER) to prune.';
END $$;
COMMENT ON FUNCTION @extschema@._identity_reads_keep() IS
  'refuses UPDATE, DELETE and TRUNCATE of the audit of identity reads (TRUNCATE of an empty table is let through)';
CREATE TRIGGER identity_reads_keep BEFORE UPDATE OR DELETE ON @extschema@.identity_reads
  FOR EACH ROW EXECUTE FUNCTION @extschema@._identity_reads_keep();
CREATE TRIGGER identity_reads_keep_truncate BEFORE TRUNCATE ON @extschema@.identity_reads
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._identity_reads_keep();

CREATE FUNCTION @extschema@._audit_read(report uuid, what text) RETURNS uuid
  AS 'MODULE_PATHNAME', 'audit_read' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@._audit_read(uuid, text) IS
  'records in identity_reads that the session''s role (also inside SECURITY DEFINER functions) was shown the identity or description of a report, and returns the report; in a read-only transaction, to the server log instead';
-- 300_stix.sql: STIX 2.1 export and import (issue 14, section 1).
--
-- stix_bundle(reports) gives the calling party a STIX 2.1 bundle of the reports it sees,
-- read through shared_reports (who sees what, and the pseudonym it sees for an operator).
-- Each report is an incident with the Incident Core Extension, its TLP 2.0 marking (the
-- official marking-definition objects), an identity for the operator (its code, or the
-- party's pseudonym of it) and our own facts in a property extension of ours, declared by
-- the extension-definition object in the bundle.  report_link rows between reports of the
-- bundle become relationships.  import_stix(bundle) files incidents as reports, strictly.
--
-- Ids are name-based UUIDs (RFC 4122 version 5, SHA-1: _uuid_v5, src/uuid_v5.c) under a
-- fixed namespace: an incident's id is its report's for every revision (STIX versions of
-- one object share its id and differ by modified), so the same report and revision give
-- the same ids, and the bundle's id is a name-based UUID of its objects (the same bundle in
-- every database that exports it).  Timestamps are UTC with milliseconds.  A report filed
-- by import_stix keeps what its source said of its history (stix_imported): exported
-- unchanged, it is the bundle imported.  README, STIX 2.1.

-- A name-based UUID of version 5 (RFC 4122, section 4.3: SHA-1 of the namespace and the
-- name in UTF-8), as Python's uuid.uuid5(namespace, name).
CREATE FUNCTION @extschema@._uuid_v5(namespace uuid, name text) RETURNS uuid
  AS 'MODULE_PATHNAME', 'uuid_v5' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._uuid_v5(uuid, text) IS
  'a name-based UUID of version 5 (RFC 4122: SHA-1 of the namespace and the name in UTF-8), as Python''s uuid.uuid5';

-- A name-based UUID (version 5) under the registry's STIX namespace.
CREATE FUNCTION @extschema@._stix_uuid(name text) RETURNS uuid
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN @extschema@._uuid_v5('611cb5e0-208f-414c-8e7c-0a30c554267c'::uuid, name);
COMMENT ON FUNCTION @extschema@._stix_uuid(text) IS
  'a name-based UUID (RFC 4122 version 5) under the registry''s STIX namespace: the deterministic STIX ids';

-- A timestamp as STIX writes it: UTC, milliseconds, Z.
CREATE FUNCTION @extschema@._stix_time(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN pg_catalog.to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
COMMENT ON FUNCTION @extschema@._stix_time(timestamptz) IS
  'a timestamp as STIX 2.1 requires it: UTC with milliseconds, e.g. 2024-01-15T00:00:00.000Z';

-- The registry's fixed STIX objects: the extension-definition of our property extension
-- and the identity of the registry that created it.
CREATE FUNCTION @extschema@._stix_ours() RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN 'extension-definition--' || @extschema@._stix_uuid('extension-definition:ceptoar_registry-report:1.0')::text;
COMMENT ON FUNCTION @extschema@._stix_ours() IS
  'the id of the registry''s STIX extension-definition (our report facts on incident)';

CREATE FUNCTION @extschema@._stix_fixed() RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN pg_catalog.jsonb_build_array(
    pg_catalog.jsonb_build_object(
      'type', 'identity', 'spec_version', '2.1',
      'id', 'identity--' || @extschema@._stix_uuid('identity:ceptoar_registry')::text,
      'created', '2026-12-01T00:00:00.000Z', 'modified', '2026-12-01T00:00:00.000Z',
      'name', 'ceptoar_registry', 'identity_class', 'system',
      'description', 'the CEPTOAR registry of IT failures of critical infrastructure (PostgreSQL extension ceptoar_registry)'),
    pg_catalog.jsonb_build_object(
      'type', 'extension-definition', 'spec_version', '2.1',
      'id', @extschema@._stix_ours(),
      'created_by_ref', 'identity--' || @extschema@._stix_uuid('identity:ceptoar_registry')::text,
      'created', '2026-12-01T00:00:00.000Z', 'modified', '2026-12-01T00:00:00.000Z',
      'name', 'ceptoar_registry report',
      'description', 'the facts of a report of the CEPTOAR registry on its incident: report_id, kind, revision, status, the incident literal, service, sector, measures, fiscal_year, verdicts (rule set, kind, outcome, clause), level, exercise, detected, revoked',
      'schema', 'README of ceptoar_registry, section STIX 2.1 (properties of the extension)',
      'version', '1.0',
      'extension_types', pg_catalog.jsonb_build_array('property-extension')));
COMMENT ON FUNCTION @extschema@._stix_fixed() IS
  'the registry''s fixed STIX objects: its identity and the extension-definition of its report extension';

-- TLP 2.0: the official marking-definition objects (FIRST TLP 2.0, as OASIS publishes them).
CREATE FUNCTION @extschema@._stix_tlp(tlp text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN (SELECT pg_catalog.jsonb_build_object(
            'type', 'marking-definition', 'spec_version', '2.1',
            'id', 'marking-definition--' || m.u, 'created', '2022-10-01T00:00:00.000Z',
            'name', 'TLP:' || pg_catalog.upper(tlp),
            'extensions', pg_catalog.jsonb_build_object(
              'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d',
              pg_catalog.jsonb_build_object('extension_type', 'property-extension', 'tlp_2_0', tlp)))
            FROM (VALUES ('clear', '94868c89-83c2-464b-929b-a1a8aa3c8487'),
                         ('green', 'bab4a63c-aed9-4cf5-a766-dfca5abac2bb'),
                         ('amber', '55d920b0-5e8b-4f79-9ee9-91f868d9b421'),
                         ('amber+strict', '939a9414-2ddd-4d32-a0cd-375ea402b003'),
                         ('red', 'e828b379-4e03-4974-9ac4-e53a884c97c1')) m (t, u)
           WHERE m.t = tlp);
COMMENT ON FUNCTION @extschema@._stix_tlp(text) IS
  'the official TLP 2.0 marking-definition object of a TLP level (clear .. red), NULL for another';

-- Our 15 sectors in STIX 2.1's industry-sector-ov (README, STIX 2.1).
CREATE FUNCTION @extschema@._stix_sectors(sector text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN CASE sector
    WHEN 'telecom' THEN '["communications", "telecommunications"]'
    WHEN 'finance' THEN '["financial-services"]'
    WHEN 'aviation' THEN '["aerospace", "transportation"]'
    WHEN 'airport' THEN '["infrastructure", "transportation"]'
    WHEN 'rail' THEN '["transportation"]'
    WHEN 'electricity' THEN '["energy", "utilities"]'
    WHEN 'gas' THEN '["energy", "utilities"]'
    WHEN 'government' THEN '["government-national", "government-local", "government-public-services"]'
    WHEN 'medical' THEN '["healthcare"]'
    WHEN 'water' THEN '["utilities", "water"]'
    WHEN 'logistics' THEN '["transportation"]'
    WHEN 'chemical' THEN '["chemical"]'
    WHEN 'credit' THEN '["financial-services"]'
    WHEN 'petroleum' THEN '["energy"]'
    WHEN 'port' THEN '["infrastructure", "transportation"]' END::jsonb;
COMMENT ON FUNCTION @extschema@._stix_sectors(text) IS
  'a sector of the registry as STIX industry-sector-ov values (README, STIX 2.1)';

-- What a bundle must have to validate (the required properties of the official schemas
-- for what we write and read, their forms, no null and no empty list anywhere): an error
-- 22023 naming the JSON path of the first fault.
CREATE FUNCTION @extschema@._stix_check(bundle jsonb) RETURNS void
  LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  o jsonb;
  i integer := 0;
  p text;
  k text;
  bad text;
  req text[];
  id_re constant text := '^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';
  ts_re constant text := '^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)\.[0-9]{3,}Z$';
BEGIN
  IF bundle IS NULL OR pg_catalog.jsonb_typeof(bundle) <> 'object' OR bundle->>'type' IS DISTINCT FROM 'bundle' THEN
    RAISE EXCEPTION 'invalid STIX bundle at $.type: not a bundle'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A STIX 2.1 bundle is an object {"type": "bundle", "id": "bundle--<uuid>", "objects": [...]}.';
  END IF;
  IF pg_catalog.jsonb_typeof(bundle->'id') IS DISTINCT FROM 'string' OR bundle->>'id' !~ '^bundle--' OR bundle->>'id' !~ id_re THEN
    RAISE EXCEPTION 'invalid STIX bundle at $.id: %', COALESCE(bundle->>'id', 'missing')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A bundle''s id is bundle--<uuid>.';
  END IF;
  IF pg_catalog.jsonb_typeof(bundle->'objects') IS DISTINCT FROM 'array' OR pg_catalog.jsonb_array_length(bundle->'objects') = 0 THEN
    RAISE EXCEPTION 'invalid STIX bundle at $.objects: not a non-empty list'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A bundle''s objects are a non-empty JSON array of STIX objects.';
  END IF;
  -- no null and no empty list anywhere (STIX forbids both)
  SELECT x.path INTO bad FROM @extschema@._stix_paths(bundle, '$') x
   WHERE x.value = 'null'::jsonb OR x.value = '[]'::jsonb LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'invalid STIX bundle at %: null or an empty list', bad
      USING ERRCODE = 'invalid_parameter_value', HINT = 'STIX 2.1 leaves an unknown property out: it is never null or an empty list.';
  END IF;
  FOR o IN SELECT e FROM pg_catalog.jsonb_array_elements(bundle->'objects') e LOOP
    p := '$.objects[' || i || ']';
    i := i + 1;
    IF pg_catalog.jsonb_typeof(o) <> 'object' THEN
      RAISE EXCEPTION 'invalid STIX bundle at %: not an object', p USING ERRCODE = 'invalid_parameter_value';
    END IF;
    req := CASE o->>'type'
      WHEN 'marking-definition' THEN ARRAY['type', 'spec_version', 'id', 'created']
      WHEN 'incident' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name']
      WHEN 'identity' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name']
      WHEN 'relationship' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'relationship_type', 'source_ref', 'target_ref']
      WHEN 'extension-definition' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name', 'schema', 'version', 'extension_types']
      ELSE ARRAY['type', 'spec_version', 'id'] END;
    FOREACH k IN ARRAY req LOOP
      IF NOT o ? k THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.%: required property missing', p, k
          USING ERRCODE = 'invalid_parameter_value', HINT = pg_catalog.format('A STIX 2.1 %s has %s.', COALESCE(o->>'type', 'object'), pg_catalog.array_to_string(req, ', '));
      END IF;
    END LOOP;
    IF pg_catalog.jsonb_typeof(o->'spec_version') IS DISTINCT FROM 'string' OR o->>'spec_version' IS DISTINCT FROM '2.1' THEN
      RAISE EXCEPTION 'invalid STIX bundle at %.spec_version: %', p, o->'spec_version'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Only STIX 2.1 objects are read and written: "spec_version": "2.1", a string.';
    END IF;
    IF o->>'id' !~ id_re OR pg_catalog.split_part(o->>'id', '--', 1) <> o->>'type' THEN
      RAISE EXCEPTION 'invalid STIX bundle at %.id: %', p, o->'id'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'An id is <type>--<uuid> (a UUID of version 1 to 5).';
    END IF;
    FOREACH k IN ARRAY ARRAY['created', 'modified', 'start_time', 'stop_time'] LOOP
      IF o ? k AND (pg_catalog.jsonb_typeof(o->k) <> 'string' OR o->>k !~ ts_re) THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.%: %', p, k, o->k
          USING ERRCODE = 'invalid_parameter_value', HINT = 'A STIX timestamp is UTC with milliseconds, e.g. 2024-01-15T00:00:00.000Z.';
      END IF;
    END LOOP;
    FOREACH k IN ARRAY ARRAY['created_by_ref', 'source_ref', 'target_ref'] LOOP
      IF o ? k AND o->>k !~ id_re THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.%: %', p, k, o->k
          USING ERRCODE = 'invalid_parameter_value', HINT = 'A reference is <type>--<uuid>.';
      END IF;
    END LOOP;
    IF o ? 'object_marking_refs' AND EXISTS (SELECT 1 FROM pg_catalog.jsonb_array_elements_text(
         CASE WHEN pg_catalog.jsonb_typeof(o->'object_marking_refs') = 'array' THEN o->'object_marking_refs' ELSE '[1]' END) r
       WHERE r !~ '^marking-definition--' OR r !~ id_re) THEN
      RAISE EXCEPTION 'invalid STIX bundle at %.object_marking_refs: %', p, o->'object_marking_refs'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'object_marking_refs lists marking-definition ids.';
    END IF;
    IF o ? 'extensions' THEN
      SELECT e.key INTO k FROM pg_catalog.jsonb_each(o->'extensions') e
       WHERE e.key ~ '^extension-definition--' AND (pg_catalog.jsonb_typeof(e.value) <> 'object' OR NOT e.value ? 'extension_type')
       LIMIT 1;
      IF k IS NOT NULL THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.extensions.%.extension_type: required property missing', p, k
          USING ERRCODE = 'invalid_parameter_value', HINT = 'An extension by an extension-definition names its extension_type.';
      END IF;
    END IF;
  END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@._stix_check(jsonb) IS
  'checks a STIX 2.1 bundle for what the official schemas require of what the registry writes and reads; an error 22023 naming the JSON path of the first fault';

-- Every node of a JSON document with its JSON path ($.a.b[0]).
CREATE FUNCTION @extschema@._stix_paths(doc jsonb, root text, OUT path text, OUT value jsonb)
  RETURNS SETOF record
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  WITH RECURSIVE n (path, value, depth) AS (
    SELECT root, doc, 0
    UNION ALL
    SELECT c.path, c.value, n.depth + 1
      FROM n, LATERAL (
        SELECT CASE WHEN e.key ~ '^[A-Za-z_][A-Za-z0-9_]*$' THEN n.path || '.' || e.key
                    ELSE n.path || '[' || pg_catalog.to_jsonb(e.key)::text || ']' END, e.value
          FROM pg_catalog.jsonb_each(CASE WHEN pg_catalog.jsonb_typeof(n.value) = 'object' THEN n.value ELSE '{}' END) e
        UNION ALL
        SELECT n.path || '[' || (a.o - 1) || ']', a.value
          FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(n.value) = 'array' THEN n.value ELSE '[]' END)
               WITH ORDINALITY a (value, o)) c (path, value)
     WHERE n.depth < 64)
  SELECT n.path, n.value FROM n
$$;
COMMENT ON FUNCTION @extschema@._stix_paths(jsonb, text) IS
  'every node of a JSON document with its JSON path (objects and lists descended into, 64 levels at most)';

-- What the source of an imported report said of its history, while the registry cannot
-- (it starts every report at revision 1 and stamps revisions and tombstones with its own
-- clock): the revision the import ended at here, the source's revision, modified and time
-- of revocation.  _stix_incident exports those while the report is at that revision, and
-- counts later revisions on from the source's, so export(import(export(x))) = export(x).
CREATE TABLE @extschema@.stix_imported (
  report         uuid PRIMARY KEY,
  revision       integer NOT NULL,
  stix_revision  integer CHECK (stix_revision OPERATOR(pg_catalog.>=) 1),
  modified       text NOT NULL,
  revoked        text,
  imported       timestamptz NOT NULL DEFAULT pg_catalog.now(),
  FOREIGN KEY (report, revision) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.stix_imported IS
  'reports filed by import_stix: the revision the import ended at, and what the bundle said of the report''s history (our revision, modified, when revoked), which stix_bundle exports while the report is unchanged here';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.stix_imported', '');

-- Records what the bundle said of a report the caller has just filed (import_stix's).
CREATE FUNCTION @extschema@._stix_imported(report uuid, stix_revision integer, modified text, revoked text)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rev integer;
BEGIN
  -- only a report the caller filed in this transaction (its first revision written by the
  -- caller's role since the transaction began) and sees
  SELECT r.revision INTO rev FROM @extschema@.report r
   WHERE r.id OPERATOR(pg_catalog.=) _stix_imported.report
     AND EXISTS (SELECT 1 FROM @extschema@.report_revision v
                  WHERE v.report OPERATOR(pg_catalog.=) r.id AND v.revision OPERATOR(pg_catalog.=) 1
                    AND v.changed_at OPERATOR(pg_catalog.>=) pg_catalog.now()
                    AND v.changed_by OPERATOR(pg_catalog.=) pg_catalog.pg_get_userbyid(@extschema@._party_role()));
  IF rev IS NULL OR @extschema@._sees(report) IS NULL THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'import_stix() records the history of the reports it has just filed.';
  END IF;
  INSERT INTO @extschema@.stix_imported (report, revision, stix_revision, modified, revoked)
  VALUES (report, rev, stix_revision, modified, revoked);
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'the history of report % is recorded already', report
    USING ERRCODE = 'invalid_parameter_value', HINT = 'import_stix() records the history of a report once, when it files it.';
END $$;
COMMENT ON FUNCTION @extschema@._stix_imported(uuid, integer, text, text) IS
  'import_stix: records what a bundle said of the history of a report the caller has just filed (stix_imported)';

-- A value of a bundle as a value of type t, or an error 22023 naming its JSON path (NULL
-- when absent).  Strings only, but for integer (a JSON number) and boolean.
CREATE FUNCTION @extschema@._stix_value(path text, value jsonb, t regtype) RETURNS text
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  want constant text := CASE t WHEN 'integer'::regtype THEN 'number' WHEN 'boolean'::regtype THEN 'boolean' ELSE 'string' END;
  v text;
BEGIN
  IF value IS NULL THEN
    RETURN NULL;
  END IF;
  IF pg_catalog.jsonb_typeof(value) OPERATOR(pg_catalog.<>) want THEN
    RAISE EXCEPTION 'cannot map STIX at %: % is not a %', path, value, want
      USING ERRCODE = 'invalid_parameter_value',
            HINT = pg_catalog.format('The value is a JSON %s of type %s; README, STIX 2.1.', want, t);
  END IF;
  v := value #>> '{}';
  IF t = 'timestamptz'::regtype AND v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3,}Z$' THEN
    RAISE EXCEPTION 'cannot map STIX at %: % is not a STIX timestamp', path, value
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A STIX timestamp is UTC with milliseconds, e.g. 2024-01-15T00:00:00.000Z.';
  END IF;
  BEGIN
    EXECUTE pg_catalog.format('SELECT %L::%s', v, t);
  EXCEPTION WHEN data_exception THEN
    RAISE EXCEPTION 'cannot map STIX at %: % is not a valid %', path, value, t
      USING ERRCODE = 'invalid_parameter_value', DETAIL = SQLERRM,
            HINT = pg_catalog.format('The value is a JSON %s of type %s; README, STIX 2.1.', want, t);
  END;
  RETURN v;
END $$;
COMMENT ON FUNCTION @extschema@._stix_value(text, jsonb, regtype) IS
  'import_stix: a value of a bundle as text of a valid value of the type, or an error 22023 naming its JSON path';

-- An error the registry raised on a report import_stix files, again with the JSON path of
-- what caused it, its SQLSTATE, detail and hint kept.
CREATE FUNCTION @extschema@._stix_raise(path text, state text, message text, detail text, hint text) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  m constant text := pg_catalog.format('cannot import STIX at %s: %s', path, message);
BEGIN
  IF COALESCE(detail, '') <> '' AND COALESCE(hint, '') <> '' THEN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m, DETAIL = detail, HINT = hint;
  ELSIF COALESCE(detail, '') <> '' THEN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m, DETAIL = detail;
  ELSIF COALESCE(hint, '') <> '' THEN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m, HINT = hint;
  END IF;
  RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m;
END $$;
COMMENT ON FUNCTION @extschema@._stix_raise(text, text, text, text, text) IS
  'import_stix: raises an error again, its message prefixed with the JSON path of what caused it (SQLSTATE, detail and hint kept)';

-- The incident of one report as the caller sees it (a shared_reports row); its identity id.
CREATE FUNCTION @extschema@._stix_incident(s @extschema@.shared_reports) RETURNS jsonb
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  i @extschema@.incident := s.incident;
  ours jsonb;
  core jsonb;
  verdicts jsonb;
  last_change timestamptz;
  imp @extschema@.stix_imported;
  v_revision integer := s.revision;
  v_modified text;
  v_revoked text := @extschema@._stix_time(s.revoked);
BEGIN
  SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'rule_set', v.rule_set, 'rule_kind', v.kind, 'outcome', v.outcome, 'clause', v.clause))
           ORDER BY v.rule_set)
    INTO verdicts
    FROM @extschema@.report_verdicts v
   WHERE v.report = s.id AND v.revision = s.revision
     AND (s.identified OR v.kind <> 'service_level');
  SELECT r.changed_at INTO last_change FROM @extschema@.report_revision r
   WHERE r.report = s.id AND r.revision = s.revision;
  -- revision 1 was written when reported; later revisions when changed
  v_modified := @extschema@._stix_time(CASE WHEN s.revision = 1 THEN s.reported
                                            ELSE GREATEST(s.reported, last_change) END);
  -- an imported report: what its source said while it is as imported, and its revisions
  -- go on from the source's
  SELECT * INTO imp FROM @extschema@.stix_imported m WHERE m.report = s.id;
  IF imp.report IS NOT NULL THEN
    v_revision := s.revision + COALESCE(imp.stix_revision - imp.revision, 0);
    IF s.revision = imp.revision THEN
      v_modified := imp.modified;
      IF s.revoked IS NOT NULL THEN
        v_revoked := COALESCE(imp.revoked, v_revoked);
      END IF;
    END IF;
  END IF;
  core := pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'extension_type', 'property-extension',
    'determination', CASE s.kind WHEN 'incident' THEN 'successful-attempt'
                                 WHEN 'near_miss' THEN 'failed-attempt' ELSE 'suspected' END,
    'investigation_status', CASE s.status WHEN 'reported' THEN 'new'
                                 WHEN 'under_review' THEN 'open' WHEN 'revision_required' THEN 'open'
                                 ELSE 'closed' END,
    'availability_impacts', CASE @extschema@.effect(i)
                                 WHEN 'stop' THEN '[{"availability_impact": 100}]'::jsonb
                                 WHEN 'degradation' THEN '[{"availability_impact": 50}]'::jsonb
                                 WHEN 'delay' THEN '[{"availability_impact": 25}]'::jsonb END,
    'impacted_entity_counts', CASE WHEN @extschema@.users(i) IS NOT NULL
                                   THEN pg_catalog.jsonb_build_object('customers-individual', @extschema@.users(i)) END));
  ours := pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'extension_type', 'property-extension',
    'report_id', s.id, 'kind', s.kind, 'revision', v_revision, 'status', s.status,
    'incident', i::text, 'service', @extschema@.service(i)::text, 'sector', s.sector_code,
    'effect', @extschema@.effect(i), 'cause', s.cause,
    'began', @extschema@._stix_time(s.began),
    'lasted_seconds', pg_catalog.date_part('epoch', s.lasted),
    'measures', NULLIF(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'users', @extschema@.users(i), 'households', @extschema@.households(i),
        'lost_kw', @extschema@.lost_kw(i), 'cancelled', @extschema@.cancelled(i),
        'user_hours', s.user_hours)), '{}'::jsonb),
    'flags', NULLIF(pg_catalog.to_jsonb(@extschema@.flags(i)), '[]'::jsonb),
    'fiscal_year', s.fiscal_year,
    'level', s.level, 'level_rule_set', s.level_rule_set, 'verdicts', verdicts,
    'exercise', s.exercise, 'detected', @extschema@._stix_time(s.detected),
    'revoked', v_revoked, 'revoked_reason', s.revoked_reason));
  RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'type', 'incident', 'spec_version', '2.1',
    'id', 'incident--' || @extschema@._stix_uuid('incident:' || s.id::text)::text,
    'created_by_ref', 'identity--' || @extschema@._stix_uuid('identity:' || s.operator)::text,
    'created', @extschema@._stix_time(s.reported),
    'modified', v_modified,
    'name', COALESCE(s.summary, ''),
    'description', s.description,
    'revoked', CASE WHEN s.is_revoked THEN true END,
    'object_marking_refs', pg_catalog.jsonb_build_array(@extschema@._stix_tlp(s.tlp::text)->'id'),
    'extensions', pg_catalog.jsonb_build_object(
      'extension-definition--ef765651-680c-498d-9894-99799f2fa126', core,
      @extschema@._stix_ours(), ours)));
END $$;
COMMENT ON FUNCTION @extschema@._stix_incident(@extschema@.shared_reports) IS
  'a report as the caller sees it as a STIX 2.1 incident (Incident Core Extension and the registry''s own)';

CREATE FUNCTION @extschema@.stix_bundle(reports uuid[]) RETURNS jsonb
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rid uuid;
  ident boolean;
  objs jsonb;
  b jsonb;
BEGIN
  IF pg_catalog.cardinality(reports) = 0 THEN
    RAISE EXCEPTION 'stix_bundle needs at least one report'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the ids of reports you see in ceptoar.shared_reports.';
  END IF;
  FOREACH rid IN ARRAY reports LOOP
    ident := @extschema@._sees(rid);
    IF rid IS NULL OR ident IS NULL THEN
      RAISE EXCEPTION 'unknown report %', COALESCE(rid::text, 'NULL')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.shared_reports (the reports you see).';
    END IF;
  END LOOP;
  -- the bundle reveals who reported where the party sees it
  PERFORM @extschema@._audit_read(s.id, 'identity') FROM @extschema@.shared_reports s
    WHERE s.id = ANY (reports) AND s.identified;
  WITH inc AS MATERIALIZED (
    SELECT @extschema@._stix_incident(s) AS o, s.id, s.operator, s.tlp, s.sector_code
      FROM @extschema@.shared_reports s WHERE s.id = ANY (reports)),
  ids AS (
    SELECT DISTINCT ON (i.operator) pg_catalog.jsonb_build_object(
             'type', 'identity', 'spec_version', '2.1',
             'id', 'identity--' || @extschema@._stix_uuid('identity:' || i.operator)::text,
             'created', '2026-12-01T00:00:00.000Z', 'modified', '2026-12-01T00:00:00.000Z',
             'name', i.operator, 'identity_class', 'organization',
             'sectors', @extschema@._stix_sectors(i.sector_code)) AS o
      FROM inc i ORDER BY i.operator),
  marks AS (
    SELECT DISTINCT @extschema@._stix_tlp(i.tlp::text) AS o FROM inc i),
  rels AS (
    SELECT pg_catalog.jsonb_build_object(
             'type', 'relationship', 'spec_version', '2.1',
             'id', 'relationship--' || @extschema@._stix_uuid('relationship:' || l.report::text || ':' || l.related::text || ':' || l.kind)::text,
             'created', @extschema@._stix_time(l.created), 'modified', @extschema@._stix_time(l.created),
             'relationship_type', pg_catalog.replace(l.kind, '_', '-'),
             'source_ref', a.o->>'id', 'target_ref', c.o->>'id') AS o
      FROM @extschema@.report_link l
      JOIN inc a ON a.id = l.report JOIN inc c ON c.id = l.related),
  alls AS (
    SELECT 0 AS g, f.o FROM pg_catalog.jsonb_array_elements(@extschema@._stix_fixed()) f (o)
    UNION ALL SELECT 1, m.o FROM marks m
    UNION ALL SELECT 2, d.o FROM ids d
    UNION ALL SELECT 3, i.o FROM inc i
    UNION ALL SELECT 4, r.o FROM rels r)
  SELECT pg_catalog.jsonb_agg(a.o ORDER BY a.g, a.o->>'id') INTO objs FROM alls a;
  b := pg_catalog.jsonb_build_object('type', 'bundle',
         'id', 'bundle--' || @extschema@._stix_uuid('bundle:' || objs::text)::text,
         'objects', objs);
  PERFORM @extschema@._stix_check(b);
  RETURN b;
END $$;
COMMENT ON FUNCTION @extschema@.stix_bundle(uuid[]) IS
  'a STIX 2.1 bundle of reports for the calling party (shared_reports: what it sees, the pseudonyms it sees): incidents with the Incident Core Extension and the registry''s own, TLP 2.0 markings, identities, relationships for report links; deterministic ids; a report it does not see is unknown (22023)';

CREATE FUNCTION @extschema@.stix_bundle(report uuid) RETURNS jsonb
  LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
  RETURN @extschema@.stix_bundle(ARRAY[report]);
COMMENT ON FUNCTION @extschema@.stix_bundle(uuid) IS
  'stix_bundle(ARRAY[report]): a STIX 2.1 bundle of one report';

-- Parts of imported bundles that map to nothing of ours, kept on request.
CREATE TABLE @extschema@.stix_unmapped (
  report    uuid,
  bundle    text NOT NULL,
  path      text NOT NULL,
  value     jsonb NOT NULL,
  imported  timestamptz NOT NULL DEFAULT pg_catalog.now(),
  first     integer GENERATED ALWAYS AS (1) STORED,
  kept_by   name NOT NULL,
  PRIMARY KEY (kept_by, bundle, path),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.stix_unmapped IS
  'import_stix(bundle, keep_unmapped => true): the JSON the registry could not map, by the role that imported it, bundle id and JSON path, with the report it came with (NULL for a whole object; the key refers to its first revision, which pg_dump keeps); the owner''s; stix_unmapped_purge() lets each role delete its own';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.stix_unmapped', '');

-- Deletes the unmapped parts kept longer than older_than: the owner's call (a role that may
-- DELETE from stix_unmapped) deletes everyone's, another role's those kept under its name;
-- the number deleted.
CREATE FUNCTION @extschema@.stix_unmapped_purge(older_than interval) RETURNS bigint
  LANGUAGE plpgsql STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
  everyone constant boolean := pg_catalog.has_table_privilege(@extschema@._party_role(), '@extschema@.stix_unmapped', 'DELETE');
  me constant name := pg_catalog.pg_get_userbyid(@extschema@._party_role());
  cutoff timestamptz;
BEGIN
  IF older_than OPERATOR(pg_catalog.<) interval '0' THEN
    RAISE EXCEPTION 'stix_unmapped_purge: older_than % is negative', older_than
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give how long to keep them, e.g. interval ''30 days''; interval ''0'' deletes all.';
  END IF;
  BEGIN
    cutoff := pg_catalog.now() OPERATOR(pg_catalog.-) older_than;
  EXCEPTION WHEN datetime_field_overflow THEN
    RETURN 0;   -- before any time there is: nothing kept that long
  END;
  DELETE FROM @extschema@.stix_unmapped u
   WHERE u.imported OPERATOR(pg_catalog.<=) cutoff
     AND (everyone OR u.kept_by OPERATOR(pg_catalog.=) me);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.stix_unmapped_purge(interval) IS
  'deletes the unmapped STIX parts kept longer than older_than (interval ''0'': all): the owner''s call everyone''s, another role''s those kept under its name; returns how many';

-- Keeps an unmapped part of the report the caller has just filed (or of no report).
CREATE FUNCTION @extschema@._stix_keep(report uuid, bundle text, path text, value jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT pg_catalog.has_table_privilege(@extschema@._party_role(), '@extschema@.report', 'INSERT') THEN
    RAISE EXCEPTION 'permission denied to keep unmapped STIX'
      USING ERRCODE = 'insufficient_privilege', HINT = 'import_stix() is for the roles that file reports.';
  END IF;
  IF report IS NOT NULL AND @extschema@._sees(report) IS NOT TRUE THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.shared_reports.';
  END IF;
  -- kept under the name of the role that imports (the session's): nobody can claim a
  -- bundle's paths for another, and every row says whose it is
  INSERT INTO @extschema@.stix_unmapped (report, bundle, path, value, kept_by)
  VALUES (report, bundle, path, value, pg_catalog.pg_get_userbyid(@extschema@._party_role()));
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'the unmapped part % of bundle % is kept already', path, bundle
    USING ERRCODE = 'invalid_parameter_value',
          HINT = 'A bundle''s unmapped parts are kept once per importing role: this bundle was imported with keep_unmapped before.';
END $$;
COMMENT ON FUNCTION @extschema@._stix_keep(uuid, text, text, jsonb) IS
  'import_stix: keeps an unmapped part of a bundle (of a report the caller sees with who reported)';

CREATE FUNCTION @extschema@.import_stix(bundle jsonb, keep_unmapped boolean DEFAULT false, operator text DEFAULT NULL)
  RETURNS SETOF uuid
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  o jsonb;
  i integer := -1;
  p text;
  k text;
  e jsonb;
  ours_id constant text := @extschema@._stix_ours();
  core_id constant text := 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
  tlp_ids constant text[] := ARRAY['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
    'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
    'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'];
  tlp_names constant text[] := ARRAY['clear', 'green', 'amber', 'amber+strict', 'red'];
  names jsonb := '{}';      -- identity id -> name
  incs jsonb := '{}';       -- incident id -> report id
  unmapped jsonb := '[]';   -- [{report, path, value}]
  bid text;
  rid uuid;
  op text;
  x jsonb;
  ours jsonb;
  core jsonb;
  marks text[];
  v_kind text;
  v_status text;
  v_tlp text;
  again jsonb;
  bad record;
  filed uuid[] := '{}';
  byidx jsonb := '{}';      -- bundle object index -> report id
  op_path text;             -- $.objects[i].extensions["<ours>"]
  core_path text;           -- $.objects[i].extensions["<Incident Core>"]
  v_incident text;
  v_detected text;
  v_revoked text;
  v_revision text;
  e_state text;
  e_msg text;
  e_detail text;
  e_hint text;
BEGIN
  PERFORM @extschema@._stix_check(bundle);
  bid := bundle->>'id';
  -- identities first (an incident refers to one anywhere in the bundle)
  FOR o IN SELECT y FROM pg_catalog.jsonb_array_elements(bundle->'objects') y LOOP
    IF o->>'type' = 'identity' THEN
      names := names || pg_catalog.jsonb_build_object(o->>'id', o->>'name');
    END IF;
  END LOOP;
  FOR o IN SELECT y FROM pg_catalog.jsonb_array_elements(bundle->'objects') y LOOP
    i := i + 1;
    p := '$.objects[' || i || ']';
    IF o->>'type' = 'identity'
       OR (o->>'type' = 'extension-definition' AND o->>'id' = ours_id)
       OR (o->>'type' = 'marking-definition' AND o->>'id' = ANY (tlp_ids)) THEN
      CONTINUE;   -- read where referred to (identities) or known (ours, TLP 2.0)
    ELSIF o->>'type' = 'relationship' THEN
      CONTINUE;   -- after the incidents
    ELSIF o->>'type' <> 'incident' THEN
      unmapped := unmapped || pg_catalog.jsonb_build_object('path', p, 'value', o);
      EXIT WHEN NOT keep_unmapped;
      CONTINUE;
    END IF;
    -- an incident: what we map, what we keep, what is an error
    FOR k IN SELECT j FROM pg_catalog.jsonb_object_keys(o) j LOOP
      IF k <> ALL (ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name', 'description',
                         'created_by_ref', 'object_marking_refs', 'revoked', 'extensions']) THEN
        unmapped := unmapped || pg_catalog.jsonb_build_object('object', i, 'path', p || '.' || k, 'value', o->k);
      END IF;
    END LOOP;
    FOR k IN SELECT j FROM pg_catalog.jsonb_object_keys(COALESCE(o->'extensions', '{}')) j LOOP
      IF k <> ALL (ARRAY[core_id, ours_id]) THEN
        unmapped := unmapped || pg_catalog.jsonb_build_object('object', i, 'path', p || '.extensions[' || pg_catalog.to_jsonb(k)::text || ']', 'value', o->'extensions'->k);
      END IF;
    END LOOP;
    IF NOT keep_unmapped AND pg_catalog.jsonb_array_length(unmapped) > 0 THEN
      EXIT;   -- the error below, before anything is filed
    END IF;
    ours := o->'extensions'->ours_id;
    core := o->'extensions'->core_id;
    op_path := p || '.extensions[' || pg_catalog.to_jsonb(ours_id)::text || ']';
    core_path := p || '.extensions[' || pg_catalog.to_jsonb(core_id)::text || ']';
    IF ours IS NOT NULL AND pg_catalog.jsonb_typeof(ours) <> 'object' THEN
      RAISE EXCEPTION 'cannot map STIX at %: not an object', op_path USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF core IS NOT NULL AND pg_catalog.jsonb_typeof(core) <> 'object' THEN
      RAISE EXCEPTION 'cannot map STIX at %: not an object', core_path USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT pg_catalog.array_agg(m) INTO marks FROM pg_catalog.jsonb_array_elements_text(
      CASE WHEN pg_catalog.jsonb_typeof(o->'object_marking_refs') = 'array' THEN o->'object_marking_refs' ELSE '[]' END) m;
    IF pg_catalog.cardinality(marks) IS DISTINCT FROM 1 OR NOT marks[1] = ANY (tlp_ids) THEN
      RAISE EXCEPTION 'cannot map STIX at %.object_marking_refs: one TLP 2.0 marking expected', p
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report has one TLP 2.0 marking (the official marking-definition ids, TLP:CLEAR .. TLP:RED).';
    END IF;
    v_tlp := tlp_names[pg_catalog.array_position(tlp_ids, marks[1])];
    -- each value read, checked where it is: an error names its JSON path
    FOREACH k IN ARRAY ARRAY['name', 'description'] LOOP
      PERFORM @extschema@._stix_value(p || '.' || k, o->k, 'text');
    END LOOP;
    PERFORM @extschema@._stix_value(p || '.created', o->'created', 'timestamptz'),
            @extschema@._stix_value(p || '.modified', o->'modified', 'timestamptz'),
            @extschema@._stix_value(p || '.revoked', o->'revoked', 'boolean');
    FOREACH k IN ARRAY ARRAY['kind', 'status', 'exercise', 'revoked_reason'] LOOP
      PERFORM @extschema@._stix_value(op_path || '.' || k, ours->k, 'text');
    END LOOP;
    FOREACH k IN ARRAY ARRAY['determination', 'investigation_status'] LOOP
      PERFORM @extschema@._stix_value(core_path || '.' || k, core->k, 'text');
    END LOOP;
    rid := @extschema@._stix_value(op_path || '.report_id', ours->'report_id', 'uuid');
    v_incident := @extschema@._stix_value(op_path || '.incident', ours->'incident', '@extschema@.incident');
    v_detected := @extschema@._stix_value(op_path || '.detected', ours->'detected', 'timestamptz');
    v_revoked := @extschema@._stix_value(op_path || '.revoked', ours->'revoked', 'timestamptz');
    v_revision := @extschema@._stix_value(op_path || '.revision', ours->'revision', 'integer');
    IF v_revision::integer < 1 THEN
      RAISE EXCEPTION 'cannot map STIX at %.revision: % is not a revision', op_path, ours->'revision'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report''s revisions count from 1.';
    END IF;
    IF ours ? 'exercise' AND NOT EXISTS (SELECT 1 FROM @extschema@.exercises x WHERE x.code = ours->>'exercise') THEN
      RAISE EXCEPTION 'cannot map STIX at %.exercise: no exercise %', op_path, ours->'exercise'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'An exercise is a code of ceptoar.exercises, in the database that imports too.';
    END IF;
    -- kind and status: ours, else from the Incident Core Extension
    v_kind := COALESCE(ours->>'kind', CASE core->>'determination' WHEN 'successful-attempt' THEN 'incident'
                                        WHEN 'failed-attempt' THEN 'near_miss' WHEN 'suspected' THEN 'threat' END);
    IF ours ? 'kind' AND v_kind NOT IN ('incident', 'near_miss', 'threat') THEN
      RAISE EXCEPTION 'cannot map STIX at %.kind: %', op_path, ours->'kind'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report''s kind is incident, near_miss or threat.';
    END IF;
    IF v_kind IS NULL THEN
      RAISE EXCEPTION 'cannot map STIX at %.determination: %', core_path, COALESCE(core->'determination', 'null')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report is an incident (successful-attempt), a near miss (failed-attempt) or a threat (suspected).';
    END IF;
    IF v_kind = 'incident' AND NOT COALESCE(ours ? 'incident', false) THEN
      RAISE EXCEPTION 'cannot map STIX at %.incident: an incident report needs its facts', op_path
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'A successful-attempt is filed as an incident, whose facts (the incident literal) are in the registry''s extension; a suspected incident is filed as a threat, a failed attempt as a near miss.';
    END IF;
    v_status := COALESCE(ours->>'status', CASE core->>'investigation_status' WHEN 'new' THEN 'reported'
                                            WHEN 'open' THEN 'under_review' WHEN 'closed' THEN 'closed' END, 'reported');
    IF ours ? 'status' AND v_status NOT IN ('reported', 'under_review', 'verified', 'revision_required', 'closed') THEN
      RAISE EXCEPTION 'cannot map STIX at %.status: %', op_path, ours->'status'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report''s status is reported, under_review, verified, revision_required or closed.';
    END IF;
    -- who files it
    op := COALESCE(import_stix.operator, names->>(o->>'created_by_ref'));
    IF op IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.operator m WHERE m.code = op) THEN
      RAISE EXCEPTION 'cannot map STIX at %.created_by_ref: no operator %', p, COALESCE(pg_catalog.quote_literal(op), 'named')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'The identity''s name is an operator code of ceptoar.operator, or give import_stix(..., operator => code).';
    END IF;
    rid := COALESCE(rid, pg_catalog.substr(o->>'id', 11)::uuid);
    BEGIN
      INSERT INTO @extschema@.report AS r (id, operator, kind, incident, detected, reported, tlp, exercise,
                                           summary, description, status, revoked, revoked_reason)
      VALUES (rid, op, v_kind, v_incident::@extschema@.incident,
              v_detected::timestamptz, (o->>'created')::timestamptz, v_tlp::@extschema@.tlp,
              ours->>'exercise', NULLIF(o->>'name', ''), o->>'description', 'reported', NULL, NULL);
    EXCEPTION
      WHEN unique_violation THEN
        RAISE EXCEPTION 'cannot import STIX at %: report % exists', p, rid
          USING ERRCODE = 'invalid_parameter_value', HINT = 'A report is imported once; its later revisions are updates of ceptoar.report.';
      WHEN others THEN   -- what the registry refuses of this report (privileges, its checks)
        GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_msg = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
        PERFORM @extschema@._stix_raise(p, e_state, e_msg, e_detail, e_hint);
    END;
    -- a report starts as reported, unrevoked: its status and its tombstone are revisions
    BEGIN
      IF v_status <> 'reported' THEN
        k := CASE WHEN ours ? 'status' THEN op_path || '.status' ELSE core_path || '.investigation_status' END;
        UPDATE @extschema@.report r SET status = v_status WHERE r.id = rid;
      END IF;
      IF (o->>'revoked')::boolean THEN
        k := p || '.revoked';
        UPDATE @extschema@.report r
           SET revoked = COALESCE(v_revoked::timestamptz, (o->>'modified')::timestamptz),
               revoked_reason = COALESCE(ours->>'revoked_reason', 'revoked in STIX')
         WHERE r.id = rid;
      END IF;
    EXCEPTION WHEN others THEN
      GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_msg = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
      PERFORM @extschema@._stix_raise(k, e_state, e_msg, e_detail, e_hint);
    END;
    -- what the bundle said of the report's history (revision, modified, when revoked), which
    -- the registry's own revisions and clock cannot say
    PERFORM @extschema@._stix_imported(rid, v_revision::integer, o->>'modified',
      CASE WHEN (o->>'revoked')::boolean THEN COALESCE(v_revoked, o->>'modified') END);
    filed := filed || rid;
    byidx := byidx || pg_catalog.jsonb_build_object(i::text, rid);
    incs := incs || pg_catalog.jsonb_build_object(o->>'id', rid);
    -- strict: what we would export now must say what the bundle said, but for the ids
    -- (ours derive from the report's)
    SELECT y.v INTO again FROM pg_catalog.jsonb_array_elements(@extschema@.stix_bundle(rid)->'objects') y (v)
     WHERE y.v->>'type' = 'incident';
    SELECT a.path, a.value INTO bad
      FROM @extschema@._stix_paths(o - 'id' - 'created_by_ref', p) a
     WHERE pg_catalog.jsonb_typeof(a.value) NOT IN ('object', 'array')
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.jsonb_array_elements(unmapped) u
                        WHERE a.path = u->>'path' OR a.path LIKE (u->>'path') || '.%' OR a.path LIKE (u->>'path') || '[%')
       AND NOT EXISTS (SELECT 1 FROM @extschema@._stix_paths(again, p) b
                        WHERE b.path = a.path AND b.value = a.value)
     ORDER BY a.path LIMIT 1;
    IF bad.path IS NOT NULL THEN
      RAISE EXCEPTION 'cannot map STIX at %: % is not what the registry makes of this report', bad.path, bad.value
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'The registry derives the Incident Core Extension and its own facts from the report it files; README, STIX 2.1.';
    END IF;
  END LOOP;
  -- relationships between the incidents filed (none when something is unmapped and not kept)
  i := CASE WHEN NOT keep_unmapped AND pg_catalog.jsonb_array_length(unmapped) > 0 THEN NULL ELSE -1 END;
  FOR o IN SELECT y FROM pg_catalog.jsonb_array_elements(bundle->'objects') y LOOP
    EXIT WHEN i IS NULL;
    i := i + 1;
    CONTINUE WHEN o->>'type' <> 'relationship';
    p := '$.objects[' || i || ']';
    IF NOT incs ? (o->>'source_ref') OR NOT incs ? (o->>'target_ref')
       OR o->>'relationship_type' NOT IN ('cascade-from', 'same-cause', 'duplicate')
       OR EXISTS (SELECT 1 FROM pg_catalog.jsonb_object_keys(o) j
                   WHERE j NOT IN ('type', 'spec_version', 'id', 'created', 'modified', 'relationship_type', 'source_ref', 'target_ref')) THEN
      unmapped := unmapped || pg_catalog.jsonb_build_object('path', p, 'value', o);
      CONTINUE;
    END IF;
    INSERT INTO @extschema@.report_link (report, related, kind, created)
    VALUES ((incs->>(o->>'source_ref'))::uuid, (incs->>(o->>'target_ref'))::uuid,
            pg_catalog.replace(o->>'relationship_type', '-', '_'), (o->>'created')::timestamptz);
  END LOOP;
  IF pg_catalog.jsonb_array_length(unmapped) > 0 THEN
    IF NOT keep_unmapped THEN
      RAISE EXCEPTION 'cannot map STIX at %', unmapped->0->>'path'
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = pg_catalog.format('%s part(s) of the bundle map to nothing of the registry''s.', pg_catalog.jsonb_array_length(unmapped)),
              HINT = 'import_stix(bundle, keep_unmapped => true) keeps them in ceptoar.stix_unmapped; README, STIX 2.1 lists what is mapped.';
    END IF;
    FOR x IN SELECT y FROM pg_catalog.jsonb_array_elements(unmapped) y LOOP
      PERFORM @extschema@._stix_keep(CASE WHEN x ? 'object' THEN (byidx->>(x->>'object'))::uuid END, bid, x->>'path', x->'value');
    END LOOP;
  END IF;
  RETURN QUERY SELECT u FROM pg_catalog.unnest(filed) u;
END $$;
COMMENT ON FUNCTION @extschema@.import_stix(jsonb, boolean, text) IS
  'files the incidents of a STIX 2.1 bundle as reports (as the caller, by the operator its identity names or the one given), strictly: what it cannot map is an error naming its JSON path (22023), or kept in stix_unmapped with keep_unmapped; returns the reports filed';
-- 320_federation.sql: federation over logical replication (issue 14, section 2).
--
-- A ministry runs its own database with the extension and publishes its registry to NISC's
-- hub; the hub publishes to an audience (a CEPTOAR, the public) only what that audience may
-- see, pseudonymised for it.  README, Federation, gives the setup; the functions below
-- return the statements (run them with psql's \gexec), they change nothing themselves.
--
-- ministry -> hub: the registry's tables as they are (the hub's apply worker runs with
-- session_replication_role = replica, so the registry's ordinary triggers do not fire there:
-- no second revision, verdict or delivery, and the derived columns come as written by the
-- ministry).  Never graph_version (each database counts its own changes; the hub's replica
-- row triggers count the replicated ones), nor the key, the parties or the audit.
--
-- hub -> audience: never ceptoar.report.  The hub keeps, for each audience registered in
-- federation_audience, the reports that audience's party may see, as shared_reports shows
-- them to that party (the pseudonym of the operator computed at the hub with its key; no
-- operator code, description, instance, revoked reason or writer), in audience_copy,
-- maintained by triggers (statement triggers for local writes, replica row triggers for
-- replicated ones).  The audience's publication is on audience_copy, with a row filter on
-- plain columns (audience, tlp_rank, is_exercise, is_revoked, kind, sector_code) as a
-- second fence: those columns are its replica identity (a unique index), which PostgreSQL
-- 15 requires of the columns a row filter of an UPDATE/DELETE publication reads.

-- Rows shipped with the extension are at every database already: a ministry publishes its
-- users' own rows of rule_set, rule and exercises (row filter NOT shipped), and a row filter
-- of a publication that replicates UPDATE and DELETE may read only the replica identity's
-- columns, so that of these tables is their key with shipped (unique: it holds the key).
CREATE UNIQUE INDEX rule_set_federation ON @extschema@.rule_set (code, shipped);
ALTER TABLE @extschema@.rule_set REPLICA IDENTITY USING INDEX rule_set_federation;
CREATE UNIQUE INDEX rule_federation ON @extschema@.rule (rule_set, service, shipped);
ALTER TABLE @extschema@.rule REPLICA IDENTITY USING INDEX rule_federation;
CREATE UNIQUE INDEX exercises_federation ON @extschema@.exercises (code, shipped);
ALTER TABLE @extschema@.exercises REPLICA IDENTITY USING INDEX exercises_federation;

-- The audiences the hub publishes to: a CEPTOAR or the public.  Parties that see identities
-- (ministries, NISC, operators) are no audience: an audience never receives an operator code.
CREATE TABLE @extschema@.federation_audience (
  code        text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9_]{0,62}$'),
  kind        text NOT NULL CHECK (kind IN ('ceptoar', 'public')),
  party_code  text CHECK (party_code IS NULL OR @extschema@.ceptoar_exists(party_code)),
  created     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  CHECK ((kind OPERATOR(pg_catalog.=) 'public') OPERATOR(pg_catalog.=) (party_code IS NULL))
);
COMMENT ON TABLE @extschema@.federation_audience IS
  'the audiences a hub publishes to (audience_copy): a CEPTOAR (party_code, a ceptoars.code) or the public; each receives what that party sees in shared_reports, pseudonymised for it';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.federation_audience', '');

-- Each audience's copy of the reports it may see.
CREATE TABLE @extschema@.audience_copy (
  audience        text NOT NULL,
  id              uuid NOT NULL,
  operator        text NOT NULL,
  kind            text NOT NULL,
  incident        @extschema@.incident,
  detected        timestamptz,
  reported        timestamptz NOT NULL,
  tlp             @extschema@.tlp NOT NULL,
  exercise        text,
  summary         text,
  status          text NOT NULL,
  revision        integer NOT NULL,
  revoked         timestamptz,
  level           text,
  level_rule_set  text,
  sector_code     text NOT NULL,
  ministry_code   text,
  tlp_rank        smallint NOT NULL,
  is_exercise     boolean NOT NULL,
  is_revoked      boolean NOT NULL,
  fiscal_year     integer NOT NULL,
  began           timestamptz,
  lasted          interval,
  cause           text,
  user_hours      double precision,
  PRIMARY KEY (audience, id)
);
COMMENT ON TABLE @extschema@.audience_copy IS
  'at a hub: each audience''s copy of the reports its party sees (shared_reports), the operator as that party''s pseudonym, without description, instance, revoked reason or writer; maintained by the registry, published to the audience (federation_audience_sql)';
COMMENT ON COLUMN @extschema@.audience_copy.operator IS
  'the pseudonym anon:<16 hex digits> the audience''s party sees in shared_reports at the hub';
-- the replica identity: the plain columns a row filter may read (unique: it holds the key)
CREATE UNIQUE INDEX audience_copy_filter ON @extschema@.audience_copy
  (audience, id, tlp_rank, is_exercise, is_revoked, kind, sector_code);
ALTER TABLE @extschema@.audience_copy REPLICA IDENTITY USING INDEX audience_copy_filter;
-- the copies of a report, for every audience: what each write of it rebuilds (without it,
-- each write scans every copy: bench/federation.sh)
CREATE INDEX audience_copy_report ON @extschema@.audience_copy (id);

-- Rebuilds the copies of some reports (NULL: of every report), for every audience.
-- Generic plans (plan_cache_mode): the custom plan PostgreSQL would otherwise make for each
-- write costs four times the work (bench/federation.sh), and the generic one reads the
-- copies and reports by their indexes.
CREATE FUNCTION @extschema@._federation_copy(reports uuid[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
  -- Only a hub (a database with audiences of its own) makes copies.  An audience's database
  -- receives its copy by replication and has no audience registered: it keeps what it
  -- receives (a key rotation or federation_refresh() there must not empty it).
  IF NOT EXISTS (SELECT 1 FROM @extschema@.federation_audience) THEN
    RETURN;
  END IF;
  -- the copies being rebuilt (all of them on a full rebuild, which drops those of audiences
  -- no longer registered; when the last audience goes, its copy stays until the owner
  -- deletes it: DELETE FROM audience_copy)
  -- (two statements, and a UNION ALL below, not "reports IS NULL OR id = ANY (reports)":
  -- a cached generic plan of that OR scans every row on every write, bench/federation.sh;
  -- and no sequential scan: a generic plan made while the tables were small would keep
  -- scanning them whole as they grow until an ANALYZE: 8,000 revisions took 21 s, now 5 s)
  IF reports IS NULL THEN
    DELETE FROM @extschema@.audience_copy;
  ELSE
    DELETE FROM @extschema@.audience_copy c WHERE c.id OPERATOR(pg_catalog.=) ANY (reports);
  END IF;
  INSERT INTO @extschema@.audience_copy
  SELECT a.code,
         r.id,
         -- the pseudonym of shared_reports (230_shared_reports.sql), for the audience's party
         'anon:' OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.encode(
           pg_catalog.sha256(k.outer_pad OPERATOR(pg_catalog.||)
             pg_catalog.sha256(k.inner_pad OPERATOR(pg_catalog.||)
               pg_catalog.convert_to(pg_catalog.concat_ws(pg_catalog.chr(1), 'pseudonym',
                 a.kind, COALESCE(a.party_code, ''), r.operator), 'UTF8'))),
           'hex'), 16),
         r.kind, r.incident, r.detected, r.reported, r.tlp, r.exercise, r.summary, r.status,
         r.revision, r.revoked, r.level, r.level_rule_set, r.sector_code, r.ministry_code,
         r.tlp_rank, r.is_exercise, r.is_revoked, r.fiscal_year, r.began, r.lasted, r.cause,
         r.user_hours
    FROM (SELECT * FROM @extschema@.report x WHERE reports IS NULL
          UNION ALL
          SELECT * FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) ANY (reports)) r
    LEFT JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) r.operator
   CROSS JOIN @extschema@.federation_audience a
   CROSS JOIN @extschema@.pseudonym_key k
     -- shared_reports' rule for a party of kind public or ceptoar
   WHERE ((r.tlp_rank OPERATOR(pg_catalog.=) 0 AND a.kind OPERATOR(pg_catalog.=) 'public')
          OR (a.kind OPERATOR(pg_catalog.=) 'ceptoar'
              AND (r.tlp_rank OPERATOR(pg_catalog.<=) 1
                   OR (r.tlp_rank OPERATOR(pg_catalog.=) 2
                       AND o.ceptoar OPERATOR(pg_catalog.=) a.party_code)
                   OR (r.tlp_rank OPERATOR(pg_catalog.=) 4
                       AND EXISTS (SELECT 1 FROM @extschema@.report_recipient x
                                    WHERE x.report OPERATOR(pg_catalog.=) r.id
                                      AND x.recipient OPERATOR(pg_catalog.=) a.party_code)))));
END $$;
COMMENT ON FUNCTION @extschema@._federation_copy(uuid[]) IS
  'audience_copy: rebuilds the copies of the reports given (NULL: all) for every audience, as shared_reports shows them to the audience''s party';

-- Local writes: once per statement.
CREATE FUNCTION @extschema@._federation_written() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report' THEN
    PERFORM @extschema@._federation_copy((SELECT pg_catalog.array_agg(w.id) FROM written w));
  ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report_recipient' THEN
    PERFORM @extschema@._federation_copy((SELECT pg_catalog.array_agg(DISTINCT w.report) FROM written w));
  ELSE
    PERFORM @extschema@._federation_copy(NULL);   -- the audiences or the key changed
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._federation_written() IS
  'statement trigger: keeps audience_copy up to date after local writes of reports, recipients, audiences or the pseudonym key';

-- Replicated writes (the apply worker fires row triggers only), and operators, whose
-- CEPTOAR decides what a CEPTOAR sees (also when a replicated operator arrives after its
-- reports, as in a subscription's first copy).
CREATE FUNCTION @extschema@._federation_row() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report' THEN
    PERFORM @extschema@._federation_copy(ARRAY[NEW.id]);
  ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report_recipient' THEN
    PERFORM @extschema@._federation_copy(ARRAY[NEW.report]);
  ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'operator' THEN
    IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.ceptoar IS DISTINCT FROM NEW.ceptoar
       OR OLD.code OPERATOR(pg_catalog.<>) NEW.code THEN
      PERFORM @extschema@._federation_copy((SELECT pg_catalog.array_agg(r.id) FROM @extschema@.report r
                                             WHERE r.operator OPERATOR(pg_catalog.=) NEW.code));
    END IF;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._federation_row() IS
  'row trigger: keeps audience_copy up to date after replicated writes of reports and recipients, and after any change of an operator''s CEPTOAR';

CREATE TRIGGER federation_insert AFTER INSERT ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_update AFTER UPDATE ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_insert AFTER INSERT ON @extschema@.report_recipient
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.federation_audience
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_changed AFTER INSERT OR UPDATE ON @extschema@.pseudonym_key
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_applied AFTER INSERT OR UPDATE ON @extschema@.report
  FOR EACH ROW EXECUTE FUNCTION @extschema@._federation_row();
CREATE TRIGGER federation_applied AFTER INSERT ON @extschema@.report_recipient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._federation_row();
ALTER TABLE @extschema@.report ENABLE REPLICA TRIGGER federation_applied;
ALTER TABLE @extschema@.report_recipient ENABLE REPLICA TRIGGER federation_applied;
CREATE TRIGGER federation_operator AFTER INSERT OR UPDATE ON @extschema@.operator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._federation_row();
ALTER TABLE @extschema@.operator ENABLE ALWAYS TRIGGER federation_operator;

-- Rebuilds every audience's copy (after pg_restore, or to check).
CREATE FUNCTION @extschema@.federation_refresh() RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._federation_copy(NULL);
  RETURN (SELECT pg_catalog.count(*) FROM @extschema@.audience_copy);
END $$;
COMMENT ON FUNCTION @extschema@.federation_refresh() IS
  'rebuilds every audience''s copy of the reports (audience_copy) and returns its number of rows (extension''s owner only)';

-- The tables a ministry publishes to the hub, in the order of their foreign keys, with the
-- row filter of each: the users' own rows where the extension ships rows (the shipped ones
-- are at the hub already).  Never graph_version, pseudonym_key, party, identity_reads,
-- alerts (NISC's, downward) or audience_copy.
CREATE FUNCTION @extschema@.federation_tables(OUT tbl regclass, OUT row_filter text)
  RETURNS SETOF record
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT pg_catalog.to_regclass('@extschema@.' OPERATOR(pg_catalog.||) t.name), t.f
    FROM (VALUES (1, 'rule_set', 'NOT shipped'), (2, 'rule', 'NOT shipped'),
                 (3, 'exercises', 'NOT shipped'), (4, 'operator', NULL),
                 (5, 'service_instance', NULL), (6, 'dependency', NULL),
                 (7, 'report', NULL), (8, 'report_revision', NULL),
                 (9, 'report_verdicts', NULL), (10, 'report_verification', NULL),
                 (11, 'report_link', NULL), (12, 'report_step', NULL),
                 (13, 'report_recipient', NULL), (14, 'report_delivery', NULL))
         AS t(n, name, f)
   ORDER BY t.n $$;
COMMENT ON FUNCTION @extschema@.federation_tables() IS
  'the tables a ministry publishes to the hub (federation_publication_sql), with their row filters';

-- At a ministry, a TRUNCATE of a published table would be replicated as the emptying of the
-- whole table at the hub, every ministry's rows with it: refused while the table is in a
-- publication that publishes TRUNCATE (the one federation_publication_sql makes does; any
-- other, FOR ALL TABLES included, would do the same harm).  A database that publishes
-- nothing TRUNCATEs as before.  Statement-level BEFORE TRUNCATE on every table of
-- federation_tables().
CREATE FUNCTION @extschema@._federation_truncate() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  pubs text;
BEGIN
  SELECT pg_catalog.string_agg(DISTINCT pg_catalog.quote_ident(p.pubname), ', ') INTO pubs
    FROM pg_catalog.pg_publication_tables t
    JOIN pg_catalog.pg_publication p ON p.pubname OPERATOR(pg_catalog.=) t.pubname
   WHERE t.schemaname OPERATOR(pg_catalog.=) TG_TABLE_SCHEMA
     AND t.tablename OPERATOR(pg_catalog.=) TG_TABLE_NAME
     AND p.pubtruncate;
  IF pubs IS NOT NULL THEN
    RAISE EXCEPTION 'TRUNCATE of %.% is refused: the table is published (%)',
        pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME), pubs
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = 'Logical replication replays a TRUNCATE as the emptying of the whole table at the subscriber (the hub), every ministry''s rows with it.',
            HINT = pg_catalog.format('Delete the rows instead (DELETE FROM %I.%I ...), or drop the publication first (DROP PUBLICATION %s).',
                                     TG_TABLE_SCHEMA, TG_TABLE_NAME, pubs);
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._federation_truncate() IS
  'BEFORE TRUNCATE of a table a ministry publishes (federation_tables): refused (55000) while a publication that publishes TRUNCATE holds it';
DO $federation_truncate$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT f.tbl FROM @extschema@.federation_tables() f LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_truncate()', t);
  END LOOP;
END
$federation_truncate$;

CREATE FUNCTION @extschema@._federation_name(what text, name text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF name IS NULL OR name OPERATOR(pg_catalog.!~) '^[a-z_][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'invalid % name %', what, COALESCE(pg_catalog.quote_literal(name), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A name is lower-case letters, digits and ''_'', starting with a letter or ''_'', at most 63 characters.';
  END IF;
  RETURN name;
END $$;
COMMENT ON FUNCTION @extschema@._federation_name(text, text) IS
  'checks the name of a publication, subscription or slot (plain lower-case identifier)';

-- At a ministry: the publication of its registry, and the sequence of its service
-- instances moved to a range of its own (instance ids are keys at the hub, where several
-- ministries' instances meet).
CREATE FUNCTION @extschema@.federation_publication_sql(publication text DEFAULT 'ceptoar_ministry',
    instance_ids_from bigint DEFAULT NULL)
  RETURNS SETOF text
  LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._federation_name('publication', publication);
  IF instance_ids_from IS NOT NULL THEN
    IF instance_ids_from OPERATOR(pg_catalog.<) 1 THEN
      RAISE EXCEPTION 'instance_ids_from must be positive, not %', instance_ids_from
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'Give each ministry a range of its own, e.g. 1000000000000 times its number.';
    END IF;
    RETURN NEXT pg_catalog.format('SELECT pg_catalog.setval(%L, GREATEST(%s, (SELECT pg_catalog.max(id) FROM %s)), true)',
      pg_catalog.pg_get_serial_sequence('@extschema@.service_instance', 'id'), instance_ids_from OPERATOR(pg_catalog.-) 1,
      '@extschema@.service_instance'::pg_catalog.regclass);
  END IF;
  RETURN NEXT pg_catalog.format('CREATE PUBLICATION %I FOR TABLE %s', publication,
    (SELECT pg_catalog.string_agg(t.tbl::pg_catalog.text
                                  OPERATOR(pg_catalog.||) COALESCE(' WHERE (' OPERATOR(pg_catalog.||) t.row_filter OPERATOR(pg_catalog.||) ')', ''),
                                  ', ')
       FROM @extschema@.federation_tables() t));
END $$;
COMMENT ON FUNCTION @extschema@.federation_publication_sql(text, bigint) IS
  'at a ministry: the statements that publish its registry to the hub (run them with \gexec); instance_ids_from moves its service instances'' ids to a range of its own';

-- At the hub (or an audience): the subscription to a publication.
CREATE FUNCTION @extschema@.federation_subscription_sql(subscription text, connection text,
    publication text DEFAULT 'ceptoar_ministry')
  RETURNS SETOF text
  LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._federation_name('subscription', subscription);
  PERFORM @extschema@._federation_name('publication', publication);
  IF connection IS NULL OR pg_catalog.btrim(connection) OPERATOR(pg_catalog.=) '' THEN
    RAISE EXCEPTION 'a subscription needs a connection string'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A libpq connection string to the publisher, e.g. ''host=ministry.example dbname=registry user=replicator''.';
  END IF;
  RETURN NEXT pg_catalog.format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I',
    subscription, connection, publication);
END $$;
COMMENT ON FUNCTION @extschema@.federation_subscription_sql(text, text, text) IS
  'at the hub or an audience: the statement that subscribes to a publication (run it with \gexec)';

-- At the hub: an audience and its publication of audience_copy, whose row filter lets
-- only its own rows leave, up to max_tlp, without exercises or tombstones unless asked.
CREATE FUNCTION @extschema@.federation_audience_sql(audience text, max_tlp @extschema@.tlp DEFAULT NULL,
    exercises boolean DEFAULT false, revoked boolean DEFAULT true, publication text DEFAULT NULL)
  RETURNS SETOF text
  LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a @extschema@.federation_audience;
  top smallint;
BEGIN
  SELECT * INTO a FROM @extschema@.federation_audience f WHERE f.code OPERATOR(pg_catalog.=) audience;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown audience %', COALESCE(pg_catalog.quote_literal(audience), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Register it first: INSERT INTO ceptoar.federation_audience (code, kind, party_code) VALUES (...).';
  END IF;
  -- the most a party of its kind sees (shared_reports): the public clear, a CEPTOAR amber
  top := CASE WHEN a.kind OPERATOR(pg_catalog.=) 'public' THEN 0 ELSE 2 END;
  IF max_tlp IS NOT NULL THEN
    top := LEAST(top, @extschema@.tlp_rank(max_tlp));
    IF a.kind OPERATOR(pg_catalog.=) 'ceptoar' AND @extschema@.tlp_rank(max_tlp) OPERATOR(pg_catalog.=) 4 THEN
      top := 4;   -- red reports naming the CEPTOAR a recipient
    END IF;
  END IF;
  RETURN NEXT pg_catalog.format('CREATE PUBLICATION %I FOR TABLE %s (%s) WHERE (audience = %L AND tlp_rank <= %s%s%s)',
    @extschema@._federation_name('publication', COALESCE(publication, 'ceptoar_audience_' OPERATOR(pg_catalog.||) a.code)),
    '@extschema@.audience_copy'::pg_catalog.regclass,
    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.attname), ', ' ORDER BY c.attnum)
       FROM pg_catalog.pg_attribute c
      WHERE c.attrelid OPERATOR(pg_catalog.=) '@extschema@.audience_copy'::pg_catalog.regclass
        AND c.attnum OPERATOR(pg_catalog.>) 0 AND NOT c.attisdropped),
    a.code, top,
    CASE WHEN exercises THEN '' ELSE ' AND NOT is_exercise' END,
    CASE WHEN revoked THEN '' ELSE ' AND NOT is_revoked' END);
END $$;
COMMENT ON FUNCTION @extschema@.federation_audience_sql(text, @extschema@.tlp, boolean, boolean, text) IS
  'at the hub: the statement that publishes a registered audience''s copy (audience_copy), row-filtered to its rows up to max_tlp, without exercises unless asked, tombstones unless revoked is false (run it with \gexec)';
-- 340_drivers.sql: what drivers and reporting tools need (0.5, issue 14 section 3).
-- Every object here is new in 0.5, so the update 0.4 -> 0.5 runs this same file.

-- Assignment casts from text and varchar to each base type, as citext has them:
-- JDBC's setString() sends varchar, psycopg 3's binary parameters send text, and an
-- INSERT or UPDATE of such a parameter into a column of our type now converts it with
-- the type's input function (same errors as a literal).  Assignment only: a function
-- call or an operator never turns text into our types behind the user's back.
CREATE CAST (text AS @extschema@.sector) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.sector) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.service) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.service) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.incident) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.incident) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.criterion) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.criterion) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.tlp) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.tlp) WITH INOUT AS ASSIGNMENT;

-- classify() and exceeds() with the incident as text: what JDBC's classify(?, ?) and
-- psycopg 3's binary parameters send.  The text is read by the incident's input function.
CREATE FUNCTION @extschema@.classify(i text, rule_set text DEFAULT 'nisc-2009')
  RETURNS @extschema@.verdict
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN @extschema@.classify(i::@extschema@.incident, rule_set);
COMMENT ON FUNCTION @extschema@.classify(text, text) IS
  'classify() for drivers that send the incident as text or varchar (JDBC setString, psycopg 3 binary): reads it as an incident';
CREATE FUNCTION @extschema@.exceeds(i text, rule_set text DEFAULT 'nisc-2009')
  RETURNS boolean
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN @extschema@.exceeds(i::@extschema@.incident, rule_set);
COMMENT ON FUNCTION @extschema@.exceeds(text, text) IS
  'exceeds() for drivers that send the incident as text or varchar: reads it as an incident';

-- LIKE, NOT LIKE, ILIKE, NOT ILIKE on sector and service: the pattern matches the
-- canonical text (the code, e.g. finance.bank.deposit), what a BI tool's filter sees.
CREATE FUNCTION @extschema@.sector_like(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.sector_nlike(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textnlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.sector_ilike(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.sector_nilike(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticnlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_like(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_nlike(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textnlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_ilike(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_nilike(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticnlike($1::pg_catalog.text, $2);
COMMENT ON FUNCTION @extschema@.sector_like(@extschema@.sector, text) IS 'operator support (LIKE): the sector''s code matches the pattern';
COMMENT ON FUNCTION @extschema@.sector_nlike(@extschema@.sector, text) IS 'operator support (NOT LIKE)';
COMMENT ON FUNCTION @extschema@.sector_ilike(@extschema@.sector, text) IS 'operator support (ILIKE): the sector''s code matches the pattern, any case';
COMMENT ON FUNCTION @extschema@.sector_nilike(@extschema@.sector, text) IS 'operator support (NOT ILIKE)';
COMMENT ON FUNCTION @extschema@.service_like(@extschema@.service, text) IS 'operator support (LIKE): the service''s code matches the pattern';
COMMENT ON FUNCTION @extschema@.service_nlike(@extschema@.service, text) IS 'operator support (NOT LIKE)';
COMMENT ON FUNCTION @extschema@.service_ilike(@extschema@.service, text) IS 'operator support (ILIKE): the service''s code matches the pattern, any case';
COMMENT ON FUNCTION @extschema@.service_nilike(@extschema@.service, text) IS 'operator support (NOT ILIKE)';

CREATE OPERATOR @extschema@.~~ (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_like, NEGATOR = OPERATOR(@extschema@.!~~));
CREATE OPERATOR @extschema@.!~~ (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_nlike, NEGATOR = OPERATOR(@extschema@.~~));
CREATE OPERATOR @extschema@.~~* (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_ilike, NEGATOR = OPERATOR(@extschema@.!~~*));
CREATE OPERATOR @extschema@.!~~* (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_nilike, NEGATOR = OPERATOR(@extschema@.~~*));
CREATE OPERATOR @extschema@.~~ (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_like, NEGATOR = OPERATOR(@extschema@.!~~));
CREATE OPERATOR @extschema@.!~~ (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_nlike, NEGATOR = OPERATOR(@extschema@.~~));
CREATE OPERATOR @extschema@.~~* (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_ilike, NEGATOR = OPERATOR(@extschema@.!~~*));
CREATE OPERATOR @extschema@.!~~* (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_nilike, NEGATOR = OPERATOR(@extschema@.~~*));

-- criterion: a total order and a hash, so that DISTINCT, GROUP BY, ORDER BY and UNION
-- work on criteria and on verdicts (a composite whose columns all need them).  Ordered
-- by canonical text (ties, which = tells apart, by the stored form); = (0.4) is unchanged.
CREATE FUNCTION @extschema@.criterion_cmp(@extschema@.criterion, @extschema@.criterion) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_ne(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_lt(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_le(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_gt(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_ge(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_hash(@extschema@.criterion) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_hash_extended(@extschema@.criterion, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.criterion_cmp(@extschema@.criterion, @extschema@.criterion) IS 'operator class support: btree comparison by canonical text';
COMMENT ON FUNCTION @extschema@.criterion_ne(@extschema@.criterion, @extschema@.criterion) IS 'operator support: different rules';
COMMENT ON FUNCTION @extschema@.criterion_lt(@extschema@.criterion, @extschema@.criterion) IS 'operator support: earlier by canonical text';
COMMENT ON FUNCTION @extschema@.criterion_le(@extschema@.criterion, @extschema@.criterion) IS 'operator support: earlier by canonical text or the same';
COMMENT ON FUNCTION @extschema@.criterion_gt(@extschema@.criterion, @extschema@.criterion) IS 'operator support: later by canonical text';
COMMENT ON FUNCTION @extschema@.criterion_ge(@extschema@.criterion, @extschema@.criterion) IS 'operator support: later by canonical text or the same';
COMMENT ON FUNCTION @extschema@.criterion_hash(@extschema@.criterion) IS 'operator class support: hash';
COMMENT ON FUNCTION @extschema@.criterion_hash_extended(@extschema@.criterion, bigint) IS 'operator class support: extended hash';

CREATE OPERATOR @extschema@.<> (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
  NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_lt, COMMUTATOR = OPERATOR(@extschema@.>),
  NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_le, COMMUTATOR = OPERATOR(@extschema@.>=),
  NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_gt, COMMUTATOR = OPERATOR(@extschema@.<),
  NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
  NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS @extschema@.criterion_ops
  DEFAULT FOR TYPE @extschema@.criterion USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.criterion_cmp(@extschema@.criterion, @extschema@.criterion);
CREATE OPERATOR CLASS @extschema@.criterion_ops
  DEFAULT FOR TYPE @extschema@.criterion USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.criterion_hash(@extschema@.criterion),
    FUNCTION 2 @extschema@.criterion_hash_extended(@extschema@.criterion, bigint);

-- Tools find the operators only when the schema is on their search_path: say so when
-- the path that sessions of this database start with (database, role and server
-- settings) lacks the schema, with the statement to run.  CREATE and ALTER EXTENSION run
-- this script with client_min_messages at least warning; _notices_reach_client() tells
-- whether the session had asked for notices, and the script's own setting (local to the
-- script) lets this one through.
CREATE FUNCTION @extschema@._notices_reach_client() RETURNS boolean
  AS 'MODULE_PATHNAME', 'cr_notices_reach_client' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._notices_reach_client() IS
  'internal (install and update scripts): whether the session asked for NOTICEs, before CREATE/ALTER EXTENSION raised client_min_messages to warning for its script';
DO $search_path_notice$
DECLARE
  path pg_catalog.text := (SELECT s.reset_val FROM pg_catalog.pg_settings s
                            WHERE s.name OPERATOR(pg_catalog.=) 'search_path');
BEGIN
  IF @extschema@._notices_reach_client()
     AND NOT ('@extschema@' OPERATOR(pg_catalog.=) ANY (pg_catalog.string_to_array(
              pg_catalog.replace(pg_catalog.replace(path, ' ', ''), '"', ''), ','))) THEN
    PERFORM pg_catalog.set_config('client_min_messages', 'notice', true);
    RAISE NOTICE 'schema @extschema@ is not on the search_path of database %, so tools will not find the operators of ceptoar_registry', pg_catalog.current_database()
      USING DETAIL = pg_catalog.format('Run: ALTER DATABASE %I SET search_path = %s, @extschema@;', pg_catalog.current_database(), path),
            HINT = 'Sessions that start after that see the schema; JDBC, ODBC, psycopg and GDAL need nothing else.';
  END IF;
END
$search_path_notice$;
-- 341_internal_comments.sql (0.5): the functions behind the types, operators, operator
-- classes and aggregates say so first thing in their comment, since tools list them among
-- the callable functions (JDBC getFunctions shows the comment as REMARKS, psql \df+ and
-- pgAdmin as the description).  A separate schema for them would have to move functions
-- that the types and operators of 0.1-0.4 depend on; not done (README, Drivers and tools).
-- Only comments, of objects from 0.1-0.4: the same statements in a fresh install and in
-- the update (this fragment is listed in the .parts file).
COMMENT ON FUNCTION @extschema@.sector_in(cstring) IS 'type I/O, not called directly: reads a sector from its text';
COMMENT ON FUNCTION @extschema@.sector_out(@extschema@.sector) IS 'type I/O, not called directly: the text of a sector';
COMMENT ON FUNCTION @extschema@.sector_recv(internal) IS 'type I/O, not called directly: reads a sector in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.sector_send(@extschema@.sector) IS 'type I/O, not called directly: a sector in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.sector_eq(@extschema@.sector,@extschema@.sector) IS 'operator support (=), use the operator: same sector';
COMMENT ON FUNCTION @extschema@.sector_ne(@extschema@.sector,@extschema@.sector) IS 'operator support (<>), use the operator: different sectors';
COMMENT ON FUNCTION @extschema@.sector_lt(@extschema@.sector,@extschema@.sector) IS 'operator support (<), use the operator: earlier in NISC order';
COMMENT ON FUNCTION @extschema@.sector_le(@extschema@.sector,@extschema@.sector) IS 'operator support (<=), use the operator: earlier in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_gt(@extschema@.sector,@extschema@.sector) IS 'operator support (>), use the operator: later in NISC order';
COMMENT ON FUNCTION @extschema@.sector_ge(@extschema@.sector,@extschema@.sector) IS 'operator support (>=), use the operator: later in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_cmp(@extschema@.sector,@extschema@.sector) IS 'operator class support: btree comparison in NISC order';
COMMENT ON FUNCTION @extschema@.sector_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.sector_hash(@extschema@.sector) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.sector_hash_extended(@extschema@.sector,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.sector_smaller(@extschema@.sector,@extschema@.sector) IS 'aggregate support: the sector earlier in NISC order (min() support)';
COMMENT ON FUNCTION @extschema@.sector_larger(@extschema@.sector,@extschema@.sector) IS 'aggregate support: the sector later in NISC order (max() support)';
COMMENT ON FUNCTION @extschema@.service_in(cstring) IS 'type I/O, not called directly: reads a service from its text';
COMMENT ON FUNCTION @extschema@.service_out(@extschema@.service) IS 'type I/O, not called directly: the text of a service';
COMMENT ON FUNCTION @extschema@.service_recv(internal) IS 'type I/O, not called directly: reads a service in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.service_send(@extschema@.service) IS 'type I/O, not called directly: a service in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.service_eq(@extschema@.service,@extschema@.service) IS 'operator support (=), use the operator: same service';
COMMENT ON FUNCTION @extschema@.service_ne(@extschema@.service,@extschema@.service) IS 'operator support (<>), use the operator: different services';
COMMENT ON FUNCTION @extschema@.service_lt(@extschema@.service,@extschema@.service) IS 'operator support (<), use the operator: earlier in catalogue order';
COMMENT ON FUNCTION @extschema@.service_le(@extschema@.service,@extschema@.service) IS 'operator support (<=), use the operator: earlier in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_gt(@extschema@.service,@extschema@.service) IS 'operator support (>), use the operator: later in catalogue order';
COMMENT ON FUNCTION @extschema@.service_ge(@extschema@.service,@extschema@.service) IS 'operator support (>=), use the operator: later in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_cmp(@extschema@.service,@extschema@.service) IS 'operator class support: btree comparison in catalogue order (sectors in NISC order, parents before children)';
COMMENT ON FUNCTION @extschema@.service_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.service_hash(@extschema@.service) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.service_hash_extended(@extschema@.service,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.service_contains(@extschema@.service,@extschema@.service) IS 'operator support (@>), use the operator: the first service is the second or one of its ancestors';
COMMENT ON FUNCTION @extschema@.service_contained(@extschema@.service,@extschema@.service) IS 'operator support (<@), use the operator: the first service is the second or one of its descendants';
COMMENT ON FUNCTION @extschema@.service_smaller(@extschema@.service,@extschema@.service) IS 'aggregate support: the service earlier in catalogue order (min() support)';
COMMENT ON FUNCTION @extschema@.service_larger(@extschema@.service,@extschema@.service) IS 'aggregate support: the service later in catalogue order (max() support)';
COMMENT ON FUNCTION @extschema@.incident_in(cstring) IS 'type I/O, not called directly: reads a incident from its text';
COMMENT ON FUNCTION @extschema@.incident_out(@extschema@.incident) IS 'type I/O, not called directly: the text of a incident';
COMMENT ON FUNCTION @extschema@.incident_recv(internal) IS 'type I/O, not called directly: reads a incident in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.incident_send(@extschema@.incident) IS 'type I/O, not called directly: a incident in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.incident_eq(@extschema@.incident,@extschema@.incident) IS 'operator support (=), use the operator: the same incident';
COMMENT ON FUNCTION @extschema@.incident_ne(@extschema@.incident,@extschema@.incident) IS 'operator support (<>), use the operator: different incidents';
COMMENT ON FUNCTION @extschema@.incident_lt(@extschema@.incident,@extschema@.incident) IS 'operator support (<), use the operator: earlier in btree order';
COMMENT ON FUNCTION @extschema@.incident_le(@extschema@.incident,@extschema@.incident) IS 'operator support (<=), use the operator: earlier in btree order or the same';
COMMENT ON FUNCTION @extschema@.incident_gt(@extschema@.incident,@extschema@.incident) IS 'operator support (>), use the operator: later in btree order';
COMMENT ON FUNCTION @extschema@.incident_ge(@extschema@.incident,@extschema@.incident) IS 'operator support (>=), use the operator: later in btree order or the same';
COMMENT ON FUNCTION @extschema@.incident_cmp(@extschema@.incident,@extschema@.incident) IS 'operator class support: btree order: by began, then the other fields (unknown before known)';
COMMENT ON FUNCTION @extschema@.incident_hash(@extschema@.incident) IS 'operator class support: hash';
COMMENT ON FUNCTION @extschema@.incident_hash_extended(@extschema@.incident,bigint) IS 'operator class support: extended hash';
COMMENT ON FUNCTION @extschema@.incident_smaller(@extschema@.incident,@extschema@.incident) IS 'aggregate support: the incident earlier in btree order (min() support)';
COMMENT ON FUNCTION @extschema@.incident_larger(@extschema@.incident,@extschema@.incident) IS 'aggregate support: the incident later in btree order (max() support)';
COMMENT ON FUNCTION @extschema@.criterion_in(cstring) IS 'type I/O, not called directly: reads a criterion from its text';
COMMENT ON FUNCTION @extschema@.criterion_out(@extschema@.criterion) IS 'type I/O, not called directly: the text of a criterion';
COMMENT ON FUNCTION @extschema@.criterion_recv(internal) IS 'type I/O, not called directly: reads a criterion in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.criterion_send(@extschema@.criterion) IS 'type I/O, not called directly: a criterion in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.criterion_eq(@extschema@.criterion,@extschema@.criterion) IS 'operator support (=), use the operator: same rule (same canonical form)';
COMMENT ON FUNCTION @extschema@.tlp_in(cstring) IS 'type I/O, not called directly: reads a tlp from its text';
COMMENT ON FUNCTION @extschema@.tlp_out(@extschema@.tlp) IS 'type I/O, not called directly: the text of a tlp';
COMMENT ON FUNCTION @extschema@.tlp_recv(internal) IS 'type I/O, not called directly: reads a tlp in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.tlp_send(@extschema@.tlp) IS 'type I/O, not called directly: a tlp in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.tlp_eq(@extschema@.tlp,@extschema@.tlp) IS 'operator support (=), use the operator: same label';
COMMENT ON FUNCTION @extschema@.tlp_ne(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<>), use the operator: different labels';
COMMENT ON FUNCTION @extschema@.tlp_lt(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<), use the operator: less restricted';
COMMENT ON FUNCTION @extschema@.tlp_le(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<=), use the operator: less restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_gt(@extschema@.tlp,@extschema@.tlp) IS 'operator support (>), use the operator: more restricted';
COMMENT ON FUNCTION @extschema@.tlp_ge(@extschema@.tlp,@extschema@.tlp) IS 'operator support (>=), use the operator: more restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_cmp(@extschema@.tlp,@extschema@.tlp) IS 'operator class support: btree comparison, clear < green < amber < amber+strict < red';
COMMENT ON FUNCTION @extschema@.tlp_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.tlp_hash(@extschema@.tlp) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.tlp_hash_extended(@extschema@.tlp,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.tlp_smaller(@extschema@.tlp,@extschema@.tlp) IS 'aggregate support: the less restricted label (min() support)';
COMMENT ON FUNCTION @extschema@.tlp_larger(@extschema@.tlp,@extschema@.tlp) IS 'aggregate support: the more restricted label (max() support)';
-- 360_map.sql: impact_map(), the impact of a failure drawn as an SVG document (issue 14,
-- section 4): every located service instance that impact() finds hit, coloured by the hour
-- of its onset, over an optional background of polygons (the prefectures, say), with a
-- title, a legend of the onset bins and the data's credit line.
--
-- Decisions (README "A map"):
--   * The background is an argument (background geometry[], SRID 4326, polygons), never a
--     table of the extension's or the demo's: without it only the affected areas are drawn.
--   * Web Mercator (EPSG:3857), fitted into a 720 x 720 pixel frame around the affected areas
--     (or the background when nothing located is hit), simplified to half a pixel, written
--     in pixel coordinates (one decimal); ST_AsSVG turns y down (SVG's y axis).
--   * Areas are drawn latest onset first, so where areas overlap the earliest onset is on
--     top: a place shows when trouble starts there.  One <path> per affected area, with a
--     <title> (the instance, its service, onset and recovery) that viewers show on hover.
--   * Every text from data or arguments is XML-escaped (and stripped of the control
--     characters XML 1.0 forbids); the document has no XML declaration: it is the
--     database's text, UTF-8 when written by a UTF-8 client.
--   * The credit line defaults to the one MLIT requires for the N03 boundaries that the
--     demo and README use; pass the credit of your own data (or '' for none).
-- The functions pin search_path to pg_catalog, pg_temp and their operators meet only
-- PostgreSQL's own types (PostgreSQL never looks for operators in pg_temp), so they are
-- written plainly; PostGIS's functions are qualified with its schema.

-- Text for XML content and attribute values.
CREATE FUNCTION @extschema@._xml_escape(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           pg_catalog.regexp_replace(t, '[\x01-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]', '', 'g'),
           '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
$$;
COMMENT ON FUNCTION @extschema@._xml_escape(text) IS
  'internal: text escaped for XML content and attribute values (& < > " '' escaped; control characters XML 1.0 forbids removed)';

-- The renderer, shared by the three forms of impact_map().  PostGIS may live in any schema:
-- its functions are qualified with that schema, found when the function is created.
DO $map$
DECLARE
  gis text := (SELECT pg_catalog.quote_ident(n.nspname)
                 FROM pg_catalog.pg_extension e
                 JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname = 'postgis');
BEGIN
  EXECUTE pg_catalog.replace($fn$
CREATE FUNCTION @extschema@._impact_svg(
    hits @extschema@.impact_row[], began timestamptz, lasted interval,
    background @gis@.geometry[], title text, credit text)
  RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  map_max CONSTANT double precision := 720;   -- the map frame's largest side, pixels
  left_ CONSTANT double precision := 20;      -- the frame's left edge
  top_ CONSTANT double precision := 52;       -- the frame's top edge (below the title)
  legend_w CONSTANT double precision := 270;
  bad record;
  bg @gis@.geometry[];
  ext @gis@.box2d;
  xmin double precision; ymin double precision; xmax double precision; ymax double precision;
  pad double precision;
  s double precision;                          -- pixels per metre (EPSG:3857)
  map_w double precision; map_h double precision;
  width double precision; height double precision;
  tol double precision;
  drawn integer;
  unlocated integer;
  origins text;
  svg text;
  background_paths text;
  hit_paths text;
  legend text;
  bins_shown integer;
BEGIN
  IF began IS NULL OR lasted IS NULL THEN
    RAISE EXCEPTION 'began and lasted must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- The background: polygons in SRID 4326, as impact()'s footprint; NULLs and empties skipped.
  SELECT k, g INTO bad FROM pg_catalog.unnest(background) WITH ORDINALITY AS b(g, k)
   WHERE g IS NOT NULL AND (@gis@.ST_SRID(g) <> 4326
         OR (NOT @gis@.ST_IsEmpty(g) AND @gis@.ST_Dimension(g) <> 2))
   ORDER BY k LIMIT 1;
  IF FOUND THEN
    IF @gis@.ST_SRID(bad.g) <> 4326 THEN
      RAISE EXCEPTION 'background element % has SRID %, not 4326', bad.k, @gis@.ST_SRID(bad.g)
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'Give the background in longitude and latitude: ST_Transform(g, 4326), or ST_SetSRID(g, 4326) when it has no SRID.';
    END IF;
    RAISE EXCEPTION 'background element % is a %, not a polygon', bad.k, @gis@.GeometryType(bad.g)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The background is areas: Polygon or MultiPolygon (ST_CollectionExtract(g, 3) keeps the polygons of a collection).';
  END IF;

  SELECT pg_catalog.count(*) FILTER (WHERE h.area IS NOT NULL AND NOT @gis@.ST_IsEmpty(h.area)),
         pg_catalog.count(*) FILTER (WHERE h.area IS NULL OR @gis@.ST_IsEmpty(h.area)),
         @gis@.ST_Extent(h.area)
    INTO drawn, unlocated, ext
    FROM pg_catalog.unnest(hits) h;
  -- Mercator keeps x and y apart: the projected corners bound the projected areas
  ext := @gis@.Box2D(@gis@.ST_Transform(@gis@.ST_SetSRID(ext::@gis@.geometry, 4326), 3857));

  IF title IS NULL THEN
    SELECT pg_catalog.string_agg(coalesce(si.name, h.service::text || ' #'
                                   || h.instance::text), ' + ' ORDER BY h.instance)
      INTO origins
      FROM pg_catalog.unnest(hits) h
      LEFT JOIN @extschema@.service_instance si ON si.id = h.instance
     WHERE h.depth = 0;
    title := 'Impact of ' || coalesce(origins, 'a failure')
             || ' out from '
             || pg_catalog.to_char(began, 'YYYY-MM-DD HH24:MI TZ')
             || ' for '
             || pg_catalog.trim_scale(pg_catalog.round((pg_catalog.date_part('epoch', lasted)
                                       / 3600)::numeric, 1))::text
             || ' h';
  END IF;

  SELECT pg_catalog.array_agg(@gis@.ST_Transform(g, 3857)) INTO bg
    FROM pg_catalog.unnest(background) b(g)
   WHERE g IS NOT NULL AND NOT @gis@.ST_IsEmpty(g);

  -- The frame: around the affected areas, else the background, else an empty square.
  IF ext IS NULL THEN
    SELECT @gis@.ST_Extent(g) INTO ext FROM pg_catalog.unnest(bg) g;
  END IF;
  IF ext IS NULL THEN
    xmin := 0; ymin := 0; xmax := 1; ymax := 1; pad := 0;
  ELSE
    xmin := @gis@.ST_XMin(ext); ymin := @gis@.ST_YMin(ext);
    xmax := @gis@.ST_XMax(ext); ymax := @gis@.ST_YMax(ext);
    pad := GREATEST(xmax - xmin, ymax - ymin)
           * 0.05 + 1000;
  END IF;
  xmin := xmin - pad; ymin := ymin - pad;
  xmax := xmax + pad; ymax := ymax + pad;
  s := map_max / GREATEST(xmax - xmin, ymax - ymin);
  map_w := pg_catalog.round(((xmax - xmin) * s)::numeric, 1);
  map_h := pg_catalog.round(((ymax - ymin) * s)::numeric, 1);
  width := GREATEST(left_ + map_w + legend_w, 960);
  height := top_ + GREATEST(map_h, 300) + 40;
  tol := 0.5 / s;

  -- metres to pixels: x' = left + (x - xmin) s; ST_AsSVG writes -y, so y' = s y - s ymax - top
  -- (what lies outside the frame is clipped away, and not written)
  SELECT pg_catalog.string_agg('<path d="' ||
           @gis@.ST_AsSVG(@gis@.ST_Affine(@gis@.ST_Simplify(c.g, tol, true),
             s, 0, 0, s, left_ - s * xmin, - top_ - s * ymax), 0, 1)
           || '"/>', E'\n' ORDER BY c.k)
    INTO background_paths
    FROM (SELECT b.k, @gis@.ST_ClipByBox2D(b.g, @gis@.ST_MakeEnvelope(xmin, ymin, xmax, ymax, 3857)) AS g
            FROM pg_catalog.unnest(bg) WITH ORDINALITY AS b(g, k)) c
   WHERE NOT @gis@.ST_IsEmpty(c.g);

  WITH bins(lo, hi, colour, label) AS (VALUES
      (0::double precision, 1::double precision, '#800026', '0-1 h'), (1, 3, '#bd0026', '1-3 h'),
      (3, 6, '#e31a1c', '3-6 h'), (6, 12, '#fc4e2a', '6-12 h'), (12, 24, '#fd8d3c', '12-24 h'),
      (24, 48, '#feb24c', '24-48 h'), (48, 'infinity', '#fed976', '48 h and later')),
  located AS (
    SELECT h.instance, si.name, h.service::text AS service, h.onset, h.recovery,
           pg_catalog.date_part('epoch', h.onset - began) / 3600 AS hours,
           @gis@.ST_Transform(h.area, 3857) AS g
      FROM pg_catalog.unnest(hits) h
      LEFT JOIN @extschema@.service_instance si ON si.id = h.instance
     WHERE h.area IS NOT NULL AND NOT @gis@.ST_IsEmpty(h.area)),
  h AS (
    SELECT h.*, b.colour, b.label, b.lo FROM located h
      JOIN bins b ON h.hours >= b.lo AND h.hours < b.hi)
  SELECT
    (SELECT pg_catalog.string_agg(pg_catalog.format(
         '<path class="affected" data-instance="%s" data-onset-hours="%s" fill="%s" d="%s"><title>%s</title></path>',
         h.instance, pg_catalog.round(h.hours::numeric, 2), h.colour,
         @gis@.ST_AsSVG(@gis@.ST_Affine(@gis@.ST_Simplify(h.g, tol, true),
             s, 0, 0, s, left_ - s * xmin,
             - top_ - s * ymax), 0, 1),
         @extschema@._xml_escape(coalesce(h.name, h.service || ' #' || h.instance::text)
           || ' (' || h.service || '): out from +'
           || pg_catalog.trim_scale(pg_catalog.round(h.hours::numeric, 1))::text
           || ' h, '
           || pg_catalog.to_char(h.onset, 'YYYY-MM-DD HH24:MI TZ')
           || ' to ' || pg_catalog.to_char(h.recovery, 'YYYY-MM-DD HH24:MI TZ'))),
         E'\n' ORDER BY h.onset DESC, h.instance DESC) FROM h),
    l.legend, l.bins
    INTO hit_paths, legend, bins_shown
    FROM (SELECT pg_catalog.string_agg(pg_catalog.format(
         '<g class="legend-bin"><rect x="%s" y="%s" width="18" height="14" fill="%s" stroke="#5a1a1a" stroke-width="0.5"/>'
         '<text x="%s" y="%s">%s</text></g>',
         left_ + map_w + 20, top_ + 30 + 22 * (n - 1),
         p.colour, left_ + map_w + 46,
         top_ + 42 + 22 * (n - 1),
         @extschema@._xml_escape(p.label)), E'\n' ORDER BY n) AS legend,
       pg_catalog.count(*) AS bins
       FROM (SELECT b.colour, b.label, pg_catalog.row_number() OVER (ORDER BY b.lo) AS n
               FROM bins b WHERE EXISTS (SELECT FROM h WHERE h.lo = b.lo)) p) l;

  svg := pg_catalog.format(
'<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Noto Sans CJK JP, IPAPGothic, sans-serif" font-size="13">
<title>%s</title>
<rect width="%s" height="%s" fill="#ffffff"/>
<text class="title" x="%s" y="32" font-size="18" font-weight="bold">%s</text>
<defs><clipPath id="frame"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath></defs>
<g class="map" clip-path="url(#frame)">
<rect x="%s" y="%s" width="%s" height="%s" fill="#dde8f0"/>
<g class="background" fill="#f4f3ee" stroke="#8c8c8c" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">
%s
</g>
<g class="affected" stroke="#4d0013" stroke-width="0.6" stroke-linejoin="round" fill-opacity="0.9" fill-rule="evenodd">
%s
</g>
</g>
<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#444444"/>
<g class="legend">
<text x="%s" y="%s" font-weight="bold">Onset, hours after the failure</text>
%s
<text class="summary" x="%s" y="%s" font-size="11">%s</text>
<text class="note" x="%s" y="%s" font-size="11">where areas overlap,</text>
<text class="note" x="%s" y="%s" font-size="11">the earliest onset is on top</text>
</g>
<text class="credit" x="%s" y="%s" font-size="9">%s</text>
</svg>
',
    width, height, width, height,
    @extschema@._xml_escape(title),
    width, height,
    left_, @extschema@._xml_escape(title),
    left_, top_, map_w, map_h,
    left_, top_, map_w, map_h,
    coalesce(background_paths, ''),
    coalesce(hit_paths, ''),
    left_, top_, map_w, map_h,
    left_ + map_w + 20, top_ + 14,
    coalesce(legend, '<text class="legend-none" x="' || (left_ + map_w + 20)::text
                      || '" y="' || (top_ + 42)::text
                      || '">no located area is hit</text>'),
    left_ + map_w + 20,
    top_ + 40 + 22 * GREATEST(bins_shown, 1),
    @extschema@._xml_escape(drawn::text || ' affected area'
      || CASE WHEN drawn = 1 THEN '' ELSE 's' END
      || CASE WHEN unlocated > 0
           THEN ', ' || unlocated::text || ' not located' ELSE '' END),
    left_ + map_w + 20, top_ + 56 + 22 * GREATEST(bins_shown, 1),
    left_ + map_w + 20, top_ + 70 + 22 * GREATEST(bins_shown, 1),
    left_, height - 14, @extschema@._xml_escape(coalesce(credit, '')));
  RETURN svg;
END $$;
$fn$, '@gis@', gis);
END $map$;
COMMENT ON FUNCTION @extschema@._impact_svg(@extschema@.impact_row[], timestamptz, interval, geometry[], text, text) IS
  'internal: the SVG document of impact_map() from the rows of impact()';

CREATE FUNCTION @extschema@.impact_map(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@._impact_svg(
    (SELECT pg_catalog.array_agg(x) FROM @extschema@.impact(origins, began, lasted, footprint, horizon) x),
    began, lasted, background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(bigint[], timestamptz, interval, geometry, interval, geometry[], text, text) IS
  'impact() as an SVG map: the affected areas coloured by onset hour over an optional background of polygons (SRID 4326), with a title, a legend and a credit line';

CREATE FUNCTION @extschema@.impact_map(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@.impact_map(ARRAY[origin], began, lasted, footprint, horizon, background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(bigint, timestamptz, interval, geometry, interval, geometry[], text, text) IS
  'the map of one instance''s failure (see the bigint[] form)';

CREATE FUNCTION @extschema@.impact_map(
    i @extschema@.incident, origin bigint,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@._impact_svg(
    (SELECT pg_catalog.array_agg(x) FROM @extschema@.impact(i, origin, footprint, horizon) x),
    @extschema@.began(i), coalesce(@extschema@.lasted(i), horizon), background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(@extschema@.incident, bigint, geometry, interval, geometry[], text, text) IS
  'the map of an incident at the service instance where it happened (see impact(incident, ...))';
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
-- The graph's change counter is written by the trigger as the extension's owner, and so
-- is its change log (issue 11).
REVOKE ALL ON @extschema@.graph_version FROM PUBLIC;
REVOKE ALL ON @extschema@.graph_change FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._graph_logged() FROM PUBLIC;

-- Impact: the instance and dependency data is for the roles a DBA grants SELECT to;
-- impact() checks that privilege itself.  The sector matrix is public knowledge.
GRANT SELECT ON @extschema@.sector_dependency, @extschema@.sector_coefficient,
  @extschema@.sector_matrix_removed TO PUBLIC;

-- tlp and the min()/max() aggregates of sector, service, incident and tlp (0.4):
-- usable by PUBLIC, as sector is.  PostgreSQL gives PUBLIC USAGE on a new type
-- and EXECUTE on a new function or aggregate, and nothing here revokes them
-- (test/10_privileges.sql checks it), so there is nothing to grant.
-- Reference data of the registry (issue 12: CEPTOAR codes, exercises, ratings): the
-- exercises are readable by everyone like the catalogues; writing them (users' own
-- exercises) is for the owner and the roles a DBA grants it to.  PUBLIC may not execute
-- the guard, a trigger function; the ratings' error helper stays executable (the rating
-- functions call it with their caller's privileges).
GRANT SELECT ON @extschema@.exercises TO PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._shipped_guard() FROM PUBLIC;

-- The registry (0.4): operators and reports are for the roles a DBA grants them to (the
-- access layer will make the parties); nothing for PUBLIC.  The history is written by the
-- registry's triggers only.
REVOKE ALL ON @extschema@.operator, @extschema@.report, @extschema@.report_revision,
  @extschema@.report_verdicts, @extschema@.report_verification, @extschema@.report_link,
  @extschema@.report_step FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._operator_check(), @extschema@._report_before(),
  @extschema@._report_after(), @extschema@._report_restore(), @extschema@._report_keep(),
  @extschema@._report_step_check(), @extschema@._report_link_check(),
  @extschema@._instance_sector_check(), @extschema@._operator_sector_check() FROM PUBLIC;
-- revoke() and verify() run with their caller's privileges; they are the parties' (access layer)
REVOKE ALL ON FUNCTION @extschema@.revoke(uuid, text), @extschema@.verify(uuid, text, text) FROM PUBLIC;

-- Statistics (0.4, 160_statistics.sql): annual_statistics() and annual_exclusions() stay
-- executable by PUBLIC (the default) and need nothing more: they are SECURITY INVOKER and
-- read ceptoar.report with the caller's privileges, so they count only what the caller may
-- read.  Nothing to grant or revoke (the same in the update script).
-- The registry's flows (0.4): deliveries and alerts are for the roles a DBA grants them to;
-- nothing for PUBLIC.  The upward deliveries are written by the report trigger as the owner;
-- the functions that issue, forward and acknowledge run with their caller's privileges and
-- are not PUBLIC's either (the access layer will grant them to the parties).
REVOKE ALL ON @extschema@.report_delivery, @extschema@.alert, @extschema@.alert_delivery,
  @extschema@.unacknowledged FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._report_deliver(), @extschema@._flow_keep(),
  @extschema@.acknowledge_report(uuid, text),
  @extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp),
  @extschema@.forward_alert(uuid, text), @extschema@.acknowledge_alert(uuid, text) FROM PUBLIC;
-- Parties (0.4, 200_party.sql): the roster is the owner's; registering is for the owner
-- and the roles it grants EXECUTE to; every role may ask which party it is.
REVOKE ALL ON @extschema@.party FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.register_party(regrole, text, text),
  @extschema@.unregister_party(regrole),
  @extschema@._party_privileges(regrole, text, boolean) FROM PUBLIC;
-- Recipients of red reports (0.4, 210_report_recipient.sql): for the parties (access layer).
REVOKE ALL ON @extschema@.report_recipient FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._report_recipient_check() FROM PUBLIC;
-- Anonymised sharing (0.4, 230_shared_reports.sql): every role reads shared_reports (the
-- view limits the rows to its party).  The key is the owner's; rotating it is the owner's
-- (and the roles it grants EXECUTE to).  The read functions (response_timeline,
-- suspected_origins, verdicts) stay PUBLIC's: they answer for the caller's party only.
GRANT SELECT ON @extschema@.shared_reports TO PUBLIC;
REVOKE ALL ON @extschema@.pseudonym_key, @extschema@._viewer FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._pseudonym_pads(), @extschema@._pseudonym_key_restore(),
  @extschema@.rotate_pseudonym_key(), @extschema@._sees(uuid) FROM PUBLIC;
-- Who writes the configuration, and the audit of identity reads (0.4, 240_access_config.sql):
-- the triggers' functions and the parties' grants are not PUBLIC's; the audit is the owner's.
-- _audit_read() stays executable by PUBLIC: it runs as its caller and records the caller
-- itself, so that every reader the registry's functions reveal identity to is recorded.
REVOKE ALL ON @extschema@.identity_reads FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._rules_writer(), @extschema@._graph_writer(),
  @extschema@._operator_levels_writer(), @extschema@._identity_reads_keep(),
  @extschema@._party_privileges_config(regrole, text, boolean) FROM PUBLIC;
-- Access (0.4, 220_access.sql): the parties' privileges on the registry are granted by
-- register_party (_party_privileges_registry); PUBLIC keeps nothing.  _party_require() and
-- _today_jst() stay PUBLIC's (they tell the caller about itself, and today); _named_reports
-- and _my_alerts show each role its own names and alerts only, and the policies read them
-- (a policy's tables are checked against the querying role's privileges).
REVOKE ALL ON FUNCTION @extschema@._party_privileges_registry(regrole, text, boolean),
  @extschema@._report_recipient_deliver() FROM PUBLIC;
REVOKE ALL ON @extschema@._named_reports, @extschema@._my_alerts FROM PUBLIC;
GRANT SELECT ON @extschema@._named_reports, @extschema@._my_alerts TO PUBLIC;
-- STIX 2.1 (0.5, 300_stix.sql): stix_bundle() stays PUBLIC's (it answers for the caller's
-- party only, through shared_reports); import_stix() runs as its caller, who needs the
-- right to file reports, and stays PUBLIC's too.  What they read as the owner is not
-- PUBLIC's: the incident of a row of shared_reports (a forged row would show any report),
-- the unmapped parts of imported bundles (the owner's), and _stix_keep (import_stix's,
-- which checks the caller may file reports and sees the report).
REVOKE ALL ON @extschema@.stix_unmapped FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._stix_incident(@extschema@.shared_reports) FROM PUBLIC;
-- What the bundles said of imported reports' history (stix_imported) is the owner's,
-- written by _stix_imported, which checks the caller has just filed the report, for
-- import_stix; stix_unmapped_purge() deletes the caller's own unmapped parts (the owner's
-- call: everyone's) and stays PUBLIC's.
REVOKE ALL ON @extschema@.stix_imported FROM PUBLIC;

-- Federation (0.5, 320_federation.sql): the audiences and their copies are the owner's (a
-- hub publishes them; an audience's DBA grants SELECT on its received copy); the triggers'
-- functions and federation_refresh() are not PUBLIC's.  The *_sql functions only write
-- statements and stay PUBLIC's.
REVOKE ALL ON @extschema@.federation_audience, @extschema@.audience_copy FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._federation_copy(uuid[]), @extschema@._federation_written(),
  @extschema@._federation_row(), @extschema@._federation_truncate(), @extschema@.federation_refresh() FROM PUBLIC;

-- The map (0.5, 360_map.sql): impact_map() and its helpers _impact_svg() and _xml_escape()
-- stay executable by PUBLIC (the default), as impact() is: they run with their caller's
-- privileges, and impact() checks that the caller may read the graph.  Nothing to grant
-- or revoke (the same in the update script, src/updates/0.5/960_map_privileges.sql).
