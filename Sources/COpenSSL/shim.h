#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/decoder.h>
#include <openssl/ssl.h>

/* EVP_PKEY_PUBLIC_KEY is a compound macro that Swift cannot import. */
static inline int mlc_evp_pkey_public_key_selection(void) { return EVP_PKEY_PUBLIC_KEY; }

/* HTTPServer's TLS listener: the SSL_CTX_set_* calls below are macros Swift cannot import.
   TLS 1.2 minimum; AUTO_RETRY so a blocking SSL_read never returns WANT_READ for a
   non-application record (only on a socket timeout); a peer closing without close_notify is an
   ordinary end of stream, not an error; no renegotiation. */
static inline int mlc_ssl_ctx_configure_server(SSL_CTX *ctx) {
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) return 0;
    SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
    return 1;
}
#endif
