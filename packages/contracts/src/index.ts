export * from './auth.ts';
export * from './common.ts';
export * from './events.ts';
export * from './items.ts';
export * from './jobs.ts';
