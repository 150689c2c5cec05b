/**
 * Test helpers: a real `gpg` clear-signs Helm provenance texts, laid out as `helm package --sign`
 * writes them (Chart.yaml, a `...` line, the YAML sum collection), so the tests check our parser
 * and verifier against data they did not produce. One signer owns a temporary GnuPG home; call
 * `dispose()` to remove it.
 */
import { createGpgHome, generateKey, type GpgHome } from '../../../pki/pgp/testonly.js';

export const CHART_YAML = [
  'apiVersion: v2',
  'description: A chart for the tests',
  'keywords:',
  '- transparency',
  '- provenance',
  'name: demo',
  'type: application',
  'version: 1.2.3',
  '',
].join('\n');

export const CHART_DIGEST = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);

export function provenanceText(files: string = `files:\n  demo-1.2.3.tgz: sha256:${CHART_DIGEST}\n`, chartYaml = CHART_YAML): string {
  return `${chartYaml}\n...\n${files}`;
}

export interface ProvenanceSigner {
  readonly publicKey: Uint8Array;
  clearsign(text: string | Uint8Array, extraArgs?: readonly string[]): Uint8Array;
  dispose(): void;
}

export function provenanceSigner(userId = 'Chart Maintainer <charts@example.com>', algorithm = 'ed25519'): ProvenanceSigner {
  const home: GpgHome = createGpgHome();
  try {
    generateKey(home, userId, algorithm);
    return {
      publicKey: home.run(['--armor', '--export']),
      clearsign: (text, extraArgs = []) => home.run(['--clearsign', ...extraArgs], typeof text === 'string' ? Buffer.from(text) : text),
      dispose: () => home.dispose(),
    };
  } catch (err) {
    home.dispose();
    throw err;
  }
}

export type Spec = { [key: string]: unknown };

export function helmSpec(publicKey: Uint8Array, provenance: Uint8Array): Spec {
  return {
    publicKey: { content: Buffer.from(publicKey).toString('base64') },
    chart: { provenance: { content: Buffer.from(provenance).toString('base64') } },
  };
}
