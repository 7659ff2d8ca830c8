/** About `target` bytes (default 50 MB) of manifests, one file per object pair; one file in 50 carries a credential. */
export function manifests(target?: number): { files: string[]; bytes: number };
