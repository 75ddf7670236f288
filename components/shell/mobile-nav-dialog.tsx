// The phone navigation's panel (Radix Dialog), loaded when the Menu button is first used
// (mobile-nav.tsx renders the button until then).
"use client";

import { useState } from "react";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { OnDemandProps } from "@/components/ui/on-demand";
import { MainNav, type ShellNavItem } from "./main-nav";

export function MobileNavDialog({ trigger, triggerRef, items, groupName }: OnDemandProps & { items: ShellNavItem[]; groupName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild ref={triggerRef}>
        {trigger}
      </DialogTrigger>
      <DialogContent
        closeLabel="Close menu"
        className="top-0 left-0 h-dvh max-h-dvh w-72 max-w-[85vw] translate-x-0 translate-y-0 content-start rounded-none border-0 border-r p-4"
      >
        <div className="grid gap-1 pr-8">
          <DialogTitle className="text-base">Engage Console</DialogTitle>
          <DialogDescription>{groupName}</DialogDescription>
        </div>
        <MainNav items={items} onNavigate={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
