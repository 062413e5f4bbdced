// Accounts and privacy: the framework-free core. Route adapters import from here.
export * from './audit.ts';
export * from './crypto.ts';
export * from './passwords.ts';
export * from './roles.ts';
export * from './sessions.ts';
export * from './store.ts';
export * from './suppression.ts';
export * from './throttle.ts';
export * from './totp.ts';
export * from './users.ts';
