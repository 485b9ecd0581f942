// Generates protobufjs static code into proto/gen/ (not committed: the .proto files are the only
// schema). Run by `npm run build`. One generated module per schema; ONNX gets its own protobufjs
// root (`-r onnx`) so that its types never share a namespace object with Vigie's:
//   proto/vigie/v1/*.proto -> proto/gen/vigie.js (+ .d.ts)  wire and disk format
//   proto/onnx/onnx.proto  -> proto/gen/onnx.js  (+ .d.ts)  the ONNX subset models/onnx writes and checks
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'proto', 'gen');
mkdirSync(out, { recursive: true });
const bin = (name) => join(root, 'node_modules', 'protobufjs-cli', 'bin', name);
const protosIn = (dir) => readdirSync(dir).filter((f) => f.endsWith('.proto')).sort().map((f) => join(dir, f));

// Node's ESM resolver needs the file extension; protobufjs has no "exports" map.
// Vigie's 64-bit fields are ms timestamps and counters, all below 2^53 (ONNX's are versions and
// tensor dimensions): decode them as plain numbers, not Long objects (faster, and what
// --force-number declares in the .d.ts).
const header = 'import $protobuf from "protobufjs/minimal.js";\n' +
  '$protobuf.util.Long = undefined;\n$protobuf.configure();\n';

function generate(name, protos, rootName) {
  const js = join(out, `${name}.js`);
  const rootArgs = rootName ? ['-r', rootName] : [];
  execFileSync(process.execPath, [bin('pbjs'), '-t', 'static-module', '-w', 'es6', '--force-number',
    '--no-verify', '--no-delimited', '--no-convert', ...rootArgs, '-o', js, ...protos], { stdio: 'inherit' });
  writeFileSync(js, readFileSync(js, 'utf8').replace('import * as $protobuf from "protobufjs/minimal";\n', header));
  execFileSync(process.execPath, [bin('pbts'), '-o', join(out, `${name}.d.ts`), js], { stdio: 'inherit' });
}

generate('vigie', protosIn(join(root, 'proto', 'vigie', 'v1')));
generate('onnx', protosIn(join(root, 'proto', 'onnx')), 'onnx');
