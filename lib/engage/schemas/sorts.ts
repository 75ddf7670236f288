// The orders a customer list can take (`Sort=`, a leading "-" for descending). A module of
// its own without zod, so the console's list can import it without the schema library.
export const CUSTOMER_SORTS = ["name", "-name", "lastVisit", "-lastVisit", "lifetimeSpend", "-lifetimeSpend"] as const;
