import { useEffect, useRef, type ReactNode } from 'react';

/** An h2 that takes the keyboard focus when it appears (so screen readers and Tab start at the new step). */
export function FocusHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 tabIndex={-1} ref={ref}>
      {children}
    </h2>
  );
}
