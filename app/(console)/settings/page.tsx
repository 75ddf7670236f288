// Settings: an Owner's group settings (people, locations, the Engage connection) and, for
// everyone who may open Settings, their own profile.
import { ChevronRight, Code, MapPin, PlugZap, UserRound, Users } from "lucide-react";
import { ScrollText } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";

export const metadata: Metadata = { title: "Settings" };

const OWNER_LINKS = [
  { href: "/settings/people", label: "People", hint: "Add people, change their role and locations, reset passwords, deactivate.", Icon: Users },
  { href: "/settings/locations", label: "Locations", hint: "Add a store or rename one.", Icon: MapPin },
  { href: "/settings/connection", label: "Engage connection", hint: "Embedded, or a remote Engage server with its keys.", Icon: PlugZap },
  { href: "/settings/audit", label: "Audit log", hint: "Who changed what, when and from where: every change made in the console or the CLI.", Icon: ScrollText },
  { href: "/settings/developers", label: "Developers", hint: "API keys for your POS, the API reference, the guide's calls and a test receipt.", Icon: Code },
];

const PROFILE_LINK = { href: "/settings/profile", label: "Your profile", hint: "Your name, email and role; change your password.", Icon: UserRound };

const slug = (href: string) => href.replaceAll("/", "-").slice(1);

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  if (!can(user.role, "settings:open")) notFound();
  const links = can(user.role, "settings") ? [...OWNER_LINKS, PROFILE_LINK] : [PROFILE_LINK];
  return (
    <>
      <PageHeader
        title="Settings"
        description={can(user.role, "settings") ? "Your group's people, locations and Engage connection, and your own profile." : "Your own profile and password."}
      />
      <ul className="grid gap-3 sm:grid-cols-2">
        {links.map(({ href, label, hint, Icon }) => (
          <li key={href}>
            <Link
              href={href}
              aria-labelledby={`${slug(href)}-label`}
              aria-describedby={`${slug(href)}-hint`}
              className="flex h-full items-start gap-3 rounded-xl border bg-card p-4 transition-colors outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring"
            >
              <Icon aria-hidden className="mt-0.5 size-5 shrink-0 text-primary" />
              <span className="grid flex-1 gap-1">
                <span id={`${slug(href)}-label`} className="font-medium">
                  {label}
                </span>
                <span id={`${slug(href)}-hint`} className="text-sm text-muted-foreground">
                  {hint}
                </span>
              </span>
              <ChevronRight aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
