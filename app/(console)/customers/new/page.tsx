// Registering a loyalty customer from the console (at the user's location).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { RegisterCustomerForm } from "@/components/customers/customer-form";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/console/roles";
import { requireUser } from "../../current-user";
import { pathWithQuery } from "../../page-path";

export const metadata: Metadata = { title: "Register customer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A search that found no one may carry what was searched for (?Phone=, ?Email=, ?FirstName=, ?LastName=). */
function prefillOf(params: Record<string, string | string[] | undefined>) {
  const one = (name: string) => {
    const value = params[name];
    return typeof value === "string" ? value.slice(0, 200) : undefined;
  };
  return { Phone: one("Phone"), Email: one("Email"), FirstName: one("FirstName"), LastName: one("LastName") };
}

export default async function RegisterCustomerPage({ searchParams }: Props) {
  const params = await searchParams;
  const user = await requireUser(pathWithQuery("/customers/new", params));
  if (!can(user.role, "customers")) notFound();
  const location = user.locations.find((l) => l.LocationID === user.currentLocationId);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/customers" className="inline-flex items-center gap-1 text-muted-foreground hover:text-foreground hover:underline">
          <ChevronLeft aria-hidden className="size-4" /> Customers
        </Link>
      </nav>
      <PageHeader
        title="Register customer"
        description={
          location
            ? `They join ${user.groupName}'s loyalty program, registered at ${location.Name}.`
            : `They join ${user.groupName}'s loyalty program, registered for the group.`
        }
      />
      <RegisterCustomerForm prefill={prefillOf(params)} />
    </>
  );
}
