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
