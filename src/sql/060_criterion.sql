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
