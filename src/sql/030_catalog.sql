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
