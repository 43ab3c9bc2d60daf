export * from './errors.ts';
export * from './domain.ts';
export * from './api.ts';
export * from './events.ts';
