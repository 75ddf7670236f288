// Your profile (everyone, Staff too, from the user menu): who you are here, and your password.
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ChangePasswordForm } from "@/components/settings/profile/change-password-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ROLE_LABELS } from "@/lib/console/roles";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage() {
  const user = await requireUser("/settings/profile");
  const locations = user.role === "owner" ? `All locations of ${user.groupName}` : user.locations.map((l) => l.Name).join(", ") || "None yet";
  const rows: [string, string][] = [
    ["Name", user.name],
    ["Email", user.email],
    ["Role", ROLE_LABELS[user.role]],
    ["Group", user.groupName],
    [user.role !== "owner" && user.locations.length === 1 ? "Location" : "Locations", locations],
  ];
  return (
    <>
      <PageHeader title="Your profile" description="Your account in this console. An Owner of your group can change your role or locations." />
      <div className="grid gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Account</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[10rem_1fr]">
              {rows.map(([term, value]) => (
                <div key={term} className="contents">
                  <dt className="text-sm text-muted-foreground">{term}</dt>
                  <dd className="break-words">{value}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Change password</CardTitle>
            <CardDescription>You stay signed in here.</CardDescription>
          </CardHeader>
          <CardContent>
            <ChangePasswordForm />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
