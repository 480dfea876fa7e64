/*
 * graph_counter.c
 *		How often the dependency graph has changed: ceptoar.graph_version and
 *		the triggers that raise it.
 *
 * The statement triggers of service_instance and dependency raise, in every
 * (sub)transaction that changes them, a row of graph_version of this
 * backend's own slot, so concurrent writers never wait for each other.  A
 * committed change raises the sum and nothing lowers it (a trigger guards
 * the table, and TRUNCATE is refused), so of two snapshots the later one
 * sees every commit the earlier saw: equal sums mean the same committed
 * graph.  The sum is part of the token by which a cached graph and the
 * shared image (graph_image.c) are known to be current.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"

#include "ceptoar_registry.h"

/*
 * Raise this backend's row of graph_version (in schema nsp) by one, as the
 * table's owner: whoever may change the graph may count the change, and
 * nobody else may write the counter.
 */
static Oid	count_argtypes[1] = {INT4OID};
static CrOwnerStatement count_statement = {
	.table = "graph_version",
	.sql_fmt =
	"INSERT INTO %s.graph_version AS v (slot, changes) VALUES ($1, 1) "
	"ON CONFLICT (slot) DO UPDATE SET changes = v.changes OPERATOR(pg_catalog.+) 1",
	.nargs = 1,
	.argtypes = count_argtypes,
	.expected = SPI_OK_INSERT
};

static void
count_change(Oid nsp)
{
	Datum		args[1] = {Int32GetDatum(MyBackendId)};

	(void) cr_write_as_owner(&count_statement, nsp, args, NULL);
}

static LocalTransactionId counted_lxid = InvalidLocalTransactionId;
static SubTransactionId counted_subxid = InvalidSubTransactionId;

/*
 * The (sub)transactions of transaction counted_lxid whose counts still stand,
 * in the order they counted.  A subtransaction that aborts takes its count
 * and those of all subtransactions begun inside it with it: they have
 * greater ids, and they are the entries on top.  A deeper nesting than the
 * stack holds is remembered as "still counted" (refusing is the safe side).
 */
#define COUNTED_MAX 64
static SubTransactionId counted_stack[COUNTED_MAX];
static int	counted_depth = 0;
static bool counted_overflow = false;

static void
forget_aborted_counts(SubXactEvent event, SubTransactionId mySubid,
					  SubTransactionId parentSubid pg_attribute_unused(),
					  void *arg pg_attribute_unused())
{
	if (event != SUBXACT_EVENT_ABORT_SUB || counted_lxid != MyProc->lxid)
		return;
	while (counted_depth > 0 && counted_stack[counted_depth - 1] >= mySubid)
		counted_depth--;
	if (counted_subxid >= mySubid)
		counted_subxid = InvalidSubTransactionId;	/* count again if it
													 * changes again */
}

/*
 * A prepared transaction would keep its backend slot's row of graph_version
 * locked after its session has moved on, and the session's next change of
 * the graph would wait for it forever: such a transaction is refused, as
 * PostgreSQL refuses one that used temporary tables.
 */
static void
refuse_prepare(XactEvent event, void *arg pg_attribute_unused())
{
	if (event == XACT_EVENT_PRE_PREPARE && counted_lxid == MyProc->lxid &&
		(counted_depth > 0 || counted_overflow))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot PREPARE a transaction that has changed the impact dependency graph"),
				 errdetail("It changed ceptoar.service_instance or ceptoar.dependency."),
				 errhint("Commit changes of the graph in a transaction of their own.")));
}

PG_FUNCTION_INFO_V1(graph_changed);
/*
 * BEFORE ... FOR EACH STATEMENT on service_instance and dependency: the
 * change is counted once per (sub)transaction, before it is made, which
 * retires every backend's cached graph and the shared image (graph.c
 * compares the token read with each statement's snapshot).  Also BEFORE ...
 * FOR EACH ROW, enabled for replicas only:
 * a logical-replication subscriber applies rows without firing statement
 * triggers, so there each command's first row does the same.
 */
Datum
graph_changed(PG_FUNCTION_ARGS)
{
	static bool callback_registered = false;
	static CommandId row_cid = InvalidCommandId;
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	row = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "graph_changed must be called as a trigger");
	if (!callback_registered)
	{
		RegisterXactCallback(refuse_prepare, NULL);
		RegisterSubXactCallback(forget_aborted_counts, NULL);
		callback_registered = true;
	}
	if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
	{
		CommandId	cid = GetCurrentCommandId(false);

		row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
			trigdata->tg_newtuple : trigdata->tg_trigtuple;
		if (MyProc->lxid == counted_lxid && GetCurrentSubTransactionId() == counted_subxid &&
			cid == row_cid)
			PG_RETURN_POINTER(row);
		row_cid = cid;
	}
	/* a subtransaction's count may roll back with it: each counts for itself */
	if (MyProc->lxid != counted_lxid || GetCurrentSubTransactionId() != counted_subxid)
	{
		count_change(RelationGetNamespace(trigdata->tg_relation));
		if (MyProc->lxid != counted_lxid)
		{
			counted_depth = 0;
			counted_overflow = false;
		}
		counted_lxid = MyProc->lxid;
		counted_subxid = GetCurrentSubTransactionId();
		if (counted_depth < COUNTED_MAX)
			counted_stack[counted_depth++] = counted_subxid;
		else
			counted_overflow = true;
	}
	PG_RETURN_POINTER(row);
}
