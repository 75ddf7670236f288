// The console's primary navigation: the sections the user's role allows (navFor on the
// server), the current one marked with aria-current.
"use client";

import { BadgePercent, Home, Megaphone, Receipt, Send, Settings, Users, Workflow, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/utils";

export interface ShellNavItem {
  href: string;
  label: string;
}

const ICONS: Record<string, LucideIcon> = {
  "/": Home,
  "/customers": Users,
  "/receipts": Receipt,
  "/offers": BadgePercent,
  "/campaigns": Megaphone,
  "/automations": Workflow,
  "/outbox": Send,
  "/settings": Settings,
};

/** "page" on the section's own page, "true" on a page inside it (Settings → People). */
export function currentFor(pathname: string, href: string): "page" | "true" | undefined {
  if (pathname === href) return "page";
  if (href !== "/" && pathname.startsWith(`${href}/`)) return "true";
  return undefined;
}

export function MainNav({ items, onNavigate, className }: { items: ShellNavItem[]; onNavigate?: () => void; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={className}>
      <ul className="grid gap-1">
        {items.map((item) => {
          const Icon = ICONS[item.href];
          const current = currentFor(pathname, item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current}
                onClick={onNavigate}
                className={cn(
                  "flex min-h-10 items-center gap-3 rounded-md px-3 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground",
                  "outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  current && "bg-accent text-accent-foreground",
                )}
              >
                {Icon ? <Icon aria-hidden className="size-4 shrink-0" /> : null}
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
