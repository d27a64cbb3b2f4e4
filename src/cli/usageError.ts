/** A bad flag or flag combination found after parsing: printed as one line, exit status 2. */
export class UsageError extends Error {}
