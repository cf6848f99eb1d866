// Before any test: build the CLI (bin/grif runs the compiled code) and generate the test carriers.
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  const { makeFixtures } = (await import(pathToFileURL(join(root, 'dist/scripts/make-fixtures.js')).href)) as {
    makeFixtures: (dir: string) => Promise<unknown>;
  };
  await makeFixtures(join(root, '.tmp', 'fixtures'));
  const { makeEncodings } = (await import(pathToFileURL(join(root, 'dist/scripts/make-encodings.js')).href)) as {
    makeEncodings: (dir: string) => Promise<unknown>;
  };
  await makeEncodings(join(root, '.tmp', 'fixtures', 'encodings'));
  const { makeStamps } = (await import(pathToFileURL(join(root, 'dist/scripts/make-stamps.js')).href)) as {
    makeStamps: (dir: string) => Promise<unknown>;
  };
  await makeStamps(join(root, '.tmp', 'fixtures', 'stamps'));
}
