-- ceptoar_registry 0.1 -> 0.2: the reliability release (issue 9).
-- Every change to the install script (src/sql/) since 0.1 is repeated here, so
-- that ALTER EXTENSION ceptoar_registry UPDATE gives the catalog of a fresh
-- install of 0.2 (test/upgrade.sh compares them).
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.2'" to load this file. \quit
