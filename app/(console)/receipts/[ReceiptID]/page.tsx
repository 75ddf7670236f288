// One receipt: its items, discounts, totals, redemptions and the offers it earned; Owners and
// Managers may void it (the button is only rendered for them; the proxy refuses anyone else).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReceiptDetail } from "@/components/receipts/receipt-detail";
import { can } from "@/lib/console/roles";
import { listLocations } from "@/lib/console/settings";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "Receipt" };

export default async function ReceiptPage({ params }: { params: Promise<{ ReceiptID: string }> }) {
  const { ReceiptID: receiptId } = await params;
  const user = await requireUser(`/receipts/${encodeURIComponent(receiptId)}`);
  if (!can(user.role, "receipts")) notFound();
  // ReceiptIDs are 32 hex characters: anything else cannot be one.
  if (!/^[0-9a-f]{32}$/i.test(receiptId)) notFound();
  return (
    <ReceiptDetail
      receiptId={receiptId.toLowerCase()}
      groupLocations={await listLocations(user.groupId)}
      canVoid={can(user.role, "receipts:void")}
    />
  );
}
