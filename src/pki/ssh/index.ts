/**
 * pki/ssh: OpenSSH authorized-key public keys and SSHSIG (`ssh-keygen -Y sign`) signatures as
 * Rekor's pkg/pki/ssh accepts them, their canonical forms, subjects and index key, and
 * verification (RSA rsa-sha2-256/512, ECDSA P-256/384/521, Ed25519) with node:crypto. No I/O.
 * Parse errors are RekorError('invalid_entry'); verification returns a verdict with a reason.
 */
export { parseSshPublicKey, sshSearchKey, MAX_SSH_PUBLIC_KEY_SIZE, type SshPublicKey } from './public-key.js';
export { parseSshSignature, verifySshSignature, type SshSignature, type SshVerification } from './signature.js';
export type { SshKeyBlob } from './key-blob.js';
