// The system libnghttp2 (Debian libnghttp2-dev), as the Swift module `CNGHTTP2`.
// Only the `HTTP2` Swift module imports it; raw pointers never leave that module.
#ifndef C_NGHTTP2_SHIM_H
#define C_NGHTTP2_SHIM_H

#include <nghttp2/nghttp2.h>

#endif
