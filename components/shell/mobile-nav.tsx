// On a narrow screen the navigation folds into a menu button that opens it in a panel. The panel
// (mobile-nav-dialog.tsx) loads when the button is first used.
"use client";

import { Menu } from "lucide-react";
import { Button } from "@/components/ui/button";
import { OnDemand } from "@/components/ui/on-demand";
import type { ShellNavItem } from "./main-nav";

const loadMobileNav = () => import("./mobile-nav-dialog").then((m) => m.MobileNavDialog);

export function MobileNav({ items, groupName }: { items: ShellNavItem[]; groupName: string }) {
  return (
    <OnDemand
      popup="dialog"
      load={loadMobileNav}
      props={{ items, groupName }}
      trigger={
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Menu">
          <Menu aria-hidden />
        </Button>
      }
    />
  );
}
