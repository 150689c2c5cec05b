/**
 * The one error CMS code throws for bad input. Messages follow the Go libraries Rekor uses
 * (relic's pkcs7, encoding/asn1, crypto/rsa) where they have one, so callers can prefix them the
 * way Rekor does (e.g. `tsr verification error: `).
 */
export class CmsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CmsError';
  }
}

/** relic's MissingCertificateError: the signer's certificate is not among the embedded ones. */
export class MissingCertificateError extends CmsError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingCertificateError';
  }
}
