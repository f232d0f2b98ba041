export { offices } from './offices';
export { procedures } from './procedures';
export { province } from './province';
export * from './types';
export { DEMO_PASSWORD, users } from './users';
export { queueGroups } from './queue';
