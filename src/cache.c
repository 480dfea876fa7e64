/*
 * cache.c
 *		Per-backend caches of tables (the rules, the dependency graph) that
 *		answer as the statement's own queries would, built one way.
 *
 * A cache is built whole or not at all, from the tables as the statement's
 * snapshot sees them, and used for a statement only when its owner has found
 * it right for that snapshot (for example by the versions of its tables);
 * that check runs once per snapshot (cr_snapshot_key_same).  The pattern:
 *
 *		if (!cr_cache_still_right(&c, fn_oid, snap, "f"))
 *		{
 *			... lock and read the versions of c.relids[] under snap ...
 *			if (they differ from what c's contents were built from)
 *			{
 *				MemoryContext cxt = cr_cache_build_context("name");
 *				... build in cxt ...
 *				cr_cache_swap(&c, cxt);
 *			}
 *			cr_cache_right_for_snapshot(&c);
 *		}
 *
 * A rebuild happens in a context below the statement's, so an error frees it
 * with the statement and leaves the old contents, still tagged with what they
 * were built from.  Privileges: the contents are shared by every role of the
 * backend, so every call checks that the current user may SELECT the tables
 * (and that no row-level security applies, which a cache cannot) before it
 * answers, as a plain query would be refused.  The answer is memoized per user
 * and dropped by every invalidation that can change it: a relcache
 * invalidation of one of the tables (GRANT, REVOKE, ALTER TABLE ... ROW LEVEL
 * SECURITY, owner) and any change of roles or memberships.
 *
 * Also here: cache_invalidate, the statement trigger of the rule tables.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rls.h"
#include "utils/syscache.h"

#include "ceptoar_registry.h"

/* every cache used in this backend, for the invalidation callbacks */
static CrCache *caches = NULL;

static void
forget_privileges_of_table(Datum arg pg_attribute_unused(), Oid relid)
{
	for (CrCache *c = caches; c != NULL; c = c->next)
		for (int k = 0; k < c->ntables; k++)
			if (relid == InvalidOid || relid == c->relids[k])
				c->priv_user = InvalidOid;
}

static void
forget_privileges(Datum arg pg_attribute_unused(), int cacheid pg_attribute_unused(),
				  uint32 hashvalue pg_attribute_unused())
{
	/* a role or a membership changed */
	for (CrCache *c = caches; c != NULL; c = c->next)
		c->priv_user = InvalidOid;
}

static void
register_cache(CrCache *c)
{
	if (c->registered)
		return;
	if (caches == NULL)
	{
		CacheRegisterRelcacheCallback(forget_privileges_of_table, (Datum) 0);
		CacheRegisterSyscacheCallback(AUTHOID, forget_privileges, (Datum) 0);
		CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, forget_privileges, (Datum) 0);
	}
	c->next = caches;
	caches = c;
	c->registered = true;
}

/* The current user may read what c holds, or an error in reader()'s name. */
static void
check_privileges(CrCache *c, const char *reader)
{
	Oid			user = GetUserId();

	if (c->priv_user == user)
		return;
	for (int k = 0; k < c->nchecked; k++)
	{
		if (pg_class_aclcheck(c->relids[k], user, ACL_SELECT) != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied for table ceptoar.%s", c->tables[k]),
					 c->nchecked == 2 ?
					 errhint("%s() reads ceptoar.%s and ceptoar.%s; ask for SELECT on both.",
							 reader, c->tables[0], c->tables[1]) :
					 errhint("Ask for SELECT on ceptoar.%s.", c->tables[k])));
		if (check_enable_rls(c->relids[k], InvalidOid, true) == RLS_ENABLED)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s() does not support row-level security on ceptoar.%s",
							reader, c->tables[k]),
					 errdetail("%s", c->shared_detail),
					 errhint("Disable row-level security on ceptoar.%s and grant SELECT only to the roles that may read all of it.",
							 c->tables[k])));
	}
	c->priv_user = user;
}

/*
 * True if c's contents were found right for a snapshot that sees what snap
 * sees: the caller uses them.  Otherwise c's tables are looked up again in
 * the schema of the function fn (the extension may have been re-created) and the caller checks
 * the contents, rebuilds them if needed and calls cr_cache_right_for_snapshot.
 * Either way the current user may read the tables, or this raises an error.
 */
bool
cr_cache_still_right(CrCache *c, Oid fn, Snapshot snap, const char *reader)
{
	Oid			nsp;

	register_cache(c);
	c->pending = c->key;
	if (c->cxt != NULL && cr_snapshot_key_same(&c->pending, snap))
	{
		check_privileges(c, reader);
		return true;
	}
	c->key.valid = false;		/* until the contents are found right for snap */
	c->priv_user = InvalidOid;	/* the tables may be others now */
	nsp = get_func_namespace(fn);
	for (int k = 0; k < c->ntables; k++)
	{
		c->relids[k] = get_relname_relid(c->tables[k], nsp);
		if (!OidIsValid(c->relids[k]))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("the tables of %s() are missing from schema %s",
							reader, get_namespace_name(nsp)),
					 errdetail("There is no table %s.", c->tables[k]),
					 errhint("ALTER EXTENSION ceptoar_registry UPDATE, or re-create the extension.")));
	}
	/* before anything is read, even the versions */
	check_privileges(c, reader);
	return false;
}

/* complete: the contents built in cxt replace c's */
void
cr_cache_swap(CrCache *c, MemoryContext built)
{
	MemoryContextSetParent(built, CacheMemoryContext);
	if (c->cxt)
		MemoryContextDelete(c->cxt);
	c->cxt = built;
	c->generation++;
}

/* c's contents are right for the snapshot cr_cache_still_right was given */
void
cr_cache_right_for_snapshot(CrCache *c)
{
	c->key = c->pending;
}

PG_FUNCTION_INFO_V1(cache_invalidate);
/*
 * AFTER ... FOR EACH STATEMENT on the rule tables: a relcache invalidation of
 * the table.  The rule cache no longer needs it to be right (it follows the
 * snapshot); it only makes the privilege memo above be computed again.
 */
Datum
cache_invalidate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "cache_invalidate must be called as a trigger");
	CacheInvalidateRelcache(trigdata->tg_relation);
	PG_RETURN_POINTER(NULL);
}
