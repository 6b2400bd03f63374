#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H

// The only C header RedisClient sees. Works with hiredis 0.14 and 1.x.
#include <hiredis/hiredis.h>

#endif
