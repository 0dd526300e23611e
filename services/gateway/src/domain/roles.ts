// Which roles a person may hold at all is the contracts' personRolesSchema (an account's and a
// key's roles are parsed with it); these are the rules between the roles of a key and its owner.

/** The roles in `wanted` that `held` lacks (an API key may only narrow its owner's roles). */
export const rolesBeyond = (wanted: readonly string[], held: readonly string[]): string[] =>
  wanted.filter((role) => !held.includes(role));

/** What a key grants today: its roles, as far as its owner still holds them. */
export const effectiveKeyRoles = (keyRoles: readonly string[], ownerRoles: readonly string[]): string[] =>
  keyRoles.filter((role) => ownerRoles.includes(role));
