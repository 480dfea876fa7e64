-- 360_map.sql: impact_map(), the impact of a failure drawn as an SVG document (issue 14,
-- section 4): every located service instance that impact() finds hit, coloured by the hour
-- of its onset, over an optional background of polygons (the prefectures, say), with a
-- title, a legend of the onset bins and the data's credit line.
--
-- Decisions (README "A map"):
--   * The background is an argument (background geometry[], SRID 4326, polygons), never a
--     table of the extension's or the demo's: without it only the affected areas are drawn.
--   * Web Mercator (EPSG:3857), fitted into a 720 x 720 pixel frame around the affected areas
--     (or the background when nothing located is hit), simplified to half a pixel, written
--     in pixel coordinates (one decimal); ST_AsSVG turns y down (SVG's y axis).
--   * Areas are drawn latest onset first, so where areas overlap the earliest onset is on
--     top: a place shows when trouble starts there.  One <path> per affected area, with a
--     <title> (the instance, its service, onset and recovery) that viewers show on hover.
--   * Every text from data or arguments is XML-escaped (and stripped of the control
--     characters XML 1.0 forbids); the document has no XML declaration: it is the
--     database's text, UTF-8 when written by a UTF-8 client.
--   * The credit line defaults to the one MLIT requires for the N03 boundaries that the
--     demo and README use; pass the credit of your own data (or '' for none).
-- The functions pin search_path to pg_catalog, pg_temp and their operators meet only
-- PostgreSQL's own types (PostgreSQL never looks for operators in pg_temp), so they are
-- written plainly; PostGIS's functions are qualified with its schema.

-- Text for XML content and attribute values.
CREATE FUNCTION @extschema@._xml_escape(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           pg_catalog.regexp_replace(t, '[\x01-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]', '', 'g'),
           '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
$$;
COMMENT ON FUNCTION @extschema@._xml_escape(text) IS
  'internal: text escaped for XML content and attribute values (& < > " '' escaped; control characters XML 1.0 forbids removed)';

-- The renderer, shared by the three forms of impact_map().  PostGIS may live in any schema:
-- its functions are qualified with that schema, found when the function is created.
DO $map$
DECLARE
  gis text := (SELECT pg_catalog.quote_ident(n.nspname)
                 FROM pg_catalog.pg_extension e
                 JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname = 'postgis');
BEGIN
  EXECUTE pg_catalog.replace($fn$
CREATE FUNCTION @extschema@._impact_svg(
    hits @extschema@.impact_row[], began timestamptz, lasted interval,
    background @gis@.geometry[], title text, credit text)
  RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  map_max CONSTANT double precision := 720;   -- the map frame's largest side, pixels
  left_ CONSTANT double precision := 20;      -- the frame's left edge
  top_ CONSTANT double precision := 52;       -- the frame's top edge (below the title)
  legend_w CONSTANT double precision := 270;
  bad record;
  bg @gis@.geometry[];
  ext @gis@.box2d;
  xmin double precision; ymin double precision; xmax double precision; ymax double precision;
  pad double precision;
  s double precision;                          -- pixels per metre (EPSG:3857)
  map_w double precision; map_h double precision;
  width double precision; height double precision;
  tol double precision;
  drawn integer;
  unlocated integer;
  origins text;
  svg text;
  background_paths text;
  hit_paths text;
  legend text;
  bins_shown integer;
BEGIN
  IF began IS NULL OR lasted IS NULL THEN
    RAISE EXCEPTION 'began and lasted must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- The background: polygons in SRID 4326, as impact()'s footprint; NULLs and empties skipped.
  SELECT k, g INTO bad FROM pg_catalog.unnest(background) WITH ORDINALITY AS b(g, k)
   WHERE g IS NOT NULL AND (@gis@.ST_SRID(g) <> 4326
         OR (NOT @gis@.ST_IsEmpty(g) AND @gis@.ST_Dimension(g) <> 2))
   ORDER BY k LIMIT 1;
  IF FOUND THEN
    IF @gis@.ST_SRID(bad.g) <> 4326 THEN
      RAISE EXCEPTION 'background element % has SRID %, not 4326', bad.k, @gis@.ST_SRID(bad.g)
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'Give the background in longitude and latitude: ST_Transform(g, 4326), or ST_SetSRID(g, 4326) when it has no SRID.';
    END IF;
    RAISE EXCEPTION 'background element % is a %, not a polygon', bad.k, @gis@.GeometryType(bad.g)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The background is areas: Polygon or MultiPolygon (ST_CollectionExtract(g, 3) keeps the polygons of a collection).';
  END IF;

  SELECT pg_catalog.count(*) FILTER (WHERE h.area IS NOT NULL AND NOT @gis@.ST_IsEmpty(h.area)),
         pg_catalog.count(*) FILTER (WHERE h.area IS NULL OR @gis@.ST_IsEmpty(h.area)),
         @gis@.ST_Extent(h.area)
    INTO drawn, unlocated, ext
    FROM pg_catalog.unnest(hits) h;
  -- Mercator keeps x and y apart: the projected corners bound the projected areas
  ext := @gis@.Box2D(@gis@.ST_Transform(@gis@.ST_SetSRID(ext::@gis@.geometry, 4326), 3857));

  IF title IS NULL THEN
    SELECT pg_catalog.string_agg(coalesce(si.name, h.service::text || ' #'
                                   || h.instance::text), ' + ' ORDER BY h.instance)
      INTO origins
      FROM pg_catalog.unnest(hits) h
      LEFT JOIN @extschema@.service_instance si ON si.id = h.instance
     WHERE h.depth = 0;
    title := 'Impact of ' || coalesce(origins, 'a failure')
             || ' out from '
             || pg_catalog.to_char(began, 'YYYY-MM-DD HH24:MI TZ')
             || ' for '
             || pg_catalog.trim_scale(pg_catalog.round((pg_catalog.date_part('epoch', lasted)
                                       / 3600)::numeric, 1))::text
             || ' h';
  END IF;

  SELECT pg_catalog.array_agg(@gis@.ST_Transform(g, 3857)) INTO bg
    FROM pg_catalog.unnest(background) b(g)
   WHERE g IS NOT NULL AND NOT @gis@.ST_IsEmpty(g);

  -- The frame: around the affected areas, else the background, else an empty square.
  IF ext IS NULL THEN
    SELECT @gis@.ST_Extent(g) INTO ext FROM pg_catalog.unnest(bg) g;
  END IF;
  IF ext IS NULL THEN
    xmin := 0; ymin := 0; xmax := 1; ymax := 1; pad := 0;
  ELSE
    xmin := @gis@.ST_XMin(ext); ymin := @gis@.ST_YMin(ext);
    xmax := @gis@.ST_XMax(ext); ymax := @gis@.ST_YMax(ext);
    pad := GREATEST(xmax - xmin, ymax - ymin)
           * 0.05 + 1000;
  END IF;
  xmin := xmin - pad; ymin := ymin - pad;
  xmax := xmax + pad; ymax := ymax + pad;
  s := map_max / GREATEST(xmax - xmin, ymax - ymin);
  map_w := pg_catalog.round(((xmax - xmin) * s)::numeric, 1);
  map_h := pg_catalog.round(((ymax - ymin) * s)::numeric, 1);
  width := GREATEST(left_ + map_w + legend_w, 960);
  height := top_ + GREATEST(map_h, 300) + 40;
  tol := 0.5 / s;

  -- metres to pixels: x' = left + (x - xmin) s; ST_AsSVG writes -y, so y' = s y - s ymax - top
  -- (what lies outside the frame is clipped away, and not written)
  SELECT pg_catalog.string_agg('<path d="' ||
           @gis@.ST_AsSVG(@gis@.ST_Affine(@gis@.ST_Simplify(c.g, tol, true),
             s, 0, 0, s, left_ - s * xmin, - top_ - s * ymax), 0, 1)
           || '"/>', E'\n' ORDER BY c.k)
    INTO background_paths
    FROM (SELECT b.k, @gis@.ST_ClipByBox2D(b.g, @gis@.ST_MakeEnvelope(xmin, ymin, xmax, ymax, 3857)) AS g
            FROM pg_catalog.unnest(bg) WITH ORDINALITY AS b(g, k)) c
   WHERE NOT @gis@.ST_IsEmpty(c.g);

  WITH bins(lo, hi, colour, label) AS (VALUES
      (0::double precision, 1::double precision, '#800026', '0-1 h'), (1, 3, '#bd0026', '1-3 h'),
      (3, 6, '#e31a1c', '3-6 h'), (6, 12, '#fc4e2a', '6-12 h'), (12, 24, '#fd8d3c', '12-24 h'),
      (24, 48, '#feb24c', '24-48 h'), (48, 'infinity', '#fed976', '48 h and later')),
  located AS (
    SELECT h.instance, si.name, h.service::text AS service, h.onset, h.recovery,
           pg_catalog.date_part('epoch', h.onset - began) / 3600 AS hours,
           @gis@.ST_Transform(h.area, 3857) AS g
      FROM pg_catalog.unnest(hits) h
      LEFT JOIN @extschema@.service_instance si ON si.id = h.instance
     WHERE h.area IS NOT NULL AND NOT @gis@.ST_IsEmpty(h.area)),
  h AS (
    SELECT h.*, b.colour, b.label, b.lo FROM located h
      JOIN bins b ON h.hours >= b.lo AND h.hours < b.hi)
  SELECT
    (SELECT pg_catalog.string_agg(pg_catalog.format(
         '<path class="affected" data-instance="%s" data-onset-hours="%s" fill="%s" d="%s"><title>%s</title></path>',
         h.instance, pg_catalog.round(h.hours::numeric, 2), h.colour,
         @gis@.ST_AsSVG(@gis@.ST_Affine(@gis@.ST_Simplify(h.g, tol, true),
             s, 0, 0, s, left_ - s * xmin,
             - top_ - s * ymax), 0, 1),
         @extschema@._xml_escape(coalesce(h.name, h.service || ' #' || h.instance::text)
           || ' (' || h.service || '): out from +'
           || pg_catalog.trim_scale(pg_catalog.round(h.hours::numeric, 1))::text
           || ' h, '
           || pg_catalog.to_char(h.onset, 'YYYY-MM-DD HH24:MI TZ')
           || ' to ' || pg_catalog.to_char(h.recovery, 'YYYY-MM-DD HH24:MI TZ'))),
         E'\n' ORDER BY h.onset DESC, h.instance DESC) FROM h),
    l.legend, l.bins
    INTO hit_paths, legend, bins_shown
    FROM (SELECT pg_catalog.string_agg(pg_catalog.format(
         '<g class="legend-bin"><rect x="%s" y="%s" width="18" height="14" fill="%s" stroke="#5a1a1a" stroke-width="0.5"/>'
         '<text x="%s" y="%s">%s</text></g>',
         left_ + map_w + 20, top_ + 30 + 22 * (n - 1),
         p.colour, left_ + map_w + 46,
         top_ + 42 + 22 * (n - 1),
         @extschema@._xml_escape(p.label)), E'\n' ORDER BY n) AS legend,
       pg_catalog.count(*) AS bins
       FROM (SELECT b.colour, b.label, pg_catalog.row_number() OVER (ORDER BY b.lo) AS n
               FROM bins b WHERE EXISTS (SELECT FROM h WHERE h.lo = b.lo)) p) l;

  svg := pg_catalog.format(
'<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Noto Sans CJK JP, IPAPGothic, sans-serif" font-size="13">
<title>%s</title>
<rect width="%s" height="%s" fill="#ffffff"/>
<text class="title" x="%s" y="32" font-size="18" font-weight="bold">%s</text>
<defs><clipPath id="frame"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath></defs>
<g class="map" clip-path="url(#frame)">
<rect x="%s" y="%s" width="%s" height="%s" fill="#dde8f0"/>
<g class="background" fill="#f4f3ee" stroke="#8c8c8c" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">
%s
</g>
<g class="affected" stroke="#4d0013" stroke-width="0.6" stroke-linejoin="round" fill-opacity="0.9" fill-rule="evenodd">
%s
</g>
</g>
<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#444444"/>
<g class="legend">
<text x="%s" y="%s" font-weight="bold">Onset, hours after the failure</text>
%s
<text class="summary" x="%s" y="%s" font-size="11">%s</text>
<text class="note" x="%s" y="%s" font-size="11">where areas overlap,</text>
<text class="note" x="%s" y="%s" font-size="11">the earliest onset is on top</text>
</g>
<text class="credit" x="%s" y="%s" font-size="9">%s</text>
</svg>
',
    width, height, width, height,
    @extschema@._xml_escape(title),
    width, height,
    left_, @extschema@._xml_escape(title),
    left_, top_, map_w, map_h,
    left_, top_, map_w, map_h,
    coalesce(background_paths, ''),
    coalesce(hit_paths, ''),
    left_, top_, map_w, map_h,
    left_ + map_w + 20, top_ + 14,
    coalesce(legend, '<text class="legend-none" x="' || (left_ + map_w + 20)::text
                      || '" y="' || (top_ + 42)::text
                      || '">no located area is hit</text>'),
    left_ + map_w + 20,
    top_ + 40 + 22 * GREATEST(bins_shown, 1),
    @extschema@._xml_escape(drawn::text || ' affected area'
      || CASE WHEN drawn = 1 THEN '' ELSE 's' END
      || CASE WHEN unlocated > 0
           THEN ', ' || unlocated::text || ' not located' ELSE '' END),
    left_ + map_w + 20, top_ + 56 + 22 * GREATEST(bins_shown, 1),
    left_ + map_w + 20, top_ + 70 + 22 * GREATEST(bins_shown, 1),
    left_, height - 14, @extschema@._xml_escape(coalesce(credit, '')));
  RETURN svg;
END $$;
$fn$, '@gis@', gis);
END $map$;
COMMENT ON FUNCTION @extschema@._impact_svg(@extschema@.impact_row[], timestamptz, interval, geometry[], text, text) IS
  'internal: the SVG document of impact_map() from the rows of impact()';

CREATE FUNCTION @extschema@.impact_map(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@._impact_svg(
    (SELECT pg_catalog.array_agg(x) FROM @extschema@.impact(origins, began, lasted, footprint, horizon) x),
    began, lasted, background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(bigint[], timestamptz, interval, geometry, interval, geometry[], text, text) IS
  'impact() as an SVG map: the affected areas coloured by onset hour over an optional background of polygons (SRID 4326), with a title, a legend and a credit line';

CREATE FUNCTION @extschema@.impact_map(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@.impact_map(ARRAY[origin], began, lasted, footprint, horizon, background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(bigint, timestamptz, interval, geometry, interval, geometry[], text, text) IS
  'the map of one instance''s failure (see the bigint[] form)';

CREATE FUNCTION @extschema@.impact_map(
    i @extschema@.incident, origin bigint,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@._impact_svg(
    (SELECT pg_catalog.array_agg(x) FROM @extschema@.impact(i, origin, footprint, horizon) x),
    @extschema@.began(i), coalesce(@extschema@.lasted(i), horizon), background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(@extschema@.incident, bigint, geometry, interval, geometry[], text, text) IS
  'the map of an incident at the service instance where it happened (see impact(incident, ...))';
