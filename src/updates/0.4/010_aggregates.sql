-- 0.4/010_aggregates.sql: min() and max() for the ordered types of 0.3 (sector,
-- service, incident); the same text as in 010_sector.sql, 020_service.sql and
-- 050_incident.sql, where a fresh install creates them.  (tlp's come with its
-- fragment, 100_tlp.sql.)
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
