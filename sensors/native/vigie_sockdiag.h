/* vigie_sockdiag.c: adds diagDump() and diagRecordSize to the addon's exports. */
#ifndef VIGIE_SOCKDIAG_H
#define VIGIE_SOCKDIAG_H
#include <node_api.h>
void vigie_sockdiag_register(napi_env env, napi_value exports);
#endif
