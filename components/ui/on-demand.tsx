// A control whose popup (a menu, a dialog) is a chunk of its own, loaded when it is first wanted:
// the page's first load carries the trigger only. Until then the trigger is rendered as the real
// one will be (the same button, name and aria-haspopup); pointing at it or focusing it starts the
// load, and what would have opened it (a press, or Enter, Space or ArrowDown on a menu button; a
// click on a dialog button) is replayed on the real trigger once it is there, so the popup opens
// as it always does — a menu opened from the keyboard with its first item focused, say.
"use client";

import { Slot } from "@radix-ui/react-slot";
import { useEffect, useRef, useState, type ComponentType, type KeyboardEvent, type PointerEvent as ReactPointerEvent, type ReactElement, type Ref } from "react";

/**
 * What the loaded component gets besides its own props: the trigger to render inside its own
 * (asChild), and the ref to give that (`<DropdownMenuTrigger asChild ref={triggerRef}>`).
 */
export interface OnDemandProps {
  trigger: ReactElement;
  triggerRef: Ref<HTMLButtonElement>;
}

type Opening = { kind: "pointer"; pointerType: string } | { kind: "key"; key: string } | { kind: "click" };

// The keys a Radix menu button opens on.
const MENU_KEYS = ["Enter", " ", "ArrowDown"];

export function OnDemand<P extends object>({
  load,
  props,
  trigger,
  popup,
}: {
  /** The component that renders the real trigger and popup, from its own chunk (import()). */
  load: () => Promise<ComponentType<P & OnDemandProps>>;
  props: P;
  /** The trigger button as it looks; the loaded component wraps it (asChild). */
  trigger: ReactElement;
  /** A menu opens on pointer down and its keys (as Radix's DropdownMenu), a dialog on click. */
  popup: "menu" | "dialog";
}) {
  const [Loaded, setLoaded] = useState<ComponentType<P & OnDemandProps> | null>(null);
  const placeholder = useRef<HTMLButtonElement>(null);
  const real = useRef<HTMLButtonElement>(null);
  const loading = useRef(false);
  const opening = useRef<Opening | null>(null);
  const hadFocus = useRef(false);

  function start() {
    if (loading.current) return;
    loading.current = true;
    load().then(
      (component) => {
        // The placeholder is about to be replaced: the real trigger takes its focus.
        hadFocus.current = placeholder.current !== null && document.activeElement === placeholder.current;
        setLoaded(() => component);
      },
      () => {
        // Offline, say: the next attempt loads again.
        loading.current = false;
        opening.current = null;
      },
    );
  }

  useEffect(() => {
    const button = real.current;
    const wanted = opening.current;
    opening.current = null;
    if (!Loaded || !button) return;
    if (hadFocus.current) button.focus({ preventScroll: true });
    if (!wanted) return;
    if (wanted.kind === "pointer") {
      button.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true, cancelable: true, button: 0, isPrimary: true, pointerType: wanted.pointerType }));
    } else if (wanted.kind === "key") {
      button.dispatchEvent(new KeyboardEvent("keydown", { key: wanted.key, bubbles: true, cancelable: true }));
    } else {
      button.click();
    }
  }, [Loaded]);

  if (Loaded) return <Loaded {...props} trigger={trigger} triggerRef={real} />;

  const want = (next: Opening) => {
    opening.current = next;
    start();
  };
  const opens =
    popup === "menu"
      ? {
          onPointerDown: (event: ReactPointerEvent<HTMLButtonElement>) => {
            if (event.button !== 0 || event.ctrlKey) return;
            // As Radix does: the menu, not its button, takes the focus.
            event.preventDefault();
            want({ kind: "pointer", pointerType: event.pointerType });
          },
          onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => {
            if (!MENU_KEYS.includes(event.key)) return;
            event.preventDefault();
            want({ kind: "key", key: event.key });
          },
        }
      : { onClick: () => want({ kind: "click" }) };
  return (
    <Slot ref={placeholder} aria-haspopup={popup} aria-expanded={false} data-state="closed" onPointerEnter={start} onFocus={start} {...opens}>
      {trigger}
    </Slot>
  );
}
