#ifndef SWIFTCODER_CCURL_SHIM_H
#define SWIFTCODER_CCURL_SHIM_H
#include <curl/curl.h>
#endif
