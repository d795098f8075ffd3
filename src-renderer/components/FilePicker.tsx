/** Choose files with the system dialog, or drop them (desktop app); shows name and size, with Remove. */
import { useState, type DragEvent } from 'react';
import { getApi } from '../api.ts';
import type { FileEntry } from '../stores/imports.ts';
import { fmtBytes } from './format.ts';
import { Notice } from './Notice.tsx';

export function FilePicker(p: {
  files: FileEntry[];
  multiple: boolean;
  extensions: string[];
  error: string | null;
  onChoose: () => void;
  onPaths: (paths: string[]) => void;
  onRemove: (index: number) => void;
}) {
  const [over, setOver] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    const api = getApi();
    const dropped = Array.from(e.dataTransfer.files);
    const paths = dropped.map((f) => api.pathForFile?.(f) ?? null).filter((x): x is string => !!x);
    if (dropped.length && !paths.length) {
      setDropNote('Dropped files cannot be opened here. Use "Choose files…" instead.');
      return;
    }
    setDropNote(null);
    p.onPaths(p.multiple ? paths : paths.slice(0, 1));
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
        <button type="button" className="button primary" onClick={p.onChoose} data-test="choose-files">
          {p.multiple ? 'Choose files…' : p.files.length ? 'Choose another file…' : 'Choose file…'}
        </button>
        <span className="drop-hint">
          or drop {p.multiple ? 'files' : 'a file'} here ({p.extensions.map((x) => '.' + x).join(', ')})
        </span>
      </div>
      {dropNote && <Notice kind="warning">{dropNote}</Notice>}
      {p.error && <Notice kind="error">{p.error}</Notice>}
      {p.files.length > 0 && (
        <table className="table file-list" data-test="file-list">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.files.map((f, i) => (
              <tr key={f.path}>
                <td title={f.path}>
                  <div className="file-name">{f.name}</div>
                  <div className="file-path">{f.path}</div>
                </td>
                <td className="num">{fmtBytes(f.size)}</td>
                <td className="actions">
                  <button type="button" className="button small" onClick={() => p.onRemove(i)} aria-label={`Remove ${f.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          {p.files.length > 1 && (
            <tfoot>
              <tr>
                <td>{p.files.length} files</td>
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
