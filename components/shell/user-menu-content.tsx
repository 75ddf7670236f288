// The user menu's popup (Radix DropdownMenu): who is signed in, their profile, and signing out.
// Loaded when the menu's button is first used (user-menu.tsx renders the button until then).
"use client";

import { LogOut, UserRound } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { OnDemandProps } from "@/components/ui/on-demand";
import { toast } from "@/components/ui/toaster";
import { useSignOut } from "@/lib/console/client/session";

export function UserMenuContent({ trigger, triggerRef, shown, email, roleLabel }: OnDemandProps & { shown: string; email: string; roleLabel: string }) {
  const router = useRouter();
  const signOut = useSignOut({
    onSuccess: () => {
      router.replace("/sign-in");
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild ref={triggerRef}>
        {trigger}
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel className="grid gap-0.5">
          <span className="truncate font-medium">{shown}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{email}</span>
          <span className="text-xs font-normal text-muted-foreground">{roleLabel}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/settings/profile">
            <UserRound aria-hidden /> Your profile
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem
          disabled={signOut.isPending}
          onSelect={(event) => {
            event.preventDefault();
            signOut.mutate();
          }}
        >
          <LogOut aria-hidden /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
