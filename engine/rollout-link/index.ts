export { BundleDirectory, type BundleDirectoryOptions } from './bundle-directory.js';
export { NO_DIRECTIVES, staticDirectives, type DirectiveSource } from './directive-source.js';
export { RolloutLink, type Frames, type HeartbeatObserver } from './rollout-link.js';
