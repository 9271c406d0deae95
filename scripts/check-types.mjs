// Type-checks test/types/app.ts, which imports the built package by name, under each moduleResolution mode apps use:
// the shipped declarations must work in all of them (run after `npm run build`). `recipes` then type-checks the React
// and Vue recipes in examples/recipes the same way (bundler, jsx), through test/types/recipe-*.ts(x); it skips the
// libraries' own declarations (ours were checked by the three modes before), which keeps it quick.
import { execFileSync } from 'node:child_process';

let failed = false;
for (const mode of ['bundler', 'node16', 'nodenext', 'recipes']) {
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
