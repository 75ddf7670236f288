// Query keys, one factory per resource (all / lists / list(params) / details / detail(id)),
// so invalidation after a change reaches exactly the queries it should.
export function queryKeysFactory<const R extends string>(resource: R) {
  const all = [resource] as const;
  return {
    all,
    lists: () => [...all, "list"] as const,
    list: (params: Record<string, unknown> = {}) => [...all, "list", params] as const,
    details: () => [...all, "detail"] as const,
    detail: (id: string | number) => [...all, "detail", id] as const,
  };
}

export const peopleKeys = queryKeysFactory("people");
export const locationKeys = queryKeysFactory("locations");
/** The group's one Engage connection: detail("group"). */
export const connectionKeys = queryKeysFactory("connection");
/** Engage's receipts: list(filters) for the receipts page, detail(ReceiptID). */
export const receiptKeys = queryKeysFactory("receipts");
/** Engage's offers: detail(`code:${CODE}`) for a look-up by code, detail(OfferID). */
export const offerKeys = queryKeysFactory("offers");
/** Engage's loyalty customers: detail(CustomerID); shared with the Customers pages. */
export const customerKeys = queryKeysFactory("customers");
