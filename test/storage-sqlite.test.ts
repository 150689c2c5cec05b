import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { storageConformance } from './storage-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'rekor-ts-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

storageConformance({
  name: 'sqlite',
  open: async (store) => new SqliteStorage({ path: join(dir, `${store}.db`) }),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});
