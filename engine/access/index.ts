export { AccessService, operator } from './access.js';
export type { Principal } from './access.js';
export { ACTIONS, GRANTS, ROLES, ROLE_LABELS, can, isRole, scopeOf } from './roles.js';
export type { Action, Role } from './roles.js';
export { hashToken, looksLikeToken, newToken } from './tokens.js';
export { bootstrapAdmin } from './bootstrap.js';
