-- 120_ratings.sql: the government agencies' inspection ratings and rise arrows of seed 001
-- ("政府全体のPDCAサイクル"のための各省検査及び評価, 2007), issue 12 section 6.
--
-- Seed 001's legend, rating by implementation rate x:  A x = 100% | B 80% x < 100% |
-- C 60% x < 80% | D x < 60%.  The relation between 80% (60%) and x was lost from the
-- seed's text; the ratings must cover every rate once, so it is <=: B is 80 <= x < 100,
-- C 60 <= x < 80.  Arrows by rise x: five U+25B6 (black right-pointing triangle) x > 40%,
-- four x > 30%, three x > 20%, two x > 10%, one x > 0%, "-" x = 0%.  The bounds are strict:
-- a rise of exactly 40 gets four arrows.  No symbol for a fall.
--
-- This script holds no U+25B6 itself: EUC_JP, an encoding the extension installs into
-- (test/encoding.sh), has none.  rise_arrows makes it from its UTF-8 bytes when called:
-- in a database that cannot hold it, a rise above 0 raises the server's 22P05.

-- The errors of both functions: SQL cannot raise, so the functions call this.  It takes
-- the bad value, so that the planner never folds a call in a branch not taken (a call
-- with constant arguments only would be evaluated when the body is planned).
CREATE FUNCTION @extschema@._rating_error(fn text, val numeric) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF fn = 'inspection_rating' THEN
    RAISE EXCEPTION 'inspection rate % is out of range', val
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'An implementation rate is a percentage from 0 to 100.',
            HINT = 'Give the rate in percent (95, not 0.95): A = 100, B from 80 to under 100, C from 60 to under 80, D under 60.';
  ELSIF val < 0 THEN
    RAISE EXCEPTION 'rise % is negative', val
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'The inspection results (seed 001) have symbols for a rise and for no change only, none for a fall.',
            HINT = 'Give a rise of 0 or more, in percent; show a fall in a way of your own (CASE WHEN rise < 0 THEN ... END).';
  ELSE
    RAISE EXCEPTION 'rise % is not a finite number', val
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give a rise of 0 or more, in percent: five arrows over 40, four over 30, three over 20, two over 10, one over 0, "-" for 0.';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@._rating_error(text, numeric) IS
  'raises the error of inspection_rating or rise_arrows for a value out of their range';

CREATE FUNCTION @extschema@.inspection_rating(rate numeric) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE
    WHEN rate OPERATOR(pg_catalog.<) 0 OR rate OPERATOR(pg_catalog.>) 100
      THEN @extschema@._rating_error('inspection_rating', rate)   -- NaN and infinities too
    WHEN rate OPERATOR(pg_catalog.=) 100 THEN 'A'
    WHEN rate OPERATOR(pg_catalog.>=) 80 THEN 'B'
    WHEN rate OPERATOR(pg_catalog.>=) 60 THEN 'C'
    ELSE 'D' END;
COMMENT ON FUNCTION @extschema@.inspection_rating(numeric) IS
  'rating of a government agency''s implementation rate in percent (seed 001): A = 100, B 80 <= x < 100, C 60 <= x < 80, D x < 60; a rate outside 0..100 is an error (22023)';

CREATE FUNCTION @extschema@.rise_arrows(rise numeric) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE
    WHEN rise OPERATOR(pg_catalog.<) 0 OR rise OPERATOR(pg_catalog.>=) 'Infinity'::numeric
      THEN @extschema@._rating_error('rise_arrows', rise)   -- NaN sorts above Infinity
    WHEN rise OPERATOR(pg_catalog.=) 0 THEN '-'
    ELSE pg_catalog.repeat(pg_catalog.convert_from(pg_catalog.decode('e296b6', 'hex'), 'UTF8'),   -- U+25B6
           CASE WHEN rise OPERATOR(pg_catalog.>) 40 THEN 5
                WHEN rise OPERATOR(pg_catalog.>) 30 THEN 4
                WHEN rise OPERATOR(pg_catalog.>) 20 THEN 3
                WHEN rise OPERATOR(pg_catalog.>) 10 THEN 2
                ELSE 1 END) END;
COMMENT ON FUNCTION @extschema@.rise_arrows(numeric) IS
  'arrows (U+25B6) for the rise of an implementation rate in percent (seed 001): five over 40, four over 30, three over 20, two over 10, one over 0, "-" for 0; a negative rise (no symbol in the seed) is an error (22023)';
