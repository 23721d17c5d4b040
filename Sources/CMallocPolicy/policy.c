#include "CMallocPolicy.h"
#include <malloc.h>

static int applied_limit = 0;

__attribute__((constructor)) static void sc_apply_malloc_policy(void) {
#ifdef M_ARENA_MAX
    if (mallopt(M_ARENA_MAX, 1) == 1) applied_limit = 1;
#endif
}

int sc_malloc_arena_limit(void) { return applied_limit; }

void sc_malloc_release_free_pages(void) { malloc_trim(0); }
