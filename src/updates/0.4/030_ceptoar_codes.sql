-- 0.4/030_ceptoar_codes.sql: each CEPTOAR gets a stable ASCII code (issue 12, section 1).
-- The same objects as src/sql/030_catalog.sql: the view gains code as its last column, so
-- CREATE OR REPLACE VIEW keeps it (its privileges, and users' views over it); _ceptoars()
-- keeps 0.3's result type, the code comes from a function of its own.
CREATE FUNCTION @extschema@._ceptoar_code(ordinal integer) RETURNS text
  AS 'MODULE_PATHNAME', 'catalog_ceptoar_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._ceptoar_code(integer) IS
  'the CEPTOAR code of a row of the view ceptoars (by ordinal)';
CREATE OR REPLACE VIEW @extschema@.ceptoars AS
  SELECT c.*, @extschema@._ceptoar_code(c.ordinal) AS code FROM @extschema@._ceptoars() c;
COMMENT ON VIEW @extschema@.ceptoars IS
  'the 15 CEPTOARs of the 10 sectors of the 2nd plan (seed 000), one row per CEPTOAR and business scope as the seed counts them; code names the CEPTOAR (the finance council''s four scopes share code finance); dates are to the month (day 1)';
COMMENT ON COLUMN @extschema@.ceptoars.code IS
  'stable ASCII code of the CEPTOAR (since 0.4): what tables store; one code for the finance council over its four business scopes; check a value with ceptoar_exists(code)';

CREATE FUNCTION @extschema@.ceptoar_exists(code text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'catalog_ceptoar_exists' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ceptoar_exists(text) IS
  'whether a text is the code of a CEPTOAR of the view ceptoars (exact, lower case), for CHECK constraints: a view cannot be referenced by a foreign key';
