-- 105_operator.sql: the operators that report (重要インフラ事業者等): companies and local
-- governments providing a critical-infrastructure service, each in one sector and, where
-- its sector has one, one CEPTOAR.

CREATE TABLE @extschema@.operator (
  code            text PRIMARY KEY
                  CHECK (code OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name            text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''),
  name_ja         text,
  sector          @extschema@.sector NOT NULL,
  ceptoar         text CHECK (ceptoar IS NULL OR @extschema@.ceptoar_exists(ceptoar)),
  contact         text,
  service_levels  text REFERENCES @extschema@.rule_set (code) ON UPDATE CASCADE,
  registered      timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.operator IS
  'operators (重要インフラ事業者等) that report IT failures: a stable ASCII code, the sector, the CEPTOAR (NULL if none), the contact point and the operator''s own service-level rule set';
COMMENT ON COLUMN @extschema@.operator.code IS
  'stable ASCII code: lower-case letters, digits, ''_'', ''.'', ''-'', at most 63 characters';
COMMENT ON COLUMN @extschema@.operator.ceptoar IS 'code of its CEPTOAR in ceptoar.ceptoars, NULL if none';
COMMENT ON COLUMN @extschema@.operator.contact IS 'contact point (窓口) for reports and alerts';
COMMENT ON COLUMN @extschema@.operator.service_levels IS
  'the operator''s own service levels (a rule set of kind service_level), checked on every report';

-- the operator's service levels are a rule set of kind service_level
CREATE FUNCTION @extschema@._operator_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.code OPERATOR(pg_catalog.!~) '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'invalid operator code %', pg_catalog.quote_literal(NEW.code)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'An operator code is stable ASCII: lower-case letters, digits, ''_'', ''.'' and ''-'', starting with a letter or digit, at most 63 characters.';
  END IF;
  -- deliveries and alerts name their recipients by code: an operator's may not be another's
  IF NEW.code OPERATOR(pg_catalog.=) 'nisc' OR @extschema@.ceptoar_exists(NEW.code)
     OR EXISTS (SELECT 1 FROM @extschema@.ministries m WHERE m.code OPERATOR(pg_catalog.=) NEW.code) THEN
    RAISE EXCEPTION 'operator code % is the code of NISC, a ministry or a CEPTOAR', pg_catalog.quote_literal(NEW.code)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Reports and alerts are delivered to recipients by code; give the operator a code of its own, e.g. its company name.';
  END IF;
  IF NEW.ceptoar IS NOT NULL AND NOT @extschema@.ceptoar_exists(NEW.ceptoar) THEN
    RAISE EXCEPTION 'unknown CEPTOAR %', pg_catalog.quote_literal(NEW.ceptoar)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'CEPTOAR codes are the code column of ceptoar.ceptoars.';
  END IF;
  IF NEW.service_levels IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM @extschema@.rule_set s
        WHERE s.code OPERATOR(pg_catalog.=) NEW.service_levels
          AND s.kind OPERATOR(pg_catalog.=) 'service_level') THEN
    RAISE EXCEPTION 'rule set % is not a set of service levels', NEW.service_levels
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'An operator''s service_levels name a rule set of kind service_level.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._operator_check() IS
  'operator: a valid code, a known CEPTOAR, service_levels naming a rule set of kind service_level';
CREATE TRIGGER operator_check BEFORE INSERT OR UPDATE ON @extschema@.operator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._operator_check();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.operator', '');
