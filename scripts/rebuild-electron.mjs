// Rebuilds better-sqlite3 for Electron's ABI (npm start, npm run dist). Clears npm's `nodedir` so node-gyp fetches
// Electron's headers instead of compiling against the system Node's (which would silently give the Node ABI).
// `npm test` rebuilds it for Node again when needed (tests/global-setup.ts).
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
for (const k of Object.keys(env)) if (k.toLowerCase() === 'npm_config_nodedir') delete env[k];
const r = spawnSync('npx', ['electron-builder', 'install-app-deps'], { stdio: 'inherit', env, shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
