-- 090_sector_matrix.sql: interdependency between whole sectors: the static sector matrix
-- (sector_dependency) and its analysis (sector_impact), and the Inoperability Input-Output
-- Model (sector_coefficient, inoperability in C, sector_inoperability).  Both tables ship
-- an inferred default that users replace with their own rows.

CREATE TABLE @extschema@.sector_dependency (
  dependent  @extschema@.sector NOT NULL,
  supplier   @extschema@.sector NOT NULL,
  buffer     interval NOT NULL CHECK (buffer OPERATOR(pg_catalog.>=) interval '0'),
  source     text,
  shipped    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dependent, supplier),
  CHECK (dependent OPERATOR(@extschema@.<>) supplier)
);
COMMENT ON TABLE @extschema@.sector_dependency IS
  'static sector-to-sector dependencies with a typical buffer; the shipped rows are an inferred default (NISC published only that telecom, electricity and water are what others depend on): replace them with your own';

CREATE TABLE @extschema@.sector_coefficient (
  dependent    @extschema@.sector NOT NULL,
  supplier     @extschema@.sector NOT NULL,
  coefficient  double precision NOT NULL
               CHECK (coefficient OPERATOR(pg_catalog.>=) 0 AND coefficient OPERATOR(pg_catalog.<=) 1),
  source       text,
  shipped      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dependent, supplier)
);
COMMENT ON TABLE @extschema@.sector_coefficient IS
  'interdependency matrix A* of the Inoperability Input-Output Model: how much the dependent sector''s inoperability follows the supplier''s';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector_dependency', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector_coefficient', 'WHERE NOT shipped');

-- The shipped default matrix: inferred, illustrative buffers; replace it with your own.
INSERT INTO @extschema@.sector_dependency (dependent, supplier, buffer, source, shipped)
SELECT d::@extschema@.sector, s::@extschema@.sector, b::interval,
       'inferred: seed 000 names telecom, electricity and water as what other sectors depend on; buffers illustrative', true
FROM (VALUES
  ('telecom', 'electricity', '3 hours'), ('finance', 'electricity', '24 hours'),
  ('aviation', 'electricity', '1 hour'), ('airport', 'electricity', '1 hour'),
  ('rail', 'electricity', '0'), ('gas', 'electricity', '24 hours'),
  ('government', 'electricity', '12 hours'), ('medical', 'electricity', '72 hours'),
  ('water', 'electricity', '12 hours'), ('logistics', 'electricity', '6 hours'),
  ('chemical', 'electricity', '0'), ('credit', 'electricity', '24 hours'),
  ('petroleum', 'electricity', '6 hours'), ('port', 'electricity', '6 hours'),
  ('finance', 'telecom', '0'), ('aviation', 'telecom', '1 hour'), ('airport', 'telecom', '1 hour'),
  ('rail', 'telecom', '1 hour'), ('electricity', 'telecom', '2 hours'), ('gas', 'telecom', '2 hours'),
  ('government', 'telecom', '1 hour'), ('medical', 'telecom', '6 hours'), ('water', 'telecom', '6 hours'),
  ('logistics', 'telecom', '2 hours'), ('chemical', 'telecom', '6 hours'), ('credit', 'telecom', '0'),
  ('petroleum', 'telecom', '6 hours'), ('port', 'telecom', '2 hours'),
  ('medical', 'water', '24 hours'), ('chemical', 'water', '12 hours'), ('electricity', 'water', '24 hours'),
  ('government', 'water', '48 hours'),
  ('electricity', 'gas', '72 hours'), ('electricity', 'petroleum', '168 hours'),
  ('logistics', 'petroleum', '72 hours'), ('aviation', 'petroleum', '72 hours'),
  ('aviation', 'airport', '0'), ('credit', 'finance', '0'), ('logistics', 'port', '24 hours'),
  ('petroleum', 'port', '72 hours'), ('chemical', 'port', '72 hours')) AS t(d, s, b);

INSERT INTO @extschema@.sector_coefficient (dependent, supplier, coefficient, source, shipped)
SELECT dependent, supplier,
       CASE supplier::text WHEN 'electricity' THEN 0.3 WHEN 'telecom' THEN 0.2 ELSE 0.1 END,
       'inferred from sector_dependency: 0.3 on electricity, 0.2 on telecom, 0.1 otherwise; illustrative', true
FROM @extschema@.sector_dependency;

-- Users' changes of the shipped rows, through pg_dump and pg_restore (issue 10, section 3).
-- pg_dump keeps the rows that are not shipped (the filters above); pg_restore's CREATE
-- EXTENSION ships the default rows again before it copies the users' rows back.  So that
-- whatever a user did comes back exactly:
--   - a shipped row that is updated becomes the user's (shipped turns false);
--   - a row of the user's for the pair of a shipped row (INSERT, COPY, or UPDATE of its
--     pair) replaces that shipped row instead of colliding with it;
--   - a shipped row that goes (DELETE, TRUNCATE, replaced) leaves its pair in
--     sector_matrix_removed, which pg_dump keeps whole; a pair written there deletes the
--     shipped row of that pair, which is what restoring it does after CREATE EXTENSION.
-- The triggers fire during pg_restore's COPY as for any INSERT, in whichever order the
-- tables come back (not under session_replication_role = replica: a data-only restore
-- with --disable-triggers into a fresh install collides; a logical-replication subscriber
-- gets what the publisher's triggers did, when it subscribes to all three tables).
-- Nobody sets shipped: a later release that ships new rows disables
-- the trigger for its INSERT and leaves out the pairs in sector_matrix_removed and those
-- with a row of the user's.
CREATE TABLE @extschema@.sector_matrix_removed (
  matrix    text NOT NULL CHECK (matrix IN ('sector_dependency', 'sector_coefficient')),
  dependent @extschema@.sector NOT NULL,
  supplier  @extschema@.sector NOT NULL,
  PRIMARY KEY (matrix, dependent, supplier)
);
COMMENT ON TABLE @extschema@.sector_matrix_removed IS
  'the shipped rows of sector_dependency and sector_coefficient that are gone (deleted, or replaced by a row of yours); kept by pg_dump, so that pg_restore removes them again after CREATE EXTENSION ships them';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector_matrix_removed', '');
COMMENT ON COLUMN @extschema@.sector_dependency.shipped IS
  'true: the row as shipped with ceptoar_registry; an update makes it yours (false); a row of yours for its pair replaces it';
COMMENT ON COLUMN @extschema@.sector_coefficient.shipped IS
  'true: the row as shipped with ceptoar_registry; an update makes it yours (false); a row of yours for its pair replaces it';

-- The triggers on both matrices (SECURITY DEFINER: a role allowed to write a matrix needs
-- no privilege on sector_matrix_removed, which nobody but the owner writes directly).
CREATE FUNCTION @extschema@._sector_matrix_write() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  drop_shipped constant text := pg_catalog.format(
    'DELETE FROM @extschema@.%I WHERE dependent OPERATOR(@extschema@.=) $1 AND supplier OPERATOR(@extschema@.=) $2 AND shipped',
    TG_TABLE_NAME);
BEGIN
  -- one writer of the matrices and their removed pairs at a time: pg_restore -j copies
  -- the tables at once, and two transactions deleting shipped rows could wait for each other
  LOCK TABLE @extschema@.sector_matrix_removed IN SHARE ROW EXCLUSIVE MODE;
  IF TG_LEVEL = 'STATEMENT' THEN
    -- TRUNCATE: the shipped rows go one by one first, so that each leaves its pair
    EXECUTE pg_catalog.format('DELETE FROM @extschema@.%I WHERE shipped', TG_TABLE_NAME);
    RETURN NULL;
  END IF;
  IF TG_WHEN = 'AFTER' THEN
    -- DELETE or UPDATE of a shipped row: remember its pair
    IF OLD.shipped THEN
      INSERT INTO @extschema@.sector_matrix_removed (matrix, dependent, supplier)
      VALUES (TG_TABLE_NAME, OLD.dependent, OLD.supplier) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END IF;
  -- BEFORE INSERT or UPDATE
  IF TG_OP = 'UPDATE' AND OLD.shipped THEN
    NEW.shipped := false;
  ELSIF NEW.shipped THEN
    RAISE EXCEPTION 'only ceptoar_registry itself ships rows of %', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Leave shipped false: a row of yours for a shipped pair replaces the shipped row.';
  END IF;
  IF TG_OP = 'INSERT' OR NOT (NEW.dependent OPERATOR(@extschema@.=) OLD.dependent
                              AND NEW.supplier OPERATOR(@extschema@.=) OLD.supplier) THEN
    EXECUTE drop_shipped USING NEW.dependent, NEW.supplier;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._sector_matrix_write() IS
  'sector matrices: an updated shipped row becomes the user''s, a row of the user''s replaces the shipped row of its pair, and a shipped row that goes is remembered in sector_matrix_removed';

CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON @extschema@.sector_dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON @extschema@.sector_coefficient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_row_gone AFTER UPDATE OR DELETE ON @extschema@.sector_dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_row_gone AFTER UPDATE OR DELETE ON @extschema@.sector_coefficient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON @extschema@.sector_dependency
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON @extschema@.sector_coefficient
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_write();

-- The removed pairs: a pair written here deletes the shipped row of that pair (pg_restore
-- after CREATE EXTENSION); a pair that is here already is not written twice (deleting the
-- shipped row wrote it, or a row of the user's replaced it first).  A pair once here stays:
-- deleting it would bring the shipped row back at the next restore only.
CREATE FUNCTION @extschema@._sector_matrix_removed_write() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    LOCK TABLE @extschema@.sector_matrix_removed IN SHARE ROW EXCLUSIVE MODE;   -- see _sector_matrix_write()
    IF NEW.matrix IN ('sector_dependency', 'sector_coefficient') THEN
      EXECUTE pg_catalog.format(
        'DELETE FROM @extschema@.%I WHERE dependent OPERATOR(@extschema@.=) $1 AND supplier OPERATOR(@extschema@.=) $2 AND shipped',
        NEW.matrix) USING NEW.dependent, NEW.supplier;
      IF EXISTS (SELECT 1 FROM @extschema@.sector_matrix_removed r
                  WHERE r.matrix OPERATOR(pg_catalog.=) NEW.matrix
                    AND r.dependent OPERATOR(@extschema@.=) NEW.dependent
                    AND r.supplier OPERATOR(@extschema@.=) NEW.supplier) THEN
        RETURN NULL;
      END IF;
    END IF;
    RETURN NEW;   -- another matrix: the CHECK constraint refuses it
  END IF;
  RAISE EXCEPTION 'the pairs in ceptoar.sector_matrix_removed cannot be changed or deleted'
    USING ERRCODE = 'insufficient_privilege',
          DETAIL = 'They keep the shipped rows you deleted or replaced out of the sector matrices after pg_dump and pg_restore.',
          HINT = 'To use a shipped row again, insert it into the matrix as a row of your own.';
END $$;
COMMENT ON FUNCTION @extschema@._sector_matrix_removed_write() IS
  'sector_matrix_removed: a pair written there deletes the shipped row of that pair; pairs are written once and never changed or deleted';
CREATE TRIGGER removes_shipped_row BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.sector_matrix_removed
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_removed_write();
CREATE TRIGGER removes_shipped_row_truncate BEFORE TRUNCATE ON @extschema@.sector_matrix_removed
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_removed_write();

CREATE FUNCTION @extschema@.sector_impact(origin @extschema@.sector, lasted interval,
    OUT sector @extschema@.sector, OUT depth integer, OUT onset_after interval)
  RETURNS SETOF record
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  WITH RECURSIVE walk (sector, onset, depth, path) AS (
    SELECT origin, 0::double precision, 0, ARRAY[origin]
    UNION ALL
    SELECT d.dependent, w.onset OPERATOR(pg_catalog.+) extract(epoch FROM d.buffer)::double precision,
           w.depth OPERATOR(pg_catalog.+) 1, w.path OPERATOR(pg_catalog.||) d.dependent
    FROM walk w
    JOIN @extschema@.sector_dependency d ON d.supplier OPERATOR(@extschema@.=) w.sector
    WHERE extract(epoch FROM lasted)::double precision OPERATOR(pg_catalog.-) w.onset
            OPERATOR(pg_catalog.>) extract(epoch FROM d.buffer)::double precision
      AND NOT d.dependent OPERATOR(@extschema@.=) ANY (w.path)
  )
  SELECT s.sector, s.depth, make_interval(secs => s.onset)
  FROM (SELECT DISTINCT ON (w.sector) w.sector, w.depth, w.onset
          FROM walk w ORDER BY w.sector, w.onset, w.depth) s
  ORDER BY s.onset, s.depth, s.sector
$$;
COMMENT ON FUNCTION @extschema@.sector_impact(@extschema@.sector, interval) IS
  'static analysis over sector_dependency: which sectors a failure of this length in one sector reaches, how many steps away, and how soon';

CREATE FUNCTION @extschema@.inoperability(a double precision[], c double precision[])
  RETURNS double precision[]
  AS 'MODULE_PATHNAME', 'inoperability_solve' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.inoperability(double precision[], double precision[]) IS
  'Inoperability Input-Output Model: q = (I - A*)^-1 c*, each q clipped to [0, 1]; a square, row i = how much sector i depends on sector j';

CREATE FUNCTION @extschema@.sector_inoperability(sectors @extschema@.sector[], perturbation double precision[],
    OUT sector @extschema@.sector, OUT inoperability double precision)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  keys @extschema@.sector[];
  a double precision[];
  c double precision[];
  q double precision[];
BEGIN
  IF cardinality(sectors) IS DISTINCT FROM cardinality(perturbation) THEN
    RAISE EXCEPTION 'sectors and perturbation differ in length (% and %)',
        cardinality(sectors), cardinality(perturbation)
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give one perturbation per sector.';
  END IF;
  -- every sector of the coefficient table or the perturbation, in NISC order
  SELECT array_agg(DISTINCT s ORDER BY s) INTO keys FROM (
    SELECT dependent AS s FROM @extschema@.sector_coefficient
    UNION SELECT supplier FROM @extschema@.sector_coefficient
    UNION SELECT unnest(sectors)) u;
  SELECT array_agg(coalesce((SELECT sc.coefficient FROM @extschema@.sector_coefficient sc
                               WHERE sc.dependent OPERATOR(@extschema@.=) r.s
                                 AND sc.supplier OPERATOR(@extschema@.=) col.s), 0)
                   ORDER BY r.i, col.i)
    INTO a
    FROM unnest(keys) WITH ORDINALITY r(s, i), unnest(keys) WITH ORDINALITY col(s, i);
  SELECT array_agg(coalesce((SELECT sum(p.v) FROM unnest(sectors, perturbation) p(s, v)
                               WHERE p.s OPERATOR(@extschema@.=) k.s), 0) ORDER BY k.i)
    INTO c
    FROM unnest(keys) WITH ORDINALITY k(s, i);
  q := @extschema@.inoperability(
         (SELECT array_agg(row_vals ORDER BY ri) FROM (
            SELECT ri, array_agg(a[(ri OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog.*) cardinality(keys) OPERATOR(pg_catalog.+) ci] ORDER BY ci) AS row_vals
              FROM generate_series(1, cardinality(keys)) ri, generate_series(1, cardinality(keys)) ci
             GROUP BY ri) rows), c);
  RETURN QUERY SELECT k.s, q[k.i] FROM unnest(keys) WITH ORDINALITY k(s, i) ORDER BY k.i;
END $$;
COMMENT ON FUNCTION @extschema@.sector_inoperability(@extschema@.sector[], double precision[]) IS
  'the Inoperability Input-Output Model over ceptoar.sector_coefficient, with a direct perturbation per sector';
