// Customers: find the group's loyalty customers by name, phone, email or POS id, and register one.
import { UserPlus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CustomersCsvActions } from "@/components/customers/customers-csv-actions";
import { CustomersList } from "@/components/customers/customers-list";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";
import { pathWithQuery } from "../page-path";

export const metadata: Metadata = { title: "Customers" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CustomersPage({ searchParams }: Props) {
  // Signing in comes back to the same search, page and sort.
  const user = await requireUser(pathWithQuery("/customers", await searchParams));
  if (!can(user.role, "customers")) notFound();
  return (
    <>
      <PageHeader
        title="Customers"
        description={`The loyalty customers of ${user.groupName}: every store's, whichever registered them.`}
        actions={
          <>
            <CustomersCsvActions canExport={can(user.role, "customers:export")} canImport={can(user.role, "customers:import")} />
            <Button asChild>
              <Link href="/customers/new">
                <UserPlus aria-hidden /> Register customer
              </Link>
            </Button>
          </>
        }
      />
      <CustomersList />
    </>
  );
}
