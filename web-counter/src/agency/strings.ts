/** Texts of the agency screens: Vietnamese first; `en` must have every key of `vi`. */
export const vi = {} as const;

export const en: Record<keyof typeof vi, string> = {};
