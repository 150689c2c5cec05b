/*
 * rekor_native: verifies a signature over a digest the caller already holds, using the OpenSSL
 * that Node itself links and exports (no OpenSSL of our own, nothing extra to keep patched).
 * node:crypto cannot do this for ECDSA: it always hashes the message first, and a hashedrekord
 * entry has only the digest.
 *
 *   verifyEcdsa(curveBits: 224 | 256 | 384 | 521, point: Uint8Array, digest: Uint8Array,
 *               derSignature: Uint8Array): boolean
 *     point is an uncompressed SEC 1 point. Uses the EC_KEY/ECDSA_verify API (deprecated in
 *     OpenSSL 3 but present): it skips the provider decoders and is about 3x faster than
 *     d2i_PUBKEY + EVP_PKEY_verify, which matters for the append throughput target.
 *   verifyRsa(spkiDer: Uint8Array, padding: 1 | 2, hashBits: 256 | 384 | 512,
 *             digest: Uint8Array, signature: Uint8Array): boolean
 *     padding 1 = PKCS#1 v1.5, 2 = PSS with any salt length and MGF1 over the same hash.
 *
 * Both answer false for every key, digest or signature that does not verify and throw a TypeError
 * only for arguments of the wrong type. No state is kept between calls; the OpenSSL error queue
 * is always left empty. All parsing and policy live in the JS caller (src/pki/x509).
 */
#define NAPI_VERSION 8
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bumped whenever the JS-facing contract above changes, so a stale build is never used. */
#define REKOR_NATIVE_ABI 2

static const EVP_MD *digest_for_bits(int32_t bits) {
  switch (bits) {
    case 256: return EVP_sha256();
    case 384: return EVP_sha384();
    case 512: return EVP_sha512();
    default: return NULL;
  }
}

static int curve_nid(int32_t bits) {
  switch (bits) {
    case 224: return NID_secp224r1;
    case 256: return NID_X9_62_prime256v1;
    case 384: return NID_secp384r1;
    case 521: return NID_secp521r1;
    default: return NID_undef;
  }
}

/* Reads a Uint8Array (or Buffer) argument without copying. */
static bool get_bytes(napi_env env, napi_value value, const uint8_t **data, size_t *length) {
  static const uint8_t empty[1] = {0};
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  napi_typedarray_type type;
  void *ptr = NULL;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, value, &type, length, &ptr, &buffer, &offset) != napi_ok) return false;
  if (type != napi_uint8_array) return false;
  *data = ptr != NULL ? (const uint8_t *)ptr : empty;
  return true;
}

static bool get_args(napi_env env, napi_callback_info info, size_t expected, napi_value *argv) {
  size_t argc = expected;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == expected;
}

static napi_value boolean(napi_env env, bool value) {
  napi_value result;
  napi_get_boolean(env, value, &result);
  return result;
}

static napi_value VerifyEcdsa(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  const uint8_t *point, *digest, *sig;
  size_t point_len, digest_len, sig_len;
  int32_t bits = 0;
  if (!get_args(env, info, 4, argv) || napi_get_value_int32(env, argv[0], &bits) != napi_ok ||
      !get_bytes(env, argv[1], &point, &point_len) || !get_bytes(env, argv[2], &digest, &digest_len) ||
      !get_bytes(env, argv[3], &sig, &sig_len) || curve_nid(bits) == NID_undef) {
    napi_throw_type_error(env, NULL, "verifyEcdsa(curveBits, point, digest, derSignature)");
    return NULL;
  }
  bool ok = false;
  EC_KEY *key = EC_KEY_new_by_curve_name(curve_nid(bits));
  if (key != NULL && digest_len <= INT32_MAX && sig_len <= INT32_MAX && EC_KEY_oct2key(key, point, point_len, NULL) == 1) {
    ok = ECDSA_verify(0, digest, (int)digest_len, sig, (int)sig_len, key) == 1;
  }
  EC_KEY_free(key);
  ERR_clear_error();
  return boolean(env, ok);
}

static bool verify_rsa(const uint8_t *spki, size_t spki_len, int32_t padding, const EVP_MD *md,
                       const uint8_t *digest, size_t digest_len, const uint8_t *sig, size_t sig_len) {
  bool ok = false;
  EVP_PKEY_CTX *ctx = NULL;
  const unsigned char *cursor = spki;
  EVP_PKEY *key = spki_len <= INT32_MAX ? d2i_PUBKEY(NULL, &cursor, (long)spki_len) : NULL;
  if (key == NULL || cursor != spki + spki_len || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) goto done;
  ctx = EVP_PKEY_CTX_new(key, NULL);
  if (ctx == NULL || EVP_PKEY_verify_init(ctx) <= 0) goto done;
  if (padding == 1) {
    if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) goto done;
  } else if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
             EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) <= 0 ||
             EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_AUTO) <= 0) {
    goto done;
  }
  if (EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0) goto done;
  ok = EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len) == 1;
done:
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(key);
  ERR_clear_error();
  return ok;
}

static napi_value VerifyRsa(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  const uint8_t *spki, *digest, *sig;
  size_t spki_len, digest_len, sig_len;
  int32_t padding = 0, bits = 0;
  if (!get_args(env, info, 5, argv) || !get_bytes(env, argv[0], &spki, &spki_len) ||
      napi_get_value_int32(env, argv[1], &padding) != napi_ok || napi_get_value_int32(env, argv[2], &bits) != napi_ok ||
      !get_bytes(env, argv[3], &digest, &digest_len) || !get_bytes(env, argv[4], &sig, &sig_len) ||
      (padding != 1 && padding != 2) || digest_for_bits(bits) == NULL) {
    napi_throw_type_error(env, NULL, "verifyRsa(spkiDer, padding, hashBits, digest, signature)");
    return NULL;
  }
  return boolean(env, verify_rsa(spki, spki_len, padding, digest_for_bits(bits), digest, digest_len, sig, sig_len));
}

NAPI_MODULE_INIT() {
  napi_value ecdsa, rsa, abi;
  if (napi_create_function(env, "verifyEcdsa", NAPI_AUTO_LENGTH, VerifyEcdsa, NULL, &ecdsa) != napi_ok ||
      napi_set_named_property(env, exports, "verifyEcdsa", ecdsa) != napi_ok ||
      napi_create_function(env, "verifyRsa", NAPI_AUTO_LENGTH, VerifyRsa, NULL, &rsa) != napi_ok ||
      napi_set_named_property(env, exports, "verifyRsa", rsa) != napi_ok ||
      napi_create_int32(env, REKOR_NATIVE_ABI, &abi) != napi_ok ||
      napi_set_named_property(env, exports, "abi", abi) != napi_ok) {
    return NULL;
  }
  return exports;
}
