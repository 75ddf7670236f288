// Settings → Audit log (Owner only): every change made in the console or with the CLI.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { AuditLog } from "@/components/settings/audit/audit-log";
import { can } from "@/lib/console/roles";
import { requireUser } from "../../current-user";
import { pathWithQuery } from "../../page-path";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const user = await requireUser(pathWithQuery("/settings/audit", await searchParams));
  if (!can(user.role, "audit")) notFound();
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in the console or with the command line: who, what, when and from where. Customers' personal data is masked. Entries can never be changed or deleted."
      />
      <AuditLog />
    </>
  );
}
