export * from './agency';
export * from './courier';
export * from './dossiers';
export * from './geo';
export * from './offices';
export * from './operations';
export * from './procedures';
export * from './users';
