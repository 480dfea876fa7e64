-- 0.4/106_instance_operator_migrate.sql: in 0.3 service_instance.operator is free text;
-- in 0.4 it refers to ceptoar.operator (src/sql/106_instance_operator.sql, which runs
-- right after this).  Every distinct value becomes an operator (code and name the value,
-- the sector of its instances' services) if it can: a valid operator code, not the code
-- of NISC, a ministry or a CEPTOAR, and all its instances in one sector.  If any value
-- cannot, the update stops here and changes nothing (the script is one transaction),
-- naming the values and why, with what to run under 0.3 first.
DO $migrate$
DECLARE
  bad pg_catalog.text;
  nbad pg_catalog.int8;
BEGIN
  WITH v AS (
    SELECT i.operator AS code,
           pg_catalog.array_agg(DISTINCT @extschema@.sector(i.service)::pg_catalog.text) AS sectors
      FROM @extschema@.service_instance i GROUP BY i.operator
  ), why AS (
    SELECT v.code,
           CASE WHEN v.code OPERATOR(pg_catalog.!~) '^[a-z0-9][a-z0-9_.-]{0,62}$'
                  THEN 'not an operator code'
                WHEN v.code OPERATOR(pg_catalog.=) 'nisc' OR @extschema@.ceptoar_exists(v.code)
                     OR EXISTS (SELECT 1 FROM @extschema@.ministries m WHERE m.code OPERATOR(pg_catalog.=) v.code)
                  THEN 'the code of NISC, a ministry or a CEPTOAR'
                WHEN pg_catalog.cardinality(v.sectors) OPERATOR(pg_catalog.>) 1
                  THEN 'instances in sectors ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(v.sectors, ', ')
           END AS reason
      FROM v
  )
  SELECT pg_catalog.string_agg(pg_catalog.format('%L (%s)', w.code, w.reason), ', ' ORDER BY w.code)
           FILTER (WHERE w.rn OPERATOR(pg_catalog.<=) 20),
         pg_catalog.count(*)
    INTO bad, nbad
    FROM (SELECT why.*, pg_catalog.row_number() OVER (ORDER BY why.code) AS rn
            FROM why WHERE why.reason IS NOT NULL) w;
  IF nbad OPERATOR(pg_catalog.>) 0 THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry to 0.4: % operator value(s) of ceptoar.service_instance cannot become operators', nbad
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = 'In 0.4 service_instance.operator refers to ceptoar.operator (code), and an operator delivers only its own sector''s services. These values cannot be migrated: '
                     OPERATOR(pg_catalog.||) bad
                     OPERATOR(pg_catalog.||) CASE WHEN nbad OPERATOR(pg_catalog.>) 20 THEN pg_catalog.format(', and %s more', nbad OPERATOR(pg_catalog.-) 20) ELSE '' END
                     OPERATOR(pg_catalog.||) '.',
            HINT = 'Under 0.3, give those instances operator values that are codes (lower-case letters, digits, ''_'', ''.'', ''-'', starting with a letter or digit, at most 63 characters), not nisc, a ministry''s or a CEPTOAR''s code, one per sector, e.g. UPDATE ceptoar.service_instance SET operator = ''tepco'' WHERE operator = ''TEPCO''; or UPDATE ceptoar.service_instance SET operator = operator || ''-'' || ceptoar.sector(service) WHERE operator = ''x''; then update again. Each value becomes an operator of that code and name.';
  END IF;
  INSERT INTO @extschema@.operator (code, name, sector)
  SELECT DISTINCT i.operator, i.operator, @extschema@.sector(i.service)
    FROM @extschema@.service_instance i;
END
$migrate$;
