// On a narrow screen the navigation folds into a menu button that opens it in a panel.
"use client";

import { Menu } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { MainNav, type ShellNavItem } from "./main-nav";

export function MobileNav({ items, groupName }: { items: ShellNavItem[]; groupName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Menu">
          <Menu aria-hidden />
        </Button>
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
