-- drivers (0.5): impact()'s area is typed geometry(MultiPolygon, 4326), as it always was
-- in fact (the README and the column's comment say so), so that a view over impact()
-- appears in geometry_columns with its type and GDAL/QGIS export it without -nlt.
-- A user's view that reads the column blocks the change (PostgreSQL cannot alter a type
-- under a view): then the column stays untyped, which works as in 0.4, and a warning says
-- what to do; the update goes on.
DO $impact_area$
BEGIN
  ALTER TYPE @extschema@.impact_row ALTER ATTRIBUTE area TYPE geometry(MultiPolygon, 4326);
EXCEPTION WHEN feature_not_supported THEN
  RAISE WARNING '@extschema@.impact_row.area stays of type geometry: %', SQLERRM
    USING DETAIL = 'GDAL and QGIS see that column''s geometry type as unknown (give ogr2ogr -nlt MULTIPOLYGON).',
          HINT = 'Drop the views that read impact()''s area, run ALTER TYPE @extschema@.impact_row ALTER ATTRIBUTE area TYPE geometry(MultiPolygon, 4326), and create them again.';
END
$impact_area$;
