export { buildPack, COMPILER_VERSION, type PackBuild, type PackBuildResult } from './build.js';
export { DEFAULT_PACK_NAME, DEFAULT_PACK_VERSION, defaultPack, defaultRulesDir } from './default.js';
export { PACK_FORMAT, type SignaturePack } from './format.js';
export { packText, parsePack, readPackFile, writePackFile, type PackRead } from './io.js';
export { validatePack } from './validate.js';
