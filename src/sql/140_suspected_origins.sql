-- 140_suspected_origins.sql: which earlier failures in other sectors may have caused this one
-- (a cascade, seed 000), found by the impact engine.

CREATE FUNCTION @extschema@.suspected_origins(report uuid, horizon interval DEFAULT '7 days',
    OUT origin uuid, OUT origin_sector @extschema@.sector, OUT origin_instance bigint,
    OUT depth integer, OUT via bigint, OUT expected_onset timestamptz)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT ROWS 10
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r       @extschema@.report;
  t       timestamptz;
BEGIN
  SELECT * INTO r FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) suspected_origins.report;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF r.instance IS NULL OR r.incident IS NULL THEN
    RAISE EXCEPTION 'report % names no service instance hit', report
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Set the report''s instance (and its incident) to find what may have caused it.';
  END IF;
  t := @extschema@.began(r.incident);
  -- origin_instance names the origin's operator: each origin shown is audited (section 7)
  RETURN QUERY
    SELECT @extschema@._audit_read(c.id, 'identity'), c.sector_code::@extschema@.sector, c.instance, i.depth, i.via, i.onset
      FROM @extschema@.report c
     CROSS JOIN LATERAL @extschema@.impact(ARRAY[c.instance], @extschema@.began(c.incident),
            COALESCE(@extschema@.lasted(c.incident), horizon), NULL, horizon) i
     WHERE c.id OPERATOR(pg_catalog.<>) r.id
       AND c.kind OPERATOR(pg_catalog.=) 'incident' AND c.instance IS NOT NULL
       AND c.revoked IS NULL AND c.exercise IS NOT DISTINCT FROM r.exercise
       AND c.sector_code OPERATOR(pg_catalog.<>) r.sector_code
       AND @extschema@.began(c.incident) OPERATOR(pg_catalog.<) t
       AND @extschema@.began(c.incident) OPERATOR(pg_catalog.>=) (t OPERATOR(pg_catalog.-) horizon)
       AND i.instance OPERATOR(pg_catalog.=) r.instance AND i.onset OPERATOR(pg_catalog.<=) t
     ORDER BY i.onset, i.depth, c.id;
END $$;
COMMENT ON FUNCTION @extschema@.suspected_origins(uuid, interval) IS
  'earlier, unrevoked incidents in other sectors (of the same exercise, or real ones for a real report) whose failure reaches this report''s service instance by the time it began, by the impact engine: depth, via and the expected onset';
