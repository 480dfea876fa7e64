-- 084_impact_support.sql (0.6): the planner support function of impact(bigint[], ...).
-- The planner calls it while it plans a call of impact(), before it chooses the call's
-- scan: that call loads the module, whose planner hook then offers the custom scan that
-- hands impact()'s rows on as they are formed (src/impact_scan.c), from a session's first
-- statement on.  It answers no request itself: the estimates stay those of the function.
CREATE FUNCTION @extschema@._impact_plan_support(internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'impact_plan_support' LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@._impact_plan_support(internal) IS
  'planner support function of impact(): loads the module so that the planner can run impact() in FROM as a custom scan';
