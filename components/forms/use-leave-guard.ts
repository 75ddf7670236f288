// Unsaved edits are not lost silently: while a form has changes, closing the tab or reloading
// asks (beforeunload), and so do following a link inside the console and the browser's Back
// (or Forward). The App Router has no navigation event to cancel, so clicks on same-origin
// links are caught before Next's <Link> sees them (capture phase on the document), and Back
// is caught by the Navigation API's navigate event, which cancels a traversal before the URL
// or the page changes; where there is no Navigation API, by a guard entry in the history.
"use client";

import { useEffect } from "react";

export const LEAVE_MESSAGE = "You have unsaved changes. Leave this page and lose them?";

/** The part of the Navigation API used here (not yet in TypeScript's DOM library). */
interface NavigateEventLike extends Event {
  readonly navigationType: "push" | "replace" | "reload" | "traverse";
  readonly cancelable: boolean;
}
interface NavigationLike {
  addEventListener(type: "navigate", listener: (event: NavigateEventLike) => void): void;
  removeEventListener(type: "navigate", listener: (event: NavigateEventLike) => void): void;
}

/** Marks the history entry this hook adds on top of the page's own (without the Navigation API). */
const GUARD_ENTRY = "__engageLeaveGuard";

export function useLeaveGuard(dirty: boolean, message = LEAVE_MESSAGE): void {
  useEffect(() => {
    if (!dirty) return;
    // Once the user has said to leave, nothing asks again on the way out.
    let leaving = false;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (leaving) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(anchor instanceof HTMLAnchorElement)) return;
      if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href, window.location.href);
      // Another site: beforeunload asks. The same page (a #fragment): nothing is lost.
      if (url.origin !== window.location.origin) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    const stopGuardingHistory = guardHistory(message, () => {
      leaving = true;
    });
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
      stopGuardingHistory();
    };
  }, [dirty, message]);
}

/** Back and Forward ask first; `onLeave` runs when the user chooses to go. Returns the clean-up. */
function guardHistory(message: string, onLeave: () => void): () => void {
  const navigation = (window as { navigation?: NavigationLike }).navigation;
  if (navigation) {
    // A traversal within the app (Next's own history entries) can be cancelled before it
    // happens. One to another document is not cancelable here: beforeunload asks for it.
    const onNavigate = (event: NavigateEventLike) => {
      if (event.navigationType !== "traverse" || !event.cancelable) return;
      if (window.confirm(message)) onLeave();
      else event.preventDefault();
    };
    navigation.addEventListener("navigate", onNavigate);
    return () => navigation.removeEventListener("navigate", onNavigate);
  }

  // Without it, Back moves first and can only be answered: a copy of the current entry on top
  // means Back lands on this same page (Next restores the same tree, so the form keeps its
  // state), where the user is asked; staying puts the copy back, leaving goes back once more.
  // The copy carries Next's own state (its __NA marker), so Next's router lets it through.
  const pushGuardEntry = () => {
    if ((window.history.state as Record<string, unknown> | null)?.[GUARD_ENTRY]) return;
    window.history.pushState({ ...(window.history.state as object | null), [GUARD_ENTRY]: true }, "", window.location.href);
  };
  let leaving = false;
  const onPopState = (event: PopStateEvent) => {
    if (leaving || (event.state as Record<string, unknown> | null)?.[GUARD_ENTRY]) return;
    if (window.confirm(message)) {
      leaving = true;
      onLeave();
      window.history.back();
    } else {
      pushGuardEntry();
    }
  };
  pushGuardEntry();
  window.addEventListener("popstate", onPopState);
  return () => window.removeEventListener("popstate", onPopState);
}
