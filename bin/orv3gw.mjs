#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader so a fresh clone works after `npm ci`
// without a build step; `npm run build` produces dist/ for deployment.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv);
