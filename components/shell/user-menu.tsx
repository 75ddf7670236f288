// The user menu: who is signed in, their profile, and signing out. The menu itself
// (user-menu-content.tsx) loads when its button is first used.
"use client";

import { Button } from "@/components/ui/button";
import { OnDemand } from "@/components/ui/on-demand";

const loadUserMenu = () => import("./user-menu-content").then((m) => m.UserMenuContent);

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1][0] ?? "") : "")).toUpperCase() || "?";
}

export function UserMenu({ name, email, roleLabel }: { name: string; email: string; roleLabel: string }) {
  const shown = name || email;
  return (
    <OnDemand
      popup="menu"
      load={loadUserMenu}
      props={{ shown, email, roleLabel }}
      trigger={
        <Button variant="ghost" className="h-10 gap-2 px-1.5 sm:px-2">
          <span aria-hidden className="flex size-7 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
            {initials(shown)}
          </span>
          <span className="sr-only max-w-40 truncate sm:not-sr-only">{shown}</span>
        </Button>
      }
    />
  );
}
