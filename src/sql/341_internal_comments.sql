-- 341_internal_comments.sql (0.5): the functions behind the types, operators, operator
-- classes and aggregates say so first thing in their comment, since tools list them among
-- the callable functions (JDBC getFunctions shows the comment as REMARKS, psql \df+ and
-- pgAdmin as the description).  A separate schema for them would have to move functions
-- that the types and operators of 0.1-0.4 depend on; not done (README, Drivers and tools).
-- Only comments, of objects from 0.1-0.4: the same statements in a fresh install and in
-- the update (this fragment is listed in the .parts file).
COMMENT ON FUNCTION @extschema@.sector_in(cstring) IS 'type I/O, not called directly: reads a sector from its text';
COMMENT ON FUNCTION @extschema@.sector_out(@extschema@.sector) IS 'type I/O, not called directly: the text of a sector';
COMMENT ON FUNCTION @extschema@.sector_recv(internal) IS 'type I/O, not called directly: reads a sector in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.sector_send(@extschema@.sector) IS 'type I/O, not called directly: a sector in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.sector_eq(@extschema@.sector,@extschema@.sector) IS 'operator support (=), use the operator: same sector';
COMMENT ON FUNCTION @extschema@.sector_ne(@extschema@.sector,@extschema@.sector) IS 'operator support (<>), use the operator: different sectors';
COMMENT ON FUNCTION @extschema@.sector_lt(@extschema@.sector,@extschema@.sector) IS 'operator support (<), use the operator: earlier in NISC order';
COMMENT ON FUNCTION @extschema@.sector_le(@extschema@.sector,@extschema@.sector) IS 'operator support (<=), use the operator: earlier in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_gt(@extschema@.sector,@extschema@.sector) IS 'operator support (>), use the operator: later in NISC order';
COMMENT ON FUNCTION @extschema@.sector_ge(@extschema@.sector,@extschema@.sector) IS 'operator support (>=), use the operator: later in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_cmp(@extschema@.sector,@extschema@.sector) IS 'operator class support: btree comparison in NISC order';
COMMENT ON FUNCTION @extschema@.sector_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.sector_hash(@extschema@.sector) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.sector_hash_extended(@extschema@.sector,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.sector_smaller(@extschema@.sector,@extschema@.sector) IS 'aggregate support: the sector earlier in NISC order (min() support)';
COMMENT ON FUNCTION @extschema@.sector_larger(@extschema@.sector,@extschema@.sector) IS 'aggregate support: the sector later in NISC order (max() support)';
COMMENT ON FUNCTION @extschema@.service_in(cstring) IS 'type I/O, not called directly: reads a service from its text';
COMMENT ON FUNCTION @extschema@.service_out(@extschema@.service) IS 'type I/O, not called directly: the text of a service';
COMMENT ON FUNCTION @extschema@.service_recv(internal) IS 'type I/O, not called directly: reads a service in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.service_send(@extschema@.service) IS 'type I/O, not called directly: a service in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.service_eq(@extschema@.service,@extschema@.service) IS 'operator support (=), use the operator: same service';
COMMENT ON FUNCTION @extschema@.service_ne(@extschema@.service,@extschema@.service) IS 'operator support (<>), use the operator: different services';
COMMENT ON FUNCTION @extschema@.service_lt(@extschema@.service,@extschema@.service) IS 'operator support (<), use the operator: earlier in catalogue order';
COMMENT ON FUNCTION @extschema@.service_le(@extschema@.service,@extschema@.service) IS 'operator support (<=), use the operator: earlier in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_gt(@extschema@.service,@extschema@.service) IS 'operator support (>), use the operator: later in catalogue order';
COMMENT ON FUNCTION @extschema@.service_ge(@extschema@.service,@extschema@.service) IS 'operator support (>=), use the operator: later in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_cmp(@extschema@.service,@extschema@.service) IS 'operator class support: btree comparison in catalogue order (sectors in NISC order, parents before children)';
COMMENT ON FUNCTION @extschema@.service_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.service_hash(@extschema@.service) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.service_hash_extended(@extschema@.service,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.service_contains(@extschema@.service,@extschema@.service) IS 'operator support (@>), use the operator: the first service is the second or one of its ancestors';
COMMENT ON FUNCTION @extschema@.service_contained(@extschema@.service,@extschema@.service) IS 'operator support (<@), use the operator: the first service is the second or one of its descendants';
COMMENT ON FUNCTION @extschema@.service_smaller(@extschema@.service,@extschema@.service) IS 'aggregate support: the service earlier in catalogue order (min() support)';
COMMENT ON FUNCTION @extschema@.service_larger(@extschema@.service,@extschema@.service) IS 'aggregate support: the service later in catalogue order (max() support)';
COMMENT ON FUNCTION @extschema@.incident_in(cstring) IS 'type I/O, not called directly: reads a incident from its text';
COMMENT ON FUNCTION @extschema@.incident_out(@extschema@.incident) IS 'type I/O, not called directly: the text of a incident';
COMMENT ON FUNCTION @extschema@.incident_recv(internal) IS 'type I/O, not called directly: reads a incident in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.incident_send(@extschema@.incident) IS 'type I/O, not called directly: a incident in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.incident_eq(@extschema@.incident,@extschema@.incident) IS 'operator support (=), use the operator: the same incident';
COMMENT ON FUNCTION @extschema@.incident_ne(@extschema@.incident,@extschema@.incident) IS 'operator support (<>), use the operator: different incidents';
COMMENT ON FUNCTION @extschema@.incident_lt(@extschema@.incident,@extschema@.incident) IS 'operator support (<), use the operator: earlier in btree order';
COMMENT ON FUNCTION @extschema@.incident_le(@extschema@.incident,@extschema@.incident) IS 'operator support (<=), use the operator: earlier in btree order or the same';
COMMENT ON FUNCTION @extschema@.incident_gt(@extschema@.incident,@extschema@.incident) IS 'operator support (>), use the operator: later in btree order';
COMMENT ON FUNCTION @extschema@.incident_ge(@extschema@.incident,@extschema@.incident) IS 'operator support (>=), use the operator: later in btree order or the same';
COMMENT ON FUNCTION @extschema@.incident_cmp(@extschema@.incident,@extschema@.incident) IS 'operator class support: btree order: by began, then the other fields (unknown before known)';
COMMENT ON FUNCTION @extschema@.incident_hash(@extschema@.incident) IS 'operator class support: hash';
COMMENT ON FUNCTION @extschema@.incident_hash_extended(@extschema@.incident,bigint) IS 'operator class support: extended hash';
COMMENT ON FUNCTION @extschema@.incident_smaller(@extschema@.incident,@extschema@.incident) IS 'aggregate support: the incident earlier in btree order (min() support)';
COMMENT ON FUNCTION @extschema@.incident_larger(@extschema@.incident,@extschema@.incident) IS 'aggregate support: the incident later in btree order (max() support)';
COMMENT ON FUNCTION @extschema@.criterion_in(cstring) IS 'type I/O, not called directly: reads a criterion from its text';
COMMENT ON FUNCTION @extschema@.criterion_out(@extschema@.criterion) IS 'type I/O, not called directly: the text of a criterion';
COMMENT ON FUNCTION @extschema@.criterion_recv(internal) IS 'type I/O, not called directly: reads a criterion in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.criterion_send(@extschema@.criterion) IS 'type I/O, not called directly: a criterion in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.criterion_eq(@extschema@.criterion,@extschema@.criterion) IS 'operator support (=), use the operator: same rule (same canonical form)';
COMMENT ON FUNCTION @extschema@.tlp_in(cstring) IS 'type I/O, not called directly: reads a tlp from its text';
COMMENT ON FUNCTION @extschema@.tlp_out(@extschema@.tlp) IS 'type I/O, not called directly: the text of a tlp';
COMMENT ON FUNCTION @extschema@.tlp_recv(internal) IS 'type I/O, not called directly: reads a tlp in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.tlp_send(@extschema@.tlp) IS 'type I/O, not called directly: a tlp in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.tlp_eq(@extschema@.tlp,@extschema@.tlp) IS 'operator support (=), use the operator: same label';
COMMENT ON FUNCTION @extschema@.tlp_ne(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<>), use the operator: different labels';
COMMENT ON FUNCTION @extschema@.tlp_lt(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<), use the operator: less restricted';
COMMENT ON FUNCTION @extschema@.tlp_le(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<=), use the operator: less restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_gt(@extschema@.tlp,@extschema@.tlp) IS 'operator support (>), use the operator: more restricted';
COMMENT ON FUNCTION @extschema@.tlp_ge(@extschema@.tlp,@extschema@.tlp) IS 'operator support (>=), use the operator: more restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_cmp(@extschema@.tlp,@extschema@.tlp) IS 'operator class support: btree comparison, clear < green < amber < amber+strict < red';
COMMENT ON FUNCTION @extschema@.tlp_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.tlp_hash(@extschema@.tlp) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.tlp_hash_extended(@extschema@.tlp,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.tlp_smaller(@extschema@.tlp,@extschema@.tlp) IS 'aggregate support: the less restricted label (min() support)';
COMMENT ON FUNCTION @extschema@.tlp_larger(@extschema@.tlp,@extschema@.tlp) IS 'aggregate support: the more restricted label (max() support)';
