// Settings → People: everyone with a console account in the group, their role, locations and
// status, with the Owner's actions on each.
"use client";

import { MoreHorizontal } from "lucide-react";
import { useState } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useLocations } from "@/lib/console/client/locations";
import { usePeople } from "@/lib/console/client/people";
import type { Location, Person } from "@/lib/console/client/schemas";
import { ROLE_LABELS } from "@/lib/console/roles";
import { AddPersonDialog } from "./add-person-dialog";
import { ChangeAccessDialog } from "./change-access-dialog";
import { ResetPasswordDialog } from "./reset-password-dialog";
import { SetActiveDialog } from "./set-active-dialog";

type Action = { kind: "access" | "password" | "active"; person: Person };

function locationNames(person: Person, locations: Location[]): string {
  if (person.Role === "owner") return "All locations";
  const names = locations.filter((l) => person.LocationIDs.includes(l.LocationID)).map((l) => l.Name);
  return names.length ? names.join(", ") : "None";
}

export function PeopleSettings({ currentUserId }: { currentUserId: string }) {
  const people = usePeople();
  const locations = useLocations();
  const [action, setAction] = useState<Action | null>(null);

  const close = () => setAction(null);
  // Back to the row's own menu button when a dialog closes, not to the top of the page.
  const refocus = (person: Person) => (event: Event) => {
    event.preventDefault();
    document.getElementById(`person-actions-${person.UserID}`)?.focus();
  };

  const failed = people.error ?? locations.error;
  return (
    <section aria-labelledby="people-title" className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="people-title" className="text-lg font-semibold">
          People in your group
        </h2>
        {locations.data ? <AddPersonDialog locations={locations.data} /> : null}
      </div>
      {failed ? (
        <ErrorState
          error={failed}
          retrying={people.isFetching || locations.isFetching}
          onRetry={() => {
            void people.refetch();
            void locations.refetch();
          }}
        />
      ) : !people.data || !locations.data ? (
        <LoadingState label="Loading people…" />
      ) : people.data.length === 0 ? (
        <EmptyState title="No people yet">Add the people who work at your stores with “Add person”.</EmptyState>
      ) : (
        <Table label="People">
          <TableHeader>
            <TableRow>
              <TableHead>Person</TableHead>
              <TableHead>Role</TableHead>
              <TableHead className="hidden md:table-cell">Locations</TableHead>
              <TableHead className="hidden md:table-cell">Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {people.data.map((person) => {
              const self = person.UserID === currentUserId;
              return (
                <TableRow key={person.UserID} className={person.Active ? undefined : "text-muted-foreground"}>
                  <TableCell>
                    <div className="grid min-w-36 gap-0.5">
                      <span className="font-medium text-foreground">
                        {person.Name}
                        {self ? <span className="font-normal text-muted-foreground"> (you)</span> : null}
                      </span>
                      <span className="text-sm break-all text-muted-foreground">{person.Email}</span>
                      {/* On a phone the Locations and Status columns fold into this cell. */}
                      <span className="text-sm text-muted-foreground md:hidden">
                        {locationNames(person, locations.data)}
                        {person.Active ? null : <span className="font-medium text-destructive"> · Deactivated</span>}
                      </span>
                    </div>
                  </TableCell>
                  <TableCell>
                    <Badge variant={person.Role === "owner" ? "default" : "secondary"}>{ROLE_LABELS[person.Role]}</Badge>
                  </TableCell>
                  <TableCell className="hidden min-w-32 md:table-cell">{locationNames(person, locations.data)}</TableCell>
                  <TableCell className="hidden md:table-cell">{person.Active ? <Badge variant="outline">Active</Badge> : <Badge variant="destructive">Deactivated</Badge>}</TableCell>
                  <TableCell className="text-right">
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <Button id={`person-actions-${person.UserID}`} variant="ghost" size="icon" aria-label={`Actions for ${person.Name}`}>
                          <MoreHorizontal aria-hidden />
                        </Button>
                      </DropdownMenuTrigger>
                      <DropdownMenuContent align="end">
                        <DropdownMenuItem onSelect={() => setAction({ kind: "access", person })}>Change role and locations</DropdownMenuItem>
                        {self ? null : (
                          <>
                            <DropdownMenuItem onSelect={() => setAction({ kind: "password", person })}>Reset password</DropdownMenuItem>
                            <DropdownMenuItem variant={person.Active ? "destructive" : "default"} onSelect={() => setAction({ kind: "active", person })}>
                              {person.Active ? "Deactivate" : "Reactivate"}
                            </DropdownMenuItem>
                          </>
                        )}
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {action?.kind === "access" && locations.data ? (
        <ChangeAccessDialog person={action.person} locations={locations.data} onClose={close} onCloseAutoFocus={refocus(action.person)} />
      ) : null}
      {action?.kind === "password" ? <ResetPasswordDialog person={action.person} onClose={close} onCloseAutoFocus={refocus(action.person)} /> : null}
      {action?.kind === "active" ? <SetActiveDialog person={action.person} onClose={close} onCloseAutoFocus={refocus(action.person)} /> : null}
    </section>
  );
}
