// Home: a welcome, then how the business is doing (components/home: key figures against the
// period before, charts, locations side by side, campaigns) for Owners and Managers; Staff see
// where they work. The sections follow for everyone.
import { ArrowRight } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { HomeDashboard } from "@/components/home/dashboard";
import { can, navFor, ROLE_LABELS } from "@/lib/console/roles";
import { requireUser } from "./current-user";

export const metadata: Metadata = { title: "Home" };

const SECTION_HINTS: Record<string, string> = {
  "/customers": "Loyalty customers",
  "/receipts": "Sales from your POS",
  "/offers": "Offers your customers hold",
  "/campaigns": "Send offers to customers",
  "/automations": "Offers that send themselves",
  "/settings": "People, locations, connection",
};

export default async function HomePage() {
  const user = await requireUser("/");
  const firstName = user.name.trim().split(/\s+/)[0] || user.email;
  const location = user.locations.find((l) => l.LocationID === user.currentLocationId);
  const sections = navFor(user.role).filter((item) => item.href !== "/");

  return (
    <>
      <PageHeader
        title={`Welcome, ${firstName}`}
        description={
          <>
            You are signed in to <strong className="font-semibold text-foreground">{user.groupName}</strong> as {ROLE_LABELS[user.role]}.
          </>
        }
      />
      <div className="grid gap-8">
        {can(user.role, "reports") ? (
          <HomeDashboard locations={user.locations} currentLocationId={user.currentLocationId} isOwner={user.role === "owner"} groupName={user.groupName} />
        ) : (
          <Card>
            <CardHeader>
              <CardTitle>{location ? `Working at ${location.Name}` : user.currentLocationId === null && user.role === "owner" ? "Working for all locations" : "No location yet"}</CardTitle>
              <CardDescription>
                {location
                  ? "Customers, receipts and offers you see are this location's."
                  : user.role === "owner"
                    ? `You act for the whole group, ${user.groupName}. Choose a location at the top to work as one store.`
                    : "You have no location to work at. Ask an Owner to add you to one in Settings → People."}
              </CardDescription>
            </CardHeader>
          </Card>
        )}
        <section aria-labelledby="sections-title" className="grid gap-3">
          <h2 id="sections-title" className="text-lg font-semibold">
            Sections
          </h2>
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {sections.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-labelledby={`section${item.href.replace("/", "-")}-label`}
                  aria-describedby={`section${item.href.replace("/", "-")}-hint`}
                  className="group flex items-center justify-between gap-3 rounded-xl border bg-card p-4 transition-colors outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring"
                >
                  <span className="grid gap-0.5">
                    <span id={`section${item.href.replace("/", "-")}-label`} className="font-medium">
                      {item.label}
                    </span>
                    <span id={`section${item.href.replace("/", "-")}-hint`} className="text-sm text-muted-foreground">
                      {SECTION_HINTS[item.href]}
                    </span>
                  </span>
                  <ArrowRight aria-hidden className="size-4 shrink-0 text-muted-foreground" />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
