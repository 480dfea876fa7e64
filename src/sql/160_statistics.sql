-- 160_statistics.sql: the year's IT failures in figures (issue 12, section 6).
--
-- annual_statistics() counts the real, standing incidents of a Japanese fiscal year (Japan
-- time, report.fiscal_year) by sector, cause and verification level; annual_exclusions()
-- counts, per sector, what it leaves out (exercises, revoked reports, near misses, threats),
-- so that the two add up to every report of the year.
--
-- Never mix regimes (cert.at on CIRAS): the outcome is the verification level of the plan
-- (a rule set of kind verification_level, e.g. nisc-2009), never a legal reporting threshold
-- or an operator's service level, and each row names the rule set its outcome comes from: a
-- year in which the plan changes gives one row per plan.  The rule set of a row is the one
-- the reports' level was computed with (report.level_rule_set: the plan in force on the day
-- the incident began, by the registry's own rule, _verification_set, when the report was
-- last written), never a guess made now.
--
-- Who sees what (issue 13, section 5): both count every report of the year and are SECURITY
-- DEFINER, so every party gets the figures, but a figure that counts fewer than k reports
-- (the superuser-only setting ceptoar.statistics_min_reports, default 3) is hidden from the
-- public, and from every party but NISC for the sectors that are not its own (a ministry's:
-- those it is competent for in the year; an operator's or a CEPTOAR's: its sector), with
-- enough other figures of the same sector hidden that no total gives one back (complementary
-- suppression, below).  NISC, the extension's owner, superusers and roles that bypass
-- row-level security with SELECT on ceptoar.report see everything; a role that is no party
-- sees no row.  They read plain columns of report only, which the registry maintains (no
-- function call per row): fiscal_year, kind, is_exercise and is_revoked filter the rows, and
-- annual_statistics reads them from the partial index report_statistics (130_report.sql),
-- which holds the counted reports in the order it groups them (sector_code, cause, level,
-- level_rule_set) with user_hours, lasted, reported and detected; annual_exclusions, which
-- counts every report of the year, finds them by the index on (sector_code, fiscal_year).

CREATE FUNCTION @extschema@._statistics_min_reports() RETURNS integer
  AS 'MODULE_PATHNAME', 'statistics_min_reports' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._statistics_min_reports() IS
  'the setting ceptoar.statistics_min_reports (k of the small-cell suppression), read with the module loaded';

-- The sectors whose figures of a fiscal year the caller sees unsuppressed: every sector for
-- NISC and for whoever reads ceptoar.report whole anyway (superuser, the extension's owner, a
-- role that bypasses row-level security with SELECT on it); a ministry's sectors of the year
-- (competent on its first or last day); an operator's or a CEPTOAR's sector; none for the
-- public; NULL (no figures at all) for a role that is no party.
CREATE FUNCTION @extschema@._statistics_open_sectors(fiscal_year integer) RETURNS text[]
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  who   oid := @extschema@._party_role();
  pkind text := @extschema@._party_kind();
  pcode text := @extschema@._party_code();
  all_sectors text[] := ARRAY(SELECT s.code::text FROM @extschema@._sectors() s);
BEGIN
  IF pkind OPERATOR(pg_catalog.=) 'nisc' OR EXISTS (
       SELECT 1 FROM pg_catalog.pg_roles r
        WHERE r.oid OPERATOR(pg_catalog.=) who
          AND (r.rolsuper
               OR pg_catalog.pg_has_role(who, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.report'::pg_catalog.regclass), 'MEMBER')
               OR (r.rolbypassrls AND pg_catalog.has_table_privilege(who, '@extschema@.report'::pg_catalog.regclass, 'SELECT')))) THEN
    RETURN all_sectors;
  END IF;
  RETURN CASE pkind
    WHEN 'ministry' THEN ARRAY(
      SELECT s FROM pg_catalog.unnest(all_sectors) s
       WHERE @extschema@.ministry(s::@extschema@.sector, pg_catalog.make_date(fiscal_year, 4, 1)) OPERATOR(pg_catalog.=) pcode
          OR @extschema@.ministry(s::@extschema@.sector, pg_catalog.make_date(fiscal_year OPERATOR(pg_catalog.+) 1, 3, 31)) OPERATOR(pg_catalog.=) pcode)
    WHEN 'operator' THEN ARRAY(SELECT o.sector::text FROM @extschema@.operator o WHERE o.code OPERATOR(pg_catalog.=) pcode)
    WHEN 'ceptoar' THEN ARRAY(SELECT DISTINCT c.sector::text FROM @extschema@.ceptoars c WHERE c.code OPERATOR(pg_catalog.=) pcode)
    WHEN 'public' THEN '{}'::text[]
  END;
END $$;
COMMENT ON FUNCTION @extschema@._statistics_open_sectors(integer) IS
  'the sectors whose figures of a fiscal year the caller sees unsuppressed (all, its own, none); NULL if it is no party';

-- A fiscal year whose April 1 and next April 1 are dates (PostgreSQL has no year 0).
CREATE FUNCTION @extschema@._fiscal_year_check(fiscal_year integer) RETURNS void
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF fiscal_year IS NULL OR fiscal_year OPERATOR(pg_catalog.<) 1 OR fiscal_year OPERATOR(pg_catalog.>) 294275 THEN
    RAISE EXCEPTION 'fiscal year % is out of range', COALESCE(fiscal_year::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A fiscal year is a year from 1 to 294275: FY2024 runs from 2024-04-01 to 2025-03-31, Japan time.';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@._fiscal_year_check(integer) IS
  'raises 22023 unless the fiscal year is 1 .. 294275';

CREATE FUNCTION @extschema@.annual_statistics(fiscal_year integer)
  RETURNS TABLE (sector @extschema@.sector, cause text, outcome text, outcome_rule_set text,
                 incidents bigint, user_hours double precision, user_hours_unknown bigint,
                 median_delay interval, delay_unknown bigint,
                 median_duration interval, duration_unknown bigint, suppressed boolean)
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  open  text[];
  k     integer := @extschema@._statistics_min_reports();
BEGIN
  PERFORM @extschema@._fiscal_year_check(annual_statistics.fiscal_year);
  open := @extschema@._statistics_open_sectors(annual_statistics.fiscal_year);
  IF open IS NULL THEN
    RETURN;
  END IF;
  -- Suppression, per sector not open to the caller: a cell of fewer than k incidents is
  -- hidden (primary); then, in the order primary first, smallest next, cells are hidden
  -- until at least two are and they count k or more together, so that the sector's total
  -- (annual_exclusions.counted) minus the cells shown gives no hidden cell back.
  RETURN QUERY
  WITH g AS (
    SELECT r.sector_code, r.cause, r.level, r.level_rule_set AS rule_set,
           pg_catalog.count(*) AS incidents,
           pg_catalog.sum(r.user_hours) AS user_hours,
           pg_catalog.count(*) FILTER (WHERE r.user_hours IS NULL) AS user_hours_unknown,
           pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY r.reported OPERATOR(pg_catalog.-) r.detected) AS median_delay,
           pg_catalog.count(*) FILTER (WHERE r.detected IS NULL) AS delay_unknown,
           pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY r.lasted) AS median_duration,
           pg_catalog.count(*) FILTER (WHERE r.lasted IS NULL) AS duration_unknown
      FROM @extschema@.report r
     -- the plain columns only, those of the partial index report_statistics (its
     -- predicate and its key in the GROUP BY's order: no sort)
     WHERE r.fiscal_year OPERATOR(pg_catalog.=) annual_statistics.fiscal_year
       AND r.kind OPERATOR(pg_catalog.=) 'incident'
       AND NOT r.is_exercise AND NOT r.is_revoked
     GROUP BY 1, 2, 3, 4),
  p AS (
    SELECT g.*, NOT g.sector_code OPERATOR(pg_catalog.=) ANY (open)
                AND g.incidents OPERATOR(pg_catalog.<) k AS primary_hidden
      FROM g),
  o AS (
    SELECT p.*,
           pg_catalog.count(*) FILTER (WHERE p.primary_hidden) OVER (PARTITION BY p.sector_code) AS n_primary,
           pg_catalog.row_number() OVER w AS rn,
           pg_catalog.sum(p.incidents) OVER (w ROWS UNBOUNDED PRECEDING) AS run_sum
      FROM p
    WINDOW w AS (PARTITION BY p.sector_code
                 ORDER BY p.primary_hidden DESC, p.incidents, p.cause, p.level NULLS FIRST, p.rule_set NULLS FIRST)),
  c AS (
    SELECT o.sector_code,
           pg_catalog.min(o.rn) FILTER (WHERE o.rn OPERATOR(pg_catalog.>=) 2 AND o.run_sum OPERATOR(pg_catalog.>=) k) AS enough
      FROM o GROUP BY o.sector_code),
  h AS (
    SELECT o.*, o.n_primary OPERATOR(pg_catalog.>) 0
                AND (c.enough IS NULL OR o.rn OPERATOR(pg_catalog.<=) GREATEST(c.enough, o.n_primary)) AS hidden
      FROM o JOIN c USING (sector_code))
  SELECT h.sector_code::@extschema@.sector, h.cause, COALESCE(h.level, 'none'), h.rule_set,
         CASE WHEN NOT h.hidden THEN h.incidents END,
         CASE WHEN NOT h.hidden THEN h.user_hours END,
         CASE WHEN NOT h.hidden THEN h.user_hours_unknown END,
         CASE WHEN NOT h.hidden THEN h.median_delay END,
         CASE WHEN NOT h.hidden THEN h.delay_unknown END,
         CASE WHEN NOT h.hidden THEN h.median_duration END,
         CASE WHEN NOT h.hidden THEN h.duration_unknown END,
         h.hidden
    FROM h
   ORDER BY 1, 2, pg_catalog.array_position(ARRAY['exceeds', 'within', 'undetermined', 'no_rule', 'none'],
                                            COALESCE(h.level, 'none')), 4;
END $$;
COMMENT ON FUNCTION @extschema@.annual_statistics(integer) IS
  'the real, standing incidents of a fiscal year (Japan time) by sector, cause and verification level (outcome: exceeds, within, undetermined, no_rule, none; outcome_rule_set: the plan''s rule set the level was computed with): count, user hours (of those that give them; user_hours_unknown: how many do not), median detection-to-report delay and duration with the counts of unknowns; exercises, revoked reports, near misses and threats are left out (annual_exclusions); suppressed: the figures are hidden from the caller (fewer than ceptoar.statistics_min_reports reports, or hidden so that no total gives such a cell back)';

CREATE FUNCTION @extschema@.annual_exclusions(fiscal_year integer)
  RETURNS TABLE (sector @extschema@.sector, reports bigint, counted bigint, exercises bigint,
                 revoked bigint, near_misses bigint, threats bigint, suppressed boolean)
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  open  text[];
  k     integer := @extschema@._statistics_min_reports();
BEGIN
  PERFORM @extschema@._fiscal_year_check(annual_exclusions.fiscal_year);
  open := @extschema@._statistics_open_sectors(annual_exclusions.fiscal_year);
  IF open IS NULL THEN
    RETURN;
  END IF;
  -- Suppression, per sector not open to the caller: a part (counted, exercises, revoked,
  -- near misses, threats) of 1 to k-1 reports is hidden, and with it the total (reports),
  -- so that the total minus the parts shown gives no hidden part back.  (A part of 0 is
  -- shown; counted, when shown, is what the sector's cells of annual_statistics add up to.)
  RETURN QUERY
  SELECT x.sector_code::@extschema@.sector,
         CASE WHEN NOT x.hidden THEN x.reports END,
         CASE WHEN NOT (x.guarded AND x.counted OPERATOR(pg_catalog.>) 0 AND x.counted OPERATOR(pg_catalog.<) k) THEN x.counted END,
         CASE WHEN NOT (x.guarded AND x.exercises OPERATOR(pg_catalog.>) 0 AND x.exercises OPERATOR(pg_catalog.<) k) THEN x.exercises END,
         CASE WHEN NOT (x.guarded AND x.revoked OPERATOR(pg_catalog.>) 0 AND x.revoked OPERATOR(pg_catalog.<) k) THEN x.revoked END,
         CASE WHEN NOT (x.guarded AND x.near_misses OPERATOR(pg_catalog.>) 0 AND x.near_misses OPERATOR(pg_catalog.<) k) THEN x.near_misses END,
         CASE WHEN NOT (x.guarded AND x.threats OPERATOR(pg_catalog.>) 0 AND x.threats OPERATOR(pg_catalog.<) k) THEN x.threats END,
         x.hidden
    FROM (SELECT y.*, y.guarded AND EXISTS (
                   SELECT 1 FROM pg_catalog.unnest(ARRAY[y.counted, y.exercises, y.revoked, y.near_misses, y.threats]) v
                    WHERE v OPERATOR(pg_catalog.>) 0 AND v OPERATOR(pg_catalog.<) k) AS hidden
            FROM (SELECT r.sector_code,
                         NOT r.sector_code OPERATOR(pg_catalog.=) ANY (open) AS guarded,
                         pg_catalog.count(*) AS reports,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'incident') AS counted,
                         pg_catalog.count(*) FILTER (WHERE r.is_exercise) AS exercises,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND r.is_revoked) AS revoked,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'near_miss') AS near_misses,
                         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'threat') AS threats
                    FROM @extschema@.report r
                   WHERE r.sector_code OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT s.code::text FROM @extschema@._sectors() s))
                     AND r.fiscal_year OPERATOR(pg_catalog.=) annual_exclusions.fiscal_year
                   GROUP BY r.sector_code) y) x
   ORDER BY 1;
END $$;
COMMENT ON FUNCTION @extschema@.annual_exclusions(integer) IS
  'every report of a fiscal year (Japan time) per sector: counted by annual_statistics, and left out as exercises, else revoked, else near misses or threats (each report once: reports = counted + exercises + revoked + near_misses + threats); suppressed: a part of fewer than ceptoar.statistics_min_reports reports is hidden from the caller, and with it the total';
