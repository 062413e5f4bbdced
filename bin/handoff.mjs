#!/usr/bin/env node
// The `handoff` command. Runs the TypeScript sources through tsx, so there is no separate build
// step to forget: `npx handoff import ...` works from a fresh clone after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli.ts');
process.exitCode = await main(process.argv.slice(2));
