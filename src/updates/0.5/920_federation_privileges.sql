-- ceptoar_registry 0.4 -> 0.5: the privileges of federation (issue 14, section 2).
-- Federation (0.5, 320_federation.sql): the audiences and their copies are the owner's (a
-- hub publishes them; an audience's DBA grants SELECT on its received copy); the triggers'
-- functions and federation_refresh() are not PUBLIC's.  The *_sql functions only write
-- statements and stay PUBLIC's.
REVOKE ALL ON @extschema@.federation_audience, @extschema@.audience_copy FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._federation_copy(uuid[]), @extschema@._federation_written(),
  @extschema@._federation_row(), @extschema@._federation_truncate(), @extschema@.federation_refresh() FROM PUBLIC;
