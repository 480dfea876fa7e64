-- 00_header.sql: ceptoar_registry install script (fragments of src/sql/ concatenated in order)
\echo Use "CREATE EXTENSION ceptoar_registry" to load this file. \quit

COMMENT ON SCHEMA @extschema@ IS
  'ceptoar_registry: Japan''s critical-infrastructure IT-failure registry (sectors, services, incidents, CEPTOARs)';
