#!/usr/bin/env node
// `nx build <project>`: compile a project and the workspace libraries it imports to plain CommonJS
// under dist/, with the `@flashsale/*` path aliases rewritten to relative requires, so the output runs
// with `node dist/<root>/src/main.js`. Type checking is `npm run typecheck` (tsc --noEmit).
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const workspace = path.resolve(import.meta.dirname, '../..');
const projectRoot = process.argv[2];
if (!projectRoot) {
  process.stderr.write('usage: build-project.mjs <project-root>\n');
  process.exit(2);
}

const sources = [projectRoot, 'libs'];
const outDir = path.join(workspace, 'dist', projectRoot);
const paths = {
  '@flashsale/mq': ['libs/mq/src/index.ts'],
  '@flashsale/mq/protocol': ['libs/mq/src/protocol/index.ts'],
  '@flashsale/mq/nest': ['libs/mq/src/nest/index.ts'],
  '@flashsale/contracts': ['libs/contracts/src/index.ts'],
  '@flashsale/service-kit': ['libs/service-kit/src/index.ts'],
};

async function* typescriptFiles(dir) {
  for (const entry of await readdir(path.join(workspace, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory() && !['node_modules', 'test'].includes(entry.name))
      yield* typescriptFiles(relative);
    const isSource = entry.isFile() && relative.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(relative);
    if (isSource) yield relative;
  }
}

await rm(outDir, { recursive: true, force: true });
let count = 0;
for (const root of sources) {
  for await (const file of typescriptFiles(root)) {
    const output = await transformFile(path.join(workspace, file), {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
        baseUrl: workspace,
        paths,
      },
      module: { type: 'commonjs' },
      sourceMaps: true,
    });
    const target = path.join(outDir, file.replace(/\.ts$/, '.js'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${output.code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (output.map) await writeFile(`${target}.map`, output.map);
    count++;
  }
}
process.stdout.write(`built ${projectRoot}: ${count} files -> ${path.relative(workspace, outDir)}\n`);
