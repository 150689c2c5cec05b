/**
 * Locates the team's shared, read-only test data (../shared/testdata beside the checkout, as
 * laid out on developer machines and in CI). REKOR_TS_SHARED overrides the location.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file compiles to dist/test/testdata.js. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const sharedDir = resolve(process.env['REKOR_TS_SHARED'] ?? join(repoRoot, '..', 'shared'));
export const testdataDir = join(sharedDir, 'testdata');

if (!existsSync(testdataDir)) {
  throw new Error(`shared test data not found at ${testdataDir} (set REKOR_TS_SHARED)`);
}

export interface IndexRecord {
  file: string;
  kind: string;
  expected: 'valid' | 'invalid';
  notes: string;
  source: string;
}

export function readIndex(): IndexRecord[] {
  return JSON.parse(readFileSync(join(testdataDir, 'INDEX.json'), 'utf8')) as IndexRecord[];
}

export function testdataPath(...parts: string[]): string {
  return join(testdataDir, ...parts);
}
