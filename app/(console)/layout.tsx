// The console's shell for a signed-in user: skip link, header (location, theme, user menu),
// the navigation their role allows, and the page. Every page checks the session and role
// again itself: a layout does not re-run on client-side navigation.
import Link from "next/link";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { LocationSwitcher } from "@/components/shell/location-switcher";
import { MainNav } from "@/components/shell/main-nav";
import { MobileNav } from "@/components/shell/mobile-nav";
import { RouteFocus } from "@/components/shell/route-focus";
import { UserMenu } from "@/components/shell/user-menu";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { navFor, ROLE_LABELS } from "@/lib/console/roles";
import { setupNeeded } from "@/lib/console/setup";
import { currentUser, requireUser } from "./current-user";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) {
    // A layout does not know its URL. When the proxy passes it on (x-pathname), redirect here;
    // otherwise every page redirects itself (requireUser with its own path), so that sign-in
    // comes back to it. Nothing of the console is rendered without a user either way.
    const requested = (await headers()).get("x-pathname");
    if (requested || (await setupNeeded())) await requireUser(requested ?? "/");
    return <>{children}</>;
  }
  const nav = navFor(user.role).map(({ href, label }) => ({ href, label }));
  const allowAll = user.role === "owner";
  const showSwitcher = user.locations.length + (allowAll ? 1 : 0) > 1;

  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-4 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to main content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background">
        <div className="flex h-14 items-center gap-1 px-2 sm:gap-2 sm:px-4">
          <MobileNav items={nav} groupName={user.groupName} />
          <Link href="/" className="flex min-w-0 items-center gap-2 rounded-md px-1 font-semibold outline-none focus-visible:ring-2 focus-visible:ring-ring">
            <span aria-hidden className="flex size-7 shrink-0 items-center justify-center rounded-md bg-primary text-sm font-bold text-primary-foreground">
              E
            </span>
            <span className="hidden truncate sm:inline">Engage Console</span>
            <span className="sr-only sm:hidden">Engage Console</span>
          </Link>
          <span aria-hidden className="hidden text-border lg:inline">
            /
          </span>
          <span className="hidden truncate text-sm text-muted-foreground lg:inline">{user.groupName}</span>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            {showSwitcher ? (
              <LocationSwitcher locations={user.locations} currentLocationId={user.currentLocationId} allowAll={allowAll} />
            ) : null}
            <ThemeToggle />
            <UserMenu name={user.name} email={user.email} roleLabel={ROLE_LABELS[user.role]} />
          </div>
        </div>
      </header>
      <div className="min-h-[calc(100dvh-3.5rem)] md:grid md:grid-cols-[15rem_minmax(0,1fr)]">
        <aside className="hidden border-r bg-sidebar md:block">
          <div className="sticky top-14 max-h-[calc(100dvh-3.5rem)] overflow-y-auto p-3">
            <MainNav items={nav} />
          </div>
        </aside>
        <RouteFocus />
        <main id="main" tabIndex={-1} className="min-w-0 px-4 py-6 outline-none sm:px-6 lg:px-10 lg:py-8">
          <div className="mx-auto max-w-5xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
