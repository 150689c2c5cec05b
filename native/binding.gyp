# Build of the N-API digest verifier; run through scripts/build-native.mjs (npm's `prepare`).
# No OpenSSL is linked: the symbols come from the node binary at load time, except when Node
# itself uses a shared libcrypto.
{
  "targets": [
    {
      "target_name": "rekor_native",
      "sources": ["rekor_native.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "conditions": [
        ["node_shared_openssl=='true'", { "libraries": ["-lcrypto"] }],
        # Resolve every symbol at load time: a Node without one of them then fails the require()
        # (and the JS verifier is used) instead of aborting the process at the first call.
        ["OS=='linux'", { "ldflags": ["-Wl,-z,now"] }]
      ]
    }
  ]
}
