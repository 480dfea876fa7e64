/*
 * drivers.c
 *		What drivers and reporting tools need from C (0.5): whether a NOTICE of
 *		the install script reaches the user.
 *
 * CREATE EXTENSION and ALTER EXTENSION UPDATE run their script with
 * client_min_messages raised to at least WARNING (so that the script's own
 * chatter stays quiet), which would also swallow the one NOTICE the user
 * should see: that the schema is not on the database's search_path.  The
 * value the session had is the prior value the server saved on the GUC stack
 * when it raised the setting; a session that asked for WARNING or more itself
 * (SET client_min_messages = warning) has no such entry and is left alone.
 */
#include "postgres.h"

#include "commands/extension.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"

#include "ceptoar_registry.h"

PG_FUNCTION_INFO_V1(cr_notices_reach_client);
Datum
cr_notices_reach_client(PG_FUNCTION_ARGS)
{
	struct config_generic **vars;
	int			n;

	if (client_min_messages <= NOTICE)
		PG_RETURN_BOOL(true);
	if (client_min_messages != WARNING || !creating_extension)
		PG_RETURN_BOOL(false);
	vars = get_guc_variables();
	n = GetNumConfigOptions();
	for (int i = 0; i < n; i++)
	{
		struct config_generic *g = vars[i];

		if (g->vartype != PGC_ENUM || strcmp(g->name, "client_min_messages") != 0)
			continue;

		/*
		 * raised by the extension machinery: GUC_ACTION_SAVE, the prior value
		 * kept
		 */
		if (g->stack != NULL && g->stack->state == GUC_SAVE)
			PG_RETURN_BOOL(g->stack->prior.val.enumval <= NOTICE);
		break;
	}
	PG_RETURN_BOOL(false);
}
