/* libcurl, loaded on first use.

   libcurl and its dependency tree (GnuTLS, OpenSSL, Kerberos, LDAP, libssh2, ...) cost
   about 10 ms to load and relocate at process start (measured: a C program linking only
   libcurl starts in 10.7 ms against 0.8 ms). The app's first frame needs none of it, so
   the library is dlopen'ed by the first transfer, on that transfer's own thread, and
   every call goes through this table. Only the names below are used by the transport. */
#include "CCurlShims.h"
#include <sys/socket.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} fns;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char load_error[256] = "";

#define RESOLVE(handle, field, name) \
    do { *(void **)(&fns.field) = dlsym(handle, name); if (!fns.field) { missing = name; } } while (0)

static void load_curl(void) {
    void *handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof(load_error), "cannot load libcurl.so.4: %s", reason ? reason : "unknown error");
        return;
    }
    const char *missing = NULL;
    RESOLVE(handle, global_init, "curl_global_init");
    RESOLVE(handle, easy_init, "curl_easy_init");
    RESOLVE(handle, easy_cleanup, "curl_easy_cleanup");
    RESOLVE(handle, easy_setopt, "curl_easy_setopt");
    RESOLVE(handle, easy_getinfo, "curl_easy_getinfo");
    RESOLVE(handle, easy_strerror, "curl_easy_strerror");
    RESOLVE(handle, multi_init, "curl_multi_init");
    RESOLVE(handle, multi_add_handle, "curl_multi_add_handle");
    RESOLVE(handle, multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(handle, multi_perform, "curl_multi_perform");
    RESOLVE(handle, multi_poll, "curl_multi_poll");
    RESOLVE(handle, multi_wakeup, "curl_multi_wakeup");
    RESOLVE(handle, multi_cleanup, "curl_multi_cleanup");
    RESOLVE(handle, multi_info_read, "curl_multi_info_read");
    RESOLVE(handle, slist_append, "curl_slist_append");
    RESOLVE(handle, slist_free_all, "curl_slist_free_all");
    if (missing) {
        snprintf(load_error, sizeof(load_error), "libcurl.so.4 is too old: no %s (7.68 or newer needed)", missing);
        return;
    }
    loaded = 1;
}

int sc_curl_load(void) {
    pthread_once(&load_once, load_curl);
    return loaded;
}

const char *sc_curl_load_error(void) { return load_error; }

/* The executable's CFaultAround (D200), when it is linked: libcurl's tree of libraries is
   mapped and initialized by now; from here on their pages are mapped only where used (the
   trim at the end of start-up drops what loading faulted in). Weak, so binaries without
   that target (tests, benches) link and skip it. */
extern int sc_fault_around_cover_mappings(void) __attribute__((weak));

CURLcode sc_curl_global_init(long flags) {
    if (!sc_curl_load()) return CURLE_FAILED_INIT;
    CURLcode code = fns.global_init(flags);
    if (sc_fault_around_cover_mappings) (void)sc_fault_around_cover_mappings();
    return code;
}
CURL *sc_curl_easy_init(void) { return sc_curl_load() ? fns.easy_init() : NULL; }
void sc_curl_easy_cleanup(CURL *handle) { if (loaded && handle) fns.easy_cleanup(handle); }
const char *sc_curl_easy_strerror(CURLcode code) { return loaded ? fns.easy_strerror(code) : load_error; }
CURLM *sc_curl_multi_init(void) { return sc_curl_load() ? fns.multi_init() : NULL; }
CURLMcode sc_curl_multi_add_handle(CURLM *multi, CURL *easy) { return fns.multi_add_handle(multi, easy); }
CURLMcode sc_curl_multi_remove_handle(CURLM *multi, CURL *easy) { return fns.multi_remove_handle(multi, easy); }
CURLMcode sc_curl_multi_perform(CURLM *multi, int *running) { return fns.multi_perform(multi, running); }
CURLMcode sc_curl_multi_poll(CURLM *multi, struct curl_waitfd extra[], unsigned int count, int timeout_ms, int *ret) {
    return fns.multi_poll(multi, extra, count, timeout_ms, ret);
}
CURLMcode sc_curl_multi_wakeup(CURLM *multi) { return fns.multi_wakeup(multi); }
CURLMcode sc_curl_multi_cleanup(CURLM *multi) { return fns.multi_cleanup(multi); }
CURLMsg *sc_curl_multi_info_read(CURLM *multi, int *queued) { return fns.multi_info_read(multi, queued); }
struct curl_slist *sc_curl_slist_append(struct curl_slist *list, const char *text) {
    return sc_curl_load() ? fns.slist_append(list, text) : NULL;
}
void sc_curl_slist_free_all(struct curl_slist *list) { if (loaded && list) fns.slist_free_all(list); }

/* Typed wrappers for the variadic setters. */
CURLcode sc_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return fns.easy_setopt(handle, option, value);
}
CURLcode sc_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return fns.easy_setopt(handle, option, value);
}
CURLcode sc_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return fns.easy_setopt(handle, option, value);
}
CURLcode sc_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return fns.easy_setopt(handle, option, value);
}
/* Opens curl's sockets close-on-exec (curl 7.88 opens them without SOCK_CLOEXEC), so a
   command started while a transfer runs cannot inherit a connection to the provider. */
static curl_socket_t open_cloexec_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)clientp;
    (void)purpose;
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

CURLcode sc_curl_setopt_cloexec_sockets(CURL *handle) {
    return fns.easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, open_cloexec_socket);
}

CURLcode sc_curl_setopt_write_callback(CURL *handle, sc_curl_data_callback callback, void *userdata) {
    CURLcode code = fns.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return fns.easy_setopt(handle, CURLOPT_WRITEDATA, userdata);
}
CURLcode sc_curl_setopt_header_callback(CURL *handle, sc_curl_data_callback callback, void *userdata) {
    CURLcode code = fns.easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return fns.easy_setopt(handle, CURLOPT_HEADERDATA, userdata);
}
CURLcode sc_curl_setopt_xferinfo_callback(CURL *handle, sc_curl_progress_callback callback, void *userdata) {
    CURLcode code = fns.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
    if (code != CURLE_OK) return code;
    code = fns.easy_setopt(handle, CURLOPT_XFERINFODATA, userdata);
    if (code != CURLE_OK) return code;
    return fns.easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
}
CURLcode sc_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return fns.easy_getinfo(handle, info, value);
}
