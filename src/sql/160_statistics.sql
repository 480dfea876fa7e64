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
-- Both are SECURITY INVOKER: they read ceptoar.report as the caller, so they count what the
-- caller may see (the table's privileges, and row-level security once the access layer has
-- it).  They read plain columns of report only, which the registry maintains (no function
-- call per row): fiscal_year, kind, is_exercise and is_revoked filter the rows, and
-- annual_statistics reads them from the partial index report_statistics (130_report.sql),
-- which holds the counted reports in the order it groups them (sector_code, cause, level,
-- level_rule_set) with user_hours, lasted, reported and detected; annual_exclusions, which
-- counts every report of the year, finds them by the index on (sector_code, fiscal_year).

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
                 median_duration interval, duration_unknown bigint)
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM @extschema@._fiscal_year_check(annual_statistics.fiscal_year);
  RETURN QUERY
  SELECT g.sector_code::@extschema@.sector, g.cause, COALESCE(g.level, 'none'), g.rule_set,
         g.incidents, g.user_hours, g.user_hours_unknown, g.median_delay, g.delay_unknown,
         g.median_duration, g.duration_unknown
    FROM (SELECT r.sector_code, r.cause, r.level, r.level_rule_set AS rule_set,
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
           GROUP BY 1, 2, 3, 4) g
   ORDER BY 1, 2, pg_catalog.array_position(ARRAY['exceeds', 'within', 'undetermined', 'no_rule', 'none'],
                                            COALESCE(g.level, 'none')), 4;
END $$;
COMMENT ON FUNCTION @extschema@.annual_statistics(integer) IS
  'the real, standing incidents of a fiscal year (Japan time) by sector, cause and verification level (outcome: exceeds, within, undetermined, no_rule, none; outcome_rule_set: the plan''s rule set the level was computed with): count, user hours (of those that give them; user_hours_unknown: how many do not), median detection-to-report delay and duration with the counts of unknowns; exercises, revoked reports, near misses and threats are left out (annual_exclusions)';

CREATE FUNCTION @extschema@.annual_exclusions(fiscal_year integer)
  RETURNS TABLE (sector @extschema@.sector, reports bigint, counted bigint, exercises bigint,
                 revoked bigint, near_misses bigint, threats bigint)
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM @extschema@._fiscal_year_check(annual_exclusions.fiscal_year);
  RETURN QUERY
  SELECT r.sector_code::@extschema@.sector,
         pg_catalog.count(*),
         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'incident'),
         pg_catalog.count(*) FILTER (WHERE r.is_exercise),
         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND r.is_revoked),
         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'near_miss'),
         pg_catalog.count(*) FILTER (WHERE NOT r.is_exercise AND NOT r.is_revoked AND r.kind OPERATOR(pg_catalog.=) 'threat')
    FROM @extschema@.report r
   WHERE r.sector_code OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT s.code::text FROM @extschema@._sectors() s))
     AND r.fiscal_year OPERATOR(pg_catalog.=) annual_exclusions.fiscal_year
   GROUP BY r.sector_code
   ORDER BY 1;
END $$;
COMMENT ON FUNCTION @extschema@.annual_exclusions(integer) IS
  'every report of a fiscal year (Japan time) per sector: counted by annual_statistics, and left out as exercises, else revoked, else near misses or threats (each report once: reports = counted + exercises + revoked + near_misses + threats)';
