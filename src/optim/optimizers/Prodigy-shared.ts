// What the D-adaptation family (Prodigy, DAdaptAdam) shares: one global
// step size over every group, so the groups share one lr.

/** The largest lr of the groups: the one the global estimate is built with. */
export function maxLr(groups: readonly { lr: number }[]): number {
  return groups.reduce((m, g) => Math.max(m, g.lr), 0);
}

/**
 * Throws unless every group's lr is `lr` or 0 (the reference
 * implementations' rule: the step size is global, so per-group lrs other
 * than 0, which freezes a group, would be ignored).
 */
export function checkSharedLr(owner: string, groups: readonly { lr: number }[], lr: number): void {
  const bad = groups.findIndex((g) => g.lr !== lr && g.lr !== 0);
  if (bad >= 0) {
    throw new Error(
      `${owner}.step: param group ${bad} has lr ${groups[bad].lr} but another has ${lr}; the step size is estimated for all groups together, so they must share one lr (or use lr 0 to freeze a group)`,
    );
  }
}
