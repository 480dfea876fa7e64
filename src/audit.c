/*
 * audit.c
 *		The audit of identity reads (issue 13, section 7): a row of
 *		ceptoar.identity_reads for every report whose operator's identity or
 *		full description a function of the registry reveals.
 *
 * ceptoar._audit_read(report, what) records who read: the session's role
 * (GetOuterUserId: the SET ROLE'd role or the session user, as for the party,
 * party.c), the session's login role, and that role's party.  So the
 * registry's SECURITY DEFINER read functions (response_timeline, verdicts,
 * suspected_origins), in which the current user is their owner, record their
 * caller.  It takes the reader first, and only then appends the row as the
 * table's owner, with one fixed, schema-qualified statement under
 * SECURITY_RESTRICTED_OPERATION, the way the graph's change counter is
 * written (graph_counter.c) and PostgreSQL's own foreign keys check their
 * rows.  Nobody but the owner may write the table; every caller may append
 * rows about its own session's role only.
 *
 * A read-only caller does not fail: in a READ ONLY transaction or on a
 * standby nothing can be appended, so the read goes to the server log
 * instead (LOG, one line per read) and the client gets one WARNING per
 * transaction.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "ceptoar_registry.h"

#define AUDIT_NARGS 7

static LocalTransactionId warned_lxid = InvalidLocalTransactionId;

static Oid	audit_argtypes[AUDIT_NARGS] = {TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTOID,
TEXTOID, UUIDOID, TEXTOID};
static CrOwnerStatement audit_statement = {
	.table = "identity_reads",
	.sql_fmt =
	"INSERT INTO %s.identity_reads "
	"(read_at, reader, login, party_kind, party_code, report, what) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7)",
	.nargs = AUDIT_NARGS,
	.argtypes = audit_argtypes,
	.expected = SPI_OK_INSERT
};

/* Append the row, as the owner of identity_reads in schema nsp. */
static void
append_read(Oid nsp, Datum *args, const char *nulls)
{
	if (!cr_write_as_owner(&audit_statement, nsp, args, nulls))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the audit table ceptoar.identity_reads is missing"),
				 errhint("ALTER EXTENSION ceptoar_registry UPDATE, or re-create the extension.")));
}

/*
 * ceptoar._audit_read(report uuid, what text) RETURNS uuid: records that
 * the session's role (GetOuterUserId, as for the party: also when called
 * inside the registry's SECURITY DEFINER functions) was shown the identity
 * ('identity') or the full description ('description') of a report, and
 * returns the report, so that a query can call it in its select list once per
 * row it reveals.
 */
PG_FUNCTION_INFO_V1(audit_read);

Datum
audit_read(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *report = PG_GETARG_UUID_P(0);
	char	   *what = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Oid			reader = GetOuterUserId();
	char	   *reader_name = GetUserNameFromId(reader, false);
	char	   *login_name = GetUserNameFromId(GetSessionUserId(), false);
	char	   *kind;
	char	   *code;
	TimestampTz now = GetCurrentTimestamp();
	Datum		args[AUDIT_NARGS];
	char		nulls[AUDIT_NARGS + 1] = "       ";

	if (strcmp(what, "identity") != 0 && strcmp(what, "description") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid audited read \"%s\"", what),
				 errhint("A read is of identity (the operator, its instance) or description (the full text).")));
	if (IsInParallelMode())
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("an identity read cannot be recorded during a parallel operation"),
				 errhint("Mark the function that reveals identity PARALLEL UNSAFE.")));

	cr_current_party(fcinfo->flinfo->fn_oid, &kind, &code);

	if (RecoveryInProgress() || XactReadOnly)
	{
		char	   *id = DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(report)));

		ereport(LOG,
				(errmsg("ceptoar identity read: reader \"%s\" (login \"%s\", party %s %s) was shown the %s of report %s",
						reader_name, login_name, kind ? kind : "none", code ? code : "-",
						what, id),
				 errdetail("Not recorded in ceptoar.identity_reads: the transaction is read-only."),
				 errhidestmt(true)));
		if (warned_lxid != MyProc->lxid)
		{
			warned_lxid = MyProc->lxid;
			ereport(WARNING,
					(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
					 errmsg("reads of identity in a read-only transaction are logged to the server log only"),
					 errdetail("ceptoar.identity_reads cannot be appended to in a read-only transaction or on a standby."),
					 errhint("Read in a read-write transaction on the primary to have the reads recorded in ceptoar.identity_reads.")));
		}
		PG_RETURN_UUID_P(report);
	}

	args[0] = TimestampTzGetDatum(now);
	args[1] = CStringGetTextDatum(reader_name);
	args[2] = CStringGetTextDatum(login_name);
	if (kind)
		args[3] = CStringGetTextDatum(kind);
	else
		nulls[3] = 'n';
	if (code)
		args[4] = CStringGetTextDatum(code);
	else
		nulls[4] = 'n';
	args[5] = UUIDPGetDatum(report);
	args[6] = CStringGetTextDatum(what);
	append_read(get_func_namespace(fcinfo->flinfo->fn_oid), args, nulls);
	PG_RETURN_UUID_P(report);
}
