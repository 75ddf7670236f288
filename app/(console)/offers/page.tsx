// Offers: the offers customers hold.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SectionPlaceholder } from "@/components/section-placeholder";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";

export const metadata: Metadata = { title: "Offers" };

export default async function OffersPage() {
  const user = await requireUser("/offers");
  if (!can(user.role, "offers")) notFound();
  return <SectionPlaceholder title="Offers" coming="look up an offer by its code and see which customer holds it." />;
}
