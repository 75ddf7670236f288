// Toasts (sonner): every mutation says what happened. Its styles are imported as a file by the
// root layout, so they apply under a strict style-src CSP too. Sonner itself is a chunk of its
// own, loaded once the page is idle (nothing shows a toast before someone acts), so its live
// region is in place before the first toast; a toast asked for earlier loads it at once and
// shows when it is there (sonner hands the toasts made before its Toaster to it).
"use client";

import { useEffect, useState, type ComponentType } from "react";
import type { ExternalToast, ToasterProps } from "sonner";

type Sonner = typeof import("sonner");

let sonner: Promise<Sonner> | null = null;
const loadSonner = () => (sonner ??= import("sonner"));
const wanted = new Set<() => void>();

function show(kind: "success" | "error" | "info", message: string, data?: ExternalToast): void {
  wanted.forEach((mount) => mount());
  void loadSonner().then((m) => m.toast[kind](message, data));
}

export const toast = {
  success: (message: string, data?: ExternalToast) => show("success", message, data),
  error: (message: string, data?: ExternalToast) => show("error", message, data),
  info: (message: string, data?: ExternalToast) => show("info", message, data),
};

export function Toaster() {
  const [Sonner, setSonner] = useState<ComponentType<ToasterProps> | null>(null);
  useEffect(() => {
    let cancelled = false;
    const mount = () => {
      wanted.delete(mount);
      void loadSonner().then(
        (m) => {
          if (!cancelled) setSonner(() => m.Toaster);
        },
        () => {
          // Offline: the next toast tries again.
          sonner = null;
          if (!cancelled) wanted.add(mount);
        },
      );
    };
    wanted.add(mount);
    const idle = typeof window.requestIdleCallback === "function" ? window.requestIdleCallback(mount, { timeout: 3_000 }) : window.setTimeout(mount, 1_000);
    return () => {
      cancelled = true;
      wanted.delete(mount);
      if (typeof window.cancelIdleCallback === "function") window.cancelIdleCallback(idle);
      else window.clearTimeout(idle);
    };
  }, []);
  if (!Sonner) return null;
  return (
    <Sonner
      position="bottom-right"
      closeButton
      // Colours follow our own tokens, so light and dark both read well.
      toastOptions={{
        classNames: {
          toast: "!bg-popover !text-popover-foreground !border-border",
          description: "!text-muted-foreground",
          actionButton: "!bg-primary !text-primary-foreground",
          closeButton: "!bg-popover !text-popover-foreground !border-border",
        },
      }}
    />
  );
}
