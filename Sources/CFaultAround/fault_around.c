/* See CFaultAround.h and DECISIONS D200. */
#define _GNU_SOURCE
#include "CFaultAround.h"
#include <errno.h>
#include <fcntl.h>
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
static pthread_mutex_t scan_lock = PTHREAD_MUTEX_INITIALIZER;

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

/* One mapping of /proc/self/smaps, gathered from its header and field lines. */
struct mapping {
    unsigned long start, end, anonymous_kb;
    char perms[5];
    unsigned long inode;
    int valid;
};

/* Drops the pages of [start, end) that are the file's own (present, file-backed in
   /proc/self/pagemap), in runs, keeping private copies. Only for non-writable mappings. */
static void drop_file_pages(unsigned long start, unsigned long end) {
    long page = sysconf(_SC_PAGESIZE);
    int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (pagemap < 0 || page <= 0) {
        if (pagemap >= 0) close(pagemap);
        return;
    }
    const unsigned long long present = 1ULL << 63, file_page = 1ULL << 61;
    unsigned long run = 0; /* start of the current run of file pages, 0 for none */
    unsigned long long entries[512];
    for (unsigned long address = start; address < end;) {
        unsigned long count = (end - address) / (unsigned long)page;
        if (count > 512) count = 512;
        off_t offset = (off_t)(address / (unsigned long)page) * 8;
        ssize_t got = pread(pagemap, entries, count * 8, offset);
        if (got <= 0) break;
        unsigned long read_count = (unsigned long)got / 8;
        for (unsigned long i = 0; i < read_count; i++, address += (unsigned long)page) {
            int droppable = (entries[i] & present) && (entries[i] & file_page);
            if (droppable && run == 0) run = address;
            if (!droppable && run != 0) {
                (void)madvise((void *)run, address - run, MADV_DONTNEED);
                run = 0;
            }
        }
    }
    if (run != 0) (void)madvise((void *)run, end - run, MADV_DONTNEED);
    close(pagemap);
}

/* What one pass over the mappings does with their resident pages. */
struct pass {
    int drop_new;       /* drop the file pages of mappings this pass covers */
    int drop_covered;   /* drop the file pages of mappings covered before this pass */
    int drop_writable;  /* drop clean file pages of writable mappings this pass covers:
                           only while the process has one thread */
};

/* The mapping is complete at its VmFlags line (the last of its fields). Returns 1 when it
   was covered by this pass. */
static int visit(const struct mapping *m, const char *vmflags, struct pass how) {
    if (!m->valid || m->inode == 0) return 0;
    if (m->perms[0] != 'r' || m->perms[3] != 'p') return 0;
    int covered_before = strstr(vmflags, " uw") != NULL;
    int covered_now = !covered_before && register_range(m->start, m->end - m->start) == 0;
    if (m->perms[1] == 'w') {
        /* Another thread could be writing a page between the check and the drop. */
        if (covered_now && how.drop_writable) drop_file_pages(m->start, m->end);
    } else if (covered_now ? how.drop_new : covered_before && how.drop_covered) {
        if (m->anonymous_kb == 0) {
            /* Not writable and no private copies: every page is the file's and faults back
               in unchanged when used. */
            (void)madvise((void *)m->start, m->end - m->start, MADV_DONTNEED);
        } else {
            /* Relocated data made read-only: keep the private copies, drop the rest. */
            drop_file_pages(m->start, m->end);
        }
    }
    return covered_now;
}

static int run_pass(struct pass how) {
    FILE *smaps = fopen("/proc/self/smaps", "re");
    if (smaps == NULL) return 0;
    char *line = NULL;
    size_t capacity = 0;
    struct mapping current = {0};
    int covered = 0;
    while (getline(&line, &capacity, smaps) > 0) {
        unsigned long start, end, offset, inode;
        unsigned major, minor;
        char perms[5];
        if ((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f')) {
            memset(&current, 0, sizeof(current));
            if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &start, &end, perms, &offset, &major, &minor, &inode) == 7) {
                current = (struct mapping){ .start = start, .end = end, .inode = inode, .valid = 1 };
                memcpy(current.perms, perms, sizeof(perms));
            }
        } else if (strncmp(line, "Anonymous:", 10) == 0) {
            current.anonymous_kb = strtoul(line + 10, NULL, 10);
        } else if (strncmp(line, "VmFlags:", 8) == 0) {
            covered += visit(&current, line + 8, how);
            current.valid = 0;
        }
    }
    free(line);
    fclose(smaps);
    return covered;
}

static int locked_pass(struct pass how) {
    if (uffd < 0) return -1;
    pthread_mutex_lock(&scan_lock);
    int covered = run_pass(how);
    pthread_mutex_unlock(&scan_lock);
    return covered;
}

int sc_fault_around_cover_mappings(void) {
    return locked_pass((struct pass){ .drop_new = 1, .drop_covered = 0, .drop_writable = 0 });
}

int sc_fault_around_trim(void) {
    return locked_pass((struct pass){ .drop_new = 1, .drop_covered = 1, .drop_writable = 0 });
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
    if (sscanf(after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld", &threads) != 1) return 0;
    return threads;
}

int sc_fault_around_cover_range(void *start, unsigned long length) {
    if (uffd < 0) return -1;
    return register_range((unsigned long)start, length) == 0 ? 0 : -1;
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
    /* Code and read-only data keep their pages: start-up needs most of them now, and
       sc_fault_around_trim drops them once it is over. Writable data cannot be dropped
       later; before main no thread but this one can write it, so its clean pages (faulted in
       around what relocation and the libraries' constructors read) go now. */
    (void)locked_pass((struct pass){ .drop_new = 0, .drop_covered = 0, .drop_writable = thread_count() == 1 });
}
