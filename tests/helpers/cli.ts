import { runCli } from '../../src-main/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

/** Runs the `ferry` CLI in-process (same code as bin/ferry.mjs). inline=true runs jobs on this thread. */
export async function ferryCli(args: string[], opts: { inline?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: false,
    // English unless a test says otherwise (the text tests assert English words whatever the machine's LANG)
    env: { ...process.env, FERRY_LANG: 'en', ...(opts.inline !== false ? { FERRY_INLINE_JOBS: '1' } : {}), ...opts.env },
  });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
