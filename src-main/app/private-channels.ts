/**
 * IPC channels between the preload and main that are NOT in the contract, so the page cannot reach them through
 * `invoke`. No imports: the sandboxed preload bundles this file.
 */

/** The preload tells main the path Electron gave a dropped file (webUtils.getPathForFile); files:stat may then read it. */
export const DROPPED_PATH_CHANNEL = 'ferry:dropped-path';

/** Main → preload: files the desktop asked Ferry to open (OpenFilesRequest); preload → main: the page now listens. */
export const OPEN_FILES_CHANNEL = 'ferry:open-files';
export const OPEN_FILES_READY_CHANNEL = 'ferry:open-files-ready';
