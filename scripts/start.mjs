#!/usr/bin/env node
// `npm start`: builds the web apps and the server only when missing or older than their sources, then runs
// the compiled server (no TypeScript compiler at run time).
import { pathToFileURL } from 'node:url';
import { buildAll, SERVER_OUT } from './build.mjs';

await buildAll({ all: false });
process.setSourceMapsEnabled(true);
await import(pathToFileURL(SERVER_OUT).href);
