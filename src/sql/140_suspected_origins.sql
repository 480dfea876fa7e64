-- 140_suspected_origins.sql: which earlier failures in other sectors may have caused this one
-- (a cascade, seed 000), found by the impact engine.  For a report the caller sees
-- (shared_reports), and only the origins it sees: it runs as the extension's owner (the
-- impact engine reads every service instance) and asks _sees() (230_shared_reports.sql)
-- what the caller's party sees.  An origin's instance is given only where the caller sees
-- who reported it (and recorded as a read of its identity, section 7), the supplier on the
-- path (via) only where it sees who reported both.

CREATE FUNCTION @extschema@.suspected_origins(report uuid, horizon interval DEFAULT '7 days',
    OUT origin uuid, OUT origin_sector @extschema@.sector, OUT origin_instance bigint,
    OUT depth integer, OUT via bigint, OUT expected_onset timestamptz)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER ROWS 10
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r       @extschema@.report;
  t       timestamptz;
  ident   boolean := @extschema@._sees(report);
BEGIN
  SELECT * INTO r FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) suspected_origins.report;
  IF ident IS NULL OR NOT FOUND THEN
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
    -- an origin shown with its identity (its instance) is an identity read: audited
    SELECT CASE WHEN q.seen THEN @extschema@._audit_read(q.id, 'identity') ELSE q.id END,
           q.sector, CASE WHEN q.seen THEN q.instance END, q.depth,
           CASE WHEN q.seen AND ident THEN q.via END, q.onset
      FROM (SELECT c.id, c.sector_code::@extschema@.sector AS sector, c.instance, i.depth, i.via, i.onset,
                   @extschema@._sees(c.id) AS seen
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
            OFFSET 0) q   -- the party's sight of the few candidates only
     WHERE q.seen IS NOT NULL
     ORDER BY q.onset, q.depth, q.id;
END $$;
COMMENT ON FUNCTION @extschema@.suspected_origins(uuid, interval) IS
  'for a report the caller sees: earlier, unrevoked incidents in other sectors (of the same exercise, or real ones for a real report) whose failure reaches this report''s service instance by the time it began, by the impact engine: depth, via and the expected onset; only origins the caller sees, their instance only where it sees who reported them';
