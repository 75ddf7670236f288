// Keyboard users keep their place across page changes: when the link or button that led to a
// new page is gone with the old one, the focus would fall back to the document and the next Tab
// would start again at the top. It goes to the new page's main content instead, where the
// skip link leads too.
"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

export function RouteFocus({ targetId = "main" }: { targetId?: string }) {
  const pathname = usePathname();
  // The page the focus was last looked after on; a full page load is the browser's to handle.
  const handled = useRef(pathname);
  useEffect(() => {
    if (handled.current === pathname) return;
    handled.current = pathname;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    document.getElementById(targetId)?.focus({ preventScroll: true });
  }, [pathname, targetId]);
  return null;
}
