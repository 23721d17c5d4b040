#ifndef SWIFTCODER_CCURLSHIMS_H
#define SWIFTCODER_CCURLSHIMS_H
/* libcurl helpers Swift cannot express: a dlopen'ed function table and typed wrappers for
   the variadic curl_easy_setopt. Only the transport (Providers) imports this. */
#include <stddef.h>
#include <curl/curl.h>

/* ---- libcurl, loaded with dlopen by the first transfer (see curl.c). Call these, never
   the curl_* functions directly: the executable does not link libcurl. */
/* Loads libcurl once; returns 1 when it is usable, else 0 (see sc_curl_load_error). */
int sc_curl_load(void);
const char *sc_curl_load_error(void);
CURLcode sc_curl_global_init(long flags);
CURL *sc_curl_easy_init(void);
void sc_curl_easy_cleanup(CURL *handle);
const char *sc_curl_easy_strerror(CURLcode code);
CURLM *sc_curl_multi_init(void);
CURLMcode sc_curl_multi_add_handle(CURLM *multi, CURL *easy);
CURLMcode sc_curl_multi_remove_handle(CURLM *multi, CURL *easy);
CURLMcode sc_curl_multi_perform(CURLM *multi, int *running);
CURLMcode sc_curl_multi_poll(CURLM *multi, struct curl_waitfd extra[], unsigned int count, int timeout_ms, int *ret);
CURLMcode sc_curl_multi_wakeup(CURLM *multi);
CURLMcode sc_curl_multi_cleanup(CURLM *multi);
CURLMsg *sc_curl_multi_info_read(CURLM *multi, int *queued);
struct curl_slist *sc_curl_slist_append(struct curl_slist *list, const char *text);
void sc_curl_slist_free_all(struct curl_slist *list);

/* One typed wrapper per argument kind (curl_easy_setopt is variadic). */
CURLcode sc_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode sc_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode sc_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode sc_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
typedef size_t (*sc_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode sc_curl_setopt_write_callback(CURL *handle, sc_curl_data_callback callback, void *userdata);
CURLcode sc_curl_setopt_header_callback(CURL *handle, sc_curl_data_callback callback, void *userdata);
/* Sockets opened close-on-exec (CURLOPT_OPENSOCKETFUNCTION). */
CURLcode sc_curl_setopt_cloexec_sockets(CURL *handle);
typedef int (*sc_curl_progress_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                         curl_off_t ultotal, curl_off_t ulnow);
CURLcode sc_curl_setopt_xferinfo_callback(CURL *handle, sc_curl_progress_callback callback, void *userdata);
CURLcode sc_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
