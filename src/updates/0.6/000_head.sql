-- ceptoar_registry 0.5 -> 0.6: impact at national scale (issue 11).
-- Built from the files listed in src/updates/ceptoar_registry--0.5--0.6.parts, in order:
-- this head, the update guard, the install fragments that 0.6 adds (new objects, the same
-- text as a fresh install), and the changes to objects that existed in 0.5.  When 0.6 is
-- released the built script is frozen as src/updates/ceptoar_registry--0.5--0.6.sql.
-- The whole script is one transaction: when any step fails, nothing has changed.
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.6'" to load this file. \quit
