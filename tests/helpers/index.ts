// Shared helpers for tests that start real processes; see README.md beside this file.
export * from './ports';
export * from './process';
export * from './relay';
export * from './redis';
export * from './results';
export * from './fault-proxy';
