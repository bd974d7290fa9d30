/** One colour per provider, in the order the API costs page lists them (chart bars and table chips). */
export const SERIES_COLOURS = ["#4f46e5", "#0d9488", "#d97706", "#db2777", "#2563eb", "#65a30d", "#7c3aed", "#dc2626"] as const;
