#ifndef CFAULTAROUND_H
#define CFAULTAROUND_H
/* Keeps the executable's and its libraries' file mappings resident only where code or data
   is used (D200). On a read fault in a file mapping the kernel maps up to 16 neighbouring
   pages that are in the page cache ("fault-around"); for code that is reached in scattered
   places this made the resident code several times what runs (idle: 7.6 MiB of the
   executable's text resident for under 2 MiB touched). The kernel skips fault-around in a
   mapping registered with a userfaultfd for write-protect tracking, and a write-protect
   registration in asynchronous mode (Linux 6.7) needs no handler thread and changes nothing
   else for pages that are never written: read-only and executable mappings are registered,
   writable ones are left alone. Where userfaultfd is refused (old kernel, seccomp, an
   environment of SWIFTCODER_FAULT_AROUND=on) the process runs exactly as before.
   A constructor covers the mappings present before main; only the swiftcoder executable
   (and AppRuntimeTests, which checks this) links the target. */

/* 1 when a userfaultfd is open and mappings can be covered, 0 otherwise. */
int sc_fault_around_active(void);

/* Why covering is off ("" when active): the failed call and its errno text. */
const char *sc_fault_around_reason(void);

/* Covers every private, readable, non-writable file mapping not covered yet and, for each
   one newly covered that holds no private copy-on-write pages, drops its resident pages so
   only those used again come back (the neighbours a library's loading faulted in go).
   Returns the number of mappings newly covered, or -1 when covering is off. Call it after
   loading libraries (dlopen); it reads /proc/self/smaps. Thread-safe. */
int sc_fault_around_cover_mappings(void);

/* Drops the file pages of every covered mapping that is not writable, keeping private copies:
   code and read-only data used since then fault back in one page at a time. Call it when a
   phase whose code will not run again has ended (start-up), off the event loop. Returns the
   number of mappings newly covered, or -1 when covering is off. Thread-safe. */
int sc_fault_around_trim(void);

/* Covers one range (page-aligned, inside private file mappings) without dropping pages:
   for tests. Returns 0 on success, -1 otherwise. */
int sc_fault_around_cover_range(void *start, unsigned long length);
#endif
