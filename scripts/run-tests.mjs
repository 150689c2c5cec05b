// Runs every compiled test file (dist/**/*.test.js) with node's test runner.
// Node 20's --test does not expand globs, so the files are listed here. tsc never deletes the
// output of a source that was removed, so a compiled test whose .ts is gone is deleted here
// rather than run.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
const current = collect('dist', []).filter((file) => {
  const source = file.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts');
  if (existsSync(source)) return true;
  rmSync(file, { force: true });
  console.error(`removed ${file}: its source ${source} no longer exists`);
  return false;
});
const files = current.filter((f) => filter.length === 0 || filter.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('no test files found under dist/');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
