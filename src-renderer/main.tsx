// First: React Fast Refresh's preamble as a module (dev only; empty in builds). The inline preamble Vite would add to
// index.html is blocked by the CSP (no inline scripts), which would otherwise stop the app in `npm start`.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
