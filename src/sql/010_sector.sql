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
