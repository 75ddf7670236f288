// The theme menu: Light, Dark or System (the default). The choice is stored in this browser. The
// menu itself (theme-menu.tsx) loads when the button is first used.
"use client";

import { Moon, Sun } from "lucide-react";
import { useEffect, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { OnDemand } from "@/components/ui/on-demand";
import { applyTheme, readThemeChoice, storeThemeChoice, THEME_STORAGE_KEY, type ThemeChoice } from "./theme";

const CHANGED = "engage-theme-change";

const loadThemeMenu = () => import("./theme-menu").then((m) => m.ThemeMenu);

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY) onChange();
  };
  window.addEventListener(CHANGED, onChange);
  window.addEventListener("storage", onStorage);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener("storage", onStorage);
  };
}

export function ThemeToggle() {
  const choice = useSyncExternalStore<ThemeChoice>(subscribe, readThemeChoice, () => "system");

  // Follow the system while the choice is "System", and a choice made in another tab.
  useEffect(() => {
    applyTheme(choice);
    if (choice !== "system") return;
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, [choice]);

  function choose(value: string) {
    storeThemeChoice(value as ThemeChoice);
    window.dispatchEvent(new Event(CHANGED));
  }

  return (
    <OnDemand
      popup="menu"
      load={loadThemeMenu}
      props={{ choice, onChoose: choose }}
      trigger={
        <Button variant="ghost" size="icon" aria-label="Theme">
          <Sun aria-hidden className="dark:hidden" />
          <Moon aria-hidden className="hidden dark:block" />
        </Button>
      }
    />
  );
}
