/**
 * Choose files with the system dialog, or drop them (desktop app); shows name and size, with Remove.
 * In a browser (the bridge of `ferry serve`, no file paths, no dialogs) the chosen or dropped files are uploaded to
 * Ferry first (streamed, with progress) and then listed like picked ones.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n.ts';
import { errorText, getApi, usesTransfers } from '../api.ts';
import type { FileEntry } from '../stores/imports.ts';
import { useApp } from '../stores/app.ts';
import { fmtBytes } from './format.ts';
import { Notice } from './Notice.tsx';

/**
 * Files dropped outside a drop zone do nothing (the browser would otherwise leave Ferry's page to show the file, and
 * Electron refuses the navigation silently): the pointer shows no drop there. Mounted once by the App.
 */
export function useStrayDropGuard(): void {
  useEffect(() => {
    const outside = (e: globalThis.DragEvent): void => {
      if (e.target instanceof Element && e.target.closest('.drop-zone')) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', outside);
    window.addEventListener('drop', outside);
    return () => {
      window.removeEventListener('dragover', outside);
      window.removeEventListener('drop', outside);
    };
  }, []);
}

/** What a drop brings: the names a wizard takes, and a note on the others (null when all were taken). */
export interface DropCheck {
  accepted: string[];
  /** the accepted names' positions in the dropped list (names may repeat: files from two folders) */
  indexes: number[];
  note: string | null;
}

/**
 * The dropped names a wizard takes, with the checks its open dialog makes: no folders, only the extensions it reads
 * (compressed `.gz`/`.zip` included), one file when it takes one. The note says what was left out and why.
 */
export function checkDropped(names: string[], extensions: string[], multiple: boolean, folders: ReadonlySet<string> = new Set()): DropCheck {
  const t = i18n.t;
  const exts = extensions.map((x) => '.' + x.toLowerCase());
  const notes: string[] = [];
  const dirs = names.filter((n) => folders.has(n));
  if (dirs.length) notes.push(t('components:drop.folder', { count: dirs.length, names: list(dirs) }));
  const reads = (n: string): boolean => exts.some((x) => n.toLowerCase().endsWith(x));
  const foreign = names.filter((n) => !folders.has(n) && !reads(n));
  if (foreign.length) notes.push(t('components:drop.foreign', { count: foreign.length, names: list(foreign), exts: exts.join(', ') }));
  let indexes = names.map((n, i) => (!folders.has(n) && reads(n) ? i : -1)).filter((i) => i >= 0);
  if (!multiple && indexes.length > 1) {
    notes.push(t('components:drop.oneAtATime', { taken: names[indexes[0]!], left: list(indexes.slice(1).map((i) => names[i]!)) }));
    indexes = indexes.slice(0, 1);
  }
  return { accepted: indexes.map((i) => names[i]!), indexes, note: notes.length ? notes.join(' ') : null };
}

function list(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : i18n.t('components:drop.list', { first: names.slice(0, 3).join(', '), n: names.length - 3 });
}

interface Uploading {
  name: string;
  sent: number;
  total: number;
  /** which of how many files */
  index: number;
  count: number;
}

export function FilePicker(p: {
  files: FileEntry[];
  multiple: boolean;
  extensions: string[];
  error: string | null;
  onChoose: () => void;
  onPaths: (paths: string[]) => void;
  onRemove: (index: number) => void;
}) {
  const { t } = useTranslation(['components', 'common']);
  const [over, setOver] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const capabilities = useApp((a) => a.capabilities);
  // the bridge takes files by upload; its "Choose files…" exists only where it has dialogs (the browser tests' stand-in)
  const transfers = usesTransfers(capabilities);
  const dialogs = !transfers || capabilities.includes('files:dialogs');
  const upload = async (chosen: File[], note: string | null = null): Promise<void> => {
    const files = p.multiple ? chosen : chosen.slice(0, 1);
    if (!files.length) return;
    setDropNote(note);
    const paths: string[] = [];
    try {
      for (const [i, f] of files.entries()) {
        setUploading({ name: f.name, sent: 0, total: f.size, index: i + 1, count: files.length });
        const up = await getApi().upload!(f, (sent, total) => setUploading({ name: f.name, sent, total, index: i + 1, count: files.length }));
        paths.push(up.path);
      }
    } catch (e) {
      setDropNote(errorText(e));
    } finally {
      setUploading(null);
      if (input.current) input.current.value = '';
    }
    if (paths.length) p.onPaths(paths);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    const api = getApi();
    const all = Array.from(e.dataTransfer.files);
    // the checks the open dialog makes by its filter: files (not folders) of a type this wizard reads, one if it takes one
    const folders = new Set(
      Array.from(e.dataTransfer.items ?? [])
        .map((it) => (typeof it.webkitGetAsEntry === 'function' ? it.webkitGetAsEntry() : null))
        .filter((en) => en?.isDirectory)
        .map((en) => en!.name),
    );
    const check = checkDropped(
      all.map((f) => f.name),
      p.extensions,
      p.multiple,
      folders,
    );
    const dropped = check.indexes.map((i) => all[i]!);
    if (transfers) {
      setDropNote(check.note);
      if (!uploading) void upload(dropped, check.note);
      return;
    }
    const paths = dropped.map((f) => api.pathForFile?.(f) ?? null).filter((x): x is string => !!x);
    if (dropped.length && !paths.length) {
      setDropNote(t('drop.cannotOpen'));
      return;
    }
    setDropNote(check.note);
    if (paths.length) p.onPaths(paths);
  };
  const total = p.files.reduce((n, f) => n + (f.size ?? 0), 0);
  return (
    <div className="file-picker">
      <div
        className={`drop-zone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-test="drop-zone"
      >
        {transfers && (
          <>
            <button type="button" className="button primary" onClick={() => input.current?.click()} disabled={!!uploading} data-test="upload-files">
              {p.multiple ? t('picker.uploadFiles') : p.files.length ? t('picker.uploadAnother') : t('picker.uploadFile')}
            </button>
            <input
              ref={input}
              type="file"
              className="sr-only"
              tabIndex={-1}
              aria-hidden="true"
              multiple={p.multiple}
              accept={p.extensions.map((x) => '.' + x).join(',')}
              onChange={(e) => void upload(Array.from(e.currentTarget.files ?? []))}
              data-test="upload-input"
            />
          </>
        )}
        {dialogs && (
          <button type="button" className={`button${transfers ? '' : ' primary'}`} onClick={p.onChoose} data-test="choose-files">
            {p.multiple ? t('picker.chooseFiles') : p.files.length ? t('picker.chooseAnother') : t('picker.chooseFile')}
          </button>
        )}
        <span className="drop-hint">
          {t(p.multiple ? 'picker.dropHintMany' : 'picker.dropHintOne', { exts: p.extensions.map((x) => '.' + x).join(', ') })}
        </span>
      </div>
      {uploading && (
        <div className="upload-progress" data-test="upload-progress" aria-live="polite">
          <progress className="progress" max={uploading.total || 1} value={uploading.sent} aria-label={t('picker.uploading', { name: uploading.name })} />
          <div className="muted">
            {t('picker.uploadingLine', {
              name: uploading.name,
              which: uploading.count > 1 ? t('picker.uploadingWhich', { i: uploading.index, n: uploading.count }) : '',
              sent: fmtBytes(uploading.sent),
              total: fmtBytes(uploading.total),
            })}
          </div>
        </div>
      )}
      {dropNote && <Notice kind="warning">{dropNote}</Notice>}
      {p.error && <Notice kind="error">{p.error}</Notice>}
      {p.files.length > 0 && (
        <table className="table file-list" data-test="file-list">
          <thead>
            <tr>
              <th scope="col">{t('col.file')}</th>
              <th scope="col" className="num">
                {t('export.size')}
              </th>
              <th scope="col">
                <span className="sr-only">{t('picker.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.files.map((f, i) => (
              <tr key={f.path}>
                <td title={f.path}>
                  <div className="file-name">{f.name}</div>
                  {/* an uploaded file's path is Ferry's own copy: the name says it all */}
                  {!transfers && <div className="file-path">{f.path}</div>}
                </td>
                <td className="num">{fmtBytes(f.size)}</td>
                <td className="actions">
                  <button type="button" className="button small" onClick={() => p.onRemove(i)} aria-label={t('picker.removeName', { name: f.name })}>
                    {t('picker.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          {p.files.length > 1 && (
            <tfoot>
              <tr>
                <td>{t('common:files', { count: p.files.length })}</td>
                <td className="num">{fmtBytes(total)}</td>
                <td />
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </div>
  );
}
