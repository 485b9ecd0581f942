export { SIGNATURE_HOST_DEFAULTS, SignatureHost, type ContentFailure, type MatchOutcome, type SignatureHostOptions } from './signature-host.js';
