/** The address of a contribution's page (`/value/<ledger>/contributions/<id>`): the ledger table and inbox items link here. */
export const contributionHref = (ledger: string, id: string): string => `/value/${ledger}/contributions/${id}`
