-- 000_header.sql: ceptoar_registry install script (fragments of src/sql/ concatenated in order)
\echo Use "CREATE EXTENSION ceptoar_registry" to load this file. \quit
--
-- Fragments are numbered with three digits, in dependency order, one concept each (most
-- mirror a C file): 0xx the types, catalogues, rules and impact of 0.1-0.3; 1xx the
-- registry, 2xx access, 3xx exchange; 900_privileges.sql last, since it grants on all of
-- them.  After a release every change here is repeated in src/updates/.

COMMENT ON SCHEMA @extschema@ IS
  'ceptoar_registry: Japan''s critical-infrastructure IT-failure registry (sectors, services, incidents, CEPTOARs)';
