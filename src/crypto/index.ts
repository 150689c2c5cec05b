/**
 * Keys and signatures of the log itself: loading and generating signing keys, the log ID, the
 * Signed Entry Timestamp, and checkpoint signers. Uses node:crypto; no other I/O.
 */
export { KeyError, type KeyErrorCode } from './errors.js';
export { parseHex, toHex } from './hex.js';
export { keyHintOf, logIdOf } from './logid.js';
export { publicKeyFromDer, publicKeyFromPem, toPublicKey } from './keys.js';
export {
  algorithmOf,
  generateSignerKey,
  privateKeyFromPem,
  signerFromKeyObject,
  signerFromPem,
  type LogSigner,
  type LogSignerAlgorithm,
} from './signer.js';
export { setPayload, signSET, verifySET, type SetFields } from './set.js';
export { checkpointSigner } from './checkpoint-signer.js';
