-- ceptoar_registry 0.3 -> 0.4: the registry (issue 12).
-- Built from the files listed in src/updates/ceptoar_registry--0.3--0.4.parts, in order:
-- this head, the update guard, the install fragments that 0.4 adds (new objects, the same
-- text as a fresh install), and the changes to objects that existed in 0.3.  When 0.4 is
-- released the built script is frozen as src/updates/ceptoar_registry--0.3--0.4.sql.
-- The whole script is one transaction: when any step fails, nothing has changed.
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.4'" to load this file. \quit
