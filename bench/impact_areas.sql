-- bench/impact_areas.sql: part B of bench/impact.sh, service areas clipped by a footprint.
-- psql variables: nareas (service areas), have_pref (true/false), preffile (the
-- prefectures GeoJSON, read on the client: the server may be elsewhere).
--
--   id 1           a national instance whose area is Japan's bounding box
--                  (lon 129-146, lat 31-45)
--   ids 2 ..       nareas service areas, each depending on id 1 (mode area, buffer 0):
--                  60 % centred uniformly in the box, 40 % around eight big cities
--                  (triangular spread of +-1.5 deg lon, +-1.2 deg lat); half-sizes
--                  log-uniform 0.01-0.4 deg (squares of 2-80 km), 2 % regional
--                  (0.5-2 deg); half are squares, half buffered points (32-gons)
--   bench.footprint   Aichi (愛知県) from the prefectures file when there is one,
--                  otherwise a ~100 km box around Nagoya
SET work_mem = '256MB';

CREATE TABLE bench.footprint (name text NOT NULL, g geometry(Geometry, 4326) NOT NULL);
\if :have_pref
\set pref `cat :'preffile'`
INSERT INTO bench.footprint
SELECT 'Aichi (愛知県), MLIT N03 2021 simplified to 0.1 % by SmartNews (japan_prefectures_s0001.geojson)',
       ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326)
FROM json_array_elements((:'pref')::json->'features') AS f
WHERE f->'properties'->>'N03_001' = '愛知県';
\unset pref
\else
INSERT INTO bench.footprint
VALUES ('a ~100 km box around Nagoya (no prefectures file found)',
        ST_MakeEnvelope(136.35, 34.72, 137.45, 35.62, 4326));
\endif
SELECT count(*) = 1 AS one_footprint FROM bench.footprint \gset
\if :one_footprint
\else
\echo 'bench/impact_areas.sql: no footprint (Aichi not found in the prefectures file)'
SELECT 1 / 0;
\endif

-- a national operator, and 67 operators per sector (ceptoar.operator): an instance's operator
-- is one of its service's sector
INSERT INTO ceptoar.operator (code, name, sector)
SELECT 'op-' || s.code::text || '-' || k, 'operator ' || s.code::text || ' ' || k, s.code
FROM ceptoar.sectors s, generate_series(0, 66) AS k
UNION ALL
SELECT 'national-operator', 'national operator', 'electricity'
ON CONFLICT DO NOTHING;

INSERT INTO ceptoar.service_instance (id, service, population, operator, name, area)
VALUES (1, 'electricity.supply', 125000000, 'national-operator', 'national',
        ST_Multi(ST_MakeEnvelope(129, 31, 146, 45, 4326)));

INSERT INTO ceptoar.service_instance (id, service, population, operator, name, area)
SELECT i,
       v.service,
       round(exp(ln(1000) + bench.u(i, 12) * ln(1000)))::bigint,
       'op-' || ceptoar.sector(v.service)::text || '-' || (i % 67),
       'area ' || i,
       ST_Multi(CASE WHEN bench.u(i, 13) < 0.5
                     THEN ST_MakeEnvelope(c.x - z.r, c.y - z.r, c.x + z.r, c.y + z.r, 4326)
                     ELSE ST_Buffer(ST_SetSRID(ST_MakePoint(c.x, c.y), 4326), z.r, 'quad_segs=8') END)
FROM generate_series(2, :nareas + 1) AS i,
     (SELECT array_agg(code ORDER BY code::text) AS codes
        FROM ceptoar.services WHERE depth > 1) AS s,
     LATERAL (SELECT s.codes[1 + floor(bench.u(i, 11) * cardinality(s.codes))::int] AS service) AS v,
     LATERAL (SELECT 1 + floor(bench.u(i, 14) * 8)::int AS k) AS city,
     LATERAL (SELECT CASE WHEN bench.u(i, 15) < 0.4
                          THEN ('{139.69,135.50,136.91,130.40,141.35,140.87,132.46,139.02}'::float8[])[city.k]
                               + 1.5 * (bench.u(i, 16) + bench.u(i, 17) - 1)
                          ELSE 129 + 17 * bench.u(i, 16) END AS x,
                     CASE WHEN bench.u(i, 15) < 0.4
                          THEN ('{35.69,34.69,35.18,33.59,43.06,38.27,34.40,37.92}'::float8[])[city.k]
                               + 1.2 * (bench.u(i, 18) + bench.u(i, 19) - 1)
                          ELSE 31 + 14 * bench.u(i, 17) END AS y) AS c,
     LATERAL (SELECT CASE WHEN bench.u(i, 21) < 0.02
                          THEN 0.5 * exp(bench.u(i, 20) * ln(4))
                          ELSE 0.01 * exp(bench.u(i, 20) * ln(40)) END AS r) AS z;

INSERT INTO ceptoar.dependency (dependent, supplier, buffer, mode)
SELECT id, 1, '0', 'area' FROM ceptoar.service_instance WHERE id <> 1;

SELECT setval(pg_get_serial_sequence('ceptoar.service_instance', 'id'), :nareas + 1) \gset
RESET work_mem;
VACUUM (ANALYZE) ceptoar.service_instance, ceptoar.dependency;
