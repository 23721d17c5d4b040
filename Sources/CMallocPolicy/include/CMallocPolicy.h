#ifndef CMALLOCPOLICY_H
#define CMALLOCPOLICY_H
/* The swiftcoder executable's malloc settings (D153), applied by a constructor before main:
   one arena for every thread (mallopt M_ARENA_MAX = 1). Per-thread arenas each kept their own
   freed, fragmented pages; the Swift runtime, dispatch and libcurl start threads before any
   Swift code could set this. Only the executable (and AppRuntimeTests, which checks these
   settings) links this target. */

/* The arena limit the constructor applied, 0 when mallopt refused it or does not exist. */
int sc_malloc_arena_limit(void);

/* Gives the kernel back every whole free page of the heap (malloc_trim(0)), not only its top:
   a turn's transient buffers (the request body grows with the history) leave free pages below
   live chunks that glibc otherwise keeps resident for the rest of the process (D199). */
void sc_malloc_release_free_pages(void);
#endif
