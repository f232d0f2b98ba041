// Loads cpu-worker.ts through tsx inside a worker thread (Node 20 does not pass the --import tsx hooks on to
// threads). Only used when the server runs from TypeScript; a compiled server loads cpu-worker.js directly.
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./cpu-worker.ts', import.meta.url);
export const page = worker.page;
export const route = worker.route;
export const reroute = worker.reroute;
export const plan = worker.plan;
export const replanLegal = worker.replanLegal;
