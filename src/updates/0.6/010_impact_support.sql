-- impact(bigint[], ...) gets its planner support function (084_impact_support.sql)
ALTER FUNCTION @extschema@.impact(bigint[], timestamptz, interval, geometry, interval)
  SUPPORT @extschema@._impact_plan_support;
