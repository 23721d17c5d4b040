/* See CFaultAround.h and DECISIONS D200.

   Two separate jobs:
   - covering: registering file mappings with the userfaultfd (found in /proc/self/smaps).
     Registration changes nothing but fault-around, so any private readable file mapping
     may be covered at any time.
   - dropping: MADV_DONTNEED on pages that are the file's own. Only inside the load segments
     of the ELF objects the dynamic linker has loaded (dl_iterate_phdr): those stay at their
     addresses until a dlclose, which this program never does, so no other mapping can
     appear at an address between the check and the drop. Each page is checked in
     /proc/self/pagemap right before its batch is dropped: present and file-backed, never
     a private copy (relocated data, a debugger's breakpoint) nor a swapped-out page. */
#define _GNU_SOURCE
#include "CFaultAround.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Older kernel headers lack these; the values are the kernel's ABI (Linux 5.11 and 6.7). */
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif

static int uffd = -1;
static char reason[128] = "not started";
static pthread_mutex_t pass_lock = PTHREAD_MUTEX_INITIALIZER;

static void record_failure(const char *call) {
    snprintf(reason, sizeof(reason), "%s: %s", call, strerror(errno));
}

static int register_range(unsigned long start, unsigned long length) {
    struct uffdio_register request;
    memset(&request, 0, sizeof(request));
    request.range.start = start;
    request.range.len = length;
    request.mode = UFFDIO_REGISTER_MODE_WP;
    return ioctl(uffd, UFFDIO_REGISTER, &request);
}

/* ---- Covering ---- */

/* Registers every private, readable file mapping not registered yet (its smaps VmFlags
   lack `uw`). Returns how many were registered. */
static int cover_new_mappings(void) {
    FILE *smaps = fopen("/proc/self/smaps", "re");
    if (smaps == NULL) return 0;
    char *line = NULL;
    size_t capacity = 0;
    unsigned long start = 0, end = 0, inode = 0;
    char perms[5] = "";
    int candidate = 0, covered = 0;
    while (getline(&line, &capacity, smaps) > 0) {
        unsigned long offset;
        unsigned major, minor;
        if ((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f')) {
            candidate = sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &start, &end, perms, &offset, &major, &minor, &inode) == 7
                && inode != 0 && perms[0] == 'r' && perms[3] == 'p';
        } else if (strncmp(line, "VmFlags:", 8) == 0) {
            /* The last field of a mapping. */
            if (candidate && strstr(line + 8, " uw") == NULL && register_range(start, end - start) == 0) covered++;
            candidate = 0;
        }
    }
    free(line);
    fclose(smaps);
    return covered;
}

/* ---- Dropping ---- */

enum { batch_pages = 64 };

/* What one drop pass does. */
struct drop_pass {
    int pagemap;        /* /proc/self/pagemap */
    long page;          /* the page size */
    int writable;       /* 0: the read-only segments (code, constants); 1: the writable ones,
                           only while the process has one thread */
};

/* Drops the pages of [start, end) that are the file's own, a batch at a time, each batch
   checked in pagemap just before: present (bit 63) and file-backed (bit 61). A private copy
   or a swapped-out page (bit 62, not present) is kept. */
static void drop_file_pages(const struct drop_pass *pass, unsigned long start, unsigned long end) {
    const unsigned long long present = 1ULL << 63, file_page = 1ULL << 61;
    const unsigned long page = (unsigned long)pass->page;
    unsigned long long entries[batch_pages];
    for (unsigned long address = start; address < end;) {
        unsigned long count = (end - address) / page;
        if (count > batch_pages) count = batch_pages;
        ssize_t got = pread(pass->pagemap, entries, count * sizeof(entries[0]), (off_t)(address / page * sizeof(entries[0])));
        if (got <= 0) return;
        unsigned long read_count = (unsigned long)got / sizeof(entries[0]);
        if (read_count == 0) return;
        unsigned long run = 0; /* start of the current run of file pages in this batch, 0 for none */
        for (unsigned long i = 0; i < read_count; i++, address += page) {
            int droppable = (entries[i] & present) && (entries[i] & file_page);
            if (droppable && run == 0) run = address;
            if (!droppable && run != 0) {
                (void)madvise((void *)run, address - run, MADV_DONTNEED);
                run = 0;
            }
        }
        /* Only pages this batch checked: a short read leaves the rest alone. */
        if (run != 0) (void)madvise((void *)run, address - run, MADV_DONTNEED);
    }
}

/* dl_iterate_phdr's callback: the object's loadable segments, page-aligned, read-only or
   writable (data, and the relocated part made read-only after loading) as the pass says. */
static int drop_object(struct dl_phdr_info *object, size_t size, void *context) {
    (void)size;
    const struct drop_pass *pass = context;
    const unsigned long page = (unsigned long)pass->page;
    for (int index = 0; index < object->dlpi_phnum; index++) {
        const ElfW(Phdr) *segment = &object->dlpi_phdr[index];
        unsigned long start = object->dlpi_addr + segment->p_vaddr, end = start + segment->p_memsz;
        if (segment->p_memsz == 0) continue;
        if (segment->p_type == PT_LOAD && ((segment->p_flags & PF_W) != 0) == (pass->writable != 0)) {
            drop_file_pages(pass, start / page * page, (end + page - 1) / page * page);
        } else if (segment->p_type == PT_GNU_RELRO && !pass->writable) {
            /* The relocated data the loader made read-only, whole pages only (the loader
               leaves a last partial page writable). */
            drop_file_pages(pass, (start + page - 1) / page * page, end / page * page);
        }
    }
    return 0;
}

/* Drops the file pages of every loaded object's read-only or writable segments (see the top
   of the file). */
static void drop_loaded_objects(int writable) {
    struct drop_pass pass = { .pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC),
                              .page = sysconf(_SC_PAGESIZE), .writable = writable };
    if (pass.pagemap < 0) return;
    if (pass.page > 0) dl_iterate_phdr(drop_object, &pass);
    close(pass.pagemap);
}

/* The number of threads in this process, from /proc/self/stat's 20th field; 0 if unknown. */
static long thread_count(void) {
    FILE *stat = fopen("/proc/self/stat", "re");
    if (stat == NULL) return 0;
    char text[1024];
    size_t length = fread(text, 1, sizeof(text) - 1, stat);
    fclose(stat);
    text[length] = 0;
    char *after_name = strrchr(text, ')'); /* the command name may hold spaces */
    if (after_name == NULL) return 0;
    long threads = 0;
    /* state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt, majflt, cmajflt,
       utime, stime, cutime, cstime, priority, nice, then num_threads. */
    if (sscanf(after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %*lu %*lu %*lu %*lu %*lu %*lu %*ld %*ld %*ld %*ld %ld",
               &threads) != 1) return 0;
    return threads;
}

/* ---- The interface ---- */

int sc_fault_around_cover_mappings(void) {
    if (uffd < 0) return -1;
    pthread_mutex_lock(&pass_lock);
    int covered = cover_new_mappings();
    pthread_mutex_unlock(&pass_lock);
    return covered;
}

int sc_fault_around_trim(void) {
    if (uffd < 0) return -1;
    pthread_mutex_lock(&pass_lock);
    int covered = cover_new_mappings();
    drop_loaded_objects(0);
    pthread_mutex_unlock(&pass_lock);
    return covered;
}

int sc_fault_around_cover_range(void *start, unsigned long length) {
    if (uffd < 0) return -1;
    return register_range((unsigned long)start, length) == 0 ? 0 : -1;
}

int sc_fault_around_drop_range(void *start, unsigned long length) {
    struct drop_pass pass = { .pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC),
                              .page = sysconf(_SC_PAGESIZE), .writable = 0 };
    if (pass.pagemap < 0) return -1;
    if (pass.page > 0) drop_file_pages(&pass, (unsigned long)start, (unsigned long)start + length);
    close(pass.pagemap);
    return 0;
}

int sc_fault_around_active(void) { return uffd >= 0; }

const char *sc_fault_around_reason(void) { return uffd >= 0 ? "" : reason; }

__attribute__((constructor)) static void sc_start_covering(void) {
    const char *setting = getenv("SWIFTCODER_FAULT_AROUND");
    if (setting != NULL && strcmp(setting, "on") == 0) {
        snprintf(reason, sizeof(reason), "SWIFTCODER_FAULT_AROUND=on");
        return;
    }
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    if (fd < 0) {
        record_failure("userfaultfd");
        return;
    }
    struct uffdio_api api;
    memset(&api, 0, sizeof(api));
    api.api = UFFD_API;
    api.features = UFFD_FEATURE_WP_ASYNC;
    if (ioctl(fd, UFFDIO_API, &api) != 0) {
        record_failure("UFFDIO_API with UFFD_FEATURE_WP_ASYNC");
        close(fd);
        return;
    }
    uffd = fd; /* kept open for the process's life: closing it would end every registration */
    pthread_mutex_lock(&pass_lock);
    (void)cover_new_mappings();
    /* Code and read-only data keep their pages: start-up needs most of them now, and
       sc_fault_around_trim drops them once it is over. Writable data cannot be dropped
       later (another thread could write a page between the check and the drop); before main
       no thread but this one can, so its clean pages (faulted in around what relocation and
       the libraries' constructors read) go now. */
    if (thread_count() == 1) drop_loaded_objects(1);
    pthread_mutex_unlock(&pass_lock);
}
