-- ratings.sql: inspection_rating and rise_arrows (seed 001's legend) on both sides of every
-- boundary, and their errors.
SET client_min_messages = warning;
SET search_path = public, ceptoar;

\i sql/try.psql

-- A = 100, B 80 <= x < 100, C 60 <= x < 80, D x < 60 (percent)
SELECT rate, inspection_rating(rate)
FROM unnest('{0, 0.0001, 59.9999, 60, 60.0001, 79.9999, 80, 80.0001, 99.9999, 99.99999999999999, 100, 100.000}'::numeric[]) AS rate;
SELECT inspection_rating(NULL) IS NULL AS null_gives_null;

-- ▶ per 10 points of rise, strictly over each bound; - for no change
SELECT rise, rise_arrows(rise)
FROM unnest('{0, 0.0001, 9.9999, 10, 10.0001, 19.9999, 20, 20.0001, 29.9999, 30, 30.0001, 39.9999, 40, 40.0001, 100, 1000}'::numeric[]) AS rise;
SELECT rise_arrows(NULL) IS NULL AS null_gives_null;
-- the arrows are U+25B6 (BLACK RIGHT-POINTING TRIANGLE), as in the seed
SELECT rise_arrows(41) = repeat(U&'\25B6', 5) AS five, length(rise_arrows(41)) AS chars;

-- Errors: a rate outside 0..100 (also NaN and the infinities), a negative or not finite rise
SELECT (pg_temp.try(s)).* FROM (VALUES
  ('SELECT ceptoar.inspection_rating(-0.0001)'),
  ('SELECT ceptoar.inspection_rating(100.0001)'),
  ('SELECT ceptoar.inspection_rating(''NaN'')'),
  ('SELECT ceptoar.inspection_rating(''Infinity'')'),
  ('SELECT ceptoar.inspection_rating(''-Infinity'')'),
  ('SELECT ceptoar.rise_arrows(-0.0001)'),
  ('SELECT ceptoar.rise_arrows(''-Infinity'')'),
  ('SELECT ceptoar.rise_arrows(''NaN'')'),
  ('SELECT ceptoar.rise_arrows(''Infinity'')')) AS t(s);

-- Immutable: usable in generated columns and indexes; the errors are raised only for the
-- rows that have a bad value, not when a query is planned
CREATE TEMP TABLE agency (name text, rate numeric, rise numeric,
                          rating text GENERATED ALWAYS AS (ceptoar.inspection_rating(rate)) STORED);
INSERT INTO agency (name, rate, rise) VALUES ('a', 100, 45), ('b', 85, 10), ('c', 60, 0), ('d', NULL, NULL);
CREATE INDEX ON agency (ceptoar.rise_arrows(rise));
SELECT name, rating, rise_arrows(rise) FROM agency ORDER BY name;
SELECT name, CASE WHEN rate > 100 THEN inspection_rating(rate) ELSE 'ok' END AS checked FROM agency ORDER BY name;
SELECT (pg_temp.try($$INSERT INTO agency (name, rate) VALUES ('e', 101)$$)).state;
