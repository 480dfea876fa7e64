/*
 * module.c
 *		The module's magic block; nothing else lives here.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
