/*
 * cache.c
 *		The statement trigger on the tables of the per-backend caches.
 *
 * The caches no longer depend on it to be right: the rule cache (classify.c)
 * and the dependency graph follow the statement's snapshot, checking the
 * versions of their tables once per snapshot (snapshot_key.c).  The trigger
 * queues a relcache invalidation of the changed table; PostgreSQL delivers it
 * to this backend at its next command and to every other backend when the
 * change commits (and replays it locally on abort).  The rule cache uses it
 * only to check the current user's privileges again; the dependency graph's
 * trigger (graph_changed in graph_image.c) also counts the change.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "utils/inval.h"

#include "ceptoar_registry.h"

PG_FUNCTION_INFO_V1(cache_invalidate);
/* AFTER ... FOR EACH STATEMENT trigger: a relcache invalidation of the table */
Datum
cache_invalidate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "cache_invalidate must be called as a trigger");
	CacheInvalidateRelcache(trigdata->tg_relation);
	PG_RETURN_POINTER(NULL);
}
