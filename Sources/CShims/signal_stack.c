#define _GNU_SOURCE
#include "CShims.h"
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- alternate signal stacks (D58) ------------------------------------------------
   A stack overflow raises SIGSEGV on a thread whose stack is exhausted: the kernel cannot
   push the handler's frame there and kills the process without running the terminal
   guard, leaving the tty raw. With an alternate stack (sigaltstack, per thread) and
   SA_ONSTACK on the handlers, the guard runs on that stack instead.

   An alternate stack belongs to one thread and is not inherited by new threads, so every
   thread needs its own: the main thread gets one from a constructor before main, and every
   other thread from the pthread_create below, which wraps the real one (found with
   dlsym(RTLD_NEXT)) and installs a stack at the start of the new thread. That covers the
   threads swiftcoder starts (DetachedThread: curl transfers, OffPool, the input waiter)
   and those it does not (the Swift cooperative pool and the main actor's worker threads,
   GRDB's, curl's resolver). The stack is freed by a thread-specific-data destructor when
   the thread ends. The pages are mapped but not touched until a signal arrives, so the
   cost is address space, not memory. */

#define SIGNAL_STACK_SIZE (64 * 1024)

static pthread_key_t stack_key;
static pthread_once_t stack_key_once = PTHREAD_ONCE_INIT;
static int stack_key_ready = 0;

static size_t guard_size(void) {
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (size_t)page : 4096;
}

/* Turns the thread's alternate stack off, then unmaps it (the order matters: a signal
   between the two must not land on unmapped memory). */
static void release_signal_stack(void *mapping) {
    stack_t off;
    memset(&off, 0, sizeof(off));
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, NULL);
    munmap(mapping, SIGNAL_STACK_SIZE + guard_size());
}

static void make_stack_key(void) {
    stack_key_ready = pthread_key_create(&stack_key, release_signal_stack) == 0;
}

int sc_install_signal_stack(void) {
    pthread_once(&stack_key_once, make_stack_key);
    if (stack_key_ready && pthread_getspecific(stack_key) != NULL) return 0;
    size_t guard = guard_size();
    char *mapping = mmap(NULL, SIGNAL_STACK_SIZE + guard, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED) return -1;
    /* The lowest page is a guard: a handler that overflows the alternate stack faults
       instead of writing over whatever lies below. */
    mprotect(mapping, guard, PROT_NONE);
    stack_t stack;
    memset(&stack, 0, sizeof(stack));
    stack.ss_sp = mapping + guard;
    stack.ss_size = SIGNAL_STACK_SIZE;
    if (sigaltstack(&stack, NULL) != 0) {
        munmap(mapping, SIGNAL_STACK_SIZE + guard);
        return -1;
    }
    if (stack_key_ready) pthread_setspecific(stack_key, mapping);
    return 0;
}

long sc_signal_stack_size(void) {
    stack_t current;
    if (sigaltstack(NULL, &current) != 0 || (current.ss_flags & SS_DISABLE)) return 0;
    return (long)current.ss_size;
}

__attribute__((constructor)) static void install_main_thread_signal_stack(void) {
    sc_install_signal_stack();
}

/* ---- every thread gets one ---------------------------------------------------- */
/* The sanitizers' runtimes intercept pthread_create themselves (and install their own
   alternate stacks): a second definition would clash with theirs. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SC_PTHREAD_CREATE_INTERCEPTED 1
#endif
#endif

#ifndef SC_PTHREAD_CREATE_INTERCEPTED
typedef int (*pthread_create_function)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

struct thread_start {
    void *(*body)(void *);
    void *argument;
};

static void *start_with_signal_stack(void *raw) {
    struct thread_start start = *(struct thread_start *)raw;
    free(raw);
    sc_install_signal_stack();
    return start.body(start.argument);
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attributes, void *(*body)(void *), void *argument) {
    static pthread_create_function real = NULL;
    pthread_create_function create = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
    if (create == NULL) {
        create = (pthread_create_function)dlsym(RTLD_NEXT, "pthread_create");
        if (create == NULL) return EAGAIN;
        __atomic_store_n(&real, create, __ATOMIC_RELEASE);
    }
    struct thread_start *start = malloc(sizeof(*start));
    if (start == NULL) return create(thread, attributes, body, argument);
    start->body = body;
    start->argument = argument;
    int result = create(thread, attributes, start_with_signal_stack, start);
    if (result != 0) free(start);
    return result;
}
#endif

/* ---- test hook: a real stack overflow ------------------------------------------ */
static long __attribute__((noinline)) descend(volatile char *caller, long depth) {
    volatile char frame[1024];
    frame[0] = caller[0];
    frame[sizeof(frame) - 1] = (char)depth;
    if (depth == LONG_MAX) return 0;
    return descend(frame, depth + 1) + frame[sizeof(frame) - 1];
}

long sc_overflow_stack(void) {
    volatile char start[1] = {0};
    return descend(start, 0);
}
