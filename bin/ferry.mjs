#!/usr/bin/env node
// The `ferry` command. Runs the TypeScript sources through tsx (a runtime dependency).
import { register } from 'tsx/esm/api';
register();
const { runCli } = await import('../src-main/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
