// First: React Fast Refresh's preamble as a module (dev only; empty in builds). The inline preamble Vite would add to
// index.html is blocked by the CSP (no inline scripts), which would otherwise stop the app in `npm start`.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n.ts'; // the language before the first render
import { App } from './App.tsx';
import './styles.css';

// A file dropped outside a drop zone must not make the window open (navigate to) it.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
