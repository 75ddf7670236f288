// Unsaved edits are not lost silently: leaving the page asks first, and so does closing a
// dialog whose form has changes.
"use client";

import { useEffect } from "react";

export function useWarnOnLeave(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}

/** For a dialog's onOpenChange: closing with changes asks before they are thrown away. */
export function confirmDiscard(dirty: boolean): boolean {
  return !dirty || window.confirm("Discard your changes?");
}
