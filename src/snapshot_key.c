/*
 * snapshot_key.c
 *		When a cache built from tables may answer for a statement.
 *
 * A per-backend cache (the rules, the dependency graph) must answer as the
 * statement's own queries would: it follows the statement's snapshot, not
 * the latest one.  Checking that on every call would cost a scan, so the
 * check is made once per snapshot: a key of what a snapshot sees (the
 * transaction, the command, the transactions it counts as running) tells
 * whether the snapshot of this call sees exactly what the last checked one
 * saw.  When it does not, the cache compares a version of its tables read
 * with the new snapshot (for small tables, cr_table_version) to the one it
 * was built from.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/proc.h"

#include "ceptoar_registry.h"

/*
 * Subtransactions aborted in this backend: rows an aborted subtransaction
 * wrote vanish from the transaction's view without a new command id (a
 * PL/pgSQL exception block), so the key counts them too.
 */
uint64		cr_subxact_aborts = 0;
static bool callback_registered = false;

static void
count_subxact_abort(SubXactEvent event,
					SubTransactionId mySubid pg_attribute_unused(),
					SubTransactionId parentSubid pg_attribute_unused(),
					void *arg pg_attribute_unused())
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		cr_subxact_aborts++;
}

/*
 * True if snap sees what the snapshot last recorded in key saw; otherwise
 * records snap in key and returns false.  Two snapshots of one transaction
 * and command with the same running transactions, and no subtransaction
 * aborted between them, see the same rows.
 */
bool
cr_snapshot_key_same(CrSnapshotKey *key, Snapshot snap)
{
	CrSnapshotKey now;

	if (!callback_registered)
	{
		RegisterSubXactCallback(count_subxact_abort, NULL);
		callback_registered = true;
	}

	/* the usual case, told without building a key */
	if (cr_snapshot_key_quick(key, snap, MyProc->lxid))
		return true;

	memset(&now, 0, sizeof(now));
	now.valid = true;
	now.subxact_aborts = cr_subxact_aborts;
	now.lxid = MyProc->lxid;
	now.curcid = snap->curcid;
	now.xmin = snap->xmin;
	now.xmax = snap->xmax;
	now.xcnt = snap->xcnt;
	now.subxcnt = snap->subxcnt;
	now.suboverflowed = snap->suboverflowed;
	now.takenDuringRecovery = snap->takenDuringRecovery;
	now.snapshot_type = snap->snapshot_type;
	if (snap->xcnt > 0)
		now.xips = hash_bytes_extended((const unsigned char *) snap->xip,
									   sizeof(TransactionId) * snap->xcnt, 0);
	if (snap->subxcnt > 0)
		now.xips ^= hash_bytes_extended((const unsigned char *) snap->subxip,
										sizeof(TransactionId) * snap->subxcnt, 1);
	if (key->valid && memcmp(key, &now, sizeof(now)) == 0)
		return true;
	memcpy(key, &now, sizeof(now));
	return false;
}

/*
 * A version of a small table as snap sees it: a hash of its relfilenode and
 * of the (xmin, position) of every row version visible.  Any committed or
 * own change makes new row versions, and a rolled-back one leaves the old
 * ones visible, so equal versions mean the same rows (up to a 64-bit hash).
 */
uint64
cr_table_version(Relation rel, Snapshot snap)
{
	TableScanDesc scan;
	HeapTuple	tup;
	uint64		h = hash_bytes_uint32_extended(rel->rd_node.relNode, 0);
	uint64		rows = 0;

	scan = table_beginscan(rel, snap, 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		struct
		{
			TransactionId xmin;
			BlockNumber block;
			OffsetNumber offset;
		}			v;

		if ((++rows & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		memset(&v, 0, sizeof(v));
		v.xmin = HeapTupleHeaderGetRawXmin(tup->t_data);
		v.block = ItemPointerGetBlockNumber(&tup->t_self);
		v.offset = ItemPointerGetOffsetNumber(&tup->t_self);
		/* order-independent: a sum of the rows' hashes */
		h += hash_bytes_extended((const unsigned char *) &v, sizeof(v), 0x9e3779b97f4a7c15ULL);
	}
	table_endscan(scan);
	return h ^ hash_bytes_extended((const unsigned char *) &rows, sizeof(rows), 2);
}
