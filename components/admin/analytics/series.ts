/** The MRR movements in the order the chart stacks them: new, expansion and reactivation up, contraction and churn down. */
export const MOVEMENT_SERIES = [
  { key: "new", name: "New", colour: "#4f46e5" },
  { key: "expansion", name: "Expansion", colour: "#0d9488" },
  { key: "reactivation", name: "Reactivation", colour: "#65a30d" },
  { key: "contraction", name: "Contraction", colour: "#d97706" },
  { key: "churn", name: "Churn", colour: "#dc2626" },
] as const;
