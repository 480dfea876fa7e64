-- ceptoar_registry 0.4 -> 0.5: exchange (issue 14).
-- Built from the files listed in src/updates/ceptoar_registry--0.4--0.5.parts, in order:
-- this head, the update guard, the install fragments that 0.5 adds (new objects, the same
-- text as a fresh install), and the changes to objects that existed in 0.4.  When 0.5 is
-- released the built script is frozen as src/updates/ceptoar_registry--0.4--0.5.sql.
-- The whole script is one transaction: when any step fails, nothing has changed.
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.5'" to load this file. \quit
