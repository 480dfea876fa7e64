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
