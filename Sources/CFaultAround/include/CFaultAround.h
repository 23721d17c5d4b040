#ifndef CFAULTAROUND_H
#define CFAULTAROUND_H
/* Keeps the executable's and its libraries' file mappings resident only where code or data
   is used (D200). On a read fault in a file mapping the kernel maps up to 16 neighbouring
   pages that are in the page cache ("fault-around"); for code that is reached in scattered
   places this made the resident code several times what runs (idle: 7.6 MiB of the
   executable's text resident for under 2 MiB touched). The kernel skips fault-around in a
   mapping registered with a userfaultfd for write-protect tracking, and a write-protect
   registration in asynchronous mode (Linux 6.7) needs no handler thread and changes nothing
   else for pages that are never write-protected (this code never write-protects any).
   Every private readable file mapping is registered ("covered"). Pages are dropped only
   inside the load segments of the objects the dynamic linker has loaded, and only pages that
   pagemap shows are the file's own. Where userfaultfd is refused (old kernel, seccomp, an
   environment of SWIFTCODER_FAULT_AROUND=on) the process runs exactly as before.
   A constructor covers the mappings present before main and drops the clean pages of the
   writable data segments while the process has one thread; only the swiftcoder executable
   (and AppRuntimeTests, which checks this) links the target. */

/* 1 when a userfaultfd is open, so mappings can be covered; 0 otherwise. */
int sc_fault_around_active(void);

/* Why covering is off ("" when active): the failed call and its errno text. */
const char *sc_fault_around_reason(void);

/* Covers every private, readable file mapping not covered yet (libraries loaded since, with
   dlopen). Returns how many, or -1 when covering is off. Reads /proc/self/smaps. Thread-safe. */
int sc_fault_around_cover_mappings(void);

/* Covers new mappings, then drops the file pages of every loaded object's read-only
   segments (code, constants), keeping private copies: code used since then faults back in
   one page at a time. Call it when a phase whose code will not run again has ended
   (start-up), off the event loop. Returns the number of mappings newly covered, or -1 when
   covering is off. Thread-safe. */
int sc_fault_around_trim(void);

/* Covers one range (page-aligned, inside private file mappings) without dropping pages:
   for tests. Returns 0 on success, -1 otherwise. */
int sc_fault_around_cover_range(void *start, unsigned long length);

/* Drops the pages of one range (page-aligned, not writable by any thread meanwhile) that
   are the file's own, as the trim does inside load segments: for tests. 0, or -1 when
   /proc/self/pagemap cannot be read. */
int sc_fault_around_drop_range(void *start, unsigned long length);
#endif
