// Toasts (sonner): every mutation says what happened. Its styles are imported as a file by the
// root layout, so they apply under a strict style-src CSP too.
"use client";

import { Toaster as Sonner } from "sonner";

export { toast } from "sonner";

export function Toaster() {
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
