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
