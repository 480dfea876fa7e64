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
