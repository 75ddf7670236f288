// Automated campaigns in the browser: each template's configuration for the whole group or a
// location, and saving one. An Owner reads and saves with the group key (any scope); a Manager
// with the key of the location in question, which also reads the group-wide ones (read-only).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Automation, AutomationInput, AutomationTemplate } from "@/lib/engage/schemas/automation";
import { actAtHeaders, type ActAt } from "./campaigns";
import { apiFetch } from "./fetch";
import { invalidateThen, type MutationOptions } from "./mutation";
import { queryKeysFactory } from "./query-keys";

export type { Automation, AutomationInput, AutomationTemplate };

export const automationKeys = queryKeysFactory("automations");

/** "group" for the group-wide five, or a LocationID. */
export type AutomationScope = "group" | number;

/** Which key reads and saves a scope: an Owner's group key, else the location's own key. */
export function automationActAt(scope: AutomationScope, mayActForGroup: boolean, fallbackLocation: number | null): ActAt | null {
  if (mayActForGroup) return "group";
  return scope === "group" ? fallbackLocation : scope;
}

/** A scope's five templates (Engage lists unconfigured ones with their defaults, off). */
export function useAutomations(scope: AutomationScope, actAt: ActAt | null) {
  return useQuery({
    queryKey: automationKeys.list({ scope, actAt }),
    queryFn: async ({ signal }) => {
      const query = scope === "group" ? "" : `?LocationID=${scope}`;
      const all = await apiFetch<Automation[]>(`/api/engage/Automations${query}`, { signal, headers: actAtHeaders(actAt) });
      return all.filter((a) => a.LocationID === (scope === "group" ? null : scope));
    },
  });
}

export function useSaveAutomation(actAt: ActAt | null, options: MutationOptions<Automation, { template: AutomationTemplate; input: AutomationInput }> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: ({ template, input }) =>
      apiFetch<Automation>(`/api/engage/Automations/${template}`, { method: "PUT", body: input, headers: actAtHeaders(actAt) }),
    onSuccess: invalidateThen(queryClient, () => [automationKeys.lists()], options.onSuccess),
  });
}

export const TEMPLATE_WORDS: Record<AutomationTemplate, { title: string; trigger: string }> = {
  welcome: { title: "Welcome", trigger: "A customer's first receipt anywhere in the group." },
  "spend-milestone": { title: "Spend milestone", trigger: "Each time a customer's lifetime spend passes a multiple of the threshold." },
  "visit-milestone": { title: "Visit milestone", trigger: "Every Nth visit." },
  birthday: { title: "Birthday", trigger: "Some days before the customer's birthday, once a year (checked daily)." },
  "win-back": { title: "Win-back", trigger: "A customer with no receipt for a number of days, once per lapse (checked daily)." },
};
