// The system OpenSSL (Debian libssl-dev), as the Swift module `COpenSSL`.
// Only the `OpenSSL` Swift module imports it; raw pointers never leave that module.
#ifndef C_OPENSSL_SHIM_H
#define C_OPENSSL_SHIM_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

// Macros Swift cannot call, as functions.
static inline long copenssl_set_sni_hostname(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline long copenssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long copenssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline uint64_t copenssl_op_ignore_unexpected_eof(void) {
    return SSL_OP_IGNORE_UNEXPECTED_EOF;
}

static inline void copenssl_bio_clear_retry_flags(BIO *bio) {
    BIO_clear_retry_flags(bio);
}

static inline void copenssl_bio_set_retry_read(BIO *bio) {
    BIO_set_retry_read(bio);
}

static inline void copenssl_bio_set_retry_write(BIO *bio) {
    BIO_set_retry_write(bio);
}

#endif
