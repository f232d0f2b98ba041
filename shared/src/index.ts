export * from './calendar';
export * from './citizen-provinces';
export * from './codes';
export * from './contact';
export * from './errors';
export * from './holidays';
export * from './lifecycle';
export * from './roles';
