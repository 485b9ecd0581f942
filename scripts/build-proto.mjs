// Generates protobufjs static code from proto/vigie/v1/*.proto into proto/gen/ (not committed:
// the .proto files are the only schema). Run by `npm run build`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'proto', 'vigie', 'v1');
const out = join(root, 'proto', 'gen');
mkdirSync(out, { recursive: true });
const protos = readdirSync(src).filter((f) => f.endsWith('.proto')).sort().map((f) => join(src, f));
const bin = (name) => join(root, 'node_modules', 'protobufjs-cli', 'bin', name);
const js = join(out, 'vigie.js');
execFileSync(process.execPath, [bin('pbjs'), '-t', 'static-module', '-w', 'es6', '--force-number',
  '--no-verify', '--no-delimited', '--no-convert', '-o', js, ...protos], { stdio: 'inherit' });
// Node's ESM resolver needs the file extension; protobufjs has no "exports" map.
// Vigie's 64-bit fields are ms timestamps and counters, all below 2^53: decode them as plain
// numbers, not Long objects (faster, and what --force-number declares in the .d.ts).
const header = 'import $protobuf from "protobufjs/minimal.js";\n' +
  '$protobuf.util.Long = undefined;\n$protobuf.configure();\n';
writeFileSync(js, readFileSync(js, 'utf8').replace('import * as $protobuf from "protobufjs/minimal";\n', header));
execFileSync(process.execPath, [bin('pbts'), '-o', join(out, 'vigie.d.ts'), js], { stdio: 'inherit' });
