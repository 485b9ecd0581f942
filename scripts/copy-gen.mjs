// tsc does not copy the generated protobuf JavaScript into dist/: do it here.
import { cpSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(root, 'proto', 'gen'), join(root, 'dist', 'proto', 'gen'), { recursive: true });
