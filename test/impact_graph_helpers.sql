-- test/impact_graph_helpers.sql: shorthands for building graphs in the tests that compare
-- the engine with its SQL reference (30_impact_random.sql, 35_impact_random_hostile.sql);
-- included after test/reference_impact.sql, inside the test's transaction.

-- An operator per sector, op-<sector> (an instance's operator is of its service's sector),
-- and the operator of a service.
INSERT INTO ceptoar.operator (code, name, sector)
SELECT 'op-' || s.code::text, 'operator of ' || s.code::text, s.code FROM ceptoar.sectors s;
CREATE FUNCTION ceptoar_ref.op(svc ceptoar.service) RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT 'op-' || ceptoar.sector(svc)::text $$;

-- Hand-made graphs: instance and dependency shorthands.
CREATE FUNCTION ceptoar_ref.inst(id bigint, svc text, pop bigint, area geometry DEFAULT NULL,
    site geometry DEFAULT NULL) RETURNS void
  LANGUAGE sql VOLATILE
  AS $$ INSERT INTO ceptoar.service_instance (id, service, population, operator, area, site)
        VALUES (id, svc::ceptoar.service, pop, ceptoar_ref.op(svc::ceptoar.service), area, site) $$;
CREATE FUNCTION ceptoar_ref.dep(dependent bigint, supplier bigint, buffer interval,
    mode text DEFAULT 'area') RETURNS void
  LANGUAGE sql VOLATILE
  AS $$ INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
        VALUES (dependent, supplier, buffer, mode) $$;
CREATE FUNCTION ceptoar_ref.box(x0 float8, y0 float8, x1 float8, y1 float8) RETURNS geometry
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT ST_Multi(ST_MakeEnvelope(x0, y0, x1, y1, 4326)) $$;
CREATE FUNCTION ceptoar_ref.pt(x float8, y float8) RETURNS geometry
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT ST_SetSRID(ST_MakePoint(x, y), 4326) $$;

-- random picks for the generated graphs
CREATE FUNCTION ceptoar_ref.pick(a anyarray) RETURNS anyelement
  LANGUAGE sql VOLATILE
  AS $$ SELECT a[array_lower(a, 1) + floor(random() * cardinality(a))::integer] $$;

-- a rectangle whose sides come from the pools (two different values on each axis)
CREATE FUNCTION ceptoar_ref.pool_box(lons float8[], lats float8[]) RETURNS geometry
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  x0 float8 := ceptoar_ref.pick(lons); x1 float8 := ceptoar_ref.pick(lons);
  y0 float8 := ceptoar_ref.pick(lats); y1 float8 := ceptoar_ref.pick(lats);
BEGIN
  WHILE x1 = x0 LOOP x1 := ceptoar_ref.pick(lons); END LOOP;
  WHILE y1 = y0 LOOP y1 := ceptoar_ref.pick(lats); END LOOP;
  RETURN ST_MakeEnvelope(least(x0, x1), least(y0, y1), greatest(x0, x1), greatest(y0, y1), 4326);
END $$;
