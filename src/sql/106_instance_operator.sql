-- 106_instance_operator.sql: a service instance is delivered by an operator of
-- ceptoar.operator (issue 12, section 1), and an operator delivers its own sector's
-- services.  Its own fragment, after 105_operator.sql, because the update from 0.3 must
-- first turn the free-text operators of existing instances into operator rows
-- (src/updates/0.4/106_instance_operator_migrate.sql) before this runs.

ALTER TABLE @extschema@.service_instance
  ADD CONSTRAINT service_instance_operator_fkey FOREIGN KEY (operator)
  REFERENCES @extschema@.operator (code) ON UPDATE CASCADE;
COMMENT ON COLUMN @extschema@.service_instance.operator IS
  'code of the operator (ceptoar.operator) that delivers it; the service must be of the operator''s sector';
-- an operator's instances: the foreign key's ON UPDATE CASCADE and the check on deleting
-- an operator or changing its sector find them by this index
CREATE INDEX service_instance_operator ON @extschema@.service_instance (operator);

-- The sector check, once per statement over its transition table: a bulk load of a
-- million instances pays one aggregate (0.26 s), not a PL/pgSQL call per row (+7 s;
-- measured for CHANGELOG 0.4).  The operators' rows are locked FOR SHARE, so that an operator's
-- sector cannot change under instances being written (_operator_sector_check below sees
-- them once they are committed).  SECURITY DEFINER: like the foreign key's own check, it
-- reads ceptoar.operator whatever the writer's privileges on it.
CREATE FUNCTION @extschema@._instance_sector_check() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  bad record;
BEGIN
  FOR bad IN
    SELECT d.id, d.operator, d.sector, o.sector AS operator_sector
      FROM (SELECT n.operator, @extschema@.sector(n.service) AS sector, pg_catalog.min(n.id) AS id
              FROM new_instances n GROUP BY 1, 2) d
      JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) d.operator
     ORDER BY d.id
       FOR SHARE OF o
  LOOP
    IF bad.sector OPERATOR(@extschema@.<>) bad.operator_sector THEN
      RAISE EXCEPTION 'operator % is in sector %, the service % of instance % is not',
          pg_catalog.quote_literal(bad.operator), bad.operator_sector,
          (SELECT n.service FROM new_instances n WHERE n.id OPERATOR(pg_catalog.=) bad.id LIMIT 1), bad.id
        USING ERRCODE = 'invalid_parameter_value',
              HINT = pg_catalog.format('An operator delivers its own sector''s services: give the instance an operator of sector %s (ceptoar.operator), or a service of sector %s.',
                                       bad.sector, bad.operator_sector);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._instance_sector_check() IS
  'service_instance: each instance''s service is of its operator''s sector (once per statement)';
CREATE TRIGGER instance_sector_check AFTER INSERT ON @extschema@.service_instance
  REFERENCING NEW TABLE AS new_instances
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._instance_sector_check();
CREATE TRIGGER instance_sector_check_update AFTER UPDATE ON @extschema@.service_instance
  REFERENCING NEW TABLE AS new_instances
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._instance_sector_check();

-- The other side: an operator's sector changes only if none of its instances is left in
-- the old one.  SECURITY DEFINER: reads service_instance whatever the writer's privileges.
CREATE FUNCTION @extschema@._operator_sector_check() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  inst record;
BEGIN
  SELECT i.id, i.service INTO inst FROM @extschema@.service_instance i
   WHERE i.operator OPERATOR(pg_catalog.=) OLD.code
     AND @extschema@.sector(i.service) OPERATOR(@extschema@.<>) NEW.sector
   ORDER BY i.id LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'operator % cannot move to sector %: its instance % delivers %',
        pg_catalog.quote_literal(OLD.code), NEW.sector, inst.id, inst.service
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'An operator delivers its own sector''s services: give its instances of other sectors other operators (UPDATE ceptoar.service_instance SET operator = ...) first.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._operator_sector_check() IS
  'operator: its sector changes only if all its service instances are in the new sector';
CREATE TRIGGER operator_sector_check BEFORE UPDATE OF sector ON @extschema@.operator
  FOR EACH ROW WHEN (OLD.sector OPERATOR(@extschema@.<>) NEW.sector)
  EXECUTE FUNCTION @extschema@._operator_sector_check();
