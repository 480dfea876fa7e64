/*
 * owner_write.c
 *		One statement run as the owner of a table of the extension: how the
 *		graph's change counter and the audit of identity reads are written by
 *		callers who may not write those tables themselves.
 *
 * The statement is fixed text naming the table by its schema, prepared once
 * per backend (again if the schema is renamed) and run under
 * SECURITY_RESTRICTED_OPERATION as the table's owner, so that nothing the
 * caller controls (search_path, its own objects) runs with the owner's
 * rights.  An error on the way leaves the user to the transaction's abort,
 * which restores it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "ceptoar_registry.h"

/*
 * Run st's statement (st->sql_fmt with %s for the quoted schema name) as the
 * owner of table st->table in schema nsp, with args and nulls as for
 * SPI_execute_plan.  False, having done nothing, if the table is missing.
 */
bool
cr_write_as_owner(CrOwnerStatement *st, Oid nsp, Datum *args, const char *nulls)
{
	char	   *nspname = get_namespace_name(nsp);
	Oid			rel = nspname ? get_relname_relid(st->table, nsp) : InvalidOid;
	HeapTuple	ctup;
	Oid			owner,
				save_user;
	int			save_sec;
	int			ret;

	if (!OidIsValid(rel))
		return false;
	ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
	if (!HeapTupleIsValid(ctup))
		elog(ERROR, "cache lookup failed for relation %u", rel);
	owner = ((Form_pg_class) GETSTRUCT(ctup))->relowner;
	ReleaseSysCache(ctup);

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (st->plan == NULL || strcmp(st->plan_nsp, nspname) != 0)
	{
		SPIPlanPtr	p = SPI_prepare(psprintf(st->sql_fmt, quote_identifier(nspname)),
									st->nargs, st->argtypes);

		if (p == NULL)
			elog(ERROR, "could not prepare the statement on %s: %s", st->table,
				 SPI_result_code_string(SPI_result));
		if (st->plan)
			SPI_freeplan(st->plan);
		st->plan = NULL;
		if (SPI_keepplan(p) != 0)
			elog(ERROR, "SPI_keepplan failed");
		st->plan = p;
		strlcpy(st->plan_nsp, nspname, sizeof(st->plan_nsp));
	}
	ret = SPI_execute_plan(st->plan, args, nulls, false, 0);
	if (ret != st->expected)
		elog(ERROR, "the statement on %s failed: %s", st->table, SPI_result_code_string(ret));
	SPI_finish();
	SetUserIdAndSecContext(save_user, save_sec);
	return true;
}
