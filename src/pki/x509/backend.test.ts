import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRekorError } from '../../errors.js';
import { activeVerifierBackend, nativeBackendStatus, useVerifierBackend, verifierBackend } from './backend.js';
import { parsePublicKeyInfo } from './keys.js';
import { signMessage, testKey } from './testonly.js';
import { verifyDigestSignature } from './verify.js';

describe('verifier backend selection', () => {
  const key = parsePublicKeyInfo(testKey('P-256').spki);
  const { digest, signature } = signMessage(testKey('P-256'), 'sha256', Buffer.from('m'));
  const nativeBuilt = verifierBackend('native') !== undefined;

  test('auto picks native when it loads, else js', () => {
    assert.equal(useVerifierBackend('auto'), nativeBuilt ? 'native' : 'js');
    assert.equal(activeVerifierBackend(), nativeBuilt ? 'native' : 'js');
    assert.match(nativeBackendStatus(), nativeBuilt ? /^loaded / : /./);
  });

  test('js can always be chosen, and verification follows the choice', () => {
    assert.equal(useVerifierBackend('js'), 'js');
    assert.equal(activeVerifierBackend(), 'js');
    assert.deepEqual(verifyDigestSignature(key, 'sha256', digest, signature), { valid: true });
  });

  test('native is used when asked, or refused with the reason', () => {
    if (nativeBuilt) {
      assert.equal(useVerifierBackend('native'), 'native');
      assert.deepEqual(verifyDigestSignature(key, 'sha256', digest, signature), { valid: true });
    } else {
      assert.throws(() => useVerifierBackend('native'), (err: unknown) => isRekorError(err, 'internal') && err.message.startsWith('native signature verifier unavailable'));
    }
  });
});
