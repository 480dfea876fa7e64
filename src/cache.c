/*
 * cache.c
 *		The statement trigger that keeps the per-backend caches honest.
 *
 * The rule cache (classify.c) is built from tables, once per backend.  A
 * statement trigger on those tables queues
 * a relcache invalidation of the changed table: PostgreSQL delivers it to this
 * backend at its next command and to every other backend when the change
 * commits (and replays it locally on abort), and the cache's relcache
 * callback then marks itself stale.  The dependency graph's trigger
 * (graph_changed in graph_image.c) does the same and also counts the change.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "utils/inval.h"

#include "ceptoar_registry.h"

PG_FUNCTION_INFO_V1(cache_invalidate);
/* AFTER ... FOR EACH STATEMENT trigger: every backend rebuilds from the table */
Datum
cache_invalidate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "cache_invalidate must be called as a trigger");
	CacheInvalidateRelcache(trigdata->tg_relation);
	PG_RETURN_POINTER(NULL);
}
