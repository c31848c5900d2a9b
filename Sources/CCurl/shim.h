#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic: Swift cannot call them directly.
   These non-variadic shims take one argument type each. */
static inline CURLcode mlc_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mlc_curl_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mlc_curl_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mlc_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mlc_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mlc_curl_setopt_blob(CURL *h, CURLoption o, struct curl_blob *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*mlc_curl_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode mlc_curl_setopt_writefn(CURL *h, CURLoption o, mlc_curl_write_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mlc_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode mlc_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode mlc_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
/* Set-up and constants whose macros Swift cannot import (casts, nested macros). */
static inline CURLcode mlc_curl_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
static const long mlc_curlauth_basic = (long)CURLAUTH_BASIC;
static const long mlc_curlauth_ntlm = (long)CURLAUTH_NTLM;
static const long mlc_curlauth_negotiate = (long)CURLAUTH_NEGOTIATE;
static const long mlc_curl_http_version_1_1 = (long)CURL_HTTP_VERSION_1_1;
static const long mlc_curl_error_size = (long)CURL_ERROR_SIZE;
/* Header lines arrive through a callback of the write callback's shape. */
static inline CURLcode mlc_curl_setopt_headerfn(CURL *h, mlc_curl_write_cb v) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, v); }
#endif
