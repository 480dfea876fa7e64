/*
 * party.c
 *		Who the current user acts as: the registered party (NISC, a ministry, a
 *		CEPTOAR, an operator, the public) that every access rule of the
 *		registry is written against.
 *
 * The roster (ceptoar.party) is readable by its owner only: which role is
 * which operator is itself something to protect (MISP leaked its
 * sharing-group rosters).  So the lookup runs as the caller, in C, reading
 * the table directly and answering for the current user only: no caller can
 * ask about another role.
 *
 * "The current user" is the role the session acts as (SET ROLE, or the
 * session's user): GetOuterUserId(), which SECURITY DEFINER functions do not
 * change.  So the registry's own SECURITY DEFINER functions (statistics, the
 * shared read functions) see their caller's party, not their owner's; inside
 * a user's SECURITY DEFINER function the party is still the session's, which
 * can see no more than the session's role may (the table privileges checked
 * are the function owner's).
 *
 * The rule: a role registered itself is that party; otherwise it is the party
 * of the registered roles it is a member of (directly or not, superuser status
 * aside), if they all are one party.  A role in no party, or in several, is no
 * party and sees nothing.
 *
 * The memo.  A row trigger asks once per row written (graph_writer), a view
 * once per statement; the answer is kept per backend for one role and reused
 * while it is exactly what a scan would give:
 *  - for a snapshot that sees what the one it was read under saw: the same
 *    transactions of other sessions committed (the same xmin, xmax and
 *    running transactions, compared exactly) and the same command of ours;
 *  - until it is dropped: by a relcache invalidation of the roster (the
 *    statement trigger party_changed: our own writes at the next command,
 *    other sessions' at their commit), by any change of roles or memberships
 *    (syscache callbacks on AUTHOID and AUTHMEMROLEMEM: memberships are read
 *    from the catalogs, not under the snapshot), by the abort of a
 *    (sub)transaction and by the end of a transaction that wrote anything.
 * The invalidations alone would not do: a REPEATABLE READ transaction that
 * receives another session's invalidation reads the roster again under its
 * old snapshot, and a memo of that kept for the next transaction would be
 * stale with no invalidation left to come; and another session's commit is
 * visible to new snapshots a moment before its invalidation is sent.  The
 * snapshot alone would miss the catalogs and our own writes.  On a busy
 * server commits change the snapshot between most statements: then the memo
 * serves one statement (a bulk write's row triggers, a view's sub-selects)
 * and the roster is read once per statement.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "ceptoar_registry.h"

typedef enum CrPartyState
{
	CR_PARTY_NONE,				/* in no party */
	CR_PARTY_ONE,
	CR_PARTY_SEVERAL			/* a member of several parties: none */
} CrPartyState;

typedef struct CrParty
{
	CrPartyState state;
	char	   *kind;			/* CR_PARTY_ONE only */
	char	   *code;			/* NULL for the public */
	int			nparties;		/* CR_PARTY_SEVERAL: how many */
} CrParty;

static bool
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* the memo (see the head of this file) */
typedef struct CrPartyMemo
{
	bool		valid;
	Oid			user;			/* the role it answers for */
	Oid			relid;			/* the roster it was read from */
	/* what the snapshot it was read under sees (see memo_same) */
	TransactionId xmin;
	TransactionId xmax;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	bool		takenDuringRecovery;
	CommandId	curcid;
	TransactionId *xip;			/* in TopMemoryContext */
	TransactionId *subxip;
	CrPartyState state;
	int			nparties;
	char		kind[NAMEDATALEN];	/* kinds are short words */
	char	   *code;			/* in TopMemoryContext, or NULL */
} CrPartyMemo;

static CrPartyMemo memo = {false};
static bool memo_callbacks = false;
static uint64 memo_drops = 0;	/* how many times it was dropped */

static void
memo_forget(void)
{
	/* only marked: a caller may hold the strings (party_of copies them) */
	memo.valid = false;
	memo_drops++;
}

static void
memo_forget_rel(Datum arg pg_attribute_unused(), Oid relid)
{
	if (relid == InvalidOid || relid == memo.relid)
		memo_forget();
}

static void
memo_forget_roles(Datum arg pg_attribute_unused(), int cacheid pg_attribute_unused(),
				  uint32 hashvalue pg_attribute_unused())
{
	memo_forget();
}

static void
memo_forget_xact(XactEvent event, void *arg pg_attribute_unused())
{
	/* a transaction that wrote: what it wrote is seen after it, whatever */
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
		((event == XACT_EVENT_PRE_COMMIT || event == XACT_EVENT_PARALLEL_PRE_COMMIT ||
		  event == XACT_EVENT_PRE_PREPARE) &&
		 TransactionIdIsValid(GetTopTransactionIdIfAny())))
		memo_forget();
}

/*
 * True if snap sees the roster's committed rows as the memo's snapshot did:
 * the same transactions running (xmin, xmax and the running ones, compared
 * exactly) and the same command of ours.  Our own writes are handled by the
 * drops: a transaction that wrote drops the memo at its end.
 */
static bool
memo_same(Snapshot snap)
{
	return snap->snapshot_type == SNAPSHOT_MVCC &&
		memo.xmin == snap->xmin && memo.xmax == snap->xmax &&
		memo.xcnt == snap->xcnt && memo.subxcnt == snap->subxcnt &&
		memo.suboverflowed == snap->suboverflowed &&
		memo.takenDuringRecovery == snap->takenDuringRecovery &&
		memo.curcid == snap->curcid &&
		(snap->xcnt == 0 ||
		 memcmp(memo.xip, snap->xip, sizeof(TransactionId) * snap->xcnt) == 0) &&
		(snap->subxcnt <= 0 ||
		 memcmp(memo.subxip, snap->subxip, sizeof(TransactionId) * snap->subxcnt) == 0);
}

static void
memo_forget_subxact(SubXactEvent event,
					SubTransactionId mySubid pg_attribute_unused(),
					SubTransactionId parentSubid pg_attribute_unused(),
					void *arg pg_attribute_unused())
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		memo_forget();
}

static void
memo_register(void)
{
	if (memo_callbacks)
		return;
	CacheRegisterRelcacheCallback(memo_forget_rel, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, memo_forget_roles, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, memo_forget_roles, (Datum) 0);
	RegisterXactCallback(memo_forget_xact, NULL);
	RegisterSubXactCallback(memo_forget_subxact, NULL);
	memo_callbacks = true;
}

/* p, copied into the caller's memory context (the memo may be replaced) */
static CrParty
memo_answer(void)
{
	CrParty		p = {memo.state, NULL, NULL, memo.nparties};

	if (memo.state == CR_PARTY_ONE)
	{
		p.kind = pstrdup(memo.kind);
		p.code = memo.code ? pstrdup(memo.code) : NULL;
	}
	return p;
}

/*
 * Keeps p, read under snap, unless the memo was dropped while it was read
 * (drops: the count before): the memberships read may be older than that.
 */
static void
memo_keep(Oid user, Oid relid, Snapshot snap, const CrParty *p, uint64 drops)
{
	memo.valid = false;
	if (memo.code)
		pfree(memo.code);
	if (memo.xip)
		pfree(memo.xip);
	if (memo.subxip)
		pfree(memo.subxip);
	memo.code = NULL;
	memo.xip = NULL;
	memo.subxip = NULL;
	if (drops != memo_drops || snap->snapshot_type != SNAPSHOT_MVCC ||
		(p->kind != NULL && strlen(p->kind) >= NAMEDATALEN))
		return;
	memo.user = user;
	memo.relid = relid;
	memo.xmin = snap->xmin;
	memo.xmax = snap->xmax;
	memo.xcnt = snap->xcnt;
	memo.subxcnt = snap->subxcnt;
	memo.suboverflowed = snap->suboverflowed;
	memo.takenDuringRecovery = snap->takenDuringRecovery;
	memo.curcid = snap->curcid;
	if (snap->xcnt > 0)
	{
		memo.xip = MemoryContextAlloc(TopMemoryContext, sizeof(TransactionId) * snap->xcnt);
		memcpy(memo.xip, snap->xip, sizeof(TransactionId) * snap->xcnt);
	}
	if (snap->subxcnt > 0)
	{
		memo.subxip = MemoryContextAlloc(TopMemoryContext, sizeof(TransactionId) * snap->subxcnt);
		memcpy(memo.subxip, snap->subxip, sizeof(TransactionId) * snap->subxcnt);
	}
	memo.state = p->state;
	memo.nparties = p->nparties;
	memo.kind[0] = '\0';
	if (p->kind)
		strlcpy(memo.kind, p->kind, NAMEDATALEN);
	if (p->code)
		memo.code = MemoryContextStrdup(TopMemoryContext, p->code);
	memo.valid = true;
}

/*
 * The party of role user, read from the roster in the schema of the calling
 * function under the active snapshot (or the memo of that).
 */
static CrParty
party_of(Oid user, Oid fn_oid)
{
	CrParty		p = {CR_PARTY_NONE, NULL, NULL, 0};
	Oid			nsp = get_func_namespace(fn_oid);
	Oid			relid = get_relname_relid("party", nsp);
	Relation	rel;
	TupleDesc	desc;
	TableScanDesc scan;
	HeapTuple	tuple;
	Snapshot	snap;
	bool		exact = false;
	uint64		drops;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the registry's roster of parties is missing"),
				 errhint("Reinstall the extension ceptoar_registry.")));
	memo_register();
	snap = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	/* the invalidations that arrived so far drop the memo first */
	AcceptInvalidationMessages();
	if (memo.valid && memo.user == user && memo.relid == relid && memo_same(snap))
		return memo_answer();

	drops = memo_drops;
	rel = table_open(relid, AccessShareLock);
	desc = RelationGetDescr(rel);
	/* role regrole, kind text, code text: the extension's own table */
	if (desc->natts < 3 ||
		TupleDescAttr(desc, 0)->atttypid != REGROLEOID ||
		TupleDescAttr(desc, 1)->atttypid != TEXTOID ||
		TupleDescAttr(desc, 2)->atttypid != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("the registry's roster of parties has an unexpected shape")));

	scan = table_beginscan(rel, snap, 0, NULL);
	while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		isnull;
		Oid			role = DatumGetObjectId(heap_getattr(tuple, 1, desc, &isnull));
		Datum		kind_d,
					code_d;
		char	   *kind,
				   *code;
		bool		kind_null,
					code_null;

		if (isnull)
			continue;
		if (role != user && (exact || !is_member_of_role_nosuper(user, role)))
			continue;
		kind_d = heap_getattr(tuple, 2, desc, &kind_null);
		code_d = heap_getattr(tuple, 3, desc, &code_null);
		if (kind_null)
			continue;
		kind = TextDatumGetCString(kind_d);
		code = code_null ? NULL : TextDatumGetCString(code_d);

		if (role == user)
		{
			/* registered itself: that party, whatever it is a member of */
			exact = true;
			p.state = CR_PARTY_ONE;
			p.kind = kind;
			p.code = code;
			p.nparties = 1;
		}
		else if (p.state == CR_PARTY_NONE)
		{
			p.state = CR_PARTY_ONE;
			p.kind = kind;
			p.code = code;
			p.nparties = 1;
		}
		else if (!same_text(p.kind, kind) || !same_text(p.code, code))
		{
			p.state = CR_PARTY_SEVERAL;
			p.nparties++;
		}
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);

	if (p.state != CR_PARTY_ONE)
	{
		p.kind = NULL;
		p.code = NULL;
	}
	memo_keep(user, relid, snap, &p, drops);
	return p;
}

/*
 * ceptoar._party_kind(): nisc, ministry, ceptoar, operator, public, or NULL
 * (no party).  STABLE: a policy calls it once per statement as
 * (SELECT ceptoar._party_kind()).
 */
PG_FUNCTION_INFO_V1(party_kind);

Datum
party_kind(PG_FUNCTION_ARGS)
{
	CrParty		p = party_of(GetOuterUserId(), fcinfo->flinfo->fn_oid);

	if (p.kind == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(p.kind));
}

/*
 * ceptoar._party_code(): the party's code (nisc, a ministry's, a CEPTOAR's,
 * an operator's), NULL for the public and for no party.
 */
PG_FUNCTION_INFO_V1(party_code);

Datum
party_code(PG_FUNCTION_ARGS)
{
	CrParty		p = party_of(GetOuterUserId(), fcinfo->flinfo->fn_oid);

	if (p.code == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(p.code));
}

/*
 * ceptoar.my_party(): the caller's party as (kind, code); raises when the
 * caller is a member of several parties, which would otherwise see nothing
 * without a word.
 */
PG_FUNCTION_INFO_V1(party_mine);

Datum
party_mine(PG_FUNCTION_ARGS)
{
	CrParty		p = party_of(GetOuterUserId(), fcinfo->flinfo->fn_oid);
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (p.state == CR_PARTY_SEVERAL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" is a member of %d parties of the registry",
						GetUserNameFromId(GetOuterUserId(), false), p.nparties),
				 errdetail("A role that could act as several parties acts as none and sees nothing."),
				 errhint("SET ROLE to the registered role of the party to act as.")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "my_party must return a row");
	tupdesc = BlessTupleDesc(tupdesc);
	if (p.kind == NULL)
		nulls[0] = true;
	else
		values[0] = CStringGetTextDatum(p.kind);
	if (p.code == NULL)
		nulls[1] = true;
	else
		values[1] = CStringGetTextDatum(p.code);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * ceptoar._party_role(): the role whose party the functions above answer
 * for (the session's role; see the head of this file), for the registry's
 * SECURITY DEFINER functions, in which current_user is their owner.
 */
PG_FUNCTION_INFO_V1(party_role);

Datum
party_role(PG_FUNCTION_ARGS pg_attribute_unused())
{
	PG_RETURN_OID(GetOuterUserId());
}

/*
 * The current user's party for C callers (the audit of identity reads,
 * audit.c): *kind and *code as _party_kind() and _party_code() give them
 * (NULL when none), read from the roster in the schema of function fn_oid.
 * Returns how many parties the user could act as (0, 1, or more: none).
 */
int
cr_current_party(Oid fn_oid, char **kind, char **code)
{
	CrParty		p = party_of(GetOuterUserId(), fn_oid);

	*kind = p.kind;
	*code = p.code;
	return p.nparties;
}
