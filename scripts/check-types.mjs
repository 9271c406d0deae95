// Type-checks test/types/app.ts, which imports the built package by name, under each moduleResolution mode apps use:
// the shipped declarations must work in all of them (run after `npm run build`).
import { execFileSync } from 'node:child_process';

let failed = false;
for (const mode of ['bundler', 'node16', 'nodenext']) {
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `test/types/tsconfig.${mode}.json`], {
      stdio: 'pipe',
    });
    console.log(`types: ${mode} ok`);
  } catch (error) {
    failed = true;
    console.error(`types: ${mode} failed\n${error.stdout}${error.stderr}`);
  }
}
if (failed) process.exit(1);
