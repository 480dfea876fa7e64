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
