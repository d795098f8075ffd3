/** Types of bin/sources-stamp.mjs (electron.vite.config.ts and the tests import it). */
export declare const STAMP_FILE: string;
export declare function sourcesStamp(root: string): string;
export declare function builtCliState(root: string): { fresh: boolean; why: string };
